"""``auditapp leader …``: the leadership roster (领导班子) of an institution."""

from __future__ import annotations

from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import print_id, table
from auditapp.cli.registry import arg, command
from auditapp.cli.types import iso_date
from auditapp.db.models import LEADER_ROLES
from auditapp.terms import label

ROLES_HELP = ", ".join(LEADER_ROLES) + " (or the Chinese title: 院长, 党委书记, 副院长 …)"


@command(
    "leader add",
    help="add a leader; prints the id",
    json=True,
    text=print_id,
    args=[
        arg("--institution", required=True, metavar="ID_OR_NAME"),
        arg("--name", required=True),
        arg("--role", required=True, help=ROLES_HELP),
        arg("--active-from", type=iso_date, metavar="YYYY-MM-DD", help="in office from (default: always)"),
        arg("--active-to", type=iso_date, metavar="YYYY-MM-DD", help="in office until (default: still)"),
    ],
)
def add(ctx: Context) -> Any:
    from auditapp.services.leaders import add_leader

    a = ctx.args
    with ctx.db() as db:
        return add_leader(db, institution=a.institution, name=a.name, role=a.role,
                          active_from=a.active_from, active_to=a.active_to)


@command(
    "leader update",
    help="change a leader's name, role or time in office",
    json=True,
    text=print_id,
    args=[
        arg("leader", metavar="LEADER", help="id or id prefix"),
        arg("--name"),
        arg("--role", help=ROLES_HELP),
        arg("--active-from", type=iso_date, metavar="YYYY-MM-DD"),
        arg("--active-to", type=iso_date, metavar="YYYY-MM-DD"),
        arg("--clear-from", action="store_true", help="in office since always"),
        arg("--clear-to", action="store_true", help="still in office"),
    ],
)
def update(ctx: Context) -> Any:
    from auditapp.services.leaders import update_leader

    a = ctx.args
    changes: dict[str, Any] = {}
    if a.active_from is not None or a.clear_from:
        changes["active_from"] = None if a.clear_from else a.active_from
    if a.active_to is not None or a.clear_to:
        changes["active_to"] = None if a.clear_to else a.active_to
    with ctx.db() as db:
        return update_leader(db, a.leader, name=a.name, role=a.role, **changes)


@command("leader remove", help="take a leader off the roster (their visits stay)", json=True, text=print_id,
         args=[arg("leader", metavar="LEADER")])
def remove(ctx: Context) -> Any:
    from auditapp.services.leaders import remove_leader

    with ctx.db() as db:
        return remove_leader(db, ctx.args.leader)


@command("leader list", help="list the roster", json=True, args=[arg("--institution", metavar="ID_OR_NAME")])
def list_leaders(ctx: Context) -> Any:
    from auditapp.services.leaders import list_leaders as list_all

    with ctx.db() as db:
        return list_all(db, institution=ctx.args.institution)


@list_leaders.text
def _list_text(rows: Any, _ctx: Context) -> None:
    table(
        [[r.id[:8], r.institution_name, r.name, label("leader_role", r.role),
          r.active_from.isoformat() if r.active_from else "", r.active_to.isoformat() if r.active_to else ""]
         for r in rows],
        ["id", "institution", "name", "role", "from", "to"],
    )
