"""The leaders' monthly duty (每月体验): the matrix of leaders × months beside the plan.

yubei-2023 四(四): every member of the leadership team walks the patient's path every
month; :data:`auditapp.rules.duty.DUTY_BASIS` holds the clauses, shown wherever this is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from auditapp.db import Database
from auditapp.lookups import require_institution
from auditapp.rules.duty import (
    DUE,
    DUTY_BASIS,
    MISSING,
    Citation,
    Month,
    add_months,
    last_months,
    month_of,
    month_range,
)
from auditapp.services.leaders import check_month
from auditapp.stats.duty import DutyCell, duty_cells


@dataclass(frozen=True)
class DutyMatrix:
    months: tuple[Month, ...]
    cells: tuple[DutyCell, ...]
    basis: tuple[Citation, ...] = DUTY_BASIS

    def leaders(self) -> list[tuple[str, str, str, str]]:
        """(leader id, name, role, institution) in roster order."""
        seen: dict[str, tuple[str, str, str, str]] = {}
        for c in self.cells:
            seen.setdefault(c.leader_id, (c.leader_id, c.leader, c.role, c.institution))
        return list(seen.values())

    def cell(self, leader_id: str, month: Month) -> DutyCell | None:
        for c in self.cells:
            if c.leader_id == leader_id and c.month == month:
                return c
        return None

    @property
    def owed(self) -> int:
        return sum(1 for c in self.cells if c.owed and c.state != "future")

    @property
    def done_owed(self) -> int:
        return sum(1 for c in self.cells if c.owed and c.done)


def _months(month: str | None, months: int | None, today: date, ahead: int) -> list[Month]:
    if month:
        first = check_month(month)
        return month_range(first, add_months(first, max((months or 1) - 1, 0)))
    if months is not None and (months < 1 or months > 120):
        from auditapp.errors import InvalidInputError

        raise InvalidInputError("duty.bad_months", value=months)
    shown = last_months(months or 12, today)
    return month_range(shown[0], add_months(shown[-1], ahead))


def duty_matrix(
    db: Database,
    *,
    institution: str | None = None,
    month: str | None = None,
    months: int | None = None,
    today: date | None = None,
    ahead: int = 0,
) -> DutyMatrix:
    """Leaders × months: ``month`` (YYYY-MM) and the ``months`` after it, or the last
    ``months`` (default 12) up to the current month, plus ``ahead`` months of plan."""
    today = today or date.today()
    span = _months(month, months, today, ahead)
    with db.session() as session:
        ids = (require_institution(session, institution).id,) if institution else ()
    with db.engine.connect() as conn:
        cells = duty_cells(conn, institution_ids=ids, months=span, today=today)
    return DutyMatrix(months=tuple(span), cells=tuple(cells))


def missing_this_month(db: Database, *, institution: str | None = None, today: date | None = None) -> list[DutyCell]:
    """Leaders in office who have not walked yet this month (the home screen's reminder)."""
    today = today or date.today()
    matrix = duty_matrix(db, institution=institution, month=month_of(today), months=1, today=today)
    return [c for c in matrix.cells if c.state in (DUE, MISSING)]
