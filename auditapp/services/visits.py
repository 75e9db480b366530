"""Visits (体验/检查): starting one, answering items, free findings, finalizing.

A visit freezes the checklists it uses as snapshots, so the questions and citations a
leader answered stay exactly as they were even after the YAML files change.
"""

from __future__ import annotations

import json
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, joinedload

from auditapp.checklists import (
    Checklist,
    InstitutionProfile,
    Item,
    ItemBinding,
    Section,
    Template,
    WalkStep,
    applicable_items,
    checklist_applies,
    checklist_from_snapshot,
    snapshot_json,
)
from auditapp.db import Database
from auditapp.db.models import (
    ANSWER_RESULTS,
    SEVERITIES,
    VISIT_MODES,
    Answer,
    ChecklistSnapshot,
    Department,
    Finding,
    FloorPlan,
    Institution,
    MapPin,
    Photo,
    Rectification,
    RectificationEvent,
    Visit,
    VisitAmendment,
    VisitChecklist,
    utcnow,
)
from auditapp.errors import InvalidInputError, NotFoundError, StaleEditError
from auditapp.language import current_language
from auditapp.lookups import require_finding, require_institution, require_visit
from auditapp.rules.rectification import OPEN_STATUSES, is_overdue
from auditapp.scoring import Score, score_answers
from auditapp.services.common import (
    check_choice,
    department_name,
    ensure_department,
    ensure_editable,
    set_reason,
)
from auditapp.services.institutions import InstitutionInfo, institution_info
from auditapp.services.jurisdiction import JurisdictionInfo, current_sources
from auditapp.services.visit_walk import VisitJurisdiction, frozen_jurisdiction, frozen_walk, visit_steps
from auditapp.terms import Term

if TYPE_CHECKING:
    from auditapp.checklists import Library


@dataclass(frozen=True)
class VisitInfo:
    id: str
    institution_id: str
    institution_name: str
    mode: str
    inspector: str
    visit_date: date
    status: str
    report_number: str
    checklist_ids: list[str]
    item_count: int
    answered_count: int
    score: Score
    open_rectifications: int
    finalized_at: datetime | None = None
    carried_over: int = 0
    amendments: tuple[AmendmentInfo, ...] = ()
    # The template whose walk orders the items ('' for checklist order), and whether the
    # visit was limited to the items binding the institution (本地要求) when it started.
    template_id: str = ""
    binding_only: bool = False

    @property
    def amended(self) -> bool:
        return bool(self.amendments)


@dataclass(frozen=True)
class AmendmentInfo:
    """A finalized visit opened for changes, and why (修改（需说明原因）)."""

    id: str
    visit_id: str
    reason: str
    actor: str
    at: datetime


@dataclass(frozen=True)
class AnswerInfo:
    visit_id: str
    item_id: str
    checklist_id: str
    result: str | None
    value: str
    note: str
    severity: str
    department: str
    finding_id: str | None
    answered_at: datetime | None
    # The row's version: give it back as ``expected_updated_at`` so an edit made
    # elsewhere since (another window, a command) is detected instead of overwritten.
    updated_at: datetime | None = None


@dataclass(frozen=True)
class RectificationInfo:
    id: str
    finding_id: str
    department: str
    owner: str
    deadline: date | None
    measures: str
    status: str
    verified_at: datetime | None
    overdue: bool
    rounds: int = 0
    requested_deadline: date | None = None
    extension_reason: str = ""
    verification_note: str = ""
    closed_at: datetime | None = None
    after_photo_count: int = 0
    updated_at: datetime | None = None
    # The department's report: what was done and when (整改完成情况, 完成日期).
    completion: str = ""
    completed_on: date | None = None
    ledger_receipt: str = ""


@dataclass(frozen=True)
class MeasuredInfo:
    """A measured value of a number or duration item, beside its target."""

    value: str
    unit: str  # as the checklist writes it ("min", "%"); words for it come from unit_label
    target: str  # sign and number as people read them ("≤ 30"), '' when the item has no target

    def text(self, language: str | None = None) -> str:
        """"60 分钟（要求 ≤ 30 分钟）" / "60 min (target ≤ 30 min)"."""
        from auditapp.checklists.schema import unit_label

        lang = language or current_language()
        unit = unit_label(self.unit, lang)
        sep = "" if unit in ("", "%") else " "
        measured = f"{self.value}{sep}{unit}"
        if not self.target:
            return measured
        target = f"{self.target}{sep}{unit}"
        return f"{measured}（要求 {target}）" if lang == "zh_CN" else f"{measured} (target {target})"


@dataclass(frozen=True)
class PinnedPlace:
    """Where on a floor plan a problem is pinned."""

    plan_id: str
    plan_name: str
    floor: str
    pin_label: str

    def text(self) -> str:
        where = " ".join(part for part in (self.plan_name, self.floor) if part)
        return f"{where}「{self.pin_label}」" if self.pin_label else where


@dataclass(frozen=True)
class LocationInfo:
    """Where a problem is: the area walked, and floor-plan pins where it was pinned."""

    area: str
    plans: tuple[PinnedPlace, ...] = ()

    def text(self, language: str | None = None) -> str:
        sep = "；" if (language or current_language()) == "zh_CN" else "; "
        return sep.join(part for part in (self.area, *(p.text() for p in self.plans)) if part)


@dataclass(frozen=True)
class FindingInfo:
    id: str
    visit_id: str
    seq: int
    source: str
    item_id: str | None
    # Stored text: the note or problem statement at the time (free findings: what was typed).
    text: str
    area: str
    severity: str
    department: str
    carried_from_id: str | None
    rectification: RectificationInfo | None
    photo_count: int = 0
    # What to fix, in the reader's language: the note, or the item's problem statement;
    # never the checklist question.
    statement: str = ""
    # The checklist question the problem was found with ('' for free findings).
    question: str = ""
    measured: MeasuredInfo | None = None
    location: LocationInfo = field(default_factory=lambda: LocationInfo(area=""))
    # Citations of a finding no item carries (a wait over its target, a faulty AED).
    basis: tuple[dict[str, str], ...] = ()
    updated_at: datetime | None = None
    # What a journey or AED problem was made from ("interval:waiting-consultation",
    # "pin:<id>"), so asking again finds it instead of making a second one.
    origin: str = ""


@dataclass(frozen=True)
class ItemView:
    """An item of the visit with its answer, in the order of the patient's path.

    ``stage_*`` name the walk stage the item is met at (门诊大厅与导诊, 缴费 …), so the
    runner and the reports can group by stage; ``binding`` says whether the item binds
    the institution (本地要求) or is reference (参考), with the bases that bind it
    (None when the visit has no record of it and the documents cannot be read).
    """

    checklist_id: str
    section_id: str
    section_title: str
    item: Item
    answer: AnswerInfo | None
    photo_count: int = 0
    stage_id: str = ""
    stage_title: str = ""
    stage_title_en: str = ""
    binding: ItemBinding | None = None

    @property
    def is_binding(self) -> bool:
        return self.binding is not None and self.binding.is_binding

    @property
    def needs_photo(self) -> bool:
        return bool(
            self.item.photo_required and self.answer and self.answer.result == "nonconform" and self.photo_count == 0
        )


@dataclass(frozen=True)
class SectionScore:
    checklist_id: str
    section_id: str
    title: str
    score: Score


@dataclass(frozen=True)
class VisitDetail:
    visit: VisitInfo
    institution: InstitutionInfo
    items: list[ItemView]
    findings: list[FindingInfo]
    sections: list[SectionScore] = field(default_factory=list)
    # Where the institution stood among the documents for this visit (None: unknown).
    jurisdiction: JurisdictionInfo | None = None


@dataclass(frozen=True)
class FinalizeResult:
    visit: VisitInfo
    warnings: list[str]
    check: FinalizeCheck | None = None


# Parsed snapshots by content hash. Snapshots never change, so the cache is never stale;
# without it every answer re-read and re-parsed tens of kilobytes of checklist JSON.
_PARSED: OrderedDict[str, Checklist] = OrderedDict()
_PARSED_MAX = 64


def _checklist_for(session: Session, sha256: str) -> Checklist:
    checklist = _PARSED.get(sha256)
    if checklist is None:
        content = session.scalar(select(ChecklistSnapshot.content).where(ChecklistSnapshot.sha256 == sha256))
        if content is None:
            raise NotFoundError("visit.snapshot_missing", sha=sha256[:12])
        checklist = _PARSED[sha256] = checklist_from_snapshot(content)
        while len(_PARSED) > _PARSED_MAX:
            _PARSED.popitem(last=False)
    else:
        _PARSED.move_to_end(sha256)
    return checklist


def _visit_checklists(session: Session, visit: Visit) -> list[tuple[VisitChecklist, Checklist]]:
    rows = session.execute(
        select(VisitChecklist, ChecklistSnapshot.sha256)
        .join(ChecklistSnapshot, ChecklistSnapshot.id == VisitChecklist.snapshot_id)
        .where(VisitChecklist.visit_id == visit.id, VisitChecklist.deleted_at.is_(None))
        .order_by(VisitChecklist.sort_order)
    ).all()
    return [(vc, _checklist_for(session, sha)) for vc, sha in rows]


# A visit's items by the exact checklist rows it uses and its frozen walk: the visit, its
# walk and (visit_checklist id, updated_at, snapshot hash) per checklist. The rows are
# frozen when the visit starts, so the key is only ever stale if a row changed (sync),
# and then it misses; without the cache every answer rebuilt the list of ~200 items
# twice (about a third of an answer's time).
_ItemTable = tuple[list[WalkStep], dict[str, int]]
_ITEMS: OrderedDict[tuple[object, ...], _ItemTable] = OrderedDict()
_ITEMS_MAX = 32


def _visit_item_table(session: Session, visit: Visit) -> _ItemTable:
    rows = tuple(
        (vc_id, updated, sha)
        for vc_id, updated, sha in session.execute(
            select(VisitChecklist.id, VisitChecklist.updated_at, ChecklistSnapshot.sha256)
            .join(ChecklistSnapshot, ChecklistSnapshot.id == VisitChecklist.snapshot_id)
            .where(VisitChecklist.visit_id == visit.id, VisitChecklist.deleted_at.is_(None))
            .order_by(VisitChecklist.sort_order)
        ).all()
    )
    key = (visit.id, json.dumps(visit.walk, sort_keys=True, ensure_ascii=False), rows)
    cached = _ITEMS.get(key)
    if cached is not None:
        _ITEMS.move_to_end(key)
        return cached
    pairs = _visit_checklists(session, visit)
    allowed: dict[str, list[str]] = {}
    for vc, checklist in pairs:
        allowed.setdefault(checklist.id, []).extend(vc.applicable_item_ids)
    steps = visit_steps([c for _vc, c in pairs], allowed, visit.walk)
    table = (steps, {step.item.id: n for n, step in enumerate(steps)})
    _ITEMS[key] = table
    while len(_ITEMS) > _ITEMS_MAX:
        _ITEMS.popitem(last=False)
    return table


def _visit_items(session: Session, visit: Visit) -> list[tuple[str, Section, Item]]:
    """The visit's items in walk order, as (checklist id, section, item)."""
    return [(step.checklist.id, step.section, step.item) for step in _visit_item_table(session, visit)[0]]


def _visit_steps(session: Session, visit: Visit) -> list[WalkStep]:
    """The visit's items in walk order with their stages (a copy: the cached list is shared)."""
    return list(_visit_item_table(session, visit)[0])


def _find_step(session: Session, visit: Visit, item_id: str) -> WalkStep:
    return _step_in(_visit_item_table(session, visit), visit, item_id)


def _step_in(table: _ItemTable, visit: Visit, item_id: str) -> WalkStep:
    """The step of ``item_id`` in the visit's item table; an item the visit does not have is refused."""
    steps, index = table
    position = index.get(item_id)
    if position is None:
        raise NotFoundError("visit.item_not_in_visit", item=item_id, visit=visit.report_number or visit.id[:8])
    return steps[position]


def _find_item(session: Session, visit: Visit, item_id: str) -> tuple[str, Section, Item]:
    step = _find_step(session, visit, item_id)
    return step.checklist.id, step.section, step.item


def visit_jurisdiction(session: Session, visit: Visit) -> VisitJurisdiction:
    """Binding or reference for the visit's items (frozen at its start, else judged now)."""
    inst = session.get(Institution, visit.institution_id)
    profile = institution_info(inst).profile if inst is not None else InstitutionProfile(kind="general", level=1)
    return VisitJurisdiction(visit.jurisdiction, profile, current_sources() if visit.jurisdiction is None else {})


def _next_report_number(session: Session, institution_id: str, visit_date: date) -> str:
    prefix = f"{visit_date.year}-"
    count = session.scalar(
        select(func.count(Visit.id)).where(
            Visit.institution_id == institution_id, Visit.report_number.startswith(prefix)
        )
    )
    return f"{visit_date.year}-{visit_date.month:02d}-{(count or 0) + 1:03d}"


# Namespace of checklist snapshot ids (uuid5 of the content's sha256).
SNAPSHOT_NAMESPACE = uuid.UUID("6f1f8a2e-5d0c-4f0b-9a57-3c1b2f7e4a10")


def _snapshot(session: Session, checklist: Checklist) -> ChecklistSnapshot:
    content, sha = snapshot_json(checklist)
    snap = session.scalar(select(ChecklistSnapshot).where(ChecklistSnapshot.sha256 == sha))
    if snap is None:
        # The id follows from the content: laptops that snapshot the same checklist
        # offline make the same row, so a shared server never has to rename one that
        # other hospitals' visits (which a hospital login cannot see) refer to.
        snap = ChecklistSnapshot(
            id=str(uuid.uuid5(SNAPSHOT_NAMESPACE, sha)),
            checklist_id=checklist.id, version=checklist.version, title=checklist.title, sha256=sha, content=content
        )
        session.add(snap)
        session.flush()
    return snap


def _choose_checklists(
    library: Library, inst: InstitutionInfo, requested: list[str] | None
) -> tuple[list[Checklist], Template | None]:
    """The visit's checklists and the template whose walk orders them."""
    if requested:
        chosen = [library.get(cid) for cid in requested]
        for checklist in chosen:
            if not checklist_applies(checklist, inst.profile):
                raise InvalidInputError(
                    "visit.checklist_not_applicable", checklist=checklist.title, institution=inst.name,
                    kind=Term("institution_kind", inst.kind),
                )
        return chosen, library.walk_template([c.id for c in chosen], inst.profile)
    # The default template orders the walk; the checklists it names that do not apply are left out.
    defaults = [library.get(cid) for cid in default_checklist_ids(library, inst.profile)]
    return defaults, library.default_template_for(inst.profile)


def default_checklist_ids(library: Library, profile: InstitutionProfile) -> list[str]:
    """The checklists a new visit starts with when none are chosen (and the dialog pre-selects).

    The profile's default template, if there is one, limited to the checklists that apply
    to the institution (a template naming, say, an obstetrics list must not put it on a
    hospital without obstetrics); otherwise every applicable checklist.
    """
    applicable = [c.id for c in library.applicable_checklists(profile)]
    template = library.default_template_for(profile)
    if template is None:
        return applicable
    return [cid for cid in template.checklists if cid in applicable]


def _carry_over(session: Session, visit: Visit) -> int:
    """Open rectifications of earlier visits come along to be re-checked (逐条整改，跟踪问效)."""
    earlier_open = session.scalars(
        select(Finding)
        .join(Visit, Visit.id == Finding.visit_id)
        .join(Rectification, Rectification.finding_id == Finding.id)
        .where(
            Visit.institution_id == visit.institution_id,
            Visit.id != visit.id,
            Visit.deleted_at.is_(None),
            Finding.deleted_at.is_(None),
            Finding.carried_from_id.is_(None),
            Rectification.deleted_at.is_(None),
            Rectification.status.in_(OPEN_STATUSES),
        )
        .order_by(Visit.visit_date, Finding.seq)
    ).all()
    for n, original in enumerate(earlier_open, start=1):
        session.add(
            Finding(
                visit_id=visit.id,
                source="carried",
                item_id=original.item_id,
                text=original.text,
                area=original.area,
                severity=original.severity,
                department_id=original.department_id,
                carried_from_id=original.id,
                seq=n,
            )
        )
    return len(earlier_open)


def start_visit(
    db: Database,
    *,
    institution: str,
    inspector: str,
    mode: str = "self",
    checklist_ids: list[str] | None = None,
    visit_date: date | None = None,
    title: str = "",
    library: Library | None = None,
    leader: str | None = None,
    binding_only: bool = False,
) -> VisitInfo:
    """Start a visit: snapshot the checklists, freeze the applicable items, carry over open items.

    ``leader`` picks the inspector from the institution's roster (their monthly duty);
    a typed name that is exactly a roster leader's links to them too.

    The visit freezes the walk of its template (the order of the patient's path) and,
    per item, whether it binds the institution (see :mod:`auditapp.services.visit_walk`).
    ``binding_only`` limits it to the items binding the institution (本地要求); an
    institution no document binds has none, and is refused with a message saying so.
    """
    from auditapp.services.leaders import resolve_visit_leader

    check_choice(mode, VISIT_MODES, "visit mode")
    if not inspector.strip() and not leader:
        raise InvalidInputError("visit.inspector_missing")
    from auditapp.checklists import load_library  # the library files are read to start a visit, not to list them

    library = library or load_library()
    with db.session() as session:
        inst_row = require_institution(session, institution)
        inst = institution_info(inst_row)
        checklists, template = _choose_checklists(library, inst, checklist_ids)
        if not checklists:
            raise InvalidInputError("visit.no_checklist", institution=inst.name)
        applicable = {c.id: [item for _section, item in applicable_items(c, inst.profile)] for c in checklists}
        jurisdiction = frozen_jurisdiction(
            (item for items in applicable.values() for item in items), inst.profile, library.sources,
            binding_only=binding_only,
        )
        if binding_only:
            applicable = {cid: [i for i in items if i.id in jurisdiction["binding"]] for cid, items in applicable.items()}
            if not any(applicable.values()):
                if not jurisdiction["region"]:
                    raise InvalidInputError("visit.binding_needs_region", institution=inst.name)
                raise InvalidInputError("visit.no_binding_items", institution=inst.name, region=jurisdiction["region"])
            checklists = [c for c in checklists if applicable[c.id]]
        day = visit_date or date.today()
        leader_id, inspector = resolve_visit_leader(session, inst.id, leader, inspector, match_name=mode == "self")
        visit = Visit(
            institution_id=inst.id,
            leader_id=leader_id,
            mode=mode,
            inspector=inspector,
            title=title.strip(),
            visit_date=day,
            started_at=utcnow(),
            status="in_progress",
            report_number=_next_report_number(session, inst.id, day),
            walk=frozen_walk(template),
            jurisdiction=jurisdiction,
        )
        session.add(visit)
        session.flush()
        for order, checklist in enumerate(checklists):
            snap = _snapshot(session, checklist)
            ids = [item.id for item in applicable[checklist.id]]
            session.add(
                VisitChecklist(visit_id=visit.id, snapshot_id=snap.id, sort_order=order, applicable_item_ids=ids)
            )
        carried = _carry_over(session, visit)
        session.flush()
        info = _visit_info(session, visit)
    return replace(info, carried_over=carried)


def _answers(session: Session, visit_id: str) -> dict[str, Answer]:
    rows = session.scalars(select(Answer).where(Answer.visit_id == visit_id, Answer.deleted_at.is_(None))).all()
    return {a.item_id: a for a in rows}


def _visit_info(session: Session, visit: Visit) -> VisitInfo:
    return _visit_infos(session, [visit])[0]


# A visit's items (id -> severity, and how many steps) by what determines them: its frozen
# walk and, per checklist row, the snapshot and the applicable item ids. Visits of one
# institution (and of institutions alike) share them, so a list of hundreds of visits
# orders a handful of walks (``visit_steps``, the same rule the visit's screens use).
_SEVERITIES: OrderedDict[tuple[object, ...], tuple[dict[str, str], int]] = OrderedDict()
_SEVERITIES_MAX = 64


def _item_severities(
    session: Session, walk: dict[str, Any] | None, rows: list[tuple[str, tuple[str, ...]]]
) -> tuple[dict[str, str], int]:
    key = (json.dumps(walk, sort_keys=True, ensure_ascii=False), tuple(rows))
    cached = _SEVERITIES.get(key)
    if cached is not None:
        _SEVERITIES.move_to_end(key)
        return cached
    checklists = [_checklist_for(session, sha) for sha, _ids in rows]
    allowed: dict[str, list[str]] = {}
    for checklist, (_sha, applicable) in zip(checklists, rows, strict=True):
        allowed.setdefault(checklist.id, []).extend(applicable)
    steps = visit_steps(checklists, allowed, walk)
    result: tuple[dict[str, str], int] = ({step.item.id: str(step.item.severity) for step in steps}, len(steps))
    _SEVERITIES[key] = result
    while len(_SEVERITIES) > _SEVERITIES_MAX:
        _SEVERITIES.popitem(last=False)
    return result


def _visit_infos(session: Session, visits: Sequence[Visit]) -> list[VisitInfo]:
    """The list rows of many visits from a fixed number of grouped queries (plus one small,
    cached item-table read per visit), never an ORM object per answer: a bureau's home
    screen lists 24 visits × 200 answers per institution.

    Counted as the visit shows them: only answers to the visit's own items (its frozen
    walk), answered = has a result, scored with the item's severity when the answer has none.
    """
    if not visits:
        return []
    ids = [v.id for v in visits]
    frozen: dict[str, list[tuple[str, tuple[str, ...]]]] = {v: [] for v in ids}
    for visit_id, sha, applicable in session.execute(
        select(VisitChecklist.visit_id, ChecklistSnapshot.sha256, VisitChecklist.applicable_item_ids)
        .join(ChecklistSnapshot, ChecklistSnapshot.id == VisitChecklist.snapshot_id)
        .where(VisitChecklist.visit_id.in_(ids), VisitChecklist.deleted_at.is_(None))
        .order_by(VisitChecklist.sort_order)
    ):
        frozen[visit_id].append((sha, tuple(applicable or ())))
    item_severity = {v.id: _item_severities(session, v.walk, frozen[v.id]) for v in visits}
    pairs: dict[str, list[tuple[str | None, str]]] = {v: [] for v in ids}
    for visit_id, item_id, result, severity in session.execute(
        select(Answer.visit_id, Answer.item_id, Answer.result, Answer.severity)
        .where(Answer.visit_id.in_(ids), Answer.deleted_at.is_(None), Answer.result.is_not(None))
    ):
        own = item_severity[visit_id][0]
        if item_id in own:
            pairs[visit_id].append((result, severity or own[item_id]))
    # A carried-over finding has no rectification of its own: it re-checks the original's,
    # which still counts as open in this visit.
    open_rect: dict[str, int] = {
        visit_id: int(count)
        for visit_id, count in session.execute(
            select(Finding.visit_id, func.count(Rectification.id))
            .join(Finding, Rectification.finding_id == func.coalesce(Finding.carried_from_id, Finding.id))
            .where(
                Finding.visit_id.in_(ids),
                Finding.deleted_at.is_(None),
                Rectification.deleted_at.is_(None),
                Rectification.status.in_(OPEN_STATUSES),
            )
            .group_by(Finding.visit_id)
        )
    }
    amendments: dict[str, list[AmendmentInfo]] = {v: [] for v in ids}
    for row in session.scalars(
        select(VisitAmendment)
        .where(VisitAmendment.visit_id.in_(ids), VisitAmendment.deleted_at.is_(None))
        .order_by(VisitAmendment.at)
    ):
        amendments[row.visit_id].append(_amendment_info(row))
    return [
        VisitInfo(
            id=visit.id,
            institution_id=visit.institution_id,
            institution_name=visit.institution.name,
            mode=visit.mode,
            inspector=visit.inspector,
            visit_date=visit.visit_date,
            status=visit.status,
            report_number=visit.report_number,
            checklist_ids=[_checklist_for(session, sha).id for sha, _ids in frozen[visit.id]],
            item_count=item_severity[visit.id][1],
            answered_count=len(pairs[visit.id]),
            score=score_answers(pairs[visit.id]),
            open_rectifications=open_rect.get(visit.id, 0),
            finalized_at=visit.finalized_at,
            amendments=tuple(amendments[visit.id]),
            template_id=str((visit.walk or {}).get("template") or ""),
            binding_only=bool((visit.jurisdiction or {}).get("binding_only")),
        )
        for visit in visits
    ]


def _amendment_info(row: VisitAmendment) -> AmendmentInfo:
    return AmendmentInfo(id=row.id, visit_id=row.visit_id, reason=row.reason, actor=row.actor, at=row.at)


def get_visit(db: Database, ref: str) -> VisitInfo:
    with db.session() as session:
        return _visit_info(session, require_visit(session, ref))


def list_visits(db: Database, *, institution: str | None = None) -> list[VisitInfo]:
    with db.session() as session:
        query = select(Visit).where(Visit.deleted_at.is_(None))
        if institution:
            query = query.where(Visit.institution_id == require_institution(session, institution).id)
        visits = session.scalars(
            query.options(joinedload(Visit.institution)).order_by(Visit.visit_date.desc(), Visit.started_at.desc())
        ).all()
        return _visit_infos(session, visits)


def _answer_info(session: Session, answer: Answer) -> AnswerInfo:
    return _answer_infos(session, [answer])[answer.id]


def _answer_infos(session: Session, answers: Sequence[Answer]) -> dict[str, AnswerInfo]:
    """:class:`AnswerInfo` of many answers (answer id -> info) from two queries: a visit's
    screen and reports show every answer, one query per answer cost seconds on a large visit."""
    if not answers:
        return {}
    ids = [a.id for a in answers]
    findings: dict[str, str] = {}
    for start in range(0, len(ids), _INFO_CHUNK):  # bound the IN list
        rows = session.execute(
            select(Finding.answer_id, Finding.id).where(
                Finding.answer_id.in_(ids[start:start + _INFO_CHUNK]), Finding.deleted_at.is_(None)
            )
        )
        findings.update((answer_id, finding_id) for answer_id, finding_id in rows if answer_id)
    held = session.scalars(  # departments into the identity map for department_name (held while used)
        select(Department).where(Department.id.in_({a.department_id for a in answers if a.department_id}))
    ).all()
    infos = {answer.id: _answer_row(session, answer, findings.get(answer.id)) for answer in answers}
    del held
    return infos


def _answer_row(session: Session, answer: Answer, finding_id: str | None) -> AnswerInfo:
    return AnswerInfo(
        visit_id=answer.visit_id,
        item_id=answer.item_id,
        checklist_id=answer.checklist_id,
        result=answer.result,
        value=answer.value,
        note=answer.note,
        severity=answer.severity,
        department=department_name(session, answer.department_id),
        finding_id=finding_id,
        answered_at=answer.answered_at,
        updated_at=answer.updated_at,
    )


_UNREAD: Any = object()  # "not looked up yet" (None means "looked up: there is none")


def ensure_answer(
    session: Session,
    visit: Visit,
    item_id: str,
    found: tuple[str, Section, Item] | None = None,
    existing: Answer | None = _UNREAD,
) -> Answer:
    """The answer row of ``item_id`` in ``visit``, created empty if the item is unanswered.

    Photos and pins can attach to an item before it is answered. ``existing``: the row
    (or None) when the caller has already read it, so it is not read twice.
    """
    checklist_id, _section, item = found or _find_item(session, visit, item_id)
    answer = (
        session.scalar(select(Answer).where(Answer.visit_id == visit.id, Answer.item_id == item_id))
        if existing is _UNREAD else existing
    )
    if answer is None:
        answer = Answer(visit_id=visit.id, item_id=item_id, checklist_id=checklist_id, severity=item.severity)
        session.add(answer)
        session.flush()
    elif answer.deleted_at is not None:
        answer.deleted_at = None
    return answer


def _next_seq(session: Session, visit_id: str) -> int:
    return (session.scalar(select(func.max(Finding.seq)).where(Finding.visit_id == visit_id)) or 0) + 1


def _actor(session: Session) -> str:
    return str(session.info.get("actor", ""))


def check_fresh(current: datetime | None, expected: datetime | None, what: Term) -> None:
    """Refuse to overwrite a record that changed since the caller showed it.

    ``expected`` is the ``updated_at`` the caller read; None means the caller does not
    ask for the check (scripts that mean to overwrite). The GUI always passes it, so a
    command run while the window is open is never silently undone by the window.
    """
    if expected is not None and current is not None and current != expected:
        raise StaleEditError("record.changed_elsewhere", what=what, at=current.astimezone().strftime("%H:%M:%S"))


def _open_rectification(session: Session, finding: Finding, *, new_finding: bool = False) -> Rectification:
    """The finding's rectification, opened (with its "create" event) or revived.

    ``new_finding``: the finding was created in this transaction, so it has none yet.
    """
    rect = None if new_finding else session.scalar(select(Rectification).where(Rectification.finding_id == finding.id))
    if rect is None:
        rect = Rectification(finding_id=finding.id, department_id=finding.department_id, status="open")
        session.add(rect)
        session.flush()
        session.add(
            RectificationEvent(
                rectification_id=rect.id, status_from=None, status_to="open", action="create", actor=_actor(session)
            )
        )
    elif rect.deleted_at is not None:
        rect.deleted_at = None
    return rect


def source_finding(session: Session, finding: Finding) -> Finding:
    """The finding a rectification belongs to: a carried-over copy points to its original."""
    seen: set[str] = set()
    while finding.carried_from_id and finding.id not in seen:
        seen.add(finding.id)
        original = session.get(Finding, finding.carried_from_id)
        if original is None:
            break
        finding = original
    return finding


def assign_department(session: Session, finding: Finding, department_id: str | None) -> None:
    """Make ``department_id`` the responsible department of a problem, everywhere at once.

    The answer, the finding, its carried-over copies and the rectification always name
    the same department — the one the user chose last, wherever they chose it — and a
    change after the rectification exists is written to its history.
    """
    original = source_finding(session, finding)
    rect = session.scalar(
        select(Rectification).where(Rectification.finding_id == original.id, Rectification.deleted_at.is_(None))
    )
    copies = session.scalars(select(Finding).where(Finding.carried_from_id == original.id)).all()
    for row in (original, *copies):
        if row.department_id != department_id:
            row.department_id = department_id
        if row.answer_id:
            answer = session.get(Answer, row.answer_id)
            if answer is not None and answer.department_id != department_id:
                answer.department_id = department_id
    if rect is not None and rect.department_id != department_id:
        before = department_name(session, rect.department_id)
        rect.department_id = department_id
        session.add(
            RectificationEvent(
                rectification_id=rect.id,
                status_from=rect.status,
                status_to=rect.status,
                action="reassign",
                note=f"{before or '—'} → {department_name(session, department_id) or '—'}",
                actor=_actor(session),
            )
        )


def _sync_finding(
    session: Session, visit: Visit, answer: Answer, item: Item, area: str, writes: _AnswerWrites | None = None
) -> None:
    """Keep the finding of an answer in step with its result (one finding per nonconformity).

    ``writes``: the lookups of a batch of answers to the same visit (see :class:`_AnswerWrites`).
    """
    writes = writes or _AnswerWrites(session, visit)
    finding = writes.finding_of(answer)
    if answer.result == "nonconform":
        text = answer.note.strip() or item.problem_statement("zh_CN")
        if finding is None:
            finding = Finding(
                visit_id=visit.id,
                answer_id=answer.id,
                item_id=answer.item_id,
                source="checklist",
                text=text,
                area=area,
                severity=answer.severity,
                department_id=answer.department_id,
                seq=writes.next_seq(),
            )
            session.add(finding)
            session.flush()
            writes.added_finding(answer, finding)
            _open_rectification(session, finding, new_finding=True)
            # Nothing to align: the new finding, its rectification and the answer already
            # name the answer's department, and nothing was carried over from it yet.
            session.flush()
            return
        finding.deleted_at = None
        finding.text = text
        finding.severity = answer.severity
        _open_rectification(session, finding)
        session.flush()
        assign_department(session, finding, answer.department_id)
    elif finding is not None and finding.deleted_at is None:
        now = utcnow()
        finding.deleted_at = now
        rect = session.scalar(select(Rectification).where(Rectification.finding_id == finding.id))
        if rect is not None:
            rect.deleted_at = now


def realign_finding(session: Session, answer: Answer) -> None:
    """Bring an answer's finding in line with its result, as answering the item would.

    For writers that set an answer's fields directly (sync's conflict resolution keeping
    one side's value): a nonconformity gets its finding (reopened), anything else
    withdraws it. An answer whose item is not in the visit's checklists (a hand-made
    record) leaves the findings alone.
    """
    visit = session.get(Visit, answer.visit_id)
    if visit is None or answer.deleted_at is not None:
        return
    try:
        _checklist, section, item = _find_item(session, visit, answer.item_id)
    except NotFoundError:
        return
    _sync_finding(session, visit, answer, item, section.title)


def _amendment(session: Session, visit: Visit, reason: str) -> VisitAmendment:
    """The open amendment of a finalized visit for ``reason``, recorded on first use."""
    reason = reason.strip()
    if not reason:
        raise InvalidInputError("visit.amendment_reason_missing")
    row = session.scalar(
        select(VisitAmendment).where(
            VisitAmendment.visit_id == visit.id, VisitAmendment.reason == reason, VisitAmendment.deleted_at.is_(None)
        )
    )
    if row is None:
        row = VisitAmendment(visit_id=visit.id, reason=reason, actor=_actor(session), at=utcnow())
        session.add(row)
    visit.amended_at = utcnow()
    set_reason(session, f"amendment: {reason}")
    return row


def _editable(session: Session, visit: Visit, *, amend: bool, reason: str) -> None:
    """In-progress visits are editable; a finalized one only through an amendment with a reason."""
    ensure_editable(visit, amend=amend)
    if visit.status == "finalized":
        _amendment(session, visit, reason)


def begin_amendment(db: Database, visit_ref: str, reason: str) -> AmendmentInfo:
    """Open a finalized visit for changes, giving the reason once (修改（需说明原因）).

    Later edits pass ``amend=True`` with the same reason; each is logged with it, and the
    visit shows as amended in lists and reports.
    """
    with db.session() as session:
        visit = require_visit(session, visit_ref)
        if visit.status != "finalized":
            raise InvalidInputError("visit.not_finalized", visit=visit.report_number or visit.id[:8])
        row = _amendment(session, visit, reason)
        session.flush()
        return _amendment_info(row)


@dataclass(frozen=True)
class AnswerInput:
    """One answer for :func:`answer_items`: the same fields as :func:`answer_item` takes."""

    item_id: str
    result: str | None = None
    value: str | float | None = None
    note: str | None = None
    severity: str | None = None
    department: str | None = None


def answer_item(
    db: Database,
    visit_ref: str,
    item_id: str,
    *,
    result: str | None = None,
    value: str | float | None = None,
    note: str | None = None,
    severity: str | None = None,
    department: str | None = None,
    amend: bool = False,
    reason: str = "",
    expected_updated_at: datetime | None = None,
) -> AnswerInfo:
    """Record (or change) the answer to one item; committed at once.

    For number and duration items a value alone is enough: the result follows from the
    item's target. A nonconforming answer opens a finding and its rectification; changing
    the answer back withdraws them (as tombstones, so sync and undo keep working).
    The department chosen here becomes the problem's responsible department everywhere.
    """
    given = AnswerInput(item_id, result=result, value=value, note=note, severity=severity, department=department)
    _check_answer_choices(given)
    with db.session() as session:
        visit = require_visit(session, visit_ref)
        _editable(session, visit, amend=amend, reason=reason)
        answer = _record_answer(session, visit, given, expected_updated_at, _AnswerWrites(session, visit))
        return _answer_info(session, answer)


def answer_items(
    db: Database, visit_ref: str, answers: Sequence[AnswerInput], *, amend: bool = False, reason: str = ""
) -> int:
    """Record many answers in one transaction (all or none), by the rules of :func:`answer_item`.

    For work that answers a whole visit at once (demo data, bulk entry): one commit instead
    of one per item. Returns how many answers were recorded.
    """
    for given in answers:
        _check_answer_choices(given)
    with db.session() as session:
        visit = require_visit(session, visit_ref)
        _editable(session, visit, amend=amend, reason=reason)
        writes = _AnswerWrites(session, visit, many=True)
        for given in answers:
            _record_answer(session, visit, given, None, writes)
        return len(answers)


def _check_answer_choices(given: AnswerInput) -> None:
    if given.result is not None:
        check_choice(given.result, ANSWER_RESULTS, "result")
    if given.severity is not None:
        check_choice(given.severity, SEVERITIES, "severity")


class _AnswerWrites:
    """What answering items of one visit reads, read once per transaction instead of per answer.

    Answering a whole visit (demo data, bulk entry) wrote ~200 answers, each reading the
    visit's item table, its answer row (twice), its finding, its department and the next
    finding number. Within one transaction only this writer creates the visit's answers
    and findings, so what it read stays true once it records what it creates. ``many``:
    read the visit's answers and their findings in one query each up front (a single
    answer reads just its own).
    """

    def __init__(self, session: Session, visit: Visit, *, many: bool = False) -> None:
        self.session = session
        self.visit = visit
        self._table: _ItemTable | None = None
        self._answers: dict[str, Answer] | None = None
        self._findings: dict[str, Finding] | None = None
        self._departments: dict[str, Department | None] = {}
        self._seq: int | None = None
        if many:
            self._answers = {}
            for row in session.scalars(select(Answer).where(Answer.visit_id == visit.id)):
                self._answers.setdefault(row.item_id, row)
            self._findings = {}
            answer_ids = select(Answer.id).where(Answer.visit_id == visit.id)
            for finding in session.scalars(select(Finding).where(Finding.answer_id.in_(answer_ids))):
                assert finding.answer_id is not None
                self._findings.setdefault(finding.answer_id, finding)

    def find_item(self, item_id: str) -> tuple[str, Section, Item]:
        if self._table is None:
            self._table = _visit_item_table(self.session, self.visit)
        step = _step_in(self._table, self.visit, item_id)
        return step.checklist.id, step.section, step.item

    def answer(self, item_id: str) -> Answer | None:
        if self._answers is None:
            return self.session.scalar(select(Answer).where(Answer.visit_id == self.visit.id, Answer.item_id == item_id))
        return self._answers.get(item_id)

    def added_answer(self, answer: Answer) -> None:
        if self._answers is not None:
            self._answers.setdefault(answer.item_id, answer)

    def finding_of(self, answer: Answer) -> Finding | None:
        if self._findings is None:
            return self.session.scalar(select(Finding).where(Finding.answer_id == answer.id))
        return self._findings.get(answer.id)

    def added_finding(self, answer: Answer, finding: Finding) -> None:
        if self._findings is not None:
            self._findings[answer.id] = finding
        self._seq = (finding.seq or 0) + 1

    def next_seq(self) -> int:
        if self._seq is None:
            self._seq = _next_seq(self.session, self.visit.id)
        return self._seq

    def department(self, name: str) -> Department | None:
        """The department called ``name`` (created on first use), as ``ensure_department`` gives it.

        Flushes first whenever ``ensure_department`` would query (autoflush), so the
        change log records the answer's edits in the same steps whether or not it is asked.
        """
        key = name.strip()
        if not key:
            return None
        self.session.flush()
        if key not in self._departments:
            self._departments[key] = ensure_department(self.session, self.visit.institution_id, name)
        dept = self._departments[key]
        if dept is not None and dept.deleted_at is not None:
            dept.deleted_at = None
        return dept


def _record_answer(
    session: Session,
    visit: Visit,
    given: AnswerInput,
    expected_updated_at: datetime | None,
    writes: _AnswerWrites | None = None,
) -> Answer:
    """The one place an answer is written: value → result, department, finding and rectification."""
    writes = writes or _AnswerWrites(session, visit)
    item_id, result, value = given.item_id, given.result, given.value
    found = writes.find_item(item_id)
    _checklist_id, section, item = found
    existing = writes.answer(item_id)
    if existing is not None and existing.deleted_at is None:
        check_fresh(existing.updated_at, expected_updated_at, Term("record", "answer"))
    answer = ensure_answer(session, visit, item_id, found, existing)
    writes.added_answer(answer)
    if value is not None:
        answer.value = item.response.validate_value(value, item=item_id) or ""
        if result is None:
            try:
                result = item.response.evaluate(value)
            except ValueError as exc:
                raise InvalidInputError("answer.bad_value", value=value, item=item_id, detail=str(exc)) from exc
    if result is not None:
        answer.result = result
    if given.note is not None:
        answer.note = given.note
    if given.severity is not None:
        answer.severity = given.severity
    if given.department is not None:
        dept = writes.department(given.department)
        answer.department_id = dept.id if dept else None
    elif answer.department_id is None and item.department:
        dept = writes.department(item.department)
        answer.department_id = dept.id if dept else None
    answer.answered_at = utcnow()
    session.flush()
    _sync_finding(session, visit, answer, item, section.title, writes)
    session.flush()
    return answer


def clear_answer(
    db: Database,
    visit_ref: str,
    item_id: str,
    *,
    amend: bool = False,
    reason: str = "",
    expected_updated_at: datetime | None = None,
) -> None:
    """Back to unanswered (used by undo): the answer and any finding become tombstones.

    Like ``answer_item``, refuses (StaleEditError) when the answer changed since the
    caller read ``expected_updated_at``: an undo must not wipe a newer answer.
    """
    with db.session() as session:
        visit = require_visit(session, visit_ref)
        _editable(session, visit, amend=amend, reason=reason)
        _checklist_id, section, item = _find_item(session, visit, item_id)
        answer = session.scalar(select(Answer).where(Answer.visit_id == visit.id, Answer.item_id == item_id))
        if answer is None or answer.deleted_at is not None:
            return
        check_fresh(answer.updated_at, expected_updated_at, Term("record", "answer"))
        answer.result = None
        _sync_finding(session, visit, answer, item, section.title)
        answer.deleted_at = utcnow()


def add_finding(
    db: Database,
    visit_ref: str,
    *,
    text: str,
    area: str = "",
    severity: str = "minor",
    department: str | None = None,
    source: str = "free",
    item_id: str | None = None,
    basis: list[dict[str, str]] | None = None,
    amend: bool = False,
    reason: str = "",
) -> FindingInfo:
    """A free finding (其他问题): something wrong that no checklist item covers.

    Timed waits over their target and faulty AEDs become findings the same way, with
    ``source`` saying where they came from and ``basis`` the clause they break.
    """
    if not text.strip():
        raise InvalidInputError("finding.text_missing")
    check_choice(severity, SEVERITIES, "severity")
    with db.session() as session:
        visit = require_visit(session, visit_ref)
        _editable(session, visit, amend=amend, reason=reason)
        dept = ensure_department(session, visit.institution_id, department)
        finding = Finding(
            visit_id=visit.id,
            source=source,
            item_id=item_id,
            text=text.strip(),
            area=area.strip(),
            severity=severity,
            department_id=dept.id if dept else None,
            seq=_next_seq(session, visit.id),
            basis=list(basis or []),
        )
        session.add(finding)
        session.flush()
        _open_rectification(session, finding, new_finding=True)
        session.flush()
        return finding_info(session, finding)


def _free_finding(session: Session, finding_ref: str) -> tuple[Finding, Visit]:
    finding = require_finding(session, finding_ref)
    visit = session.get(Visit, finding.visit_id)
    assert visit is not None
    if finding.answer_id is not None:
        raise InvalidInputError("finding.from_answer", item=finding.item_id or "")
    if finding.carried_from_id is not None:
        raise InvalidInputError("finding.carried_copy")
    return finding, visit


def update_finding(
    db: Database,
    finding_ref: str,
    *,
    text: str | None = None,
    area: str | None = None,
    severity: str | None = None,
    department: str | None = None,
    amend: bool = False,
    reason: str = "",
    expected_updated_at: datetime | None = None,
) -> FindingInfo:
    """Correct a free finding (其他问题): its description, area, severity or department.

    A finding that comes from a nonconforming answer is changed through the answer.
    """
    if severity is not None:
        check_choice(severity, SEVERITIES, "severity")
    if text is not None and not text.strip():
        raise InvalidInputError("finding.text_missing")
    with db.session() as session:
        finding, visit = _free_finding(session, finding_ref)
        _editable(session, visit, amend=amend, reason=reason)
        check_fresh(finding.updated_at, expected_updated_at, Term("record", "finding"))
        if text is not None:
            finding.text = text.strip()
        if area is not None:
            finding.area = area.strip()
        if severity is not None:
            finding.severity = severity
        if department is not None:
            dept = ensure_department(session, visit.institution_id, department)
            assign_department(session, finding, dept.id if dept else None)
        session.flush()
        return finding_info(session, finding)


def delete_finding(db: Database, finding_ref: str, *, amend: bool = False, reason: str = "") -> None:
    """Withdraw a free finding (tombstone, with its rectification and photos' links kept for restore)."""
    with db.session() as session:
        finding, visit = _free_finding(session, finding_ref)
        _editable(session, visit, amend=amend, reason=reason)
        now = utcnow()
        finding.deleted_at = now
        if finding.rectification is not None:
            finding.rectification.deleted_at = now
        for copy in session.scalars(
            select(Finding).where(Finding.carried_from_id == finding.id, Finding.deleted_at.is_(None))
        ):
            copy.deleted_at = now


def restore_finding(db: Database, finding_id: str) -> FindingInfo:
    """Bring back a deleted free finding (undo of a delete) with what was deleted with it."""
    with db.session() as session:
        finding = session.get(Finding, finding_id)
        if finding is None or finding.deleted_at is None:
            raise NotFoundError("finding.not_deleted", ref=finding_id[:8])
        visit = session.get(Visit, finding.visit_id)
        assert visit is not None
        ensure_editable(visit)
        when = finding.deleted_at
        finding.deleted_at = None
        rect = session.scalar(select(Rectification).where(Rectification.finding_id == finding.id))
        if rect is not None and rect.deleted_at == when:
            rect.deleted_at = None
        for copy in session.scalars(select(Finding).where(Finding.carried_from_id == finding.id)):
            if copy.deleted_at == when:
                copy.deleted_at = None
        session.flush()
        return finding_info(session, finding)


def after_photo_count(session: Session, rect_id: str) -> int:
    return session.scalar(
        select(func.count(Photo.id)).where(
            Photo.rectification_id == rect_id, Photo.kind == "after", Photo.deleted_at.is_(None)
        )
    ) or 0


def rectification_info(
    session: Session, rect: Rectification, today: date | None = None, *, after_photos: int | None = None
) -> RectificationInfo:
    """``after_photos``: the count when the caller read it for many rectifications at once."""
    today = today or date.today()
    return RectificationInfo(
        id=rect.id,
        finding_id=rect.finding_id,
        department=department_name(session, rect.department_id),
        owner=rect.owner,
        deadline=rect.deadline,
        measures=rect.measures,
        status=rect.status,
        verified_at=rect.verified_at,
        overdue=is_overdue(rect, today),
        rounds=rect.rounds,
        requested_deadline=rect.requested_deadline,
        extension_reason=rect.extension_reason,
        verification_note=rect.verification_note,
        closed_at=rect.closed_at,
        after_photo_count=after_photo_count(session, rect.id) if after_photos is None else after_photos,
        updated_at=rect.updated_at,
        completion=rect.completion or "",
        completed_on=rect.completed_on,
        ledger_receipt=rect.ledger_receipt or "",
    )


ItemIndex = dict[str, tuple[str, Section, Item]]


def item_index(session: Session, visit_id: str, cache: dict[str, ItemIndex] | None = None) -> ItemIndex:
    if cache is not None and visit_id in cache:
        return cache[visit_id]
    visit = session.get(Visit, visit_id)
    index = {item.id: (cid, section, item) for cid, section, item in _visit_items(session, visit)} if visit else {}
    if cache is not None:
        cache[visit_id] = index
    return index


_Pin = tuple[str | None, str | None, PinnedPlace]  # (finding id, answer id, place), by creation time


def _pins(session: Session, finding_ids: set[str], answer_ids: set[str]) -> list[_Pin]:
    condition: ColumnElement[bool] = MapPin.finding_id.in_(finding_ids)
    if answer_ids:
        condition = condition | MapPin.answer_id.in_(answer_ids)
    rows = session.execute(
        select(MapPin, FloorPlan)
        .join(FloorPlan, FloorPlan.id == MapPin.floor_plan_id)
        .where(condition, MapPin.deleted_at.is_(None), FloorPlan.deleted_at.is_(None))
        .order_by(MapPin.created_at)
    ).all()
    return [
        (pin.finding_id, pin.answer_id, PinnedPlace(plan_id=plan.id, plan_name=plan.name, floor=plan.floor, pin_label=pin.label))
        for pin, plan in rows
    ]


def _places_of(pins: list[_Pin], finding_ids: list[str], answer_ids: list[str]) -> tuple[PinnedPlace, ...]:
    """The pins of a finding (or the one it re-checks) or of their answers, oldest first."""
    return tuple(place for fid, aid, place in pins if fid in finding_ids or (aid is not None and aid in answer_ids))


def finding_info(
    session: Session,
    finding: Finding,
    *,
    today: date | None = None,
    items: dict[str, ItemIndex] | None = None,
    language: str | None = None,
) -> FindingInfo:
    """A finding as every screen and report shows it: what to fix, measured against what, where.

    A carried-over finding shows the rectification, statement, value and pins of the
    finding it re-checks. ``items`` caches the visits' item indexes across calls.
    """
    return finding_infos(session, [finding], today=today, items=items, language=language)[0]


_INFO_CHUNK = 500


def finding_infos(
    session: Session,
    findings: Sequence[Finding],
    *,
    today: date | None = None,
    items: dict[str, ItemIndex] | None = None,
    language: str | None = None,
) -> list[FindingInfo]:
    """:func:`finding_info` of many findings from a fixed number of queries (the ledger lists
    thousands): originals, rectifications, photos, answers, departments, after-photos and
    pins are each read once for all of them, then every row is built by the same code.
    """
    language = language or current_language()
    items = {} if items is None else items
    if not findings:
        return []
    if len(findings) > _INFO_CHUNK:  # bound the IN lists (SQLite allows 32,766 parameters)
        return [
            info
            for start in range(0, len(findings), _INFO_CHUNK)
            for info in finding_infos(
                session, findings[start:start + _INFO_CHUNK], today=today, items=items, language=language
            )
        ]
    batch = _FindingBatch.read(session, findings)
    return [
        _batched_finding_info(session, finding, original, batch, today=today, items=items, language=language)
        for finding, original in zip(findings, batch.originals, strict=True)
    ]


@dataclass
class _FindingBatch:
    """What :func:`finding_infos` reads once for a batch of findings, keyed for the row builder.

    ``held`` keeps what was read referenced while rows are built: the session's identity map
    is weak, and the row builder looks originals and departments up there.
    """

    originals: list[Finding]
    rects: dict[str, Rectification]
    photos_by_finding: dict[str, set[str]]
    photos_by_answer: dict[str, set[str]]
    answers: dict[str, Answer]
    after_photos: dict[str | None, int]
    pins: list[_Pin]
    held: list[object]

    @classmethod
    def read(cls, session: Session, findings: Sequence[Finding]) -> _FindingBatch:
        held = _load_originals(session, findings)
        originals = [source_finding(session, f) for f in findings]  # from the identity map now
        rects = {
            r.finding_id: r
            for r in session.scalars(
                select(Rectification).where(
                    Rectification.finding_id.in_({o.id for o in originals}), Rectification.deleted_at.is_(None)
                )
            )
        }
        answer_ids = {a for f, o in zip(findings, originals, strict=True) for a in (f.answer_id, o.answer_id) if a}
        finding_ids = {f.id for f in findings} | {o.id for o in originals}
        by_finding, by_answer = _photo_ids(session, finding_ids, answer_ids)
        answers = (
            {a.id: a for a in session.scalars(select(Answer).where(Answer.id.in_(answer_ids)))} if answer_ids else {}
        )
        dept_ids = {f.department_id for f in findings} | {r.department_id for r in rects.values()}
        held.extend(session.scalars(select(Department).where(Department.id.in_({d for d in dept_ids if d}))).all())
        after = dict(
            session.execute(
                select(Photo.rectification_id, func.count(Photo.id))
                .where(
                    Photo.rectification_id.in_({r.id for r in rects.values()}),
                    Photo.kind == "after",
                    Photo.deleted_at.is_(None),
                )
                .group_by(Photo.rectification_id)
            ).all()
        )
        pins = _pins(session, finding_ids, answer_ids)
        return cls(originals, rects, by_finding, by_answer, answers, after, pins, held)


def _load_originals(session: Session, findings: Sequence[Finding]) -> list[object]:
    """Read the originals of carried-over copies into the session, a generation per query
    (chains are short); returns them, to be held while rows are built."""
    held: list[object] = []
    wanted = {f.carried_from_id for f in findings if f.carried_from_id}
    seen: set[str] = set()
    while wanted - seen:
        batch = wanted - seen
        seen |= batch
        loaded = session.scalars(select(Finding).where(Finding.id.in_(batch))).all()
        held.extend(loaded)
        wanted |= {f.carried_from_id for f in loaded if f.carried_from_id}
    return held


def _photo_ids(
    session: Session, finding_ids: set[str], answer_ids: set[str]
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Live photo ids of the findings and of the answers, in one query."""
    rows = session.execute(
        select(Photo.id, Photo.finding_id, Photo.answer_id).where(
            Photo.deleted_at.is_(None), Photo.finding_id.in_(finding_ids) | Photo.answer_id.in_(answer_ids)
        )
    ).all()
    by_finding: dict[str, set[str]] = {}
    by_answer: dict[str, set[str]] = {}
    for pid, fid, aid in rows:
        if fid:
            by_finding.setdefault(fid, set()).add(pid)
        if aid:
            by_answer.setdefault(aid, set()).add(pid)
    return by_finding, by_answer


def _batched_finding_info(
    session: Session,
    finding: Finding,
    original: Finding,
    batch: _FindingBatch,
    *,
    today: date | None,
    items: dict[str, ItemIndex],
    language: str,
) -> FindingInfo:
    """One row of :func:`finding_infos`, from what the batch read."""
    rect = batch.rects.get(original.id)
    photo_ids = set(batch.photos_by_finding.get(finding.id, ()))
    if finding.answer_id:
        photo_ids |= batch.photos_by_answer.get(finding.answer_id, set())
    answer = batch.answers.get(original.answer_id) if original.answer_id else None
    item = None
    if original.item_id:
        found = item_index(session, original.visit_id, items).get(original.item_id)
        item = found[2] if found else None
    statement, question, measured = _item_words(finding, original, item, answer, language)
    chain = [finding.id] if finding.id == original.id else [finding.id, original.id]
    chain_answers = [a for a in (finding.answer_id, original.answer_id) if a]
    return FindingInfo(
        id=finding.id,
        visit_id=finding.visit_id,
        seq=finding.seq,
        source=finding.source,
        item_id=finding.item_id,
        text=finding.text,
        area=finding.area,
        severity=finding.severity,
        department=department_name(session, finding.department_id),
        carried_from_id=finding.carried_from_id,
        rectification=(
            rectification_info(session, rect, today, after_photos=batch.after_photos.get(rect.id, 0)) if rect else None
        ),
        photo_count=len(photo_ids),
        statement=statement,
        question=question,
        measured=measured,
        location=LocationInfo(area=finding.area, plans=_places_of(batch.pins, chain, chain_answers)),
        basis=tuple(
            {k: str(b.get(k, "")) for k in ("source", "clause", "quote")}
            for b in (original.basis or [])
            if isinstance(b, dict) and b.get("source")
        ),
        updated_at=finding.updated_at,
        origin=_origin(original.basis or []),
    )


def _item_words(
    finding: Finding, original: Finding, item: Item | None, answer: Answer | None, language: str
) -> tuple[str, str, MeasuredInfo | None]:
    """A row's statement, the item's question and the measured value, when it came from an item."""
    statement = finding.text
    if item is None:
        return statement, "", None
    question = item.question_en if language == "en" and item.question_en else item.question
    if original.source == "checklist":
        note = answer.note.strip() if answer is not None else ""
        statement = note or item.problem_statement(language)
    measured = None
    if answer is not None and answer.value.strip() and item.response.type in ("number", "duration"):
        target = item.response.target
        measured = MeasuredInfo(value=answer.value.strip(), unit=item.response.unit,
                                target=target.display() if target else "")
    return statement, question, measured


def _origin(basis: list[dict[str, str]]) -> str:
    for entry in basis:
        if isinstance(entry, dict):
            for key in ("interval", "pin"):
                if entry.get(key):
                    return f"{key}:{entry[key]}"
    return ""


def walk_items(db: Database, ref: str) -> list[Item]:
    """The visit's items in walk order, as :func:`visit_detail` lists them, without reading
    answers, scores and findings (for writers that answer a whole visit, e.g. demo data)."""
    with db.session() as session:
        return [step.item for step in _visit_steps(session, require_visit(session, ref))]


def visit_detail(db: Database, ref: str) -> VisitDetail:
    """Everything about a visit that the runner screen, `visit show` and reports need."""
    with db.session() as session:
        visit = require_visit(session, ref)
        info = _visit_info(session, visit)
        inst = institution_info(session.get(Institution, visit.institution_id))  # type: ignore[arg-type]
        answers = _answers(session, visit.id)
        photo_counts = dict(
            session.execute(
                select(Photo.answer_id, func.count(Photo.id))
                .where(Photo.visit_id == visit.id, Photo.deleted_at.is_(None), Photo.answer_id.is_not(None))
                .group_by(Photo.answer_id)
            ).all()
        )
        views: list[ItemView] = []
        by_section: dict[tuple[str, str], list[tuple[str | None, str]]] = {}
        titles: dict[tuple[str, str], str] = {}
        steps = _visit_steps(session, visit)
        visit_items = [(step.checklist.id, step.section, step.item) for step in steps]
        bindings = visit_jurisdiction(session, visit)
        answer_infos = _answer_infos(session, list(answers.values()))
        for step in steps:
            checklist_id, section, item = step.checklist.id, step.section, step.item
            answer = answers.get(item.id)
            views.append(
                _item_view(step, bindings, answer_infos[answer.id] if answer else None,
                           photo_counts.get(answer.id, 0) if answer else 0)
            )
            key = (checklist_id, section.id)
            titles[key] = section.title
            by_section.setdefault(key, []).append(
                (answer.result if answer else None, answer.severity if answer else item.severity)
            )
        sections = [
            SectionScore(checklist_id=k[0], section_id=k[1], title=titles[k], score=score_answers(v))
            for k, v in by_section.items()
        ]
        findings = session.scalars(
            select(Finding).where(Finding.visit_id == visit.id, Finding.deleted_at.is_(None)).order_by(Finding.seq)
        ).all()
        cache: dict[str, ItemIndex] = {visit.id: {item.id: (c, s, item) for c, s, item in visit_items}}
        return VisitDetail(
            visit=info,
            institution=inst,
            items=views,
            findings=finding_infos(session, findings, items=cache),
            sections=sections,
            jurisdiction=bindings.info(step.item for step in steps) if bindings.known else None,
        )


def _item_view(step: WalkStep, bindings: VisitJurisdiction, answer: AnswerInfo | None, photo_count: int) -> ItemView:
    return ItemView(
        checklist_id=step.checklist.id,
        section_id=step.section.id,
        section_title=step.section.title,
        item=step.item,
        answer=answer,
        photo_count=photo_count,
        stage_id=step.stage.id,
        stage_title=step.stage.title,
        stage_title_en=step.stage.title_en,
        binding=bindings.binding(step.item),
    )


def item_view(db: Database, ref: str, item_id: str) -> ItemView:
    """One item with its answer: what the runner refreshes after each keypress, without
    reloading the whole visit."""
    with db.session() as session:
        visit = require_visit(session, ref)
        step = _find_step(session, visit, item_id)
        answer = session.scalar(
            select(Answer).where(Answer.visit_id == visit.id, Answer.item_id == item_id, Answer.deleted_at.is_(None))
        )
        photo_count = 0
        if answer is not None:
            photo_count = session.scalar(
                select(func.count(Photo.id)).where(Photo.answer_id == answer.id, Photo.deleted_at.is_(None))
            ) or 0
        return _item_view(step, visit_jurisdiction(session, visit), _answer_info(session, answer) if answer else None,
                          photo_count)




@dataclass(frozen=True)
class FinalizeCheck:
    """What a careful leader looks at before finalizing: the items to go back to."""

    unanswered: tuple[str, ...]
    missing_photo: tuple[str, ...]
    missing_note: tuple[str, ...]

    @property
    def clean(self) -> bool:
        return not (self.unanswered or self.missing_photo or self.missing_note)


def finalize_check(db: Database, ref: str) -> FinalizeCheck:
    """Items that are unanswered, or not met without the required photo or without a note.

    The GUI lists them and lets the user jump to each; finalizing does not wait for them
    (the visit happened as it happened), it reports them.
    """
    detail = visit_detail(db, ref)
    return FinalizeCheck(
        unanswered=tuple(v.item.id for v in detail.items if v.answer is None or v.answer.result is None),
        missing_photo=tuple(v.item.id for v in detail.items if v.needs_photo),
        missing_note=tuple(
            v.item.id
            for v in detail.items
            if v.answer is not None and v.answer.result == "nonconform" and not v.answer.note.strip()
        ),
    )


def finalize_visit(db: Database, ref: str) -> FinalizeResult:
    """Close the visit for editing; later changes are amendments with a reason.

    Unanswered items and nonconformities lacking a required photo or a note do not
    block finalizing but are reported as warnings (``check`` names the items).
    """
    from auditapp.errors import AuditAppError

    check = finalize_check(db, ref)
    notes: list[AuditAppError] = []
    if check.unanswered:
        notes.append(InvalidInputError("finalize.unanswered", count=len(check.unanswered)))
    if check.missing_photo:
        notes.append(InvalidInputError("finalize.missing_photo", count=len(check.missing_photo), items=list(check.missing_photo)))
    if check.missing_note:
        notes.append(InvalidInputError("finalize.missing_note", count=len(check.missing_note), items=list(check.missing_note)))
    with db.session() as session:
        visit = require_visit(session, ref)
        if visit.status == "finalized":
            raise InvalidInputError("visit.already_finalized", visit=visit.report_number or visit.id[:8])
        visit.status = "finalized"
        visit.finalized_at = utcnow()
        session.flush()
        info = _visit_info(session, visit)
    return FinalizeResult(visit=info, warnings=[n.message() for n in notes], check=check)
