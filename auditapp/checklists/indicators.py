"""Evaluation indicators (评估指标): hospital statistics reported per period, not walked.

The city plans annex lists of indicators (渝北区 附件1, 27 items; 淮安市 附件, 30 items):
预约诊疗率, 分娩镇痛率 … figures a hospital takes from its information systems, which a
mystery patient cannot observe. They live in their own files (``checklists/indicators/``)
as an :class:`IndicatorSet`, apart from the walk's checklists, and are filled in per month
or quarter with the value, where it came from and a note.

An indicator belongs to the institutions of the cities whose annex lists it (its
``required_by`` bases, judged by jurisdiction like any basis), filtered by ▲/＃ tags as the
annexes mark them. One indicator listed by both annexes is one record with two annex
bases. Targets are attached to the document that sets them, with the institution levels
and the date they are due, so a Huaian hospital is never judged against a Yubei figure
and a 2025 goal does not judge a 2023 quarter.

Design for the indicator report (values per period, trend, print), built on this module:
a value record holds the institution, the indicator id, the period (:class:`Period`,
"2024-03" or "2024-Q1"), the value as text, the data source, a note, who entered it and
the sha256 of the indicator set snapshot it was entered against
(:func:`indicator_set_snapshot_json`); :func:`indicator_verdict` judges it against the
target in force at the period's end; a trend is the values of one indicator over periods.
Old visits' answers to the retired ``indicators`` checklist map onto indicators through
``formerly``.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator

from auditapp.checklists.applicability import InstitutionProfile, tags_hold
from auditapp.checklists.binding import basis_is_local, institution_region
from auditapp.checklists.schema import ID_PATTERN, ITEM_ID_PATTERN, Basis, Response, Strict, Tag
from auditapp.checklists.sources import SourceDocument
from auditapp.errors import InvalidInputError

PERIOD_KINDS = ("month", "quarter", "year")


class IndicatorTarget(Strict):
    """A figure a document sets for an indicator, cited like a basis.

    ``levels`` are the institution levels it is set for (empty: all); ``due`` the date by
    which it is to be reached (``2025-12-31`` for "2025年底"); ``aim`` marks 力争 (an aim the
    document hopes for) as opposed to 需达到/达到 (required).
    """

    source: str = Field(min_length=1)
    clause: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    op: Literal["<=", ">=", "<", ">", "=="]
    value: float
    levels: list[Annotated[int, Field(ge=1, le=3)]] = Field(default_factory=list)
    due: date | None = None
    aim: bool = False

    def holds(self, value: float) -> bool:
        return {
            "<=": value <= self.value,
            ">=": value >= self.value,
            "<": value < self.value,
            ">": value > self.value,
            "==": value == self.value,
        }[self.op]

    def text(self) -> str:
        number = int(self.value) if self.value == int(self.value) else self.value
        sign = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "="}[self.op]
        return f"{sign} {number}"

    def as_basis(self) -> Basis:
        return Basis(source=self.source, clause=self.clause, quote=self.quote)


class Indicator(Strict):
    """One indicator: what is counted, where the annexes list it, what it is judged against."""

    id: Annotated[str, Field(pattern=ITEM_ID_PATTERN)]
    name: str = Field(min_length=1)
    name_en: str = ""
    definition: str = ""
    definition_en: str = ""
    # The clauses that make an institution report this figure: the annex entries (附件1 指标11),
    # or the sentence of a plan that sets a statistic. They decide who reports it.
    required_by: list[Basis] = Field(min_length=1)
    basis: list[Basis] = Field(default_factory=list)
    response: Response = Field(default_factory=lambda: Response(type="number"))
    targets: list[IndicatorTarget] = Field(default_factory=list)
    applies: list[Tag] = Field(default_factory=list)
    department: str = ""
    data_source: str = ""
    data_source_en: str = ""
    formerly: list[Annotated[str, Field(pattern=ITEM_ID_PATTERN)]] = Field(default_factory=list)

    @field_validator("response", mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        if isinstance(value, str):
            return {"type": value}
        return value

    def all_bases(self) -> list[Basis]:
        return [*self.required_by, *self.basis, *(t.as_basis() for t in self.targets)]


class Dimension(Strict):
    """A dimension of the annexes (诊前, 门诊, 急诊急救, 住院, 诊后, 全程)."""

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    title: str = Field(min_length=1)
    title_en: str = ""
    indicators: list[Indicator] = Field(min_length=1)


class IndicatorSet(Strict):
    schema_: Literal[1] = Field(default=1, alias="schema")
    kind: Literal["indicators"] = "indicators"
    id: Annotated[str, Field(pattern=ID_PATTERN)]
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    title_en: str = ""
    description: str = ""
    period: Literal["month", "quarter", "year"] = "quarter"
    dimensions: list[Dimension] = Field(min_length=1)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def indicators(self) -> Iterator[tuple[Dimension, Indicator]]:
        for dimension in self.dimensions:
            for indicator in dimension.indicators:
                yield dimension, indicator


# ---------------------------------------------------------------------------
# Which indicators an institution reports, and against what


def indicator_applies(indicator: Indicator, profile: InstitutionProfile, sources: Mapping[str, SourceDocument]) -> bool:
    """The institution's own authority requires the figure (annex or plan), and its ▲/＃ tags hold."""
    region = institution_region(profile, sources)
    listed = any(basis_is_local(b, profile, sources, region) for b in indicator.required_by)
    return listed and tags_hold(list(indicator.applies), profile)


def applicable_indicators(
    indicator_set: IndicatorSet, profile: InstitutionProfile, sources: Mapping[str, SourceDocument]
) -> list[tuple[Dimension, Indicator]]:
    """The indicators this institution reports, by dimension; none outside the annexes' cities."""
    return [(d, i) for d, i in indicator_set.indicators() if indicator_applies(i, profile, sources)]


def local_requirements(indicator: Indicator, profile: InstitutionProfile, sources: Mapping[str, SourceDocument]) -> list[Basis]:
    """The clauses that make this institution report the indicator (the ones its report cites)."""
    region = institution_region(profile, sources)
    return [b for b in indicator.required_by if basis_is_local(b, profile, sources, region)]


def targets_for(indicator: Indicator, profile: InstitutionProfile, sources: Mapping[str, SourceDocument]) -> list[IndicatorTarget]:
    """The targets set for this institution by its own documents, earliest due first."""
    region = institution_region(profile, sources)
    mine = [
        t for t in indicator.targets
        if basis_is_local(t.as_basis(), profile, sources, region) and (not t.levels or profile.level in t.levels)
    ]
    return sorted(mine, key=lambda t: (t.due or date.min, t.value))


def target_in_force(
    indicator: Indicator, profile: InstitutionProfile, sources: Mapping[str, SourceDocument], on: date
) -> IndicatorTarget | None:
    """The target that judges a value of a period ending ``on``: the latest one already due.

    A target without a due date is always in force. Targets not yet due are goals to show,
    not to judge by (:func:`targets_for` lists them).
    """
    due = [t for t in targets_for(indicator, profile, sources) if t.due is None or t.due <= on]
    return due[-1] if due else None


@dataclass(frozen=True)
class IndicatorVerdict:
    """A value judged: ``result`` conform/nonconform, or None when no target is in force."""

    result: str | None
    target: IndicatorTarget | None


def indicator_verdict(
    indicator: Indicator, value: float | str, profile: InstitutionProfile,
    sources: Mapping[str, SourceDocument], period: Period,
) -> IndicatorVerdict:
    """Judge a reported value against the target in force at the end of its period."""
    if indicator.response.type not in ("number", "duration"):
        return IndicatorVerdict(None, None)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInputError("indicator.value_not_number", indicator=indicator.id, value=str(value)) from None
    target = target_in_force(indicator, profile, sources, period.end)
    if target is None:
        return IndicatorVerdict(None, None)
    return IndicatorVerdict("conform" if target.holds(number) else "nonconform", target)


# ---------------------------------------------------------------------------
# Periods


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: a month ("2024-03"), a quarter ("2024-Q1") or a year ("2024")."""

    start: date
    end: date
    kind: str

    @classmethod
    def parse(cls, text: str) -> Period:
        raw = (text or "").strip()
        if m := _MONTH.match(raw):
            year, month = int(m.group(1)), int(m.group(2))
            if 1 <= month <= 12:
                return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month")
        elif m := _QUARTER.match(raw):
            year, quarter = int(m.group(1)), int(m.group(2))
            first = 3 * quarter - 2
            return cls(date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1]), "quarter")
        elif m := _YEAR.match(raw):
            year = int(m.group(1))
            return cls(date(year, 1, 1), date(year, 12, 31), "year")
        raise InvalidInputError("indicator.bad_period", period=raw)

    @classmethod
    def containing(cls, day: date, kind: str) -> Period:
        """The month, quarter or year ``day`` falls in."""
        if kind == "month":
            return cls.parse(f"{day.year}-{day.month:02d}")
        if kind == "quarter":
            return cls.parse(f"{day.year}-Q{(day.month + 2) // 3}")
        return cls.parse(str(day.year))

    def shifted(self, steps: int) -> Period:
        """The period ``steps`` periods later (earlier when negative), of the same kind."""
        months = {"month": 1, "quarter": 3, "year": 12}[self.kind] * steps
        index = self.start.year * 12 + self.start.month - 1 + months
        return Period.containing(date(index // 12, index % 12 + 1, 1), self.kind)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month + 2) // 3}"
        return str(self.start.year)


# ---------------------------------------------------------------------------
# Snapshots


def indicator_set_snapshot_json(indicator_set: IndicatorSet) -> tuple[str, str]:
    """Canonical JSON and its sha256, stored with reported values so old reports never change."""
    data = indicator_set.model_dump(mode="json", by_alias=True)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def indicator_set_from_snapshot(json_text: str) -> IndicatorSet:
    return IndicatorSet.model_validate_json(json_text)
