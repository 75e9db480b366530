"""``auditapp backup …``: database backups (create, list, restore)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import table
from auditapp.cli.registry import arg, command


@command("backup create", help="make a backup now", json=True)
def create(ctx: Context) -> dict[str, str]:
    from auditapp.db.backup import create_backup

    with ctx.db() as db:
        path = create_backup(db.engine, db.data_dir, reason="manual")
    return {"path": str(path)}


@create.text
def _create_text(value: dict[str, str], _ctx: Context) -> None:
    print(value["path"])


@command("backup list", help="list backups, newest first", json=True)
def list_backups(ctx: Context) -> list[dict[str, Any]]:
    from auditapp.db.backup import list_backups as list_all

    return [
        {"path": str(b.path), "created_at": b.created_at, "reason": b.reason, "size": b.size}
        for b in list_all(ctx.data_dir)
    ]


@list_backups.text
def _list_text(rows: list[dict[str, Any]], _ctx: Context) -> None:
    table(
        [[b["created_at"].isoformat(), b["reason"], str(b["size"]), b["path"]] for b in rows],
        ["created (UTC)", "reason", "bytes", "file"],
    )


@command(
    "backup restore",
    help="replace the database with a backup (the current one is backed up first)",
    args=[arg("file", metavar="BACKUP_FILE")],
)
def restore(ctx: Context) -> str:
    from auditapp.db.backup import restore_backup

    safety = restore_backup(ctx.data_dir, Path(ctx.args.file))
    return f"restored {ctx.args.file}; the previous database was saved as {safety}"
