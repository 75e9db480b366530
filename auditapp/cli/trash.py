"""``auditapp trash …``: deleted visits and institutions (回收站), and bringing them back."""

from __future__ import annotations

from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import table
from auditapp.cli.registry import arg, command
from auditapp.terms import label


@command("trash list", help="deleted visits and institutions, newest first", json=True)
def list_trash(ctx: Context) -> Any:
    from auditapp.services.trash import list_trash as list_all

    with ctx.db() as db:
        return list_all(db)


@list_trash.text
def _list_text(rows: Any, _ctx: Context) -> None:
    table(
        [
            [e.id, label("record", e.kind), e.label, e.institution_name, e.deleted_at.astimezone().strftime("%Y-%m-%d %H:%M")]
            for e in rows
        ],
        ["id", "kind", "what", "institution", "deleted"],
    )


@command("trash restore", help="bring back a deleted visit or institution with what was deleted with it",
         json=True, args=[arg("id", metavar="ID", help="the full id shown by 'trash list'")])
def restore(ctx: Context) -> Any:
    from auditapp.services.trash import restore as restore_entry

    with ctx.db() as db:
        return restore_entry(db, ctx.args.id)


@restore.text
def _restore_text(entry: Any, _ctx: Context) -> None:
    print(f"{entry.id}  {entry.label}")
