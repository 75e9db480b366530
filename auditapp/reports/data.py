"""Read-only loaders that turn database records into the report data of ``contents``.

They go through the services where those exist (visit detail, rectifications) and run
small read-only queries for what has no service yet (photos of a finding, journey
steps, map pins, rectification history). Text is taken in the report's language: the
checklist's ``_en`` fields in English, the stored words (notes, names) as written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

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
from auditapp.language import current_language, normalise
from auditapp.lookups import require_institution
from auditapp.reports.contents import (
    AnswerRow,
    Basis,
    FindingEntry,
    FloorPlanData,
    FollowUpData,
    FollowUpEntry,
    JourneyRow,
    JurisdictionLine,
    Measured,
    PinRow,
    Place,
    RectificationListData,
    SectionScoreRow,
    StatusEvent,
    TimingRow,
    VisitHeader,
    VisitReportData,
)
from auditapp.reports.images import PhotoRef
from auditapp.rules.rectification import is_open, is_overdue
from auditapp.scoring import Coverage, coverage_of
from auditapp.services.journey import STEP_LABELS, STEP_LABELS_EN, StepInfo, intervals
from auditapp.services.rectifications import list_rectifications
from auditapp.services.visits import FindingInfo, VisitDetail, visit_detail

if TYPE_CHECKING:
    from auditapp.checklists import Library
    from auditapp.checklists.schema import Item
    from auditapp.checklists.sources import SourceDocument


def _get(obj: Any, name: str, default: Any = "") -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def report_language(language: str | None) -> str:
    """The language a report is written in: the one asked for, else the user's."""
    return normalise(language) or current_language()


def _english(language: str) -> bool:
    return language == "en"


def load_library_quietly(library: Library | None = None) -> Library | None:
    """The checklist library, or None when its files do not load.

    Reports must print even when the library files are broken or missing; citations
    then show the short name instead of the full title, and English section titles
    fall back to the Chinese ones stored with the visit.
    """
    if library is not None:
        return library
    try:
        from auditapp.checklists import load_library

        return load_library()
    except (ImportError, AuditAppError, OSError):
        return None


def source_documents(library: Library | None = None) -> dict[str, SourceDocument]:
    """Short name -> source document (title, number), for citations.

    From the given library, else from the library's source index alone: reading every
    checklist file only to cite document titles would cost most of a report's time
    (each report is its own process).
    """
    if library is not None:
        return dict(library.sources)
    try:
        from auditapp import paths
        from auditapp.checklists.sources import load_sources

        return dict(load_sources(paths.checklists_dir() / "sources")[0])
    except (ImportError, AuditAppError, OSError):
        return {}


def section_titles_en(library: Library | None) -> dict[tuple[str, str], str]:
    """(checklist id, section id) -> English section title, from the library."""
    out: dict[tuple[str, str], str] = {}
    for checklist in library.checklists.values() if library is not None else ():
        for section in checklist.sections:
            if section.title_en:
                out[(checklist.id, section.id)] = section.title_en
    return out


def library_items(library: Library | None) -> dict[str, Item]:
    """Item id -> checklist item, for findings loaded without their visit's items."""
    out: dict[str, Item] = {}
    for checklist in library.checklists.values() if library is not None else ():
        for _section, item in checklist.items():
            out.setdefault(item.id, item)
    return out


def basis_of(item: Any, sources: dict[str, SourceDocument]) -> tuple[Basis, ...]:
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
                inferred=bool(_get(b, "inferred", False)),
            )
        )
    return tuple(out)


def question_of(item: Any, language: str) -> str:
    return (_get(item, "question_en", "") if _english(language) else "") or _get(item, "question", "")


def target_of(response: Any) -> str:
    """The item's target as a reader writes it ("≤ 30"), '' when it has none (``Target.text()``)."""
    target = _get(response, "target", None)
    return target.text() if target is not None else ""


def measured_of(f: FindingInfo) -> Measured | None:
    """The measured value against its target, as the services give it (``FindingInfo.measured``)."""
    given = getattr(f, "measured", None)
    if given is None:
        return None
    return Measured(value=str(given.value), unit=str(given.unit or ""), target=str(given.target or ""))


def statement_of(f: FindingInfo, item: Item | None, language: str) -> str:
    """What to fix, as a statement (never the checklist question).

    For a checklist finding, the item's problem statement in the report's language
    (``Item.problem_statement``), so that every department reads which requirement is
    not met; the inspector's note is printed beside it (:func:`observed_of`). For a
    free, journey or AED finding, the services' statement (``FindingInfo.statement``).
    """
    if item is not None:
        return item.problem_statement(language)
    return str(getattr(f, "statement", "") or "") or f.text


def observed_of(f: FindingInfo, item: Item | None) -> str:
    """The inspector's note on a checklist finding: ``FindingInfo.statement`` is the note
    when there is one and the item's problem statement otherwise (then nothing is added)."""
    if item is None:
        return ""
    statement = str(getattr(f, "statement", "") or "").strip()
    derived = {item.problem_statement("zh_CN"), item.problem_statement("en")}
    return "" if statement in derived else statement


def finding_basis(f: FindingInfo, item: Item | None, sources: dict[str, SourceDocument]) -> tuple[Basis, ...]:
    """The item's citations, or those the services give a finding no item carries (a wait, an AED)."""
    if item is not None:
        return basis_of(item, sources)
    return basis_of({"basis": list(getattr(f, "basis", ()) or ())}, sources)


def _photo_ref(p: Photo) -> PhotoRef:
    return PhotoRef(id=p.id, width=p.width, height=p.height, caption=p.caption, kind=p.kind, taken_at=p.taken_at)


_CHUNK = 500  # ids per IN list (SQLite allows 32,766 parameters)


def _chunks(ids: Sequence[str]) -> list[list[str]]:
    return [list(ids[start:start + _CHUNK]) for start in range(0, len(ids), _CHUNK)]


def _finding_chains(session: Session, finding_ids: Sequence[str]) -> dict[str, tuple[list[str], list[str]]]:
    """Per finding: the finding ids and answer ids of it and, for a carried-over one, of its
    originals — read a generation per query for all of them (chains are short)."""
    rows: dict[str, Finding] = {}
    wanted = set(finding_ids)
    while wanted:
        for chunk in _chunks(sorted(wanted)):
            rows.update((f.id, f) for f in session.scalars(select(Finding).where(Finding.id.in_(chunk))))
        wanted = {f.carried_from_id for f in rows.values() if f.carried_from_id and f.carried_from_id not in rows}
    chains: dict[str, tuple[list[str], list[str]]] = {}
    for finding_id in finding_ids:
        ids: list[str] = []
        answers: list[str] = []
        row = rows.get(finding_id)
        while row is not None and row.id not in ids:
            ids.append(row.id)
            if row.answer_id:
                answers.append(row.answer_id)
            row = rows.get(row.carried_from_id) if row.carried_from_id else None
        chains[finding_id] = (ids, answers)
    return chains


def evidence_photos(session: Session, finding_ids: Sequence[str]) -> dict[str, tuple[PhotoRef, ...]]:
    """Evidence photos per finding: its own and its answer's, and for a carried-over finding
    those of the original (the problem is the same); oldest first. A fixed number of queries
    for any number of findings (a 500-problem list read them one finding at a time)."""
    chains = _finding_chains(session, finding_ids)
    all_findings = sorted({i for ids, _ in chains.values() for i in ids})
    all_answers = sorted({a for _, answers in chains.values() for a in answers})
    found: dict[str, Photo] = {}
    live = (Photo.deleted_at.is_(None), Photo.kind.not_in(("after", "floorplan")))
    for chunk in _chunks(all_findings):
        found.update((p.id, p) for p in session.scalars(select(Photo).where(Photo.finding_id.in_(chunk), *live)))
    for chunk in _chunks(all_answers):
        found.update((p.id, p) for p in session.scalars(select(Photo).where(Photo.answer_id.in_(chunk), *live)))
    photos = sorted(found.values(), key=lambda p: (p.created_at, p.id))
    out: dict[str, tuple[PhotoRef, ...]] = {}
    for finding_id, (ids, answers) in chains.items():
        mine, theirs = set(ids), set(answers)
        out[finding_id] = tuple(_photo_ref(p) for p in photos if p.finding_id in mine or p.answer_id in theirs)
    return out


def after_photos(session: Session, rectification_ids: Sequence[str]) -> dict[str, tuple[PhotoRef, ...]]:
    """Photos taken after the fix, per rectification, oldest first."""
    out: dict[str, list[PhotoRef]] = {r: [] for r in rectification_ids}
    for chunk in _chunks(list(rectification_ids)):
        for p in session.scalars(
            select(Photo)
            .where(Photo.rectification_id.in_(chunk), Photo.kind == "after", Photo.deleted_at.is_(None))
            .order_by(Photo.created_at, Photo.id)
        ):
            if p.rectification_id is not None:  # always, by the query; narrows the type
                out[p.rectification_id].append(_photo_ref(p))
    return {r: tuple(refs) for r, refs in out.items()}


def plan_pins(session: Session, plan_id: str, visit_id: str | None) -> list[MapPin]:
    """The pins shown on a plan for a visit, in the order they are numbered on paper."""
    query = select(MapPin).where(MapPin.floor_plan_id == plan_id, MapPin.deleted_at.is_(None))
    if visit_id is not None:
        # Pins of this visit plus standing ones (AED positions belong to the building).
        query = query.where((MapPin.visit_id == visit_id) | MapPin.visit_id.is_(None))
    return list(session.scalars(query.order_by(MapPin.kind, MapPin.created_at, MapPin.id)).all())


def finding_places(f: FindingInfo) -> tuple[Place, ...]:
    """Where the finding (or its answer, or the finding it re-checks) is pinned (``FindingInfo.location``)."""
    location = getattr(f, "location", None)
    if location is None:
        return ()
    out: list[Place] = []
    for p in location.plans:
        place = Place(plan=p.plan_name, floor=p.floor or "", pin=p.pin_label or "")
        if place not in out:
            out.append(place)
    return tuple(out)


def _entry(f: FindingInfo, item: Item | None, sources: dict[str, SourceDocument], language: str,
           photos: tuple[PhotoRef, ...], today: date | None = None, binding: bool | None = None) -> FindingEntry:
    rect = f.rectification
    overdue = bool(rect and rect.overdue)
    if rect is not None and today is not None:
        overdue = is_overdue(rect, today)
    location = getattr(f, "location", None)
    return FindingEntry(
        id=f.id,
        number=f.seq,
        text=statement_of(f, item, language),
        observed=observed_of(f, item),
        area=(location.area if location is not None else f.area) or "",
        measured=measured_of(f),
        places=finding_places(f),
        basis=finding_basis(f, item, sources),
        severity=f.severity,
        # One department: the rectification's (the services keep the finding's equal to it).
        department=(rect.department if rect and rect.department else f.department) or "",
        owner=rect.owner if rect else "",
        deadline=rect.deadline if rect else None,
        measures=rect.measures if rect else "",
        status=rect.status if rect else "",
        is_open=bool(rect and is_open(rect.status)),
        overdue=overdue,
        photos=photos,
        carried=f.carried_from_id is not None,
        item_id=f.item_id,
        binding=binding,
    )


def jurisdiction_line(detail: VisitDetail, sources: dict[str, SourceDocument]) -> JurisdictionLine | None:
    """The visit's binding in report terms (None when the visit's binding is not known)."""
    info = getattr(detail, "jurisdiction", None)
    if info is None:
        return None
    nonconform = [view for view in detail.items if view.answer and view.answer.result == "nonconform"]
    bound = sum(1 for view in nonconform if view.is_binding)
    return JurisdictionLine(
        region=info.region,
        documents=tuple(str(_get(sources.get(d), "title", "") or d) for d in info.documents),
        outside=info.outside,
        binding_items=info.binding_count,
        reference_items=info.reference_count,
        binding_nonconform=bound,
        reference_nonconform=len(nonconform) - bound,
        binding_only=info.binding_only,
    )


def _bindings(detail: VisitDetail) -> dict[str, bool]:
    """Item id -> whether it binds the institution, for the items whose binding is known."""
    return {view.item.id: view.is_binding for view in detail.items if view.binding is not None}


def visit_coverage(detail: VisitDetail) -> Coverage:
    """Answered / applicable items of a visit (``auditapp.scoring.coverage_of``)."""
    return coverage_of(
        ((view.answer.result, view.answer.value) if view.answer else (None, "") for view in detail.items),
        len(detail.items),
    )


def _header(session: Session, detail: VisitDetail, coverage: Coverage | None = None) -> VisitHeader:
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
        coverage=coverage if coverage is not None else visit_coverage(detail),
        amendment_reasons=tuple(a.reason for a in sorted(v.amendments, key=lambda a: a.at)),
    )


def rectification_list_data(
    db: Database, visit_ref: str, *, open_only: bool = False, library: Library | None = None, language: str | None = None
) -> RectificationListData:
    language = report_language(language)
    detail = visit_detail(db, visit_ref)
    items = {view.item.id: view.item for view in detail.items}
    # The visit's own items; the library only for an item no longer in it (rare).
    lib = load_library_quietly(library) if any(f.item_id and f.item_id not in items for f in detail.findings) else library
    sources = source_documents(lib) if any(f.item_id or f.basis for f in detail.findings) else {}
    entries = []
    bindings = _bindings(detail)
    with db.session() as session:
        shown = [f for f in detail.findings if not open_only or is_open(f.rectification.status if f.rectification else "")]
        photos = evidence_photos(session, [f.id for f in shown])
        for f in shown:
            item = items.get(f.item_id) if f.item_id else None
            if item is None and f.item_id and lib is not None:
                item = library_items(lib).get(f.item_id)
            entries.append(_entry(f, item, sources, language, photos[f.id],
                                  binding=bindings.get(f.item_id) if f.item_id else None))
        header = _header(session, detail)
    if detail.jurisdiction is not None and not sources:
        sources = source_documents(lib)
    return RectificationListData(header=header, findings=tuple(entries), open_only=open_only,
                                 jurisdiction=jurisdiction_line(detail, sources))


def _step_label(step: str, stored: str, language: str) -> str:
    if stored:
        return stored
    return (STEP_LABELS_EN if _english(language) else STEP_LABELS).get(step, step)


def journey_rows(session: Session, visit_id: str, language: str = "zh_CN") -> tuple[JourneyRow, ...]:
    steps = session.scalars(
        select(JourneyStep)
        .where(JourneyStep.visit_id == visit_id, JourneyStep.deleted_at.is_(None))
        .order_by(JourneyStep.at)
    ).all()
    return tuple(JourneyRow(step=s.step, label=_step_label(s.step, s.label, language), at=s.at, note=s.note) for s in steps)


def journey_timings(steps: Sequence[JourneyRow], language: str = "zh_CN") -> list[TimingRow]:
    """The journey service's intervals, as report rows (one rule for GUI and paper).

    ``intervals`` ends with the whole visit when two or more steps happened; its label
    is worded here in the report's language.
    """
    from auditapp.checklists.schema import Target
    from auditapp.reports.words import Wording

    infos = [StepInfo(id="", visit_id="", step=s.step, label=s.label, at=s.at, note=s.note) for s in steps]
    spans = intervals(infos)
    actual = [s for s in infos if s.step != "booked"]
    rows = []
    for n, i in enumerate(spans):
        label = i.label
        if len(actual) >= 2 and n == len(spans) - 1:
            label = Wording(language)("visit.total_journey", first=actual[0].label, last=actual[-1].label)
        rows.append(
            TimingRow(
                label=label,
                minutes=i.minutes,
                target=Target(op="<=", value=i.target_minutes).text() if i.target_minutes is not None else "",
                met=i.met,
                source=i.basis,
            )
        )
    return rows


def _pin_status(pin: MapPin) -> str:
    return pin.status if pin.kind == "aed" else ""


def floor_plans(session: Session, institution_id: str, visit_id: str | None) -> tuple[FloorPlanData, ...]:
    plans = session.scalars(
        select(FloorPlan)
        .where(FloorPlan.institution_id == institution_id, FloorPlan.deleted_at.is_(None))
        .order_by(FloorPlan.sort_order, FloorPlan.name)
    ).all()
    out = []
    for plan in plans:
        pins = plan_pins(session, plan.id, visit_id)
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


def _section_title(title: str, key: tuple[str, str], titles_en: dict[tuple[str, str], str], language: str) -> str:
    return (titles_en.get(key) if _english(language) else None) or title


def visit_report_data(db: Database, visit_ref: str, *, library: Library | None = None, language: str | None = None) -> VisitReportData:
    language = report_language(language)
    detail = visit_detail(db, visit_ref)
    # English section titles come from the library (the visit stores the Chinese ones).
    lib = load_library_quietly(library) if _english(language) and detail.items else library
    sources = source_documents(lib) if detail.items else {}
    titles_en = section_titles_en(lib) if _english(language) else {}
    answers = []
    timings: list[TimingRow] = []
    by_section: dict[tuple[str, str], list[tuple[str | None, str]]] = defaultdict(list)
    for view in detail.items:
        item, a = view.item, view.answer
        response = _get(item, "response", None)
        target = target_of(response) if response is not None else ""
        key = (view.checklist_id, view.section_id)
        by_section[key].append((a.result, a.value) if a else (None, ""))
        row = AnswerRow(
            section=_section_title(view.section_title, key, titles_en, language),
            item_id=item.id,
            question=question_of(item, language),
            result=a.result if a else None,
            value=a.value if a else "",
            unit=str(_get(response, "unit", "") or "") if response is not None else "",
            target=target,
            note=a.note if a else "",
            severity=(a.severity if a else "") or _get(item, "severity", ""),
            department=(a.department if a else "") or _get(item, "department", "") or "",
            photo_count=view.photo_count,
            basis=basis_of(item, sources),
            binding=view.is_binding if view.binding is not None else None,
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
            from auditapp.reports.words import Wording

            timings.append(TimingRow(label=question_of(item, language), minutes=minutes, target=target, met=met,
                                     source=Wording(language)("visit.timed_item")))
    coverage = visit_coverage(detail)
    with db.session() as session:
        header = _header(session, detail, coverage)
        journey = journey_rows(session, detail.visit.id, language)
        plans = floor_plans(session, detail.visit.institution_id, detail.visit.id)
    sections = []
    for s in detail.sections:
        key = (s.checklist_id, s.section_id)
        rows = by_section.get(key, [])
        sections.append(SectionScoreRow.of(_section_title(s.title, key, titles_en, language), s.score, coverage_of(rows, len(rows))))
    return VisitReportData(
        header=header,
        overall=SectionScoreRow.of("", detail.visit.score, coverage),
        sections=tuple(sections),
        answers=tuple(answers),
        journey=journey,
        timings=tuple(journey_timings(journey, language) + timings),
        floor_plans=plans,
        findings_count=len(detail.findings),
        open_rectifications=detail.visit.open_rectifications,
        coverage=coverage,
        jurisdiction=jurisdiction_line(detail, sources if sources else source_documents(lib)),
    )


def _histories(session: Session, rectification_ids: Sequence[str]) -> dict[str, list[RectificationEvent]]:
    """Each rectification's status changes, oldest first."""
    out: dict[str, list[RectificationEvent]] = defaultdict(list)
    for chunk in _chunks(list(rectification_ids)):
        for e in session.scalars(
            select(RectificationEvent)
            .where(RectificationEvent.rectification_id.in_(chunk), RectificationEvent.deleted_at.is_(None))
            .order_by(RectificationEvent.at)
        ):
            out[e.rectification_id].append(e)
    return out


def _report_numbers(session: Session, visit_ids: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for chunk in _chunks(sorted(visit_ids)):
        out.update((vid, number or "") for vid, number in session.execute(
            select(Visit.id, Visit.report_number).where(Visit.id.in_(chunk))))
    return out


def followup_data(db: Database, institution_ref: str, *, today: date | None = None, library: Library | None = None,
                  language: str | None = None) -> FollowUpData:
    language = report_language(language)
    today = today or date.today()
    rows = list_rectifications(db, institution=institution_ref, today=today)
    lib = load_library_quietly(library) if any(row.finding.item_id for row in rows) else None
    items = library_items(lib)
    sources = source_documents(lib) if lib is not None else {}
    entries = []
    with db.session() as session:
        name = require_institution(session, institution_ref).name
        photos = evidence_photos(session, [row.finding.id for row in rows])
        after = after_photos(session, [row.rectification.id for row in rows])
        history = _histories(session, [row.rectification.id for row in rows])
        numbers = _report_numbers(session, {row.visit_id for row in rows})
        for row in rows:
            f, rect = row.finding, row.rectification
            events = history.get(rect.id, [])
            item = items.get(f.item_id) if f.item_id else None
            entries.append(
                FollowUpEntry(
                    finding=_entry(f, item, sources, language, photos[f.id], today),
                    visit_date=row.visit_date,
                    report_number=numbers.get(row.visit_id, ""),
                    after_photos=after[rect.id],
                    history=tuple(
                        StatusEvent(at=e.at, status_from=e.status_from, status_to=e.status_to, note=e.note, actor=e.actor)
                        for e in events
                    ),
                    verified_at=rect.verified_at,
                )
            )
    entries.sort(key=followup_order)
    return FollowUpData(institution=name, entries=tuple(entries), as_of=today)


def followup_order(e: FollowUpEntry) -> tuple[int, date, date, str, int]:
    """Overdue first (longest overdue first), then still open, then done."""
    f = e.finding
    group = 0 if f.overdue else (1 if f.is_open else 2)
    return (group, f.deadline or date.max, e.visit_date, e.report_number, f.number)
