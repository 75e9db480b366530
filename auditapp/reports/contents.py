"""Plain data the report layouts print, detached from the database.

Loaders in ``auditapp.reports.data`` fill these from the services; layouts take only
these, so they can be tested and benchmarked without a database or checklist files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from auditapp.reports.images import PhotoRef
from auditapp.scoring import Coverage, Score

# The coverage of nothing (no items, none answered): the default of rows without a figure.
NO_COVERAGE = Coverage(0, 0)


@dataclass(frozen=True)
class Basis:
    """A citation: the document (full title when known), its clause and the quoted requirement."""

    document: str
    clause: str = ""
    quote: str = ""
    number: str = ""  # the document's number (文号), e.g. 淮卫办发〔2023〕88号
    inferred: bool = False  # the clause label was inferred from the passage's position

    def clause_text(self, chinese: bool = True) -> str:
        """The clause as printed, marked when inferred (the same words as ``schema.Basis.label``)."""
        if not self.inferred or not self.clause:
            return self.clause
        return f"{self.clause}（条款号推定）" if chinese else f"{self.clause} (inferred)"


@dataclass(frozen=True)
class JurisdictionLine:
    """Which documents bind the visited institution, and what that makes of the visit's items.

    ``binding_nonconform`` / ``reference_nonconform`` split the non-conformities between
    items the institution's own documents require (本地要求) and good practice written
    elsewhere (参考); ``outside``: no document's region holds the institution.
    """

    region: str
    documents: tuple[str, ...]
    outside: bool
    binding_items: int
    reference_items: int
    binding_nonconform: int
    reference_nonconform: int
    binding_only: bool = False


@dataclass(frozen=True)
class Measured:
    """A measured value against its target: value "60", unit "min", target "≤ 30" (``Target.text()``)."""

    value: str
    unit: str = ""
    target: str = ""


@dataclass(frozen=True)
class Place:
    """Where on a floor plan a finding (or its answer) is pinned."""

    plan: str
    floor: str = ""
    pin: str = ""  # the pin's label, or its number on the plan when it has none


@dataclass(frozen=True)
class FindingEntry:
    """One problem as the rectification list and the follow-up report print it.

    ``text`` is the problem statement (what to fix: the item's problem statement, or a
    free finding's text), never the checklist question; ``observed`` is what the
    inspector noted on the spot.
    """

    id: str
    number: int
    text: str
    area: str = ""
    observed: str = ""
    measured: Measured | None = None
    places: tuple[Place, ...] = ()
    basis: tuple[Basis, ...] = ()
    severity: str = "minor"
    department: str = ""
    owner: str = ""
    deadline: date | None = None
    measures: str = ""
    status: str = ""  # rectification status; "" when the finding has none
    is_open: bool = True  # the rectification still needs work (the services' open statuses)
    overdue: bool = False
    photos: tuple[PhotoRef, ...] = ()
    carried: bool = False
    item_id: str | None = None
    binding: bool | None = None  # its item binds the institution (本地要求); None: a free problem or unknown


@dataclass(frozen=True)
class VisitHeader:
    institution: str
    visit_dates: tuple[date, ...]
    mode: str = "self"
    inspector: str = ""
    report_number: str = ""
    status: str = ""
    title: str = ""
    institution_kind: str = ""
    institution_level: int = 0
    coverage: Coverage | None = None  # None when not known (layout tests)
    amendment_reasons: tuple[str, ...] = ()  # changed after finalizing (修改，需说明原因), oldest first


@dataclass(frozen=True)
class RectificationListData:
    header: VisitHeader
    findings: tuple[FindingEntry, ...]
    open_only: bool = False
    jurisdiction: JurisdictionLine | None = None


@dataclass(frozen=True)
class SectionScoreRow:
    title: str
    conform: int
    nonconform: int
    not_applicable: int
    weighted: int
    coverage: Coverage | None = None

    @classmethod
    def of(cls, title: str, score: Score, coverage: Coverage | None = None) -> SectionScoreRow:
        """The row of a score as the scoring counts it (a visit's, a section's, an institution's)."""
        return cls(title=title, conform=score.conform, nonconform=score.nonconform,
                   not_applicable=score.not_applicable, weighted=score.weighted_nonconform, coverage=coverage)

    @property
    def rate(self) -> float | None:
        judged = self.conform + self.nonconform
        return self.conform / judged if judged else None


@dataclass(frozen=True)
class AnswerRow:
    section: str
    item_id: str
    question: str
    result: str | None
    value: str = ""
    unit: str = ""
    target: str = ""
    note: str = ""
    severity: str = ""
    department: str = ""
    photo_count: int = 0
    basis: tuple[Basis, ...] = ()
    binding: bool | None = None  # 本地要求 (True) or 参考 (False); None when not known


@dataclass(frozen=True)
class JourneyRow:
    step: str
    label: str
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class TimingRow:
    """One measured interval (or a timed checklist item) against its target.

    ``minutes`` is negative when the later step came first (seen before the booked time).
    """

    label: str
    minutes: float | None
    target: str = ""  # "≤ 30", without the unit (minutes)
    met: bool | None = None
    source: str = ""


@dataclass(frozen=True)
class PinRow:
    number: int
    kind: str
    x: float
    y: float
    label: str = ""
    status: str = ""  # stored AED state ("" = not checked); only for AED pins


@dataclass(frozen=True)
class FloorPlanData:
    name: str
    floor: str
    image: PhotoRef | None
    pins: tuple[PinRow, ...] = ()


@dataclass(frozen=True)
class VisitReportData:
    header: VisitHeader
    overall: SectionScoreRow
    sections: tuple[SectionScoreRow, ...]
    answers: tuple[AnswerRow, ...]
    journey: tuple[JourneyRow, ...] = ()
    timings: tuple[TimingRow, ...] = ()
    floor_plans: tuple[FloorPlanData, ...] = ()
    findings_count: int = 0
    open_rectifications: int = 0
    coverage: Coverage = NO_COVERAGE
    jurisdiction: JurisdictionLine | None = None


@dataclass(frozen=True)
class StatusEvent:
    at: datetime
    status_from: str | None
    status_to: str
    note: str = ""
    actor: str = ""


@dataclass(frozen=True)
class FollowUpEntry:
    finding: FindingEntry
    visit_date: date
    report_number: str
    after_photos: tuple[PhotoRef, ...] = ()
    history: tuple[StatusEvent, ...] = ()
    verified_at: datetime | None = None


@dataclass(frozen=True)
class FollowUpData:
    institution: str
    entries: tuple[FollowUpEntry, ...]
    as_of: date = field(default_factory=date.today)


@dataclass(frozen=True)
class VisitCoverage:
    """A visit of the summary with its coverage (incomplete ones are listed, not scored)."""

    institution: str
    visit_date: date
    report_number: str
    coverage: Coverage
    rate: float | None


@dataclass(frozen=True)
class InstitutionSummary:
    """One institution of the bureau summary; scores count its complete visits only."""

    name: str
    kind: str
    visits: int
    overall: SectionScoreRow
    themes: dict[str, SectionScoreRow]
    open_rectifications: int
    overdue_rectifications: int
    verified_rectifications: int
    findings: int
    monthly: dict[str, float]  # "2026-10" -> conformity rate 0–1
    complete_visits: int = 0
    coverage: Coverage = NO_COVERAGE  # of the visits scored (the complete ones)
    coverage_all: Coverage = NO_COVERAGE  # of all its visits in the range

    @property
    def ranked(self) -> bool:
        """Only institutions with a complete visit (and a judged item) take part in the ranking."""
        return self.complete_visits > 0 and self.overall.rate is not None


@dataclass(frozen=True)
class ProblemCount:
    text: str
    count: int
    institutions: int
    basis: tuple[Basis, ...] = ()


@dataclass(frozen=True)
class SummaryData:
    institutions: tuple[InstitutionSummary, ...]
    themes: tuple[str, ...]
    problems: tuple[ProblemCount, ...]
    months: tuple[str, ...]
    date_from: date | None = None
    date_to: date | None = None
    incomplete: tuple[VisitCoverage, ...] = ()
