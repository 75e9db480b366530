"""Plain data the report layouts print, detached from the database.

Loaders in ``auditapp.reports.data`` fill these from the services; layouts take only
these, so they can be tested and benchmarked without a database or checklist files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from auditapp.reports.images import PhotoRef

# Rectification statuses that still need work (same as the services' OPEN_STATUSES).
OPEN_STATUSES = ("open", "in_progress", "reported_fixed", "reopened")


@dataclass(frozen=True)
class Basis:
    """A citation: the document (full title when known), its clause and the quoted requirement."""

    document: str
    clause: str = ""
    quote: str = ""
    number: str = ""  # the document's number (文号), e.g. 淮卫办发〔2023〕88号


@dataclass(frozen=True)
class FindingEntry:
    id: str
    number: int
    text: str
    area: str = ""
    basis: tuple[Basis, ...] = ()
    severity: str = "minor"
    department: str = ""
    owner: str = ""
    deadline: date | None = None
    measures: str = ""
    status: str = ""  # rectification status; "" when the finding has none
    overdue: bool = False
    photos: tuple[PhotoRef, ...] = ()
    carried: bool = False
    item_id: str | None = None


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


@dataclass(frozen=True)
class RectificationListData:
    header: VisitHeader
    findings: tuple[FindingEntry, ...]
    open_only: bool = False


@dataclass(frozen=True)
class SectionScoreRow:
    title: str
    conform: int
    nonconform: int
    not_applicable: int
    weighted: int

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


@dataclass(frozen=True)
class JourneyRow:
    step: str
    label: str
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class TimingRow:
    """One measured interval (or a timed checklist item) against its target."""

    label: str
    minutes: float | None
    target: str = ""
    met: bool | None = None
    source: str = ""


@dataclass(frozen=True)
class PinRow:
    number: int
    kind: str
    x: float
    y: float
    label: str = ""
    status: str = ""


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
class InstitutionSummary:
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
