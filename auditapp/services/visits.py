"""Visits (体验/检查): starting one, answering items, free findings, finalizing.

A visit freezes the checklists it uses as snapshots, so the questions and citations a
leader answered stay exactly as they were even after the YAML files change.
"""

from __future__ import annotations

from collections import OrderedDict

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from auditapp.checklists import Checklist, Item, Library, Section, checklist_from_snapshot, load_library, snapshot_json
from auditapp.checklists import applicable_items, checklist_applies
from auditapp.db import Database
from auditapp.db.models import (
    ANSWER_RESULTS,
    SEVERITIES,
    VISIT_MODES,
    Answer,
    ChecklistSnapshot,
    Finding,
    Institution,
    Photo,
    Rectification,
    RectificationEvent,
    Visit,
    VisitChecklist,
    utcnow,
)
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.scoring import Score, score_answers
from auditapp.services.common import (
    check_choice,
    department_name,
    ensure_department,
    ensure_editable,
    require_institution,
    require_visit,
    set_reason,
)
from auditapp.services.institutions import OPEN_STATUSES, InstitutionInfo, _info


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


@dataclass(frozen=True)
class FindingInfo:
    id: str
    visit_id: str
    seq: int
    source: str
    item_id: str | None
    text: str
    area: str
    severity: str
    department: str
    carried_from_id: str | None
    rectification: RectificationInfo | None
    photo_count: int = 0


@dataclass(frozen=True)
class ItemView:
    """An item of the visit with its answer, in the order of the patient's path."""

    checklist_id: str
    section_id: str
    section_title: str
    item: Item
    answer: AnswerInfo | None
    photo_count: int = 0

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


@dataclass(frozen=True)
class FinalizeResult:
    visit: VisitInfo
    warnings: list[str]


# Parsed snapshots by content hash. Snapshots never change, so the cache is never stale;
# without it every answer re-read and re-parsed tens of kilobytes of checklist JSON.
_PARSED: OrderedDict[str, Checklist] = OrderedDict()
_PARSED_MAX = 64


def _checklist_for(session: Session, sha256: str) -> Checklist:
    checklist = _PARSED.get(sha256)
    if checklist is None:
        content = session.scalar(select(ChecklistSnapshot.content).where(ChecklistSnapshot.sha256 == sha256))
        if content is None:
            raise NotFoundError(f"checklist snapshot {sha256[:12]} is missing from the database")
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


def _visit_items(session: Session, visit: Visit) -> list[tuple[str, Section, Item]]:
    out: list[tuple[str, Section, Item]] = []
    for vc, checklist in _visit_checklists(session, visit):
        allowed = set(vc.applicable_item_ids)
        for section, item in checklist.items():
            if item.id in allowed:
                out.append((checklist.id, section, item))
    return out


def _find_item(session: Session, visit: Visit, item_id: str) -> tuple[str, Section, Item]:
    for checklist_id, section, item in _visit_items(session, visit):
        if item.id == item_id:
            return checklist_id, section, item
    raise NotFoundError(
        f"item {item_id!r} is not part of visit {visit.id[:8]}",
        hint="'auditapp visit show VISIT' lists the visit's items; an item that does not apply to this institution is not included.",
    )


def _next_report_number(session: Session, institution_id: str, visit_date: date) -> str:
    prefix = f"{visit_date.year}-"
    count = session.scalar(
        select(func.count(Visit.id)).where(
            Visit.institution_id == institution_id, Visit.report_number.startswith(prefix)
        )
    )
    return f"{visit_date.year}-{visit_date.month:02d}-{(count or 0) + 1:03d}"


def _snapshot(session: Session, checklist: Checklist) -> ChecklistSnapshot:
    content, sha = snapshot_json(checklist)
    snap = session.scalar(select(ChecklistSnapshot).where(ChecklistSnapshot.sha256 == sha))
    if snap is None:
        snap = ChecklistSnapshot(
            checklist_id=checklist.id, version=checklist.version, title=checklist.title, sha256=sha, content=content
        )
        session.add(snap)
        session.flush()
    return snap


def _choose_checklists(library: Library, inst: InstitutionInfo, requested: list[str] | None) -> list[Checklist]:
    if requested:
        chosen = [library.get(cid) for cid in requested]
        for checklist in chosen:
            if not checklist_applies(checklist, inst.profile):
                raise InvalidInputError(
                    f"checklist {checklist.id!r} does not apply to {inst.name} ({inst.kind})",
                    hint="'auditapp checklists list' shows which kinds each checklist is for.",
                )
        return chosen
    template = library.default_template_for(inst.profile)
    if template is not None:
        return [library.get(cid) for cid in template.checklists]
    return [c for c in library.checklists.values() if checklist_applies(c, inst.profile)]


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
) -> VisitInfo:
    """Start a visit: snapshot the checklists, freeze the applicable items, carry over open items."""
    check_choice(mode, VISIT_MODES, "visit mode")
    if not inspector.strip():
        raise InvalidInputError("the visit needs an inspector name", hint="Give --inspector NAME.")
    library = library or load_library()
    with db.session() as session:
        inst_row = require_institution(session, institution)
        inst = _info(inst_row)
        checklists = _choose_checklists(library, inst, checklist_ids)
        if not checklists:
            raise InvalidInputError(f"no checklist applies to {inst.name}")
        day = visit_date or date.today()
        visit = Visit(
            institution_id=inst.id,
            mode=mode,
            inspector=inspector.strip(),
            title=title.strip(),
            visit_date=day,
            started_at=utcnow(),
            status="in_progress",
            report_number=_next_report_number(session, inst.id, day),
        )
        session.add(visit)
        session.flush()
        for order, checklist in enumerate(checklists):
            snap = _snapshot(session, checklist)
            ids = [item.id for _section, item in applicable_items(checklist, inst.profile)]
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
    items = _visit_items(session, visit)
    item_ids = {item.id for _c, _s, item in items}
    answers = [a for a in _answers(session, visit.id).values() if a.item_id in item_ids]
    open_rect = session.scalar(
        select(func.count(Rectification.id))
        .join(Finding, Finding.id == Rectification.finding_id)
        .where(
            Finding.visit_id == visit.id,
            Finding.deleted_at.is_(None),
            Rectification.deleted_at.is_(None),
            Rectification.status.in_(OPEN_STATUSES),
        )
    )
    severity_of = {item.id: item.severity for _c, _s, item in items}
    return VisitInfo(
        id=visit.id,
        institution_id=visit.institution_id,
        institution_name=visit.institution.name,
        mode=visit.mode,
        inspector=visit.inspector,
        visit_date=visit.visit_date,
        status=visit.status,
        report_number=visit.report_number,
        checklist_ids=[c.id for _vc, c in _visit_checklists(session, visit)],
        item_count=len(items),
        answered_count=sum(1 for a in answers if a.result is not None),
        score=score_answers((a.result, a.severity or severity_of.get(a.item_id, "minor")) for a in answers),
        open_rectifications=open_rect or 0,
        finalized_at=visit.finalized_at,
    )


def get_visit(db: Database, ref: str) -> VisitInfo:
    with db.session() as session:
        return _visit_info(session, require_visit(session, ref))


def list_visits(db: Database, *, institution: str | None = None) -> list[VisitInfo]:
    with db.session() as session:
        query = select(Visit).where(Visit.deleted_at.is_(None))
        if institution:
            query = query.where(Visit.institution_id == require_institution(session, institution).id)
        visits = session.scalars(query.order_by(Visit.visit_date.desc(), Visit.started_at.desc())).all()
        return [_visit_info(session, v) for v in visits]


def _answer_info(session: Session, answer: Answer) -> AnswerInfo:
    finding = session.scalar(select(Finding).where(Finding.answer_id == answer.id, Finding.deleted_at.is_(None)))
    return AnswerInfo(
        visit_id=answer.visit_id,
        item_id=answer.item_id,
        checklist_id=answer.checklist_id,
        result=answer.result,
        value=answer.value,
        note=answer.note,
        severity=answer.severity,
        department=department_name(session, answer.department_id),
        finding_id=finding.id if finding else None,
        answered_at=answer.answered_at,
    )


def ensure_answer(session: Session, visit: Visit, item_id: str) -> Answer:
    """The answer row of ``item_id`` in ``visit``, created empty if the item is unanswered.

    Photos and pins can attach to an item before it is answered.
    """
    checklist_id, _section, item = _find_item(session, visit, item_id)
    answer = session.scalar(select(Answer).where(Answer.visit_id == visit.id, Answer.item_id == item_id))
    if answer is None:
        answer = Answer(visit_id=visit.id, item_id=item_id, checklist_id=checklist_id, severity=item.severity)
        session.add(answer)
        session.flush()
    elif answer.deleted_at is not None:
        answer.deleted_at = None
    return answer


def _finding_text(item: Item, note: str) -> str:
    return f"{item.question}\n{note}".strip() if note else item.question


def _next_seq(session: Session, visit_id: str) -> int:
    return (session.scalar(select(func.max(Finding.seq)).where(Finding.visit_id == visit_id)) or 0) + 1


def _open_rectification(session: Session, finding: Finding) -> Rectification:
    rect = session.scalar(select(Rectification).where(Rectification.finding_id == finding.id))
    if rect is None:
        rect = Rectification(finding_id=finding.id, department_id=finding.department_id, status="open")
        session.add(rect)
        session.flush()
        session.add(
            RectificationEvent(
                rectification_id=rect.id, status_from=None, status_to="open", actor=session.info.get("actor", "")
            )
        )
    elif rect.deleted_at is not None:
        rect.deleted_at = None
    return rect


def _sync_finding(session: Session, visit: Visit, answer: Answer, item: Item, area: str) -> None:
    """Keep the finding of an answer in step with its result (one finding per nonconformity)."""
    finding = session.scalar(select(Finding).where(Finding.answer_id == answer.id))
    if answer.result == "nonconform":
        text = _finding_text(item, answer.note)
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
                seq=_next_seq(session, visit.id),
            )
            session.add(finding)
            session.flush()
        else:
            finding.deleted_at = None
            finding.text = text
            finding.severity = answer.severity
            finding.department_id = answer.department_id
        rect = _open_rectification(session, finding)
        if rect.department_id is None:
            rect.department_id = answer.department_id
    elif finding is not None and finding.deleted_at is None:
        now = utcnow()
        finding.deleted_at = now
        rect = session.scalar(select(Rectification).where(Rectification.finding_id == finding.id))
        if rect is not None:
            rect.deleted_at = now


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
) -> AnswerInfo:
    """Record (or change) the answer to one item; committed at once.

    For number and duration items a value alone is enough: the result follows from the
    item's target. A nonconforming answer opens a finding and its rectification; changing
    the answer back withdraws them (as tombstones, so sync and undo keep working).
    """
    if result is not None:
        check_choice(result, ANSWER_RESULTS, "result")
    if severity is not None:
        check_choice(severity, SEVERITIES, "severity")
    with db.session() as session:
        visit = require_visit(session, visit_ref)
        ensure_editable(visit, amend=amend)
        if visit.status == "finalized":
            if not reason.strip():
                raise InvalidInputError("an amendment of a finalized visit needs a reason", hint="Give --reason TEXT.")
            set_reason(session, f"amendment: {reason.strip()}")
        checklist_id, section, item = _find_item(session, visit, item_id)
        answer = ensure_answer(session, visit, item_id)
        if value is not None:
            answer.value = str(value)
            if result is None:
                try:
                    result = item.response.evaluate(value)
                except ValueError as exc:
                    raise InvalidInputError(f"value {value!r} for item {item_id}: {exc}") from exc
        if result is not None:
            answer.result = result
        if note is not None:
            answer.note = note
        if severity is not None:
            answer.severity = severity
        if department is not None:
            dept = ensure_department(session, visit.institution_id, department)
            answer.department_id = dept.id if dept else None
        elif answer.department_id is None and item.department:
            dept = ensure_department(session, visit.institution_id, item.department)
            answer.department_id = dept.id if dept else None
        answer.answered_at = utcnow()
        session.flush()
        _sync_finding(session, visit, answer, item, section.title)
        session.flush()
        return _answer_info(session, answer)


def clear_answer(db: Database, visit_ref: str, item_id: str) -> None:
    """Back to unanswered (used by undo): the answer and any finding become tombstones."""
    with db.session() as session:
        visit = require_visit(session, visit_ref)
        ensure_editable(visit)
        _checklist_id, section, item = _find_item(session, visit, item_id)
        answer = session.scalar(select(Answer).where(Answer.visit_id == visit.id, Answer.item_id == item_id))
        if answer is None or answer.deleted_at is not None:
            return
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
) -> FindingInfo:
    """A free finding (其他问题): something wrong that no checklist item covers."""
    if not text.strip():
        raise InvalidInputError("a finding needs a description", hint="Give --text TEXT.")
    check_choice(severity, SEVERITIES, "severity")
    with db.session() as session:
        visit = require_visit(session, visit_ref)
        ensure_editable(visit)
        dept = ensure_department(session, visit.institution_id, department)
        finding = Finding(
            visit_id=visit.id,
            source="free",
            text=text.strip(),
            area=area.strip(),
            severity=severity,
            department_id=dept.id if dept else None,
            seq=_next_seq(session, visit.id),
        )
        session.add(finding)
        session.flush()
        _open_rectification(session, finding)
        session.flush()
        return finding_info(session, finding)


def delete_finding(db: Database, finding_ref: str) -> None:
    """Withdraw a free finding (tombstone). Checklist findings follow their answer instead."""
    from auditapp.services.common import require_finding

    with db.session() as session:
        finding = require_finding(session, finding_ref)
        visit = session.get(Visit, finding.visit_id)
        assert visit is not None
        ensure_editable(visit)
        if finding.answer_id is not None:
            raise InvalidInputError(
                "this finding comes from a nonconforming answer", hint="Change the answer instead of deleting the finding."
            )
        now = utcnow()
        finding.deleted_at = now
        if finding.rectification is not None:
            finding.rectification.deleted_at = now


def rectification_info(session: Session, rect: Rectification, today: date | None = None) -> RectificationInfo:
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
        overdue=bool(rect.deadline and rect.deadline < today and rect.status in OPEN_STATUSES),
    )


def finding_info(session: Session, finding: Finding) -> FindingInfo:
    # A carried-over finding shows the rectification of the finding it re-checks.
    source_id = finding.carried_from_id or finding.id
    rect = session.scalar(
        select(Rectification).where(Rectification.finding_id == source_id, Rectification.deleted_at.is_(None))
    )
    photo_count = session.scalar(
        select(func.count(Photo.id)).where(
            Photo.deleted_at.is_(None),
            (Photo.finding_id == finding.id) | ((Photo.answer_id == finding.answer_id) & (Photo.answer_id.is_not(None))),
        )
    )
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
        rectification=rectification_info(session, rect) if rect else None,
        photo_count=photo_count or 0,
    )


def visit_detail(db: Database, ref: str) -> VisitDetail:
    """Everything about a visit that the runner screen, `visit show` and reports need."""
    with db.session() as session:
        visit = require_visit(session, ref)
        info = _visit_info(session, visit)
        inst = _info(session.get(Institution, visit.institution_id))  # type: ignore[arg-type]
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
        for checklist_id, section, item in _visit_items(session, visit):
            answer = answers.get(item.id)
            views.append(
                ItemView(
                    checklist_id=checklist_id,
                    section_id=section.id,
                    section_title=section.title,
                    item=item,
                    answer=_answer_info(session, answer) if answer else None,
                    photo_count=photo_counts.get(answer.id, 0) if answer else 0,
                )
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
        return VisitDetail(
            visit=info,
            institution=inst,
            items=views,
            findings=[finding_info(session, f) for f in findings],
            sections=sections,
        )


def item_view(db: Database, ref: str, item_id: str) -> ItemView:
    """One item with its answer: what the runner refreshes after each keypress, without
    reloading the whole visit."""
    with db.session() as session:
        visit = require_visit(session, ref)
        checklist_id, section, item = _find_item(session, visit, item_id)
        answer = session.scalar(
            select(Answer).where(Answer.visit_id == visit.id, Answer.item_id == item_id, Answer.deleted_at.is_(None))
        )
        photo_count = 0
        if answer is not None:
            photo_count = session.scalar(
                select(func.count(Photo.id)).where(Photo.answer_id == answer.id, Photo.deleted_at.is_(None))
            ) or 0
        return ItemView(
            checklist_id=checklist_id,
            section_id=section.id,
            section_title=section.title,
            item=item,
            answer=_answer_info(session, answer) if answer else None,
            photo_count=photo_count,
        )


def finalize_visit(db: Database, ref: str) -> FinalizeResult:
    """Close the visit for editing; later changes are amendments with a reason.

    Unanswered items and nonconformities lacking a required photo do not block
    finalizing (the visit happened as it happened) but are reported as warnings.
    """
    detail = visit_detail(db, ref)
    warnings: list[str] = []
    unanswered = [v.item.id for v in detail.items if v.answer is None or v.answer.result is None]
    if unanswered:
        warnings.append(f"{len(unanswered)} item(s) not answered")
    missing_photo = [v.item.id for v in detail.items if v.needs_photo]
    if missing_photo:
        warnings.append(f"{len(missing_photo)} nonconformity(ies) lack the required photo: {', '.join(missing_photo[:5])}")
    with db.session() as session:
        visit = require_visit(session, ref)
        if visit.status == "finalized":
            raise InvalidInputError(f"visit {visit.id[:8]} is already finalized")
        visit.status = "finalized"
        visit.finalized_at = utcnow()
        session.flush()
        info = _visit_info(session, visit)
    return FinalizeResult(visit=info, warnings=warnings)
