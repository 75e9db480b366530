"""``auditapp leader …``, ``auditapp duty``, ``auditapp duty-plan …`` and ``auditapp stats``.

The roster, the monthly duty and its plan, and the dashboard's figures from the command
line. Each command is a handler returning a value plus a text renderer, so it moves into
the command registry (auditapp/cli/) as it is; until then it is registered through
``cli_extensions.REGISTRARS``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from auditapp.cli_output import emit_json, open_db, parse_date, table


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _words(group: str, value: str) -> str:
    from auditapp.terms import label

    return label(group, value)


# ---------------------------------------------------------------------------
# leaders


def leader_add(args: argparse.Namespace) -> Any:
    from auditapp.services.leaders import add_leader

    with open_db(args) as db:
        return add_leader(db, institution=args.institution, name=args.name, role=args.role,
                          active_from=args.active_from, active_to=args.active_to)


def leader_update(args: argparse.Namespace) -> Any:
    from auditapp.services.leaders import update_leader

    changes: dict[str, Any] = {}
    if args.active_from is not None or args.clear_from:
        changes["active_from"] = None if args.clear_from else args.active_from
    if args.active_to is not None or args.clear_to:
        changes["active_to"] = None if args.clear_to else args.active_to
    with open_db(args) as db:
        return update_leader(db, args.leader, name=args.name, role=args.role, **changes)


def leader_remove(args: argparse.Namespace) -> Any:
    from auditapp.services.leaders import remove_leader

    with open_db(args) as db:
        return remove_leader(db, args.leader)


def leader_list(args: argparse.Namespace) -> Any:
    from auditapp.services.leaders import list_leaders

    with open_db(args) as db:
        return list_leaders(db, institution=args.institution)


def _leader_text(leader: Any) -> None:
    print(leader.id)


def _leaders_text(rows: Any) -> None:
    table(
        [[r.id[:8], r.institution_name, r.name, _words("leader_role", r.role),
          r.active_from.isoformat() if r.active_from else "", r.active_to.isoformat() if r.active_to else ""]
         for r in rows],
        ["id", "institution", "name", "role", "from", "to"],
    )


# ---------------------------------------------------------------------------
# duty and plan


def duty(args: argparse.Namespace) -> Any:
    from auditapp.services.duty import duty_matrix

    with open_db(args) as db:
        matrix = duty_matrix(db, institution=args.institution, month=args.month, months=args.months, ahead=args.ahead)
    return matrix


def _duty_json(matrix: Any) -> Any:
    return {
        "basis": [{"source": b.source, "clause": b.clause, "quote": b.quote} for b in matrix.basis],
        "months": list(matrix.months),
        "cells": [
            {
                "leader": c.leader, "leader_id": c.leader_id, "role": c.role, "institution": c.institution,
                "month": c.month, "done": c.done, "owed": c.owed, "state": c.state,
                "visit_ids": [v.id for v in c.visits], "visit_dates": [v.visit_date for v in c.visits],
                "areas_walked": list(c.walked_areas), "planned_areas": list(c.planned_areas),
                "plan_note": c.plan_note, "plan_met": c.plan_met,
            }
            for c in matrix.cells
        ],
    }


_MARK = {"done": "✓", "missing": "✗", "due": "…", "inactive": "", "future": "·"}


def _duty_text(matrix: Any) -> None:
    from auditapp.language import is_chinese

    for b in matrix.basis:
        print(f"{b.source} {b.clause}：“{b.quote}”")
    print()
    rows = []
    for leader_id, name, role, inst in matrix.leaders():
        row = [inst, f"{name}（{_words('leader_role', role)}）"]
        for month in matrix.months:
            cell = matrix.cell(leader_id, month)
            mark = _MARK.get(cell.state, "") if cell else ""
            if cell and cell.visits:
                mark += cell.visits[0].visit_date.strftime("%d")
            row.append(mark)
        rows.append(row)
    table(rows, ["机构" if is_chinese() else "institution", "院领导" if is_chinese() else "leader",
                 *[m[2:] for m in matrix.months]])
    print()
    print(f"{matrix.done_owed}/{matrix.owed}  ✓ {_words('duty_state', 'done')}  ✗ {_words('duty_state', 'missing')}"
          f"  … {_words('duty_state', 'due')}  · {_words('duty_state', 'future')}")


def plan_set(args: argparse.Namespace) -> Any:
    from auditapp.services.leaders import set_plan

    with open_db(args) as db:
        return set_plan(db, institution=args.institution, leader=args.leader, month=args.month,
                        areas=args.area or [], note=args.note)


def plan_list(args: argparse.Namespace) -> Any:
    from auditapp.services.leaders import check_month, list_plans

    months = [check_month(args.month)] if args.month else None
    with open_db(args) as db:
        return list_plans(db, institution=args.institution, months=months)


def plan_delete(args: argparse.Namespace) -> Any:
    from auditapp.services.leaders import delete_plan

    with open_db(args) as db:
        delete_plan(db, institution=args.institution, leader=args.leader, month=args.month)
    return {"deleted": True, "leader": args.leader, "month": args.month}


def plan_rotate(args: argparse.Namespace) -> Any:
    from auditapp.services.leaders import rotate_plan

    with open_db(args) as db:
        return rotate_plan(db, institution=args.institution, first_month=args.first, months=args.months,
                           areas=args.area or None)


def _plan_text(plan: Any) -> None:
    print(f"{plan.month}  {plan.leader_name}  {', '.join(plan.areas)}  {plan.note}".rstrip())


def _plans_text(rows: Any) -> None:
    table([[p.month, p.leader_name, ", ".join(p.areas), p.note] for p in rows], ["month", "leader", "areas", "note"])


# ---------------------------------------------------------------------------
# statistics


def stats(args: argparse.Namespace) -> Any:
    from auditapp.services.dashboard import dashboard

    with open_db(args) as db:
        figures = dashboard(db, institutions=args.institution or None, date_from=args.date_from,
                            date_to=args.date_to, mode=args.mode, top_problems=args.top)
    if args.xlsx:
        from auditapp.stats.export import write_workbook

        write_workbook(figures, args.xlsx)
    return figures


def _stats_json(d: Any) -> Any:
    from auditapp.stats.export import dashboard_json

    return dashboard_json(d)


def _stats_text(d: Any) -> None:
    from auditapp.language import is_chinese

    zh = is_chinese()
    r = d.rectifications
    print(("体验 {n} 次（不完整 {i} 次），符合率 {rate}，覆盖率 {cov}" if zh else
           "{n} visits ({i} incomplete), conformity {rate}, coverage {cov}").format(
        n=len(d.visits), i=len(d.incomplete_visits), rate=_pct(d.overall.rate), cov=d.coverage.percent_text))
    print(("整改 {t} 项：未完成 {o}，逾期 {od}，完成率 {c}，整改用时中位数 {m} 天" if zh else
           "{t} rectifications: {o} open, {od} overdue, closure {c}, median {m} days to close").format(
        t=r.total, o=r.open, od=r.overdue, c=_pct(r.closure_rate),
        m="—" if r.median_days_to_close is None else f"{r.median_days_to_close:g}"))
    print()
    table([[m.month, _pct(m.rate), m.coverage.percent_text, str(m.visits), str(m.incomplete_visits)] for m in d.months],
          ["month", "conformity", "coverage", "visits", "incomplete"])
    if d.ranking.rows and len(d.ranking.rows) > 1:
        print()
        table([[str(x.rank or "—"), x.name, _pct(x.rate), x.coverage.percent_text,
                "—" if x.change is None else f"{x.change * 100:+.1f}", str(len(x.incomplete_visit_ids))]
               for x in d.ranking.rows],
              ["rank", "institution", "score", "coverage", "change", "incomplete"])
    if d.recurring:
        print()
        table([[x.institution_name, x.text[:40], str(x.visits), "✓" if x.ongoing else ""] for x in d.recurring[:20]],
              ["institution", "recurring problem (屡查屡犯)", "visits", "ongoing"])


# ---------------------------------------------------------------------------
# registration


def _run(handler: Callable[[argparse.Namespace], Any], text: Callable[[Any], None],
         json_view: Callable[[Any], Any] | None = None) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        value = handler(args)
        if getattr(args, "json", False):
            emit_json(json_view(value) if json_view else value)
        else:
            text(value)
        return 0

    return run


def _json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")


def _month(text: str) -> str:
    return text  # checked by the services (a coded message, exit 1)


def register(sub: Any) -> None:
    from auditapp.db.models import LEADER_ROLES, VISIT_MODES

    roles = ", ".join(LEADER_ROLES)
    p_leader = sub.add_parser("leader", help="the leadership roster (领导班子) of an institution")
    l_sub = p_leader.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = l_sub.add_parser("add", help="add a leader; prints the id")
    p.add_argument("--institution", required=True, metavar="ID_OR_NAME")
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, help=f"{roles} (or the Chinese title: 院长, 党委书记, 副院长 …)")
    p.add_argument("--active-from", type=parse_date, metavar="YYYY-MM-DD", help="in office from (default: always)")
    p.add_argument("--active-to", type=parse_date, metavar="YYYY-MM-DD", help="in office until (default: still)")
    _json(p)
    p.set_defaults(func=_run(leader_add, _leader_text))
    p = l_sub.add_parser("update", help="change a leader's name, role or time in office")
    p.add_argument("leader", metavar="LEADER", help="id or id prefix")
    p.add_argument("--name")
    p.add_argument("--role")
    p.add_argument("--active-from", type=parse_date, metavar="YYYY-MM-DD")
    p.add_argument("--active-to", type=parse_date, metavar="YYYY-MM-DD")
    p.add_argument("--clear-from", action="store_true", help="in office since always")
    p.add_argument("--clear-to", action="store_true", help="still in office")
    _json(p)
    p.set_defaults(func=_run(leader_update, _leader_text))
    p = l_sub.add_parser("remove", help="take a leader off the roster (their visits stay)")
    p.add_argument("leader", metavar="LEADER")
    _json(p)
    p.set_defaults(func=_run(leader_remove, _leader_text))
    p = l_sub.add_parser("list", help="list the roster")
    p.add_argument("--institution", metavar="ID_OR_NAME")
    _json(p)
    p.set_defaults(func=_run(leader_list, _leaders_text))

    p = sub.add_parser("duty", help="the leaders' monthly duty (每月体验): leaders × months, done or missing")
    p.add_argument("--institution", metavar="ID_OR_NAME", help="one institution (default: all)")
    span = p.add_mutually_exclusive_group()
    span.add_argument("--month", type=_month, metavar="YYYY-MM", help="this month (with --months: the first of them)")
    p.add_argument("--months", type=int, metavar="N", help="number of months (default 12, up to the current one)")
    p.add_argument("--ahead", type=int, default=0, metavar="N", help="also show N months of plan ahead")
    _json(p)
    p.set_defaults(func=_run(duty, _duty_text, _duty_json))

    p_plan = sub.add_parser("duty-plan", help="who walks which route in which month (体验安排)")
    pl_sub = p_plan.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = pl_sub.add_parser("set", help="plan a leader's routes for a month")
    p.add_argument("--institution", required=True, metavar="ID_OR_NAME")
    p.add_argument("--leader", required=True, metavar="NAME_OR_ID")
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("--area", action="append", metavar="CHECKLIST", help="a route: a checklist id (repeatable)")
    p.add_argument("--note", default="", help="the route in words")
    _json(p)
    p.set_defaults(func=_run(plan_set, _plan_text))
    p = pl_sub.add_parser("list", help="list the plan")
    p.add_argument("--institution", metavar="ID_OR_NAME")
    p.add_argument("--month", metavar="YYYY-MM")
    _json(p)
    p.set_defaults(func=_run(plan_list, _plans_text))
    p = pl_sub.add_parser("delete", help="remove a leader's plan for a month")
    p.add_argument("--institution", required=True, metavar="ID_OR_NAME")
    p.add_argument("--leader", required=True, metavar="NAME_OR_ID")
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    _json(p)
    p.set_defaults(func=_run(plan_delete, lambda v: print(f"{v['leader']} {v['month']}")))
    p = pl_sub.add_parser("rotate", help="fill the plan so routes rotate and all get walked")
    p.add_argument("--institution", required=True, metavar="ID_OR_NAME")
    p.add_argument("--from", dest="first", required=True, metavar="YYYY-MM")
    p.add_argument("--months", type=int, default=6, metavar="N")
    p.add_argument("--area", action="append", metavar="CHECKLIST", help="routes to rotate (default: the template's)")
    _json(p)
    p.set_defaults(func=_run(plan_rotate, _plans_text))

    p = sub.add_parser("stats", help="dashboard figures: trend, rectifications, recurring problems, heat map, ranking")
    p.add_argument("--institution", action="append", metavar="ID_OR_NAME", help="repeatable (default: all, bureau view)")
    p.add_argument("--from", dest="date_from", type=parse_date, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=parse_date, metavar="YYYY-MM-DD")
    p.add_argument("--mode", choices=VISIT_MODES)
    p.add_argument("--top", type=int, default=15, metavar="N", help="most frequent problems listed")
    p.add_argument("--xlsx", metavar="FILE", help="also write every table to an .xlsx workbook")
    _json(p)
    p.set_defaults(func=_run(stats, _stats_text, _stats_json))
