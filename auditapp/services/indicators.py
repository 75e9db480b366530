"""Indicator reports (评估指标): hospital statistics filled in per period, apart from the walk.

The city annexes' indicators (预约诊疗率, 分娩镇痛率 …) are figures a hospital takes from
its information systems, not things a mystery patient sees. Each institution fills in the
indicators its own city's annex requires (``auditapp.checklists.indicators``) once per
month or quarter, as the set says: the value, where it came from and a note. A value is
judged only against a target a document gives (:func:`indicator_verdict`), the one in
force at the end of the period; without one it is recorded, not judged.

Values point to a snapshot of the indicator set they were entered against
(``indicator_snapshots``), so an old period keeps the targets that judged it. Old visits
that answered the retired ``indicators`` checklist keep those answers; they are shown
here as legacy values (``legacy``), mapped onto today's indicators through ``formerly``.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditapp.checklists import Basis, Indicator, IndicatorSet, IndicatorTarget, Library, Period, load_library
from auditapp.checklists.applicability import InstitutionProfile
from auditapp.checklists.indicators import (
    Dimension,
    indicator_applies,
    indicator_set_from_snapshot,
    indicator_set_snapshot_json,
    indicator_verdict,
    local_requirements,
    target_in_force,
    targets_for,
)
from auditapp.checklists.schema import unit_label
from auditapp.db import Database
from auditapp.db.models import Answer, IndicatorSnapshot, IndicatorValue, Institution, Visit, utcnow
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.lookups import require_institution
from auditapp.services.institutions import institution_info
from auditapp.services.visits import check_fresh
from auditapp.terms import Term, Words

YES = ("yes", "y", "true", "1", "是", "有")
NO = ("no", "n", "false", "0", "否", "无")


@dataclass(frozen=True)
class IndicatorValueInfo:
    """A reported value and its verdict (``result`` None: no target in force, or not a figure)."""

    id: str
    institution_id: str
    set_id: str
    indicator_id: str
    period: str
    value: str
    data_source: str
    note: str
    entered_by: str
    updated_at: datetime | None
    result: str | None = None
    target: IndicatorTarget | None = None


@dataclass(frozen=True)
class LegacyValue:
    """An answer to an indicator item of the old ``indicators`` checklist, kept from a visit."""

    visit_id: str
    report_number: str
    visit_date: date
    item_id: str
    indicator_id: str
    period: str
    value: str
    result: str | None
    note: str


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator of a period's sheet: what it asks, who requires it, its targets, the value."""

    set_id: str
    dimension_id: str
    dimension_title: str
    dimension_title_en: str
    indicator: Indicator
    required_by: tuple[Basis, ...]
    targets: tuple[IndicatorTarget, ...]
    in_force: IndicatorTarget | None
    value: IndicatorValueInfo | None = None
    legacy: tuple[LegacyValue, ...] = ()


@dataclass(frozen=True)
class IndicatorSheet:
    """The indicators one institution reports for one set and period (empty outside the annexes' cities)."""

    institution_id: str
    institution_name: str
    region: str
    set_id: str
    set_title: str
    set_title_en: str
    period: str
    period_kind: str
    rows: tuple[IndicatorRow, ...]
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrendCell:
    period: str
    value: IndicatorValueInfo | None = None
    legacy: LegacyValue | None = None


@dataclass(frozen=True)
class TrendRow:
    dimension_id: str
    dimension_title: str
    dimension_title_en: str
    indicator: Indicator
    required_by: tuple[Basis, ...]
    targets: tuple[IndicatorTarget, ...]
    cells: tuple[TrendCell, ...]


@dataclass(frozen=True)
class IndicatorTrend:
    """One set's indicators of one institution across periods, oldest period first."""

    institution_id: str
    institution_name: str
    institution_level: int
    institution_kind: str
    region: str
    set_id: str
    set_title: str
    set_title_en: str
    period_kind: str
    periods: tuple[str, ...]
    rows: tuple[TrendRow, ...]
    legacy: tuple[LegacyValue, ...]
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndicatorSetInfo:
    id: str
    title: str
    title_en: str
    period_kind: str
    indicators: int
    applicable: int


# ---------------------------------------------------------------------------
# Looking things up


def _library(library: Library | None) -> Library:
    return library if library is not None else load_library()


def _profile(inst: Institution) -> InstitutionProfile:
    return institution_info(inst).profile


def find_indicator(library: Library, ref: str) -> tuple[IndicatorSet, Dimension, Indicator]:
    """An indicator by id or by an id it replaced (``formerly``)."""
    ref = ref.strip()
    for indicator_set in library.indicator_sets.values():
        for dimension, indicator in indicator_set.indicators():
            if indicator.id == ref or ref in indicator.formerly:
                return indicator_set, dimension, indicator
    raise NotFoundError("indicator.not_found", ref=ref)


def _set(library: Library, set_id: str) -> IndicatorSet:
    try:
        return library.indicator_sets[set_id]
    except KeyError:
        known = ", ".join(sorted(library.indicator_sets)) or "—"
        raise NotFoundError("indicator.set_not_found", ref=set_id, known=known) from None


def list_indicator_sets(db: Database, institution: str, *, library: Library | None = None) -> list[IndicatorSetInfo]:
    """Every indicator set, with how many of its indicators this institution reports."""
    library = _library(library)
    with db.session() as session:
        profile = _profile(require_institution(session, institution))
    return [
        IndicatorSetInfo(
            id=s.id, title=s.title, title_en=s.title_en, period_kind=s.period,
            indicators=sum(1 for _ in s.indicators()),
            applicable=sum(1 for _d, i in s.indicators() if indicator_applies(i, profile, library.sources)),
        )
        for s in library.indicator_sets.values()
    ]


def parse_period(text: str, indicator_set: IndicatorSet, *, today: date | None = None) -> Period:
    """A period as typed, of the kind the set is reported by and not still to come."""
    period = Period.parse(text)
    if period.kind != indicator_set.period:
        example = Period.containing(today or date.today(), indicator_set.period).label
        raise InvalidInputError("indicator.period_kind", period=period.label, set=indicator_set.title,
                                kind=Term("period_kind", indicator_set.period), example=example)
    if period.start > (today or date.today()):
        raise InvalidInputError("indicator.period_future", period=period.label)
    return period


# ---------------------------------------------------------------------------
# Snapshots and verdicts

_PARSED: OrderedDict[str, IndicatorSet] = OrderedDict()


def _snapshot_row(session: Session, indicator_set: IndicatorSet) -> IndicatorSnapshot:
    content, sha = indicator_set_snapshot_json(indicator_set)
    row = session.scalar(select(IndicatorSnapshot).where(IndicatorSnapshot.sha256 == sha))
    if row is None:
        row = IndicatorSnapshot(set_id=indicator_set.id, version=indicator_set.version, title=indicator_set.title,
                                sha256=sha, content=content)
        session.add(row)
        session.flush()
    elif row.deleted_at is not None:
        row.deleted_at = None
    return row


def _snapshot_set(session: Session, snapshot_id: str) -> IndicatorSet | None:
    row = session.get(IndicatorSnapshot, snapshot_id)
    if row is None:
        return None
    parsed = _PARSED.get(row.sha256)
    if parsed is None:
        try:
            parsed = indicator_set_from_snapshot(row.content)
        except ValueError:
            return None
        _PARSED[row.sha256] = parsed
        while len(_PARSED) > 16:
            _PARSED.popitem(last=False)
    return parsed


def _indicator_in(indicator_set: IndicatorSet | None, indicator_id: str) -> Indicator | None:
    if indicator_set is None:
        return None
    return next((i for _d, i in indicator_set.indicators() if i.id == indicator_id), None)


def _value_info(session: Session, row: IndicatorValue, profile: InstitutionProfile, library: Library,
                current: Indicator | None) -> IndicatorValueInfo:
    """The stored value, judged by the indicator as the snapshot it was entered against has it."""
    indicator = _indicator_in(_snapshot_set(session, row.snapshot_id), row.indicator_id) or current
    result: str | None = None
    target: IndicatorTarget | None = None
    if indicator is not None:
        try:
            verdict = indicator_verdict(indicator, row.value, profile, library.sources, Period.parse(row.period))
            result, target = verdict.result, verdict.target
        except InvalidInputError:
            result = None  # a value synced from elsewhere that is not a number: shown, not judged
    return IndicatorValueInfo(
        id=row.id, institution_id=row.institution_id, set_id=row.set_id, indicator_id=row.indicator_id,
        period=row.period, value=row.value, data_source=row.data_source, note=row.note, entered_by=row.entered_by,
        updated_at=row.updated_at, result=result, target=target,
    )


def clean_value(indicator: Indicator, value: str | float) -> str:
    """The value as stored: a number for figures, yes/no for yes-no questions, text otherwise."""
    text = str(value).strip()
    if not text:
        raise InvalidInputError("indicator.value_missing", indicator=indicator.name)
    kind = indicator.response.type
    if kind in ("number", "duration"):
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            raise InvalidInputError("indicator.value_not_number", indicator=indicator.name, value=text) from None
        if not math.isfinite(number):
            raise InvalidInputError("indicator.value_not_number", indicator=indicator.name, value=text)
        if number < 0 and (kind == "duration" or indicator.response.unit in ("%", "min", "天", "小时", "秒", "人次", "种")):
            raise InvalidInputError("indicator.value_negative", indicator=indicator.name, value=text)
        return f"{number:g}"
    if kind == "yesno":
        lowered = text.lower()
        if lowered in YES:
            return "yes"
        if lowered in NO:
            return "no"
        raise InvalidInputError("indicator.value_not_yes_no", indicator=indicator.name, value=text)
    if kind == "choice":
        options = [o.value for o in indicator.response.options]
        if text not in options:
            raise InvalidInputError("indicator.value_not_option", indicator=indicator.name, value=text, options=options)
    return text


# ---------------------------------------------------------------------------
# Entering values


def set_indicator_value(
    db: Database,
    *,
    institution: str,
    indicator: str,
    period: str,
    value: str | float,
    data_source: str | None = None,
    note: str = "",
    entered_by: str = "",
    library: Library | None = None,
    expected_updated_at: datetime | None = None,
    today: date | None = None,
) -> IndicatorValueInfo:
    """Record (or correct) one institution's value of one indicator for one period.

    Refused, changing nothing, when the indicator is not one the institution's documents
    require, the period is of the wrong kind or still to come, or the value does not fit
    the indicator (a number for figures). ``data_source`` defaults to the source the set
    suggests. ``expected_updated_at`` guards against overwriting a value changed elsewhere.
    """
    library = _library(library)
    indicator_set, _dimension, found = find_indicator(library, indicator)
    when = parse_period(period, indicator_set, today=today)
    stored = clean_value(found, value)
    source = (data_source if data_source is not None else "").strip() or found.data_source
    with db.session() as session:
        inst = require_institution(session, institution)
        profile = _profile(inst)
        if not indicator_applies(found, profile, library.sources):
            raise InvalidInputError("indicator.not_applicable", indicator=found.name, institution=inst.name,
                                    region=profile.region or Words("未填写", "not recorded"))
        snapshot = _snapshot_row(session, indicator_set)
        row = session.scalar(
            select(IndicatorValue).where(
                IndicatorValue.institution_id == inst.id,
                IndicatorValue.indicator_id == found.id,
                IndicatorValue.period == when.label,
            )
        )
        if row is not None and row.deleted_at is None:
            check_fresh(row.updated_at, expected_updated_at, Term("record", "indicator_value"))
        if row is None:
            row = IndicatorValue(institution_id=inst.id, indicator_id=found.id, period=when.label, set_id=indicator_set.id,
                                 snapshot_id=snapshot.id)
            session.add(row)
        row.deleted_at = None
        row.snapshot_id = snapshot.id
        row.set_id = indicator_set.id
        row.value = stored
        row.data_source = source
        row.note = note.strip()
        row.entered_by = entered_by.strip()
        session.flush()
        return _value_info(session, row, profile, library, found)


def clear_indicator_value(db: Database, *, institution: str, indicator: str, period: str,
                          library: Library | None = None, expected_updated_at: datetime | None = None) -> bool:
    """Withdraw a period's value (a tombstone, so the removal syncs); False when there was none."""
    library = _library(library)
    _set_of, _dimension, found = find_indicator(library, indicator)
    when = Period.parse(period)
    with db.session() as session:
        inst = require_institution(session, institution)
        row = session.scalar(
            select(IndicatorValue).where(
                IndicatorValue.institution_id == inst.id,
                IndicatorValue.indicator_id == found.id,
                IndicatorValue.period == when.label,
                IndicatorValue.deleted_at.is_(None),
            )
        )
        if row is None:
            return False
        check_fresh(row.updated_at, expected_updated_at, Term("record", "indicator_value"))
        row.deleted_at = utcnow()
        return True


# ---------------------------------------------------------------------------
# Reading: a period's sheet, values over periods, legacy answers


def _values(session: Session, inst_id: str, set_id: str | None = None) -> list[IndicatorValue]:
    query = select(IndicatorValue).where(IndicatorValue.institution_id == inst_id, IndicatorValue.deleted_at.is_(None))
    if set_id is not None:
        query = query.where(IndicatorValue.set_id == set_id)
    return list(session.scalars(query.order_by(IndicatorValue.period, IndicatorValue.indicator_id)).all())


def _former_ids(indicator_set: IndicatorSet) -> dict[str, str]:
    """Old item id (or the indicator's own id) -> the indicator that carries it on."""
    out: dict[str, str] = {}
    for _d, indicator in indicator_set.indicators():
        out[indicator.id] = indicator.id
        for old in indicator.formerly:
            out[old] = indicator.id
    return out


def legacy_values(session: Session, inst_id: str, indicator_set: IndicatorSet) -> list[LegacyValue]:
    """Answers old visits gave to items that are indicators of this set now (oldest first)."""
    former = _former_ids(indicator_set)
    rows = session.execute(
        select(Answer, Visit)
        .join(Visit, Visit.id == Answer.visit_id)
        .where(Visit.institution_id == inst_id, Visit.deleted_at.is_(None), Answer.deleted_at.is_(None),
               Answer.item_id.in_(list(former)))
        .order_by(Visit.visit_date, Answer.item_id)
    ).all()
    out = []
    for answer, visit in rows:
        if answer.result is None and not answer.value.strip():
            continue
        out.append(LegacyValue(
            visit_id=visit.id, report_number=visit.report_number, visit_date=visit.visit_date, item_id=answer.item_id,
            indicator_id=former[answer.item_id], period=Period.containing(visit.visit_date, indicator_set.period).label,
            value=answer.value, result=answer.result, note=answer.note,
        ))
    return out


def _documents(profile: InstitutionProfile, indicators: Iterable[Indicator], library: Library) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for indicator in indicators:
        for basis in local_requirements(indicator, profile, library.sources):
            names.setdefault(basis.source, None)
    return tuple(names)


def indicator_sheet(db: Database, *, institution: str, period: str, set_id: str | None = None,
                    library: Library | None = None, today: date | None = None) -> list[IndicatorSheet]:
    """The indicators the institution reports for ``period``, with what is filled in.

    One sheet per set reported by that kind of period (or the one ``set_id`` names);
    an institution no annex binds gets sheets without rows.
    """
    library = _library(library)
    sets = [_set(library, set_id)] if set_id else list(library.indicator_sets.values())
    out = []
    with db.session() as session:
        inst = require_institution(session, institution)
        profile = _profile(inst)
        region = institution_info(inst).region
        for indicator_set in sets:
            try:
                when = parse_period(period, indicator_set, today=today)
            except InvalidInputError:
                if set_id:
                    raise
                continue
            stored = {v.indicator_id: v for v in _values(session, inst.id, indicator_set.id) if v.period == when.label}
            legacy: dict[str, list[LegacyValue]] = {}
            for old in legacy_values(session, inst.id, indicator_set):
                if old.period == when.label:
                    legacy.setdefault(old.indicator_id, []).append(old)
            rows = []
            for dimension, indicator in indicator_set.indicators():
                if not indicator_applies(indicator, profile, library.sources):
                    continue
                row = stored.get(indicator.id)
                rows.append(IndicatorRow(
                    set_id=indicator_set.id, dimension_id=dimension.id, dimension_title=dimension.title,
                    dimension_title_en=dimension.title_en, indicator=indicator,
                    required_by=tuple(local_requirements(indicator, profile, library.sources)),
                    targets=tuple(targets_for(indicator, profile, library.sources)),
                    in_force=target_in_force(indicator, profile, library.sources, when.end),
                    value=_value_info(session, row, profile, library, indicator) if row is not None else None,
                    legacy=tuple(legacy.get(indicator.id, ())),
                ))
            out.append(IndicatorSheet(
                institution_id=inst.id, institution_name=inst.name, region=region, set_id=indicator_set.id,
                set_title=indicator_set.title, set_title_en=indicator_set.title_en, period=when.label,
                period_kind=indicator_set.period, rows=tuple(rows),
                documents=_documents(profile, (r.indicator for r in rows), library),
            ))
    if not out:
        kinds = list(dict.fromkeys(s.period for s in sets))
        raise InvalidInputError("indicator.period_kind_any", period=Period.parse(period).label,
                                kinds=[Term("period_kind", k) for k in kinds])
    return out


def list_indicator_values(db: Database, *, institution: str, set_id: str | None = None,
                          library: Library | None = None) -> list[IndicatorValueInfo]:
    """Every value the institution has reported (oldest period first), with its verdict."""
    library = _library(library)
    if set_id:
        _set(library, set_id)
    with db.session() as session:
        inst = require_institution(session, institution)
        profile = _profile(inst)
        out = []
        for row in _values(session, inst.id, set_id):
            current = None
            indicator_set = library.indicator_sets.get(row.set_id)
            if indicator_set is not None:
                current = _indicator_in(indicator_set, row.indicator_id)
            out.append(_value_info(session, row, profile, library, current))
        return out


def indicator_trend(db: Database, *, institution: str, set_id: str, first: str | None = None, last: str | None = None,
                    library: Library | None = None, today: date | None = None) -> IndicatorTrend:
    """The set's indicators of the institution across the periods with values (or ``first``…``last``).

    Rows are the indicators the institution reports today, plus any indicator it has a
    value for that it no longer reports (a region corrected since). Legacy answers of old
    visits fill a period that has no value of its own; all of them are listed in ``legacy``.
    """
    library = _library(library)
    indicator_set = _set(library, set_id)
    start = parse_period(first, indicator_set, today=today) if first else None
    end = parse_period(last, indicator_set, today=today) if last else None
    if start and end and start > end:
        raise InvalidInputError("indicator.periods_reversed", first=start.label, last=end.label)
    with db.session() as session:
        inst = require_institution(session, institution)
        info = institution_info(inst)
        profile = info.profile
        values = _values(session, inst.id, set_id)
        legacy = legacy_values(session, inst.id, indicator_set)

        def within(label: str) -> bool:
            p = Period.parse(label)
            return (start is None or p >= start) and (end is None or p <= end)

        labels = {v.period for v in values} | {old.period for old in legacy}
        if start and end:
            p = start
            while p <= end:
                labels.add(p.label)
                p = p.shifted(1)
        periods = tuple(sorted((lab for lab in labels if within(lab)), key=Period.parse))
        by_key = {(v.indicator_id, v.period): v for v in values}
        legacy_by_key: dict[tuple[str, str], LegacyValue] = {}
        for old in legacy:
            legacy_by_key.setdefault((old.indicator_id, old.period), old)
        with_values = {v.indicator_id for v in values}
        rows = []
        for dimension, indicator in indicator_set.indicators():
            applies = indicator_applies(indicator, profile, library.sources)
            if not applies and indicator.id not in with_values:
                continue
            cells = []
            for label in periods:
                row = by_key.get((indicator.id, label))
                cells.append(TrendCell(
                    period=label,
                    value=_value_info(session, row, profile, library, indicator) if row is not None else None,
                    legacy=legacy_by_key.get((indicator.id, label)) if row is None else None,
                ))
            rows.append(TrendRow(
                dimension_id=dimension.id, dimension_title=dimension.title, dimension_title_en=dimension.title_en,
                indicator=indicator, required_by=tuple(local_requirements(indicator, profile, library.sources)),
                targets=tuple(targets_for(indicator, profile, library.sources)), cells=tuple(cells),
            ))
        return IndicatorTrend(
            institution_id=inst.id, institution_name=inst.name, institution_level=inst.level,
            institution_kind=inst.kind, region=info.region, set_id=indicator_set.id, set_title=indicator_set.title,
            set_title_en=indicator_set.title_en, period_kind=indicator_set.period, periods=periods, rows=tuple(rows),
            legacy=tuple(old for old in legacy if within(old.period)),
            documents=_documents(profile, (r.indicator for r in rows), library),
        )


def value_text(indicator: Indicator, value: str, language: str) -> str:
    """A stored value as a reader reads it: "62.5%", "35 分钟", "是"."""
    from auditapp.terms import label

    if not value:
        return ""
    kind = indicator.response.type
    if kind == "yesno":
        return label("yes_no", value, language)
    if kind in ("number", "duration"):
        unit = unit_label(indicator.response.unit or ("min" if kind == "duration" else ""), language)
        sep = "" if unit in ("", "%") else " "
        return f"{value}{sep}{unit}"
    return value


def target_text(target: IndicatorTarget, indicator: Indicator, language: str) -> str:
    """"≥ 60%（2023-12-31 起，三级）" / "≥ 60% (from 2023-12-31, level 3)": the figure and when it holds."""
    from auditapp.terms import label

    unit = unit_label(indicator.response.unit, language)
    sep = "" if unit in ("", "%") else " "
    figure = f"{target.text()}{sep}{unit}"
    zh = language == "zh_CN"
    extra = []
    if target.due is not None:
        extra.append(f"{target.due.isoformat()} 起" if zh else f"from {target.due.isoformat()}")
    if target.levels:
        extra.append("、".join(label("level", n, language) for n in target.levels) if zh
                     else "level " + ", ".join(map(str, target.levels)))
    if target.aim:
        extra.append("力争" if zh else "aim")
    if not extra:
        return figure
    return f"{figure}（{'，'.join(extra)}）" if zh else f"{figure} ({', '.join(extra)})"
