"""``auditapp plan …``: floor plans (平面图) of an institution."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import print_id, table
from auditapp.cli.registry import arg, command


@command(
    "plan add",
    help="import a floor plan image for an institution",
    json=True,
    text=print_id,
    args=[
        arg("institution", metavar="INSTITUTION"),
        arg("image", metavar="IMAGE"),
        arg("--name", required=True),
        arg("--floor", default=""),
    ],
)
def add(ctx: Context) -> Any:
    from auditapp.services.floorplans import add_floor_plan

    a = ctx.args
    with ctx.db() as db:
        return add_floor_plan(db, a.institution, Path(a.image), name=a.name, floor=a.floor)


@command("plan list", help="an institution's floor plans", json=True, args=[arg("--institution", required=True, metavar="X")])
def list_plans(ctx: Context) -> Any:
    from auditapp.services.floorplans import list_floor_plans

    with ctx.db() as db:
        return list_floor_plans(db, ctx.args.institution)


@list_plans.text
def _list_text(plans: Any, _ctx: Context) -> None:
    table(
        [[p.id[:8], p.name, p.floor, f"{p.width}×{p.height}", str(p.pin_count)] for p in plans],
        ["id", "name", "floor", "size", "pins"],
    )


@command("plan delete", help="remove a floor plan and its pins", args=[arg("plan", metavar="PLAN")])
def delete(ctx: Context) -> None:
    from auditapp.services.floorplans import delete_floor_plan

    with ctx.db() as db:
        delete_floor_plan(db, ctx.args.plan)
