"""``auditapp duty`` and ``auditapp duty-plan …``: the leaders' monthly duty (每月体验) and its plan.

The duty is set by yubei-2023 四(四) (every member of the leadership team walks the
patient's path every month) and huaian-2023 四(一); both clauses head the output.
"""

from __future__ import annotations

from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import table
from auditapp.cli.registry import arg, command
from auditapp.cli.types import whole_number, year_month
from auditapp.language import is_chinese
from auditapp.terms import label

_MARK = {"done": "✓", "missing": "✗", "due": "…", "inactive": "", "future": "·"}


def matrix_json(matrix: Any) -> dict[str, Any]:
    """One object per leader and month: leader, month, done, the visit ids, routes walked, the plan."""
    return {
        "basis": [{"source": b.source, "clause": b.clause, "quote": b.quote} for b in matrix.basis],
        "months": list(matrix.months),
        "cells": [
            {
                "leader": c.leader, "leader_id": c.leader_id, "role": c.role, "institution": c.institution,
                "month": c.month, "done": c.done, "owed": c.owed, "state": c.state,
                "visit_ids": [v.id for v in c.visits], "visit_dates": [v.visit_date.isoformat() for v in c.visits],
                "areas_walked": list(c.walked_areas), "planned_areas": list(c.planned_areas),
                "plan_note": c.plan_note, "plan_met": c.plan_met,
            }
            for c in matrix.cells
        ],
    }


@command(
    "duty",
    help="the leaders' monthly duty (每月体验): leaders × months, done or missing",
    json=True,
    args=[
        arg("--institution", metavar="ID_OR_NAME", help="one institution (default: all)"),
        arg("--month", type=year_month, metavar="YYYY-MM", help="this month (with --months: the first of them)"),
        arg("--months", type=whole_number, metavar="N", help="number of months (default 12, up to the current one)"),
        arg("--ahead", type=whole_number, default=0, metavar="N", help="also show N months of plan ahead"),
    ],
)
def duty(ctx: Context) -> Any:
    from auditapp.services.duty import duty_matrix

    a = ctx.args
    with ctx.db() as db:
        matrix = duty_matrix(db, institution=a.institution, month=a.month, months=a.months, ahead=a.ahead)
    return matrix_json(matrix) if ctx.json else matrix


@duty.text
def _duty_text(matrix: Any, _ctx: Context) -> None:
    for b in matrix.basis:
        print(f"{b.source} {b.clause}：“{b.quote}”")
    print()
    rows = []
    for leader_id, name, role, inst in matrix.leaders():
        row = [inst, f"{name}（{label('leader_role', role)}）"]
        for month in matrix.months:
            cell = matrix.cell(leader_id, month)
            mark = _MARK.get(cell.state, "") if cell else ""
            if cell and cell.visits:
                mark += cell.visits[0].visit_date.strftime("%d")
            row.append(mark)
        rows.append(row)
    zh = is_chinese()
    table(rows, ["机构" if zh else "institution", "院领导" if zh else "leader", *[m[2:] for m in matrix.months]])
    print()
    print(f"{matrix.done_owed}/{matrix.owed}  ✓ {label('duty_state', 'done')}  ✗ {label('duty_state', 'missing')}"
          f"  … {label('duty_state', 'due')}  · {label('duty_state', 'future')}")


def _plan_text(plan: Any, _ctx: Context) -> None:
    print(f"{plan.month}  {plan.leader_name}  {', '.join(plan.areas)}  {plan.note}".rstrip())


def _plans_text(rows: Any, _ctx: Context) -> None:
    table([[p.month, p.leader_name, ", ".join(p.areas), p.note] for p in rows], ["month", "leader", "areas", "note"])


PLAN_CELL = [
    arg("--institution", required=True, metavar="ID_OR_NAME"),
    arg("--leader", required=True, metavar="NAME_OR_ID"),
    arg("--month", required=True, type=year_month, metavar="YYYY-MM"),
]


@command(
    "duty-plan set",
    help="plan a leader's routes for a month",
    json=True,
    text=_plan_text,
    args=[*PLAN_CELL,
          arg("--area", action="append", metavar="CHECKLIST", help="a route: a checklist id (repeatable)"),
          arg("--note", default="", help="the route in words")],
)
def plan_set(ctx: Context) -> Any:
    from auditapp.services.leaders import set_plan

    a = ctx.args
    with ctx.db() as db:
        return set_plan(db, institution=a.institution, leader=a.leader, month=a.month, areas=a.area or [], note=a.note)


@command("duty-plan list", help="list the plan", json=True, text=_plans_text,
         args=[arg("--institution", metavar="ID_OR_NAME"), arg("--month", type=year_month, metavar="YYYY-MM")])
def plan_list(ctx: Context) -> Any:
    from auditapp.services.leaders import check_month, list_plans

    a = ctx.args
    months = [check_month(a.month)] if a.month else None
    with ctx.db() as db:
        return list_plans(db, institution=a.institution, months=months)


@command("duty-plan delete", help="remove a leader's plan for a month", json=True,
         text=lambda v, _c: print(f"{v['leader']} {v['month']}"), args=PLAN_CELL)
def plan_delete(ctx: Context) -> Any:
    from auditapp.services.leaders import delete_plan

    a = ctx.args
    with ctx.db() as db:
        delete_plan(db, institution=a.institution, leader=a.leader, month=a.month)
    return {"deleted": True, "leader": a.leader, "month": a.month}


@command(
    "duty-plan rotate",
    help="fill the plan so routes rotate and all get walked",
    json=True,
    text=_plans_text,
    args=[
        arg("--institution", required=True, metavar="ID_OR_NAME"),
        arg("--from", dest="first", required=True, type=year_month, metavar="YYYY-MM"),
        arg("--months", type=whole_number, default=6, metavar="N"),
        arg("--area", action="append", metavar="CHECKLIST", help="routes to rotate (default: the template's)"),
    ],
)
def plan_rotate(ctx: Context) -> Any:
    from auditapp.services.leaders import rotate_plan

    a = ctx.args
    with ctx.db() as db:
        return rotate_plan(db, institution=a.institution, first_month=a.first, months=a.months, areas=a.area or None)
