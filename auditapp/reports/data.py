"""Read-only loaders that turn database records into the report data of ``model``.

They go through the services where those exist (visit detail, rectifications) and run
small read-only queries for what has no service yet (photos of a finding, journey
steps, map pins, rectification history).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditapp.db import Database
from auditapp.db.models import (
    Finding,
    FloorPlan,
    JourneyStep,
    MapPin,
    Photo,
    RectificationEvent,
    Visit,
)
from auditapp.errors import AuditAppError
from auditapp.reports.images import PhotoRef
from auditapp.reports.model import (
    OPEN_STATUSES,
    AnswerRow,
    Basis,
    FindingEntry,
    FloorPlanData,
    FollowUpData,
    FollowUpEntry,
    InstitutionSummary,
    JourneyRow,
    PinRow,
    ProblemCount,
    RectificationListData,
    SectionScoreRow,
    StatusEvent,
    SummaryData,
    TimingRow,
    VisitHeader,
    VisitReportData,
)
from auditapp.services.journey import STEP_LABELS, StepInfo, intervals

def _get(obj: Any, name: str, default: Any = "") -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def source_documents(library: Any = None) -> dict[str, Any]:
    """Short name -> source document (title, number) from the checklist library, if it loads.

    Reports must print even when the library files are broken or missing; citations
    then show the short name instead of the full title.
    """
    try:
        if library is None:
            from auditapp.checklists import load_library

            library = load_library()
        return dict(_get(library, "sources", {}) or {})
    except (ImportError, AuditAppError, OSError):
        return {}


def basis_of(item: Any, sources: dict[str, Any]) -> tuple[Basis, ...]:
    out = []
    for b in _get(item, "basis", ()) or ():
        short = str(_get(b, "source", "") or "")
        doc = sources.get(short)
        out.append(
            Basis(
                document=str(_get(doc, "title", "") or short) if doc is not None else short,
                clause=str(_get(b, "clause", "") or ""),
                quote=str(_get(b, "quote", "") or ""),
                number=str(_get(doc, "number", "") or "") if doc is not None else "",
            )
        )
    return tuple(out)


def _photo_ref(p: Photo) -> PhotoRef:
    return PhotoRef(id=p.id, width=p.width, height=p.height, caption=p.caption, kind=p.kind, taken_at=p.taken_at)


def finding_photos(session: Session, finding_id: str) -> tuple[PhotoRef, ...]:
    """Evidence photos of a finding: its own and its answer's, and for a carried-over
    finding those of the original (the problem is the same)."""
    finding_ids: list[str] = []
    answer_ids: list[str] = []
    row = session.get(Finding, finding_id)
    while row is not None and row.id not in finding_ids:
        finding_ids.append(row.id)
        if row.answer_id:
            answer_ids.append(row.answer_id)
        row = session.get(Finding, row.carried_from_id) if row.carried_from_id else None
    condition = Photo.finding_id.in_(finding_ids)
    if answer_ids:
        condition = condition | Photo.answer_id.in_(answer_ids)
    photos = session.scalars(
        select(Photo)
        .where(condition, Photo.deleted_at.is_(None), Photo.kind.not_in(("after", "floorplan")))
        .order_by(Photo.created_at, Photo.id)
    ).all()
    return tuple(_photo_ref(p) for p in photos)


def after_photos(session: Session, rectification_id: str) -> tuple[PhotoRef, ...]:
    photos = session.scalars(
        select(Photo)
        .where(Photo.rectification_id == rectification_id, Photo.kind == "after", Photo.deleted_at.is_(None))
        .order_by(Photo.created_at, Photo.id)
    ).all()
    return tuple(_photo_ref(p) for p in photos)


def _entry(session: Session, f: Any, item: Any, sources: dict[str, Any], today: date | None = None) -> FindingEntry:
    rect = f.rectification
    overdue = bool(rect and rect.overdue)
    if rect is not None and today is not None:
        overdue = bool(rect.deadline and rect.deadline < today and rect.status in OPEN_STATUSES)
    return FindingEntry(
        id=f.id,
        number=f.seq,
        text=f.text,
        area=f.area,
        basis=basis_of(item, sources) if item is not None else (),
        severity=f.severity,
        department=(rect.department if rect and rect.department else f.department) or "",
        owner=rect.owner if rect else "",
        deadline=rect.deadline if rect else None,
        measures=rect.measures if rect else "",
        status=rect.status if rect else "",
        overdue=overdue,
        photos=finding_photos(session, f.id),
        carried=f.carried_from_id is not None,
        item_id=f.item_id,
    )


def _header(session: Session, detail: Any) -> VisitHeader:
    v = detail.visit
    row = session.get(Visit, v.id)
    return VisitHeader(
        institution=v.institution_name,
        visit_dates=(v.visit_date,),
        mode=v.mode,
        inspector=v.inspector,
        report_number=v.report_number,
        status=v.status,
        title=row.title if row is not None else "",
        institution_kind=detail.institution.kind,
        institution_level=detail.institution.level,
    )


def rectification_list_data(
    db: Database, visit_ref: str, *, open_only: bool = False, library: Any = None
) -> RectificationListData:
    from auditapp.services.visits import visit_detail

    detail = visit_detail(db, visit_ref)
    items = {view.item.id: view.item for view in detail.items}
    sources = source_documents(library) if any(f.item_id for f in detail.findings) else {}
    entries = []
    with db.session() as session:
        for f in detail.findings:
            status = f.rectification.status if f.rectification else ""
            if open_only and status not in OPEN_STATUSES:
                continue
            entries.append(_entry(session, f, items.get(f.item_id) if f.item_id else None, sources))
        header = _header(session, detail)
    return RectificationListData(header=header, findings=tuple(entries), open_only=open_only)


def _score_row(title: str, score: Any) -> SectionScoreRow:
    return SectionScoreRow(
        title=title,
        conform=score.conform,
        nonconform=score.nonconform,
        not_applicable=score.not_applicable,
        weighted=score.weighted_nonconform,
    )


def _target_text(response: Any) -> str:
    target = _get(response, "target", None)
    if target is None:
        return ""
    value = _get(target, "value", "")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    unit = _get(response, "unit", "") or ""
    unit = {"min": "分钟", "s": "秒", "h": "小时"}.get(unit, unit)
    op = {"<=": "≤", ">=": "≥", "==": "=", "<": "<", ">": ">"}.get(_get(target, "op", ""), _get(target, "op", ""))
    return f"{op} {value} {unit}".strip()


def journey_rows(session: Session, visit_id: str) -> tuple[JourneyRow, ...]:
    steps = session.scalars(
        select(JourneyStep)
        .where(JourneyStep.visit_id == visit_id, JourneyStep.deleted_at.is_(None))
        .order_by(JourneyStep.at)
    ).all()
    return tuple(JourneyRow(step=s.step, label=s.label or STEP_LABELS.get(s.step, s.step), at=s.at, note=s.note) for s in steps)


def journey_timings(steps: Sequence[JourneyRow]) -> list[TimingRow]:
    """The journey service's intervals, as report rows (one rule for GUI and paper)."""
    infos = [StepInfo(id="", visit_id="", step=s.step, label=s.label, at=s.at, note=s.note) for s in steps]
    return [
        TimingRow(
            label=i.label,
            minutes=i.minutes,
            target=f"≤ {i.target_minutes:g} 分钟" if i.target_minutes is not None else "",
            met=i.met,
            source=i.basis,
        )
        for i in intervals(infos)
    ]


def _pin_status(pin: MapPin) -> str:
    from auditapp.services.pin_kinds import AED_STATUS_LABELS

    return AED_STATUS_LABELS.get(pin.status, pin.status) if pin.kind == "aed" else pin.status


def floor_plans(session: Session, institution_id: str, visit_id: str | None) -> tuple[FloorPlanData, ...]:
    plans = session.scalars(
        select(FloorPlan)
        .where(FloorPlan.institution_id == institution_id, FloorPlan.deleted_at.is_(None))
        .order_by(FloorPlan.sort_order, FloorPlan.name)
    ).all()
    out = []
    for plan in plans:
        pin_query = select(MapPin).where(MapPin.floor_plan_id == plan.id, MapPin.deleted_at.is_(None))
        if visit_id is not None:
            # Pins of this visit plus standing ones (AED positions belong to the building).
            pin_query = pin_query.where((MapPin.visit_id == visit_id) | MapPin.visit_id.is_(None))
        pins = session.scalars(pin_query.order_by(MapPin.kind, MapPin.created_at)).all()
        image = None
        if plan.image_sha256:
            photo = session.scalar(
                select(Photo)
                .where(Photo.sha256 == plan.image_sha256, Photo.deleted_at.is_(None))
                .order_by((Photo.kind != "floorplan"), Photo.created_at)
                .limit(1)
            )
            if photo is not None:
                image = PhotoRef(id=photo.id, width=plan.width or photo.width, height=plan.height or photo.height)
        out.append(
            FloorPlanData(
                name=plan.name,
                floor=plan.floor,
                image=image,
                pins=tuple(
                    PinRow(number=n, kind=p.kind, x=p.x, y=p.y, label=p.label, status=_pin_status(p))
                    for n, p in enumerate(pins, start=1)
                ),
            )
        )
    return tuple(out)


def visit_report_data(db: Database, visit_ref: str, *, library: Any = None) -> VisitReportData:
    from auditapp.services.visits import visit_detail

    detail = visit_detail(db, visit_ref)
    sources = source_documents(library) if detail.items else {}
    answers = []
    timings: list[TimingRow] = []
    for view in detail.items:
        item, a = view.item, view.answer
        response = _get(item, "response", None)
        target = _target_text(response) if response is not None else ""
        row = AnswerRow(
            section=view.section_title,
            item_id=item.id,
            question=item.question,
            result=a.result if a else None,
            value=a.value if a else "",
            unit=str(_get(response, "unit", "") or "") if response is not None else "",
            target=target,
            note=a.note if a else "",
            severity=(a.severity if a else "") or _get(item, "severity", ""),
            department=(a.department if a else "") or _get(item, "department", "") or "",
            photo_count=view.photo_count,
            basis=basis_of(item, sources),
        )
        answers.append(row)
        if _get(response, "type", "") == "duration" and target:
            minutes = None
            if a and a.value:
                try:
                    minutes = float(a.value)
                except ValueError:
                    minutes = None
            met = None if not a or a.result not in ("conform", "nonconform") else a.result == "conform"
            timings.append(TimingRow(label=item.question, minutes=minutes, target=target, met=met, source="检查项"))
    with db.session() as session:
        header = _header(session, detail)
        journey = journey_rows(session, detail.visit.id)
        plans = floor_plans(session, detail.visit.institution_id, detail.visit.id)
    return VisitReportData(
        header=header,
        overall=_score_row("全部", detail.visit.score),
        sections=tuple(_score_row(s.title, s.score) for s in detail.sections),
        answers=tuple(answers),
        journey=journey,
        timings=tuple(journey_timings(journey) + timings),
        floor_plans=plans,
        findings_count=len(detail.findings),
        open_rectifications=detail.visit.open_rectifications,
    )


def followup_data(db: Database, institution_ref: str, *, today: date | None = None) -> FollowUpData:
    from auditapp.services.rectifications import list_rectifications
    from auditapp.services.common import require_institution

    today = today or date.today()
    rows = list_rectifications(db, institution=institution_ref, today=today)
    entries = []
    with db.session() as session:
        name = require_institution(session, institution_ref).name
        for row in rows:
            f, rect = row.finding, row.rectification
            visit = session.get(Visit, row.visit_id)
            events = session.scalars(
                select(RectificationEvent)
                .where(RectificationEvent.rectification_id == rect.id, RectificationEvent.deleted_at.is_(None))
                .order_by(RectificationEvent.at)
            ).all()
            entries.append(
                FollowUpEntry(
                    finding=_entry(session, f, None, {}, today),
                    visit_date=row.visit_date,
                    report_number=visit.report_number if visit is not None else "",
                    after_photos=after_photos(session, rect.id),
                    history=tuple(
                        StatusEvent(at=e.at, status_from=e.status_from, status_to=e.status_to, note=e.note, actor=e.actor)
                        for e in events
                    ),
                    verified_at=rect.verified_at,
                )
            )
    entries.sort(key=followup_order)
    return FollowUpData(institution=name, entries=tuple(entries), as_of=today)


def followup_order(e: FollowUpEntry) -> tuple[int, date, date, int]:
    """Overdue first (longest overdue first), then still open, then done."""
    f = e.finding
    group = 0 if f.overdue else (1 if f.status in OPEN_STATUSES else 2)
    return (group, f.deadline or date.max, e.visit_date, f.number)


def _in_range(day: date, date_from: date | None, date_to: date | None) -> bool:
    return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)


def _add(rows: Iterable[SectionScoreRow], title: str) -> SectionScoreRow:
    c = n = na = w = 0
    for r in rows:
        c, n, na, w = c + r.conform, n + r.nonconform, na + r.not_applicable, w + r.weighted
    return SectionScoreRow(title=title, conform=c, nonconform=n, not_applicable=na, weighted=w)


def summary_data(
    db: Database,
    *,
    institutions: Sequence[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    today: date | None = None,
    top_problems: int = 15,
) -> SummaryData:
    from auditapp.services.common import require_institution
    from auditapp.services.institutions import list_institutions
    from auditapp.services.rectifications import list_rectifications
    from auditapp.services.visits import list_visits, visit_detail

    today = today or date.today()
    if institutions:
        with db.session() as session:
            ids = [require_institution(session, ref).id for ref in institutions]
        chosen = [i for i in list_institutions(db) if i.id in ids]
        chosen.sort(key=lambda i: ids.index(i.id))
    else:
        chosen = list_institutions(db)
    summaries: list[InstitutionSummary] = []
    themes: dict[str, None] = {}
    months: set[str] = set()
    problem_counts: dict[str, int] = defaultdict(int)
    problem_insts: dict[str, set[str]] = defaultdict(set)
    problem_text: dict[str, str] = {}
    problem_item: dict[str, Any] = {}
    for inst in chosen:
        visits = [v for v in list_visits(db, institution=inst.id) if _in_range(v.visit_date, date_from, date_to)]
        by_theme: dict[str, list[SectionScoreRow]] = defaultdict(list)
        by_month: dict[str, list[SectionScoreRow]] = defaultdict(list)
        overall: list[SectionScoreRow] = []
        findings = 0
        for v in visits:
            detail = visit_detail(db, v.id)
            items = {view.item.id: view.item for view in detail.items}
            for s in detail.sections:
                themes.setdefault(s.title, None)
                by_theme[s.title].append(_score_row(s.title, s.score))
            visit_score = _score_row("", detail.visit.score)
            overall.append(visit_score)
            month = v.visit_date.strftime("%Y-%m")
            months.add(month)
            by_month[month].append(visit_score)
            for f in detail.findings:
                if f.carried_from_id:
                    continue
                findings += 1
                key = f.item_id or (f.text.splitlines() or [""])[0]
                problem_counts[key] += 1
                problem_insts[key].add(inst.id)
                item = items.get(f.item_id) if f.item_id else None
                problem_text.setdefault(key, item.question if item is not None else (f.text.splitlines() or [""])[0])
                if item is not None:
                    problem_item.setdefault(key, item)
        rects = [
            r
            for r in list_rectifications(db, institution=inst.id, today=today)
            if _in_range(r.visit_date, date_from, date_to)
        ]
        monthly = {m: rate for m, rows in by_month.items() if (rate := _add(rows, m).rate) is not None}
        summaries.append(
            InstitutionSummary(
                name=inst.name,
                kind=inst.kind,
                visits=len(visits),
                overall=_add(overall, "全部"),
                themes={t: _add(rows, t) for t, rows in by_theme.items()},
                open_rectifications=sum(1 for r in rects if r.rectification.status in OPEN_STATUSES),
                overdue_rectifications=sum(
                    1
                    for r in rects
                    if r.rectification.deadline
                    and r.rectification.deadline < today
                    and r.rectification.status in OPEN_STATUSES
                ),
                verified_rectifications=sum(1 for r in rects if r.rectification.status == "verified"),
                findings=findings,
                monthly=monthly,
            )
        )
    sources = source_documents() if problem_item else {}
    ranked = sorted(problem_counts, key=lambda k: (-problem_counts[k], -len(problem_insts[k]), problem_text[k]))
    problems = tuple(
        ProblemCount(
            text=problem_text[k],
            count=problem_counts[k],
            institutions=len(problem_insts[k]),
            basis=basis_of(problem_item[k], sources) if k in problem_item else (),
        )
        for k in ranked[:top_problems]
    )
    return SummaryData(
        institutions=tuple(summaries),
        themes=tuple(themes),
        problems=problems,
        months=tuple(sorted(months)),
        date_from=date_from,
        date_to=date_to,
    )
