"""``auditapp department …``: departments (科室) of an institution."""

from __future__ import annotations

from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import print_id, table
from auditapp.cli.registry import arg, command

INSTITUTION = arg("--institution", required=True, metavar="ID_OR_NAME")


@command(
    "department add",
    help="add a department",
    json=True,
    text=print_id,
    args=[INSTITUTION, arg("--name", required=True), arg("--head", default="", help="the department head (科室负责人)")],
)
def add(ctx: Context) -> Any:
    from auditapp.services.institutions import add_department

    with ctx.db() as db:
        return add_department(db, ctx.args.institution, ctx.args.name, head=ctx.args.head)


@command("department list", help="list departments", json=True, args=[INSTITUTION])
def list_departments(ctx: Context) -> Any:
    from auditapp.services.institutions import list_departments as list_all

    with ctx.db() as db:
        return list_all(db, ctx.args.institution)


@list_departments.text
def _list_text(rows: Any, _ctx: Context) -> None:
    table([[d.id[:8], d.name, d.head] for d in rows], ["id", "name", "head"])
