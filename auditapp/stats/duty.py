"""The duty matrix in SQL: which roster leader walked in which month, and which routes.

A visit counts for a leader when it is linked to them (``visits.leader_id``) or, for
visits recorded before the roster (no link), when it is a self-experience visit of
their institution under exactly their name. It counts as done when something was
recorded: an answered item or a problem.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from auditapp.db.models import Answer, Finding, Institution, Leader, Visit, VisitPlan
from auditapp.rules.duty import Month, cell_state, in_office, month_bounds
from auditapp.stats.scope import month_expr


@dataclass(frozen=True)
class DutyVisit:
    id: str
    visit_date: date
    report_number: str
    areas: tuple[str, ...]  # checklist ids with at least one answered item
    answered: int
    findings: int


@dataclass(frozen=True)
class DutyCell:
    leader_id: str
    leader: str
    role: str
    institution_id: str
    institution: str
    month: Month
    owed: bool
    state: str  # auditapp.rules.duty.CELL_STATES
    visits: tuple[DutyVisit, ...]
    planned_areas: tuple[str, ...]
    plan_note: str

    @property
    def done(self) -> bool:
        return bool(self.visits)

    @property
    def walked_areas(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for v in self.visits:
            for a in v.areas:
                seen.setdefault(a, None)
        return tuple(seen)

    @property
    def plan_met(self) -> bool | None:
        """Every planned route walked (None when nothing was planned by route)."""
        if not self.planned_areas:
            return None
        return set(self.planned_areas) <= set(self.walked_areas)


_L = Leader.__table__
_V = Visit.__table__
_A = Answer.__table__
_F = Finding.__table__
_P = VisitPlan.__table__
_I = Institution.__table__


def duty_cells(conn: sa.Connection, *, institution_ids: tuple[str, ...], months: list[Month], today: date) -> list[DutyCell]:
    """One cell per roster leader and month, in roster order."""
    if not months:
        return []
    first, _ = month_bounds(months[0])
    _, last = month_bounds(months[-1])
    leader_cond = [_L.c.deleted_at.is_(None), _I.c.deleted_at.is_(None)]
    if institution_ids:
        leader_cond.append(_L.c.institution_id.in_(institution_ids))
    leaders = conn.execute(
        sa.select(_L.c.id, _L.c.name, _L.c.role, _L.c.institution_id, _I.c.name, _L.c.active_from, _L.c.active_to)
        .select_from(_L.join(_I, _I.c.id == _L.c.institution_id))
        .where(*leader_cond)
        .order_by(_I.c.name, _L.c.sort_order, _L.c.name)
    ).all()
    if not leaders:
        return []
    ids = [r[0] for r in leaders]
    dialect = conn.dialect.name
    linked = sa.or_(
        _V.c.leader_id == _L.c.id,
        sa.and_(_V.c.leader_id.is_(None), _V.c.mode == "self", _V.c.inspector == _L.c.name),
    )
    answered = (
        sa.select(sa.func.count()).where(_A.c.visit_id == _V.c.id, _A.c.deleted_at.is_(None), _A.c.result.is_not(None))
        .scalar_subquery()
    )
    found = (
        sa.select(sa.func.count())
        .where(_F.c.visit_id == _V.c.id, _F.c.deleted_at.is_(None), _F.c.carried_from_id.is_(None))
        .scalar_subquery()
    )
    visit_rows = conn.execute(
        sa.select(_L.c.id, _V.c.id, _V.c.visit_date, _V.c.report_number, month_expr(dialect, _V.c.visit_date),
                  answered, found)
        .select_from(_L.join(_V, sa.and_(_V.c.institution_id == _L.c.institution_id, linked)))
        .where(_L.c.id.in_(ids), _V.c.deleted_at.is_(None), _V.c.visit_date >= first, _V.c.visit_date <= last)
        .order_by(_V.c.visit_date)
    ).all()
    recorded = [r for r in visit_rows if r[5] or r[6]]
    areas: dict[str, list[str]] = defaultdict(list)
    visit_ids = sorted({r[1] for r in recorded})
    if visit_ids:
        for vid, checklist_id in conn.execute(
            sa.select(_A.c.visit_id, _A.c.checklist_id)
            .where(_A.c.visit_id.in_(visit_ids), _A.c.deleted_at.is_(None), _A.c.result.is_not(None))
            .group_by(_A.c.visit_id, _A.c.checklist_id)
            .order_by(_A.c.visit_id, sa.func.min(_A.c.answered_at))
        ):
            areas[vid].append(checklist_id)
    by_cell: dict[tuple[str, str], list[DutyVisit]] = defaultdict(list)
    for leader_id, vid, day, number, month, n_answered, n_found in recorded:
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        by_cell[(leader_id, month)].append(
            DutyVisit(id=vid, visit_date=day, report_number=number, areas=tuple(areas.get(vid, ())),
                      answered=int(n_answered), findings=int(n_found))
        )
    plans = {
        (leader_id, month): (tuple(area_list or ()), note)
        for leader_id, month, area_list, note in conn.execute(
            sa.select(_P.c.leader_id, _P.c.month, _P.c.areas, _P.c.note).where(
                _P.c.leader_id.in_(ids), _P.c.deleted_at.is_(None), _P.c.month.in_(months)
            )
        )
    }
    cells: list[DutyCell] = []
    for leader_id, name, role, inst_id, inst_name, active_from, active_to in leaders:
        for month in months:
            owed = in_office(month, active_from, active_to)
            visits = tuple(by_cell.get((leader_id, month), ()))
            planned, note = plans.get((leader_id, month), ((), ""))
            cells.append(
                DutyCell(
                    leader_id=leader_id, leader=name, role=role, institution_id=inst_id, institution=inst_name,
                    month=month, owed=owed, state=cell_state(month, owed=owed, done=bool(visits), today=today),
                    visits=visits, planned_areas=planned, plan_note=note,
                )
            )
    return cells
