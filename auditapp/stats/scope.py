"""What a set of figures covers (institutions, dates, mode) and the SQL pieces every query shares.

Aggregations run in the database: the queries here group and count, and Python only
folds their (small) results. Expressions that differ between SQLite and PostgreSQL
(month of a date, days between dates) are chosen here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from auditapp.db.models import Institution, Visit
from auditapp.errors import InvalidInputError
from auditapp.rules.rectification import LEGACY_STATUSES, OPEN_STATUSES


@dataclass(frozen=True)
class Scope:
    """Institutions (empty: all, the bureau view), a date range (inclusive) and a visit mode."""

    institution_ids: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    mode: str | None = None  # "self", "bureau" or None for both

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidInputError("stats.bad_range", date_from=self.date_from, date_to=self.date_to)

    def with_dates(self, date_from: date | None, date_to: date | None) -> Scope:
        return Scope(self.institution_ids, date_from, date_to, self.mode)


def visit_conditions(scope: Scope, visits: sa.FromClause | None = None) -> list[sa.ColumnElement[bool]]:
    """WHERE conditions selecting the scope's visits (live visits of live institutions)."""
    v = visits if visits is not None else Visit.__table__
    inst = Institution.__table__
    conditions: list[sa.ColumnElement[bool]] = [
        v.c.deleted_at.is_(None),
        v.c.institution_id.in_(sa.select(inst.c.id).where(inst.c.deleted_at.is_(None)).scalar_subquery()),
    ]
    if scope.institution_ids:
        conditions.append(v.c.institution_id.in_(scope.institution_ids))
    if scope.date_from:
        conditions.append(v.c.visit_date >= scope.date_from)
    if scope.date_to:
        conditions.append(v.c.visit_date <= scope.date_to)
    if scope.mode:
        conditions.append(v.c.mode == scope.mode)
    return conditions


def month_expr(dialect: str, column: sa.ColumnElement[date]) -> sa.ColumnElement[str]:
    """``YYYY-MM`` of a date column."""
    if dialect == "postgresql":
        return sa.func.to_char(column, "YYYY-MM")
    return sa.func.substr(column, 1, 7)  # SQLite keeps dates as ISO text


def days_between(dialect: str, start: sa.ColumnElement[date], end: sa.ColumnElement[object]) -> sa.ColumnElement[int]:
    """Whole days from a date to the (UTC) day of a timestamp."""
    if dialect == "postgresql":
        return sa.cast(sa.cast(end, sa.Date) - start, sa.Integer)
    return sa.cast(sa.func.julianday(sa.func.date(end)) - sa.func.julianday(start), sa.Integer)


# Statuses that count as still to be fixed, in SQL: the rule's OPEN_STATUSES and the
# legacy values it reads as open (auditapp.rules.rectification.is_open).
OPEN_STATUS_VALUES: tuple[str, ...] = OPEN_STATUSES + tuple(
    old for old, new in LEGACY_STATUSES.items() if new in OPEN_STATUSES
)


def overdue_condition(deadline: sa.ColumnElement[object], status: sa.ColumnElement[str], today: date) -> sa.ColumnElement[bool]:
    """SQL form of ``rules.rectification.is_overdue`` (a test holds the two equal)."""
    return sa.and_(deadline.is_not(None), deadline < today, status.in_(OPEN_STATUS_VALUES))
