"""``auditapp journey …``, ``auditapp plan …`` and ``auditapp pin …``: timings and floor plans.

Kept apart from ``cli.py`` so each command module stays small; registered through
``cli_extensions.REGISTRARS`` like the photo and report commands.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from auditapp.cli_output import emit_json as _emit
from auditapp.cli_output import open_db as _open
from auditapp.cli_output import table as _table
from auditapp.errors import InvalidInputError





def _parse_at(text: str | None) -> datetime | None:
    """Local wall-clock time as people write it (``14:05`` today, or a full ISO date-time)."""
    if text is None:
        return None
    try:
        if len(text) <= 5 and ":" in text:
            hour, minute = (int(p) for p in text.split(":"))
            local = datetime.now().astimezone().replace(hour=hour, minute=minute, second=0, microsecond=0)
        else:
            local = datetime.fromisoformat(text)
            if local.tzinfo is None:
                local = local.astimezone()
    except ValueError as exc:
        raise InvalidInputError(f"--at {text!r} is not a time", hint="Write HH:MM (today) or YYYY-MM-DDTHH:MM.") from exc
    return local.astimezone(timezone.utc)


def _local(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def cmd_journey_step(args: argparse.Namespace) -> int:
    from auditapp.services.journey import record_step

    with _open(args) as db:
        step = record_step(db, args.visit, args.step, at=_parse_at(args.at), label=args.label, note=args.note)
    if args.json:
        _emit(step)
    else:
        print(f"{step.id}  {step.label}  {_local(step.at)}")
    return 0


def cmd_journey_list(args: argparse.Namespace) -> int:
    from auditapp.services.journey import intervals, list_steps

    with _open(args) as db:
        steps = list_steps(db, args.visit)
    spans = intervals(steps)
    if args.json:
        _emit({"steps": steps, "intervals": [dict(vars(i), met=i.met) for i in spans]})
        return 0
    _table([[s.id[:8], s.step, s.label, _local(s.at), s.note] for s in steps], ["id", "step", "label", "at", "note"])
    if spans:
        print()
        _table(
            [
                [
                    i.label,
                    f"{i.minutes:.1f}",
                    "" if i.target_minutes is None else f"≤ {i.target_minutes:g}",
                    "" if i.met is None else ("ok" if i.met else "OVER"),
                    i.basis,
                ]
                for i in spans
            ],
            ["interval", "minutes", "target", "", "basis"],
        )
    return 0


def cmd_journey_delete(args: argparse.Namespace) -> int:
    from auditapp.services.journey import delete_step

    with _open(args) as db:
        delete_step(db, args.step_id)
    return 0


def cmd_plan_add(args: argparse.Namespace) -> int:
    from auditapp.services.floorplans import add_floor_plan

    with _open(args) as db:
        plan = add_floor_plan(db, args.institution, Path(args.image), name=args.name, floor=args.floor)
    if args.json:
        _emit(plan)
    else:
        print(plan.id)
    return 0


def cmd_plan_list(args: argparse.Namespace) -> int:
    from auditapp.services.floorplans import list_floor_plans

    with _open(args) as db:
        plans = list_floor_plans(db, args.institution)
    if args.json:
        _emit(plans)
    else:
        _table(
            [[p.id[:8], p.name, p.floor, f"{p.width}×{p.height}", str(p.pin_count)] for p in plans],
            ["id", "name", "floor", "size", "pins"],
        )
    return 0


def cmd_plan_delete(args: argparse.Namespace) -> int:
    from auditapp.services.floorplans import delete_floor_plan

    with _open(args) as db:
        delete_floor_plan(db, args.plan)
    return 0


def cmd_pin_add(args: argparse.Namespace) -> int:
    from auditapp.services.floorplans import add_pin

    with _open(args) as db:
        pin = add_pin(
            db,
            args.plan,
            kind=args.kind,
            x=args.x,
            y=args.y,
            label=args.label,
            visit=args.visit,
            status=args.status,
            item_id=args.item,
            finding=args.finding,
        )
    if args.json:
        _emit(pin)
    else:
        print(pin.id)
    return 0


def cmd_pin_update(args: argparse.Namespace) -> int:
    from auditapp.services.floorplans import update_pin

    with _open(args) as db:
        pin = update_pin(
            db, args.pin, x=args.x, y=args.y, label=args.label, status=args.status, item_id=args.item, finding=args.finding
        )
    if args.json:
        _emit(pin)
    return 0


def cmd_pin_delete(args: argparse.Namespace) -> int:
    from auditapp.services.floorplans import delete_pin

    with _open(args) as db:
        delete_pin(db, args.pin)
    return 0


def cmd_pin_list(args: argparse.Namespace) -> int:
    from auditapp.services.floorplans import list_pins
    from auditapp.services.pin_kinds import AED_STATUS_LABELS

    if args.plan is None and args.institution is None:
        raise InvalidInputError("say whose pins to list", hint="Give --plan PLAN or --institution X.")
    with _open(args) as db:
        pins = list_pins(db, plan=args.plan, institution=args.institution, kind=args.kind, visit=args.visit)
    if args.json:
        _emit(pins)
    else:
        _table(
            [
                [
                    p.id[:8],
                    p.floor_plan_id[:8],
                    p.kind,
                    f"{p.x:.3f}",
                    f"{p.y:.3f}",
                    p.label,
                    AED_STATUS_LABELS.get(p.status, p.status) if p.kind == "aed" else p.status,
                ]
                for p in pins
            ],
            ["id", "plan", "kind", "x", "y", "label", "status"],
        )
    return 0


def _fraction(text: str) -> float:
    try:
        return float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number between 0 and 1") from exc


def register(sub: Any) -> None:
    from auditapp.services.pin_kinds import AED_STATUSES, PIN_KINDS

    p_j = sub.add_parser("journey", help="journey timing (就诊环节计时): stamp steps, list intervals")
    js = p_j.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = js.add_parser("step", help="stamp a step now (or --at HH:MM)")
    p.add_argument("visit", metavar="VISIT")
    p.add_argument("step", metavar="STEP", help="arrival, booked, registration, waiting, consultation, examination, payment, pharmacy, leaving, or your own with --label")
    p.add_argument("--at", metavar="TIME")
    p.add_argument("--label", default="")
    p.add_argument("--note", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_journey_step)
    p = js.add_parser("list", help="a visit's steps and intervals against targets")
    p.add_argument("visit", metavar="VISIT")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_journey_list)
    p = js.add_parser("delete", help="remove a step")
    p.add_argument("step_id", metavar="STEP_ID")
    p.set_defaults(func=cmd_journey_delete)

    p_plan = sub.add_parser("plan", help="floor plans (平面图)")
    ps = p_plan.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = ps.add_parser("add", help="import a floor plan image for an institution")
    p.add_argument("institution", metavar="INSTITUTION")
    p.add_argument("image", metavar="IMAGE")
    p.add_argument("--name", required=True)
    p.add_argument("--floor", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plan_add)
    p = ps.add_parser("list", help="an institution's floor plans")
    p.add_argument("--institution", required=True, metavar="X")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plan_list)
    p = ps.add_parser("delete", help="remove a floor plan and its pins")
    p.add_argument("plan", metavar="PLAN")
    p.set_defaults(func=cmd_plan_delete)

    p_pin = sub.add_parser("pin", help="pins on floor plans: AED points, findings, facilities")
    pp = p_pin.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = pp.add_parser("add", help="place a pin (x, y are fractions 0–1 of the plan)")
    p.add_argument("plan", metavar="PLAN")
    p.add_argument("--kind", required=True, choices=PIN_KINDS)
    p.add_argument("--x", required=True, type=_fraction)
    p.add_argument("--y", required=True, type=_fraction)
    p.add_argument("--label", default="")
    p.add_argument("--visit", metavar="VISIT")
    p.add_argument("--status", default="", choices=AED_STATUSES, help="AED check: ok, faulty, missing, blocked")
    p.add_argument("--item", metavar="ITEM")
    p.add_argument("--finding", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_pin_add)
    p = pp.add_parser("update", help="move, relabel, re-check or link a pin")
    p.add_argument("pin", metavar="PIN")
    p.add_argument("--x", type=_fraction)
    p.add_argument("--y", type=_fraction)
    p.add_argument("--label")
    p.add_argument("--status", choices=AED_STATUSES)
    p.add_argument("--item", metavar="ITEM")
    p.add_argument("--finding", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_pin_update)
    p = pp.add_parser("delete", help="remove a pin")
    p.add_argument("pin", metavar="PIN")
    p.set_defaults(func=cmd_pin_delete)
    p = pp.add_parser("list", help="pins of a plan or an institution")
    p.add_argument("--plan", metavar="PLAN")
    p.add_argument("--institution", metavar="X")
    p.add_argument("--kind", choices=PIN_KINDS)
    p.add_argument("--visit", metavar="VISIT")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_pin_list)
