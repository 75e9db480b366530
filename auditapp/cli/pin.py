"""``auditapp pin …``: pins on floor plans — AED points, findings, facilities."""

from __future__ import annotations

from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import print_id, table
from auditapp.cli.registry import arg, command
from auditapp.cli.types import fraction
from auditapp.errors import InvalidInputError
from auditapp.services.pin_kinds import AED_STATUSES, PIN_KINDS
from auditapp.terms import label

_AED_HELP = "AED check: " + ", ".join(s for s in AED_STATUSES if s)


@command(
    "pin add",
    help="place a pin (x, y are fractions 0–1 of the plan)",
    json=True,
    text=print_id,
    args=[
        arg("plan", metavar="PLAN"),
        arg("--kind", required=True, choices=PIN_KINDS),
        arg("--x", required=True, type=fraction),
        arg("--y", required=True, type=fraction),
        arg("--label", default=""),
        arg("--visit", metavar="VISIT"),
        arg("--status", default="", choices=AED_STATUSES, help=_AED_HELP),
        arg("--item", metavar="ITEM"),
        arg("--finding", metavar="ID"),
    ],
)
def add(ctx: Context) -> Any:
    from auditapp.services.floorplans import add_pin

    a = ctx.args
    with ctx.db() as db:
        return add_pin(
            db,
            a.plan,
            kind=a.kind,
            x=a.x,
            y=a.y,
            label=a.label,
            visit=a.visit,
            status=a.status,
            item_id=a.item,
            finding=a.finding,
        )


@command(
    "pin update",
    help="move, relabel, re-check or link a pin",
    json=True,
    args=[
        arg("pin", metavar="PIN"),
        arg("--x", type=fraction),
        arg("--y", type=fraction),
        arg("--label"),
        arg("--status", choices=AED_STATUSES, help=_AED_HELP),
        arg("--item", metavar="ITEM"),
        arg("--finding", metavar="ID"),
    ],
)
def update(ctx: Context) -> Any:
    from auditapp.services.floorplans import update_pin

    a = ctx.args
    with ctx.db() as db:
        return update_pin(
            db, a.pin, x=a.x, y=a.y, label=a.label, status=a.status, item_id=a.item, finding=a.finding
        )


@update.text
def _update_text(_pin: Any, _ctx: Context) -> None:
    """Quiet without --json, as before: the pin's id is the one the user gave."""


@command("pin delete", help="remove a pin", args=[arg("pin", metavar="PIN")])
def delete(ctx: Context) -> None:
    from auditapp.services.floorplans import delete_pin

    with ctx.db() as db:
        delete_pin(db, ctx.args.pin)


@command(
    "pin list",
    help="pins of a plan or an institution",
    json=True,
    args=[
        arg("--plan", metavar="PLAN"),
        arg("--institution", metavar="X"),
        arg("--kind", choices=PIN_KINDS),
        arg("--visit", metavar="VISIT"),
    ],
)
def list_pins(ctx: Context) -> Any:
    from auditapp.services.floorplans import list_pins as list_all

    a = ctx.args
    if a.plan is None and a.institution is None:
        raise InvalidInputError("cli.pins_scope_missing")
    with ctx.db() as db:
        return list_all(db, plan=a.plan, institution=a.institution, kind=a.kind, visit=a.visit)


@list_pins.text
def _list_text(pins: Any, _ctx: Context) -> None:
    table(
        [
            [
                p.id[:8],
                p.floor_plan_id[:8],
                p.kind,
                f"{p.x:.3f}",
                f"{p.y:.3f}",
                p.label,
                label("aed_status", p.status, "zh_CN") if p.kind == "aed" else p.status,
            ]
            for p in pins
        ],
        ["id", "plan", "kind", "x", "y", "label", "status"],
    )


@command(
    "pin problem",
    help="make an AED pin checked faulty, missing or blocked a problem of a visit",
    json=True,
    args=[arg("pin", metavar="PIN"), arg("--visit", required=True, metavar="VISIT"), arg("--department", metavar="NAME")],
)
def problem(ctx: Context) -> Any:
    from auditapp.services.floorplans import aed_to_finding

    a = ctx.args
    with ctx.db() as db:
        return aed_to_finding(db, a.pin, a.visit, department=a.department)


@problem.text
def _problem_text(finding: Any, _ctx: Context) -> None:
    print(finding.id)


@command(
    "pin link",
    help="point a pin at an item or a problem of its visit (--clear: at nothing)",
    json=True,
    args=[
        arg("pin", metavar="PIN"),
        arg("--item", metavar="ITEM"),
        arg("--finding", metavar="ID"),
        arg("--clear", action="store_true"),
    ],
)
def link(ctx: Context) -> Any:
    from auditapp.services.floorplans import link_pin

    a = ctx.args
    if a.clear == bool(a.item or a.finding):
        raise InvalidInputError("cli.pin_link_choice")
    with ctx.db() as db:
        return link_pin(db, a.pin, item_id=a.item, finding_id=a.finding)


@link.text
def _link_text(_pin: Any, _ctx: Context) -> None:
    """Quiet without --json, like 'pin update'."""
