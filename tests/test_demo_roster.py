"""The demo data carries each hospital's leadership roster and plan, so the duty matrix and the
home screen's reminder (yubei-2023 四(四)) show something on a fresh demo."""

from __future__ import annotations

from auditapp.db import Database
from auditapp.services import duty, institutions, leaders, visits


def test_every_demo_hospital_has_a_roster_whose_inspector_walked_and_others_still_owe(demo_db: Database) -> None:
    for inst in institutions.list_institutions(demo_db):
        roster = leaders.list_leaders(demo_db, institution=inst.id)
        assert len(roster) == 3, inst.name
        rows = visits.list_visits(demo_db, institution=inst.id)
        assert len(rows) == 3
        inspectors = {v.inspector for v in rows}
        assert len(inspectors) == 1 and inspectors <= {leader.name for leader in roster}
        for visit in rows:
            month = visit.visit_date.strftime("%Y-%m")
            cells = duty.duty_matrix(demo_db, institution=inst.id, month=month, months=1).cells
            states = {c.leader: c.state for c in cells}
            walker = visit.inspector
            assert states.pop(walker) == "done", (inst.name, month)
            # The other two leaders have not walked that month: missing, or due in the current month.
            assert set(states.values()) <= {"missing", "due"} and len(states) == 2, (inst.name, month, states)
        assert len(duty.missing_this_month(demo_db, institution=inst.id)) >= 2


def test_the_demo_plan_rotates_routes_among_the_leaders(demo_db: Database) -> None:
    for inst in institutions.list_institutions(demo_db):
        plans = leaders.list_plans(demo_db, institution=inst.id)
        assert len(plans) == 9, inst.name  # 3 leaders × this month and the next two
        by_month: dict[str, list[tuple[str, ...]]] = {}
        for plan in plans:
            assert plan.areas
            by_month.setdefault(str(plan.month), []).append(plan.areas)
        assert len(by_month) == 3
        for month, areas in by_month.items():
            assert len(set(areas)) == 3, (inst.name, month)  # no two leaders walk the same route in a month
