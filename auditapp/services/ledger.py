"""What the rectification ledger, the notice and the deadline lists read: one call each.

The ledger workbook (``auditapp.ledger``), the official notice (``auditapp.notice``) and
the calendar all show the same rows — a problem with its rectification, its evidence
photos and its history — so they are gathered here once, in one session, through the
same ``finding_info`` every screen uses. Nothing here writes: the department's returned
changes go through :func:`auditapp.services.rectifications.apply_changes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from auditapp.db import Database
from auditapp.db.models import Finding, Institution, Photo, Rectification, RectificationEvent, Visit
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.lookups import require_institution, require_visit
from auditapp.rules import rectification as lifecycle
from auditapp.services.rectifications import RectificationEventInfo, RectificationRow, list_rectifications
from auditapp.services.visits import ItemIndex, RectificationInfo, item_index, source_finding


@dataclass(frozen=True)
class LedgerPhoto:
    """An evidence photo of a problem: its label on paper ("图 3-1") and what renders it."""

    id: str
    label: str
    thumb_sha256: str
    annotations: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class LedgerEntry:
    """One problem of the ledger with everything the workbook, notice and calendar show."""

    finding_id: str
    number: str  # 问题编号: the visit's report number and the problem's number in it
    seq: int
    visit_id: str
    visit_date: date
    institution_id: str
    institution_name: str
    location: str
    statement: str
    basis: tuple[str, ...]  # "《document title》clause"
    severity: str
    rectification: RectificationInfo
    photos: tuple[LedgerPhoto, ...] = ()
    history: tuple[RectificationEventInfo, ...] = ()
    carried: bool = False

    @property
    def department(self) -> str:
        return self.rectification.department

    @property
    def last_rejection(self) -> str:
        """Why the last reported fix was rejected ('' if it never was): what the department must address."""
        for event in reversed(self.history):
            if event.action in ("reject", "reopen"):
                return event.note
        return ""


@dataclass(frozen=True)
class LedgerScope:
    """What a ledger covers: one visit or all of an institution's, maybe one department."""

    institution_id: str
    institution_name: str
    visit_id: str | None
    report_number: str
    visit_date: date | None
    inspector: str
    mode: str
    department: str | None
    open_only: bool
    today: date


@dataclass(frozen=True)
class Ledger:
    scope: LedgerScope
    entries: list[LedgerEntry] = field(default_factory=list)


def _sources() -> dict[str, Any]:
    """Short name -> source document, for the titles of citations ('' titles if unreadable)."""
    from auditapp import paths
    from auditapp.checklists.sources import load_sources

    try:
        sources, _problems = load_sources(paths.checklists_dir() / "sources")
    except OSError:
        return {}
    return dict(sources)


def _citation(source: str, clause: str, sources: dict[str, Any]) -> str:
    doc = sources.get(source)
    title = getattr(doc, "title", "") or source
    return f"《{title}》{clause}".strip()


def ledger(
    db: Database,
    *,
    visit: str | None = None,
    institution: str | None = None,
    department: str | None = None,
    open_only: bool = False,
    today: date | None = None,
) -> Ledger:
    """The rows of a ledger: one visit's problems (with those carried over to it) or an institution's.

    ``department`` keeps the rows that department is responsible for now.
    """
    if not visit and not institution:
        raise InvalidInputError("ledger.scope_missing")
    today = today or date.today()
    with db.session() as session:
        scope = _scope(session, visit=visit, institution=institution, department=department,
                       open_only=open_only, today=today)
    rows = list_rectifications(
        db, visit=scope.visit_id, institution=None if scope.visit_id else scope.institution_id,
        department=scope.department, today=today,
    )
    if open_only:
        rows = [r for r in rows if lifecycle.is_open(r.rectification.status)]
    with db.session() as session:
        entries = _entries(session, rows, _sources())
    return Ledger(scope=scope, entries=entries)


def _scope(
    session: Session, *, visit: str | None, institution: str | None, department: str | None, open_only: bool,
    today: date,
) -> LedgerScope:
    """What the ledger covers: the visit (and its institution) or the institution, and the department."""
    if visit:
        v = require_visit(session, visit)
        inst = v.institution
        scope_visit: Visit | None = v
    else:
        inst = require_institution(session, institution or "")
        scope_visit = None
    if department is not None:
        _require_department(session, inst, department)
    return LedgerScope(
        institution_id=inst.id,
        institution_name=inst.name,
        visit_id=scope_visit.id if scope_visit else None,
        report_number=scope_visit.report_number if scope_visit else "",
        visit_date=scope_visit.visit_date if scope_visit else None,
        inspector=scope_visit.inspector if scope_visit else "",
        mode=scope_visit.mode if scope_visit else "self",
        department=department.strip() if department is not None else None,
        open_only=open_only,
        today=today,
    )


def _require_department(session: Session, inst: Institution, department: str) -> None:
    """A department asked for by name must be one of the institution's (not deleted)."""
    from auditapp.db.models import Department

    known = session.scalar(
        select(Department.id).where(
            Department.institution_id == inst.id, Department.name == department.strip(),
            Department.deleted_at.is_(None),
        )
    )
    if known is None:
        raise NotFoundError("ledger.department_not_found", department=department, institution=inst.name)


def _entries(session: Session, rows: list[RectificationRow], sources: dict[str, Any]) -> list[LedgerEntry]:
    """One entry a row, numbered and photographed as the problem's original finding is."""
    items: dict[str, ItemIndex] = {}
    events = _events(session, [r.rectification.id for r in rows])
    originals: dict[str, Finding] = {}
    for start in range(0, len(rows), 500):
        chunk = [r.finding.id for r in rows[start : start + 500]]
        for finding in session.scalars(select(Finding).where(Finding.id.in_(chunk))):
            originals[finding.id] = source_finding(session, finding)
    photos = _photos(session, list(originals.values()))
    visit_rows: dict[str, Visit] = {}
    entries: list[LedgerEntry] = []
    for row in rows:
        f, rect = row.finding, row.rectification
        original = originals[f.id]
        visit_row = visit_rows.get(original.visit_id) or session.get(Visit, original.visit_id)
        assert visit_row is not None
        visit_rows[visit_row.id] = visit_row
        basis: list[str] = []
        if original.item_id:
            found = item_index(session, original.visit_id, items).get(original.item_id)
            if found is not None:
                basis = [_citation(b.source, b.clause, sources) for b in found[2].basis]
        basis += [_citation(b.get("source", ""), b.get("clause", ""), sources) for b in f.basis]
        entries.append(
            LedgerEntry(
                finding_id=f.id,
                number=f"{visit_row.report_number}-{original.seq:02d}" if visit_row.report_number else str(original.seq),
                seq=original.seq,
                visit_id=visit_row.id,
                visit_date=visit_row.visit_date,
                institution_id=visit_row.institution_id,
                institution_name=row.institution_name,
                location=f.location.text(),
                statement=f.statement or f.text,
                basis=tuple(basis),
                severity=f.severity,
                rectification=rect,
                photos=tuple(
                    replace(p, label=f"图 {original.seq}-{n}") for n, p in enumerate(photos.get(original.id, ()), start=1)
                ),
                history=tuple(events.get(rect.id, ())),
                carried=f.carried_from_id is not None,
            )
        )
    return entries


def _events(session: Session, rect_ids: list[str]) -> dict[str, list[RectificationEventInfo]]:
    out: dict[str, list[RectificationEventInfo]] = {}
    for start in range(0, len(rect_ids), 500):
        chunk = rect_ids[start : start + 500]
        for e in session.scalars(
            select(RectificationEvent)
            .where(RectificationEvent.rectification_id.in_(chunk), RectificationEvent.deleted_at.is_(None))
            .order_by(RectificationEvent.at)
        ):
            out.setdefault(e.rectification_id, []).append(
                RectificationEventInfo(
                    at=e.at, status_from=e.status_from, status_to=e.status_to, note=e.note, actor=e.actor,
                    action=e.action, deadline=e.deadline,
                )
            )
    return out


def _photos(session: Session, originals: list[Finding]) -> dict[str, list[LedgerPhoto]]:
    """Evidence photos (the finding's own and its answer's) of many findings, in few queries."""
    by_answer = {f.answer_id: f.id for f in originals if f.answer_id}
    out: dict[str, list[LedgerPhoto]] = {}
    ids = [f.id for f in originals]
    known = set(ids)
    for start in range(0, max(len(ids), len(by_answer)), 400):
        finding_chunk = ids[start : start + 400]
        answer_chunk = list(by_answer)[start : start + 400]
        condition: ColumnElement[bool] = Photo.finding_id.in_(finding_chunk)
        if answer_chunk:
            condition = condition | Photo.answer_id.in_(answer_chunk)
        for p in session.scalars(
            select(Photo)
            .where(condition, Photo.deleted_at.is_(None), Photo.kind.not_in(("after", "floorplan")))
            .order_by(Photo.created_at, Photo.id)
        ):
            owner = p.finding_id if p.finding_id in known else by_answer.get(p.answer_id or "")
            if owner is None:
                continue
            out.setdefault(owner, []).append(
                LedgerPhoto(id=p.id, label="", thumb_sha256=p.thumb_sha256 or p.sha256,
                            annotations=tuple(p.annotations or ()))
            )
    return out


def photo_thumbnail(db: Database, photo: LedgerPhoto, *, max_side: int = 96) -> bytes | None:
    """A small JPEG of ``photo`` as it may leave the app (redactions burned in); None if its file is missing."""
    from auditapp.photos.annotations import export_jpeg, parse_layers
    from auditapp.services.photos import photo_store

    store = photo_store(db)
    try:
        data = store.read(photo.thumb_sha256)
    except (OSError, Exception):
        return None
    return export_jpeg(data, parse_layers(list(photo.annotations)), max_side=max_side, quality=80)


@dataclass(frozen=True)
class RectificationState:
    """A rectification as it is now, for comparing a returned ledger row against."""

    finding_id: str
    institution_id: str
    rectification: RectificationInfo


def rectification_states(db: Database, finding_ids: list[str], *, today: date | None = None) -> dict[str, RectificationState]:
    """The current state of the rectifications of ``finding_ids`` (unknown ids are left out)."""
    from auditapp.services.visits import rectification_info

    today = today or date.today()
    out: dict[str, RectificationState] = {}
    with db.session() as session:
        for start in range(0, len(finding_ids), 500):
            chunk = finding_ids[start : start + 500]
            rows = session.execute(
                select(Finding, Rectification, Visit)
                .join(Rectification, Rectification.finding_id == Finding.id)
                .join(Visit, Visit.id == Finding.visit_id)
                .where(
                    Finding.id.in_(chunk), Finding.deleted_at.is_(None), Rectification.deleted_at.is_(None),
                    Visit.deleted_at.is_(None),
                )
            ).all()
            for finding, rect, visit in rows:
                out[finding.id] = RectificationState(
                    finding_id=finding.id, institution_id=visit.institution_id,
                    rectification=rectification_info(session, rect, today),
                )
    return out


# --- what falls due --------------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    finding_id: str
    number: str
    statement: str
    deadline: date
    status: str
    days_left: int  # negative: days overdue


@dataclass(frozen=True)
class DepartmentDue:
    """One department's open rectifications that are overdue or fall due soon."""

    institution_id: str
    institution_name: str
    department: str
    overdue: tuple[DueItem, ...]
    due_3: tuple[DueItem, ...]  # due today or within the next 3 days
    due_within: tuple[DueItem, ...]  # after 3 days, up to ``within`` days

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.due_3) + len(self.due_within)


SOON_DAYS = 3


def due_rectifications(
    db: Database,
    *,
    institution: str | None = None,
    within: int = 7,
    overdue_only: bool = False,
    today: date | None = None,
) -> list[DepartmentDue]:
    """Open rectifications per department: overdue, due within 3 days, due within ``within`` days.

    The home screen and ``auditapp rectification due`` show this; departments with
    nothing due are left out. Sorted with the most overdue department first.
    """
    if within < 0:
        raise InvalidInputError("ledger.within_negative", within=within)
    today = today or date.today()
    rows = list_rectifications(db, institution=institution, today=today)
    groups: dict[tuple[str, str], dict[str, list[DueItem]]] = {}
    names: dict[str, str] = {}
    with db.session() as session:
        for row in rows:
            rect = row.rectification
            if rect.deadline is None or not lifecycle.is_open(rect.status):
                continue
            days = (rect.deadline - today).days
            if days > within or (overdue_only and days >= 0):
                continue
            visit = session.get(Visit, row.visit_id)
            assert visit is not None
            names[visit.institution_id] = row.institution_name
            key = (visit.institution_id, rect.department)
            bucket = "overdue" if days < 0 else ("due_3" if days <= SOON_DAYS else "due_within")
            groups.setdefault(key, {"overdue": [], "due_3": [], "due_within": []})[bucket].append(
                DueItem(
                    finding_id=row.finding.id,
                    number=f"{visit.report_number}-{row.finding.seq:02d}",
                    statement=row.finding.statement or row.finding.text,
                    deadline=rect.deadline,
                    status=rect.status,
                    days_left=days,
                )
            )
    out = [
        DepartmentDue(
            institution_id=inst_id,
            institution_name=names[inst_id],
            department=dept,
            overdue=tuple(sorted(b["overdue"], key=lambda d: d.deadline)),
            due_3=tuple(sorted(b["due_3"], key=lambda d: d.deadline)),
            due_within=tuple(sorted(b["due_within"], key=lambda d: d.deadline)),
        )
        for (inst_id, dept), b in groups.items()
    ]
    out.sort(key=lambda d: (-len(d.overdue), -len(d.due_3), d.institution_name, d.department))
    return out
