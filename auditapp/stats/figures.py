"""The dashboard's figures, computed once for the GUI, ``auditapp stats`` and the bureau summary PDF.

Every figure is a grouped SQL query over the scope's visits (see :mod:`auditapp.stats.scope`);
Python folds only aggregated rows (one per visit, per item, per department …), never
ORM objects. The visits of a computation are first written to a temporary table with
their order within the institution and whether they are complete
(``auditapp.scoring.Coverage.complete``), so later queries join on it instead of
repeating the coverage sums. Scores, coverage, the heat map and section scores read the
answers' sums per visit and checklist section (:mod:`auditapp.stats.sections`, ~45 rows
a visit, cached on SQLite) instead of every answer; recurring problems and the ranking's
uncommon items read the few answers they need.

Rules taken from the core rather than restated:
- conformity = conform / (conform + nonconform), severity weights from ``scoring``;
- coverage and the incomplete-visit threshold from ``scoring.Coverage``; scores, trend,
  heat map and ranking count complete visits only, incomplete ones are listed and flagged;
- open / done / overdue from ``rules.rectification`` (OPEN_STATUSES, DONE_STATUSES, is_overdue).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa

from auditapp.db import Database
from auditapp.db.models import (
    Answer,
    Department,
    Finding,
    Institution,
    Rectification,
    Visit,
    VisitChecklist,
)
from auditapp.language import current_language
from auditapp.rules.duty import RANKING_PERIOD_MONTHS
from auditapp.rules.rectification import DONE_STATUSES
from auditapp.scoring import Coverage, Score
from auditapp.stats.items import ItemLabel, item_labels, section_order
from auditapp.stats.scope import (
    OPEN_STATUS_VALUES,
    Scope,
    days_between,
    overdue_condition,
    visit_conditions,
)
from auditapp.stats.sections import JUDGED, SECTIONS, WEIGHT, count_if, section_sums

_T = TypeVar("_T")

# ---------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class VisitFigure:
    id: str
    institution_id: str
    institution_name: str
    visit_date: date
    month: str
    mode: str
    inspector: str
    status: str
    report_number: str
    score: Score
    coverage: Coverage
    seq: int = 0  # order within the institution's visits in the scope (1 = first)

    @property
    def complete(self) -> bool:
        return self.coverage.complete

    @property
    def rate(self) -> float | None:
        return self.score.rate


@dataclass(frozen=True)
class MonthFigure:
    """One month of the trend: the score of its complete visits, the coverage of all."""

    month: str
    score: Score
    coverage: Coverage
    visits: int
    incomplete_visits: int
    visit_ids: tuple[str, ...]

    @property
    def rate(self) -> float | None:
        return self.score.rate


@dataclass(frozen=True)
class DepartmentFigure:
    department: str  # '' when no department is responsible yet
    total: int
    open: int
    overdue: int
    done: int
    median_days_to_close: float | None

    @property
    def closure_rate(self) -> float | None:
        return self.done / self.total if self.total else None


@dataclass(frozen=True)
class RectificationFigures:
    by_department: tuple[DepartmentFigure, ...]
    total: int
    open: int
    overdue: int
    done: int
    median_days_to_close: float | None

    @property
    def closure_rate(self) -> float | None:
        return self.done / self.total if self.total else None


@dataclass(frozen=True)
class RecurringProblem:
    """屡查屡犯: one item nonconforming on consecutive visits of one institution."""

    institution_id: str
    institution_name: str
    item_id: str
    text: str
    section: str
    visits: int  # length of the run of consecutive visits
    first_date: date
    last_date: date
    visit_ids: tuple[str, ...]
    ongoing: bool  # the run reaches the institution's latest visit in the scope


@dataclass(frozen=True)
class FrequentProblem:
    """A problem (an item, or the text of a free finding) by how often it was found."""

    key: str
    item_id: str | None
    text: str
    section: str
    findings: int
    visits: int
    institutions: int
    basis: tuple[tuple[str, str, str], ...] = ()  # the item's citations: (source, clause, quote)


@dataclass(frozen=True)
class HeatMap:
    """Conformity per area (checklist section) and month, complete visits only."""

    sections: tuple[tuple[str, str], ...]  # (key "checklist/section", title)
    months: tuple[str, ...]
    cells: dict[tuple[str, str], Score]  # (section key, month) -> score

    def rate(self, section: str, month: str) -> float | None:
        score = self.cells.get((section, month))
        return score.rate if score else None


@dataclass(frozen=True)
class RankRow:
    institution_id: str
    name: str
    kind: str
    score: Score  # on the common items, complete visits of the period
    coverage: Coverage  # all visits of the period
    visits: int
    complete_visits: int
    previous_rate: float | None  # the same items, the previous period
    rank: int | None = None
    incomplete_visit_ids: tuple[str, ...] = ()

    @property
    def ranked(self) -> bool:
        return self.rank is not None

    @property
    def rate(self) -> float | None:
        return self.score.rate

    @property
    def change(self) -> float | None:
        if self.rate is None or self.previous_rate is None:
            return None
        return self.rate - self.previous_rate


@dataclass(frozen=True)
class Ranking:
    rows: tuple[RankRow, ...]
    common_items: tuple[str, ...]  # items judged in every ranked institution's complete visits
    previous_from: date | None
    previous_to: date | None


@dataclass(frozen=True)
class InstitutionFigure:
    """One institution's line of the bureau summary (scores: complete visits only)."""

    institution_id: str
    name: str
    kind: str
    visits: int
    complete_visits: int
    overall: Score
    coverage: Coverage  # of all its visits
    coverage_scored: Coverage  # of the complete visits, the ones scored
    monthly: dict[str, float]  # "2026-10" -> conformity rate of that month's complete visits
    sections: dict[str, Score]  # section key -> score; titles in Dashboard.section_titles
    findings: int
    open_rectifications: int
    overdue_rectifications: int
    done_rectifications: int


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    today: date
    language: str
    visits: tuple[VisitFigure, ...]
    months: tuple[MonthFigure, ...]
    rectifications: RectificationFigures
    recurring: tuple[RecurringProblem, ...]
    frequent: tuple[FrequentProblem, ...]
    heatmap: HeatMap
    ranking: Ranking
    timings_ms: dict[str, float] = field(default_factory=dict, compare=False)
    # Filled when asked for (the bureau summary): per institution, with section scores.
    institutions: tuple[InstitutionFigure, ...] = ()
    section_titles: dict[str, str] = field(default_factory=dict)

    @property
    def incomplete_visits(self) -> tuple[VisitFigure, ...]:
        return tuple(v for v in self.visits if not v.complete)

    @property
    def overall(self) -> Score:
        return _sum_scores(v.score for v in self.visits if v.complete)

    @property
    def coverage(self) -> Coverage:
        total = Coverage(0, 0)
        for v in self.visits:
            total = total + v.coverage
        return total


def _median(histogram: list[tuple[int, int]]) -> float | None:
    """Median of values given as sorted (value, count) pairs (mean of the middle two when even)."""
    n = sum(count for _v, count in histogram)
    if n == 0:
        return None
    lower, upper = (n - 1) // 2, n // 2  # 0-based positions of the middle value(s)
    seen = 0
    low_value = None
    for value, count in histogram:
        if low_value is None and seen + count > lower:
            low_value = value
        if seen + count > upper:
            return (low_value + value) / 2  # type: ignore[operator]
        seen += count
    return None


def _sum_scores(scores: object) -> Score:
    c = n = na = w = 0
    for s in scores:  # type: ignore[attr-defined]
        c, n, na, w = c + s.conform, n + s.nonconform, na + s.not_applicable, w + s.weighted_nonconform
    return Score(conform=c, nonconform=n, not_applicable=na, weighted_nonconform=w)


# ---------------------------------------------------------------------------
# SQL building blocks

_A = Answer.__table__
_V = Visit.__table__
_I = Institution.__table__
_VC = VisitChecklist.__table__
_F = Finding.__table__
_R = Rectification.__table__
_D = Department.__table__


_count_if = count_if
_JUDGED = JUDGED
_WEIGHT = WEIGHT


def _temp_visits_table(metadata: sa.MetaData) -> sa.Table:
    name = f"stats_visits_{uuid.uuid4().hex[:8]}"
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("institution_id", sa.String(36), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("complete", sa.Integer, nullable=False),
        sa.Column("period", sa.Integer, nullable=False),  # 0 the scope's period, 1 the previous one
        prefixes=["TEMPORARY"],
        sqlite_with_rowid=False,  # joined by id: one b-tree probe instead of index + row
    )


def previous_period(scope: Scope) -> tuple[date, date] | None:
    """The period of the same length just before the scope's (for "change since")."""
    if scope.date_from is None or scope.date_to is None:
        return None
    length = scope.date_to - scope.date_from
    prev_to = scope.date_from - timedelta(days=1)
    return prev_to - length, prev_to


def default_period(today: date, months: int = RANKING_PERIOD_MONTHS) -> tuple[date, date]:
    """The last ``months`` whole months up to today (the half-year of huaian-2023 三(二)2)."""
    from auditapp.rules.duty import last_months, parse_month

    return parse_month(last_months(months, today)[0]), today


# ---------------------------------------------------------------------------
# the computation


class _Run:
    """One computation on one connection (the temporary visit table lives as long as it)."""

    def __init__(self, conn: sa.Connection, scope: Scope, today: date, language: str) -> None:
        self.conn = conn
        self.scope = scope
        self.today = today
        self.language = language
        self.dialect = conn.dialect.name
        self.metadata = sa.MetaData()
        self.sv = _temp_visits_table(self.metadata)
        self.labels: dict[str, ItemLabel] = {}
        self.names: dict[str, tuple[str, str]] = {}
        self.vs: sa.Table = SECTIONS  # per (visit, section) answer sums, see prepare_sections

    def prepare_sections(self, scope: Scope, prev: tuple[date, date] | None) -> None:
        """Answer sums per visit and section for the scope's visits and the previous period's."""
        wide = scope.with_dates(prev[0], scope.date_to) if prev else scope
        self.vs = section_sums(self.conn, self.metadata, self.labels, visit_conditions(wide))

    # -- visits ------------------------------------------------------------------

    def visit_rows(self, scope: Scope) -> list[VisitFigure]:
        applicable = (
            sa.select(sa.func.coalesce(sa.func.sum(sa.func.json_array_length(_VC.c.applicable_item_ids)), 0))
            .where(_VC.c.visit_id == _V.c.id, _VC.c.deleted_at.is_(None))
            .scalar_subquery()
        )
        vs = self.vs

        def summed(column: sa.ColumnElement[int]) -> sa.ColumnElement[int]:
            return sa.func.coalesce(sa.func.sum(column), 0)

        query = (
            sa.select(
                _V.c.id, _V.c.institution_id, _V.c.visit_date, _V.c.mode, _V.c.inspector, _V.c.status,
                _V.c.report_number,
                summed(vs.c.conform), summed(vs.c.nonconform), summed(vs.c.not_applicable),
                summed(vs.c.weighted_nonconform), summed(vs.c.answered),
                applicable,
            )
            .select_from(_V.outerjoin(vs, vs.c.visit_id == _V.c.id))
            .where(*visit_conditions(scope))
            .group_by(_V.c.id)
            .order_by(_V.c.institution_id, _V.c.visit_date, _V.c.started_at, _V.c.id)
        )
        out: list[VisitFigure] = []
        seq: dict[str, int] = defaultdict(int)
        for row in self.conn.execute(query):
            vid, inst, day, mode, inspector, status, number, c, n, na, w, answered, total = row
            seq[inst] += 1
            day = day if isinstance(day, date) else date.fromisoformat(str(day))
            out.append(
                VisitFigure(
                    id=vid, institution_id=inst, institution_name=self.names.get(inst, ("", ""))[0],
                    visit_date=day, month=f"{day.year:04d}-{day.month:02d}", mode=mode, inspector=inspector,
                    status=status, report_number=number,
                    score=Score(conform=int(c), nonconform=int(n), not_applicable=int(na), weighted_nonconform=int(w)),
                    coverage=Coverage(answered=int(answered), applicable=max(int(total) - int(na), 0)),
                    seq=seq[inst],
                )
            )
        return out

    def load_names(self) -> None:
        rows = self.conn.execute(sa.select(_I.c.id, _I.c.name, _I.c.kind).where(_I.c.deleted_at.is_(None)))
        self.names = {r.id: (r.name, r.kind) for r in rows}

    def fill_temp(self, current: list[VisitFigure], previous: list[VisitFigure]) -> None:
        self.sv.create(self.conn)
        rows = [
            {"id": v.id, "institution_id": v.institution_id, "month": v.month, "seq": v.seq,
             "complete": int(v.complete), "period": period}
            for period, visits in ((0, current), (1, previous))
            for v in visits
        ]
        if rows:
            self.conn.execute(sa.insert(self.sv), rows)

    def drop_temp(self) -> None:
        """Drop every temporary table of the computation (pooled connections outlive it)."""
        self.metadata.drop_all(self.conn, checkfirst=True)

    # -- figures -----------------------------------------------------------------

    def months(self, visits: list[VisitFigure]) -> tuple[MonthFigure, ...]:
        by_month: dict[str, list[VisitFigure]] = defaultdict(list)
        for v in visits:
            by_month[v.month].append(v)
        out = []
        for month in sorted(by_month):
            rows = by_month[month]
            coverage = Coverage(0, 0)
            for v in rows:
                coverage = coverage + v.coverage
            out.append(
                MonthFigure(
                    month=month,
                    score=_sum_scores(v.score for v in rows if v.complete),
                    coverage=coverage,
                    visits=len(rows),
                    incomplete_visits=sum(1 for v in rows if not v.complete),
                    visit_ids=tuple(v.id for v in rows),
                )
            )
        return tuple(out)

    def rectifications(self) -> RectificationFigures:
        """Open, overdue and done rectifications by department, with the median days to close.

        One grouped query by (department, open, overdue, days to close), sorted by days:
        counts are sums of its rows and each median is read off the cumulative counts
        (SQLite has no MEDIAN, and this needs no second pass). Days run from the visit
        that found the problem to its verification (or closing).
        """
        sv = self.sv
        days = days_between(self.dialect, _V.c.visit_date, sa.func.coalesce(_R.c.verified_at, _R.c.closed_at))
        done = _R.c.status.in_(DONE_STATUSES)
        department = sa.func.coalesce(_D.c.name, "")
        is_open = sa.case((_R.c.status.in_(OPEN_STATUS_VALUES), 1), else_=0)
        overdue = sa.case((overdue_condition(_R.c.deadline, _R.c.status, self.today), 1), else_=0)
        days_done = sa.case((done, days), else_=None)
        # Computed columns in a subquery, grouped outside by name: PostgreSQL does not see two
        # renderings of an expression with bound parameters as the same GROUP BY term.
        inner = (
            sa.select(department.label("dept"), is_open.label("is_open"), overdue.label("late"),
                      sa.case((done, 1), else_=0).label("finished"), days_done.label("days"))
            .select_from(
                _R.join(_F, _F.c.id == _R.c.finding_id)
                .join(sv, sv.c.id == _F.c.visit_id)
                .join(_V, _V.c.id == _F.c.visit_id)
                .outerjoin(_D, _D.c.id == _R.c.department_id)
            )
            .where(sv.c.period == 0, _R.c.deleted_at.is_(None), _F.c.deleted_at.is_(None), _F.c.carried_from_id.is_(None))
            .subquery()
        )
        keys = (inner.c.dept, inner.c.is_open, inner.c.late, inner.c.finished, inner.c.days)
        rows = self.conn.execute(
            sa.select(*keys, sa.func.count()).group_by(*keys).order_by(inner.c.days)
        ).all()
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # total, open, overdue, done
        histograms: dict[str | None, list[tuple[int, int]]] = defaultdict(list)  # sorted (days, count)
        for dept, open_, late, finished, day_count, count in rows:
            t = totals[dept]
            t[0] += count
            t[1] += count * open_
            t[2] += count * late
            t[3] += count * finished
            if day_count is not None:
                histograms[dept].append((int(day_count), int(count)))
                histograms[None].append((int(day_count), int(count)))
        histograms[None].sort()
        by_dept = tuple(
            sorted(
                (
                    DepartmentFigure(department=dept, total=t[0], open=t[1], overdue=t[2], done=t[3],
                                     median_days_to_close=_median(histograms.get(dept, [])))
                    for dept, t in totals.items()
                ),
                key=lambda d: (-d.open, -d.overdue, d.department),
            )
        )
        return RectificationFigures(
            by_department=by_dept,
            total=sum(d.total for d in by_dept),
            open=sum(d.open for d in by_dept),
            overdue=sum(d.overdue for d in by_dept),
            done=sum(d.done for d in by_dept),
            median_days_to_close=_median(histograms[None]),
        )

    def recurring(self, visits: list[VisitFigure]) -> tuple[RecurringProblem, ...]:
        """Runs of consecutive visits (by their order in the institution) with the item nonconforming.

        Gaps and islands: within an (institution, item) the visit numbers of its
        nonconformities minus their row number is constant along a run.
        """
        sv = self.sv
        # visit_id IN (…) AND result = … seeks the stats index per visit instead of scanning it.
        nc = (
            sa.select(sv.c.institution_id, _A.c.item_id, sv.c.seq)
            .select_from(_A.join(sv, sv.c.id == _A.c.visit_id))
            .where(
                _A.c.visit_id.in_(sa.select(sv.c.id).where(sv.c.period == 0)),
                _A.c.result == "nonconform",
                _A.c.deleted_at.is_(None),
            )
            .subquery()
        )
        islands = sa.select(
            nc.c.institution_id, nc.c.item_id, nc.c.seq,
            (nc.c.seq - sa.func.row_number().over(partition_by=[nc.c.institution_id, nc.c.item_id], order_by=nc.c.seq)).label("island"),
        ).subquery()
        rows = self.conn.execute(
            sa.select(islands.c.institution_id, islands.c.item_id, sa.func.min(islands.c.seq), sa.func.max(islands.c.seq))
            .group_by(islands.c.institution_id, islands.c.item_id, islands.c.island)
            .having(sa.func.count() >= 2)
        ).all()
        by_seq = {(v.institution_id, v.seq): v for v in visits}
        last_seq: dict[str, int] = defaultdict(int)
        for v in visits:
            last_seq[v.institution_id] = max(last_seq[v.institution_id], v.seq)
        out = []
        for inst, item, first, last in rows:
            run = [by_seq[(inst, s)] for s in range(int(first), int(last) + 1)]
            label = self.labels.get(item)
            out.append(
                RecurringProblem(
                    institution_id=inst, institution_name=self.names.get(inst, ("", ""))[0], item_id=item,
                    text=label.problem(self.language) if label else item,
                    section=label.section(self.language) if label else "",
                    visits=len(run), first_date=run[0].visit_date, last_date=run[-1].visit_date,
                    visit_ids=tuple(v.id for v in run), ongoing=int(last) == last_seq[inst],
                )
            )
        out.sort(key=lambda r: (not r.ongoing, -r.visits, r.institution_name, r.item_id))
        return tuple(out)

    def frequent(self, limit: int) -> tuple[FrequentProblem, ...]:
        """Problems found most often: checklist items by id, free findings by their text."""
        sv = self.sv
        key = sa.func.coalesce(_F.c.item_id, _F.c.text)
        rows = self.conn.execute(
            sa.select(
                key.label("key"),
                sa.func.max(_F.c.item_id),
                sa.func.count(),
                sa.func.count(sa.distinct(_F.c.visit_id)),
                sa.func.count(sa.distinct(sv.c.institution_id)),
            )
            .select_from(_F.join(sv, sv.c.id == _F.c.visit_id))
            .where(sv.c.period == 0, _F.c.deleted_at.is_(None), _F.c.carried_from_id.is_(None))
            .group_by(key)
            .order_by(sa.func.count().desc(), sa.func.count(sa.distinct(sv.c.institution_id)).desc(), key)
            .limit(limit)
        ).all()
        out = []
        for key_value, item_id, findings, visit_count, insts in rows:
            label = self.labels.get(item_id) if item_id else None
            text = label.problem(self.language) if label else (str(key_value).splitlines() or [""])[0]
            out.append(
                FrequentProblem(
                    key=str(key_value), item_id=item_id, text=text, section=label.section(self.language) if label else "",
                    findings=int(findings), visits=int(visit_count), institutions=int(insts),
                    basis=label.basis if label else (),
                )
            )
        return tuple(out)

    def heatmap(self) -> HeatMap:
        sv, vs = self.sv, self.vs
        rows = self.conn.execute(
            sa.select(
                sv.c.month, vs.c.section_key,
                sa.func.sum(vs.c.conform), sa.func.sum(vs.c.nonconform), sa.func.sum(vs.c.weighted_nonconform),
            )
            .select_from(vs.join(sv, sv.c.id == vs.c.visit_id))
            # visit_id IN (…) reads each visit's clustered rows instead of probing sv per row.
            .where(
                vs.c.visit_id.in_(sa.select(sv.c.id).where(sv.c.period == 0, sv.c.complete == 1)),
                vs.c.conform + vs.c.nonconform > 0,
            )
            .group_by(sv.c.month, vs.c.section_key)
        ).all()
        cells: dict[tuple[str, str], list[int]] = {}
        months: set[str] = set()
        for month, section, c, n, w in rows:
            cells[(section, month)] = [int(c), int(n), int(w)]
            months.add(month)
        used = {s for s, _m in cells}
        titles: dict[str, str] = {}
        for label in self.labels.values():
            titles.setdefault(label.section_key, f"{label.checklist(self.language)} · {label.section(self.language)}")
        order = [s for s in section_order(self.labels) if s in used] + sorted(used - set(self.labels_sections()))
        return HeatMap(
            sections=tuple((s, titles.get(s, s)) for s in order),
            months=tuple(sorted(months)),
            cells={k: Score(conform=v[0], nonconform=v[1], not_applicable=0, weighted_nonconform=v[2]) for k, v in cells.items()},
        )

    def institution_figures(self, visits: list[VisitFigure]) -> tuple[tuple[InstitutionFigure, ...], dict[str, str]]:
        """Per institution: scores by section (grouped by institution and item, folded into
        sections), problems found and rectifications by state — the bureau summary's rows."""
        sv = self.sv
        by_section: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))
        vs = self.vs
        for inst, section, c, n, na, w in self.conn.execute(
            sa.select(
                sv.c.institution_id, vs.c.section_key,
                sa.func.sum(vs.c.conform), sa.func.sum(vs.c.nonconform), sa.func.sum(vs.c.not_applicable),
                sa.func.sum(vs.c.weighted_nonconform),
            )
            .select_from(vs.join(sv, sv.c.id == vs.c.visit_id))
            .where(
                vs.c.visit_id.in_(sa.select(sv.c.id).where(sv.c.period == 0, sv.c.complete == 1)),
                vs.c.conform + vs.c.nonconform + vs.c.not_applicable > 0,
            )
            .group_by(sv.c.institution_id, vs.c.section_key)
        ):
            cell = by_section[inst][section]
            for k, v in enumerate((c, n, na, w)):
                cell[k] += int(v)
        findings: dict[str, int] = dict(self.conn.execute(
            sa.select(sv.c.institution_id, sa.func.count())
            .select_from(_F.join(sv, sv.c.id == _F.c.visit_id))
            .where(sv.c.period == 0, _F.c.deleted_at.is_(None), _F.c.carried_from_id.is_(None))
            .group_by(sv.c.institution_id)
        ).all())
        inner = (
            sa.select(
                sv.c.institution_id.label("inst"),
                sa.case((_R.c.status.in_(OPEN_STATUS_VALUES), 1), else_=0).label("is_open"),
                sa.case((overdue_condition(_R.c.deadline, _R.c.status, self.today), 1), else_=0).label("late"),
                sa.case((_R.c.status.in_(DONE_STATUSES), 1), else_=0).label("finished"),
            )
            .select_from(_R.join(_F, _F.c.id == _R.c.finding_id).join(sv, sv.c.id == _F.c.visit_id))
            .where(sv.c.period == 0, _R.c.deleted_at.is_(None), _F.c.deleted_at.is_(None), _F.c.carried_from_id.is_(None))
            .subquery()
        )
        rects = {
            inst: (int(o), int(late), int(d))
            for inst, o, late, d in self.conn.execute(
                sa.select(inner.c.inst, sa.func.sum(inner.c.is_open), sa.func.sum(inner.c.late), sa.func.sum(inner.c.finished))
                .group_by(inner.c.inst)
            )
        }
        titles = {label.section_key: label.section(self.language) for label in self.labels.values()}
        out = []
        for inst in sorted({v.institution_id for v in visits}, key=lambda i: self.names.get(i, ("", ""))[0]):
            mine = [v for v in visits if v.institution_id == inst]
            coverage = scored = Coverage(0, 0)
            for v in mine:
                coverage = coverage + v.coverage
                if v.complete:
                    scored = scored + v.coverage
            monthly = {m.month: m.rate for m in self.months(mine) if m.rate is not None}
            o, late, d = rects.get(inst, (0, 0, 0))
            out.append(
                InstitutionFigure(
                    institution_id=inst, name=self.names.get(inst, ("", ""))[0], kind=self.names.get(inst, ("", ""))[1],
                    visits=len(mine), complete_visits=sum(1 for v in mine if v.complete),
                    overall=_sum_scores(v.score for v in mine if v.complete), coverage=coverage,
                    coverage_scored=scored,
                    monthly=monthly,
                    sections={k: Score(c, n, na, w) for k, (c, n, na, w) in by_section.get(inst, {}).items()},
                    findings=int(findings.get(inst, 0)), open_rectifications=o, overdue_rectifications=late,
                    done_rectifications=d,
                )
            )
        return tuple(out), titles

    def labels_sections(self) -> set[str]:
        return {label.section_key for label in self.labels.values()}

    def ranking(self, current: list[VisitFigure], previous: list[VisitFigure], prev: tuple[date, date] | None) -> Ranking:
        """Institutions on a comparable score: the items that apply to every one of them.

        Only complete visits count; an institution without one is listed, flagged, unranked.
        The common items come from the applicable item lists frozen with each visit (a
        TCM-only item does not apply to a general hospital), read once per distinct list.
        An institution's score on them is its complete visits' score less its answers
        to the other items, so only those few answers are grouped. The previous period
        is scored on the same items: the change is like for like.
        """
        import json

        sv = self.sv
        ranked_insts = sorted({v.institution_id for v in current if v.complete})
        applicable: dict[str, set[str]] = defaultdict(set)
        for inst, ids in self.conn.execute(
            sa.select(sv.c.institution_id, sa.cast(_VC.c.applicable_item_ids, sa.Text))
            .select_from(_VC.join(sv, sv.c.id == _VC.c.visit_id))
            .where(sv.c.period == 0, sv.c.complete == 1, _VC.c.deleted_at.is_(None))
            .distinct()
        ):
            applicable[inst].update(json.loads(ids) if isinstance(ids, str) else ids)
        every = set().union(*applicable.values()) if applicable else set()
        common = set.intersection(*(applicable[i] for i in ranked_insts)) if ranked_insts else set()
        others = sorted(every - common)
        less: dict[tuple[int, str], Score] = {}
        if others:
            for period, inst, c, n, w in self.conn.execute(
                sa.select(
                    sv.c.period, sv.c.institution_id,
                    _count_if(_A.c.result == "conform"), _count_if(_A.c.result == "nonconform"),
                    sa.func.coalesce(sa.func.sum(sa.case((_A.c.result == "nonconform", _WEIGHT), else_=0)), 0),
                )
                .select_from(_A.join(sv, sv.c.id == _A.c.visit_id))
                .where(
                    _A.c.visit_id.in_(sa.select(sv.c.id).where(sv.c.complete == 1)),
                    _JUDGED, _A.c.deleted_at.is_(None), _A.c.item_id.in_(others),
                )
                .group_by(sv.c.period, sv.c.institution_id)
            ):
                less[(int(period), inst)] = Score(int(c), int(n), 0, int(w))

        def score(period: int, inst: str, visits: list[VisitFigure]) -> Score:
            total = _sum_scores(v.score for v in visits if v.institution_id == inst and v.complete)
            minus = less.get((period, inst), Score(0, 0, 0, 0))
            return Score(
                conform=total.conform - minus.conform, nonconform=total.nonconform - minus.nonconform,
                not_applicable=0, weighted_nonconform=total.weighted_nonconform - minus.weighted_nonconform,
            )

        insts = sorted({v.institution_id for v in current}, key=lambda i: self.names.get(i, ("", ""))[0])
        out: list[RankRow] = []
        for inst in insts:
            mine = [v for v in current if v.institution_id == inst]
            coverage = Coverage(0, 0)
            for v in mine:
                coverage = coverage + v.coverage
            prev_rate = score(1, inst, previous).rate if prev else None
            out.append(
                RankRow(
                    institution_id=inst, name=self.names.get(inst, ("", ""))[0], kind=self.names.get(inst, ("", ""))[1],
                    score=score(0, inst, current), coverage=coverage, visits=len(mine),
                    complete_visits=sum(1 for v in mine if v.complete), previous_rate=prev_rate,
                    incomplete_visit_ids=tuple(v.id for v in mine if not v.complete),
                )
            )
        rankable = sorted(
            (r for r in out if r.complete_visits and r.rate is not None),
            key=lambda r: (-(r.rate or 0.0), r.score.weighted_nonconform, r.name),
        )
        ranks: dict[str, int] = {}
        for n, row in enumerate(rankable, start=1):
            tied = n > 1 and rankable[n - 2].rate == row.rate
            ranks[row.institution_id] = ranks[rankable[n - 2].institution_id] if tied else n
        final = [replace(row, rank=ranks.get(row.institution_id)) for row in out]
        final.sort(key=lambda r: (r.rank is None, r.rank or 0, r.name))
        return Ranking(
            rows=tuple(final), common_items=tuple(sorted(common)),
            previous_from=prev[0] if prev else None, previous_to=prev[1] if prev else None,
        )


def compute_dashboard(
    db: Database | sa.Engine,
    scope: Scope | None = None,
    *,
    today: date | None = None,
    language: str | None = None,
    top_problems: int = 15,
    by_institution: bool = False,
) -> Dashboard:
    """Every figure of the dashboard for ``scope``, from one read of the database.

    ``by_institution`` adds each institution's line with its section scores (the bureau
    summary PDF); the dashboard page does not need it.

    ``db`` may also be a bare engine: a shared PostgreSQL server has no data folder.
    """
    import time

    scope = scope or Scope()
    today = today or date.today()
    language = language or current_language()
    timings: dict[str, float] = {}
    engine = db if isinstance(db, sa.Engine) else db.engine
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            # Grouping sorts in memory; the read-only scans map the file instead of copying pages.
            conn.exec_driver_sql("PRAGMA temp_store = MEMORY")
            conn.exec_driver_sql("PRAGMA mmap_size = 268435456")
        run = _Run(conn, scope, today, language)

        def timed(name: str, fn: Callable[..., _T], *args: Any) -> _T:
            started, cpu = time.perf_counter(), time.process_time()
            result = fn(*args)
            timings[name] = (time.perf_counter() - started) * 1000
            timings[f"{name} cpu"] = (time.process_time() - cpu) * 1000
            return result

        timed("names", run.load_names)
        run.labels = timed("labels", item_labels, conn)
        prev = previous_period(scope)
        try:
            timed("sections", run.prepare_sections, scope, prev)
            current = timed("visits", run.visit_rows, scope)
            previous = timed("previous_visits", run.visit_rows, scope.with_dates(*prev)) if prev else []
            timed("temp", run.fill_temp, current, previous)
            months = timed("months", run.months, current)
            rects = timed("rectifications", run.rectifications)
            recurring = timed("recurring", run.recurring, current)
            frequent = timed("frequent", run.frequent, top_problems)
            heat = timed("heatmap", run.heatmap)
            ranking = timed("ranking", run.ranking, current, previous, prev)
            per_inst, titles = timed("institutions", run.institution_figures, current) if by_institution else ((), {})
        finally:
            run.drop_temp()
            conn.rollback()
    return Dashboard(
        scope=scope, today=today, language=language, visits=tuple(current), months=months, rectifications=rects,
        recurring=recurring, frequent=frequent, heatmap=heat, ranking=ranking, timings_ms=timings,
        institutions=per_inst, section_titles=titles,
    )
