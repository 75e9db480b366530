"""``auditapp export | import | sync | conflicts``: package files, direct sync, conflicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import table
from auditapp.cli.registry import arg, command
from auditapp.cli.types import iso_date, output_file
from auditapp.sync.conflicts import KEEP_CHOICES

DRY_RUN = arg("--dry-run", action="store_true", help="show what would change and change nothing")


def _print_report(report: Any, title: str) -> None:
    print(title)
    rows = [
        [name, str(c.new), str(c.updated), str(c.deleted), str(c.unchanged), str(c.renamed)]
        for name, c in report.rows()
        if c.changes or c.unchanged
    ]
    if rows:
        table(rows, ["table", "new", "updated", "deleted", "unchanged", "merged ids"])
    else:
        print("  (no records)")
    if report.new_photo_files:
        print(f"photo files to copy: {report.new_photo_files}")
    if report.conflicts:
        print(f"conflicts: {len(report.conflicts)} (both values kept; see 'auditapp conflicts list')")
        for c in report.conflicts[:20]:
            print(f"  {c.table} {c.record_id[:8]} ({c.kind}), applied {c.applied}:")
            for f in c.fields[:6]:
                print(f"    {f}: here {c.local.get(f)!r}  |  other {c.remote.get(f)!r}")
    if report.already_recorded_conflicts:
        print(f"conflicts already recorded earlier: {report.already_recorded_conflicts}")


@command(
    "export",
    help="write a package file (.auditpkg) to carry visits to another computer",
    json=True,
    args=[
        arg("visits", nargs="*", metavar="VISIT", help="visits to export (default: everything)"),
        arg("--institution", action="append", metavar="ID_OR_NAME", help="all visits of an institution (repeatable)"),
        arg("--since", type=iso_date, metavar="YYYY-MM-DD", help="only visits changed on or after this date"),
        arg("--encrypt-to", metavar="PUBFILE", help="encrypt the package for this public key (see 'keys export-public')"),
        output_file("FILE.auditpkg"),
    ],
)
def export(ctx: Context) -> Any:
    from auditapp.sync import export_package

    a = ctx.args
    with ctx.db() as db:
        return export_package(
            db, a.output, visits=a.visits, institutions=a.institution, since=a.since,
            encrypt_to=Path(a.encrypt_to) if a.encrypt_to else None,
            progress=ctx.terminal_progress("percent"),
        )


@export.text
def _export_text(result: Any, _ctx: Context) -> None:
    records = sum(result.counts.values())
    print(f"wrote {result.path}: {records} records, {result.photo_files} photo files, {result.bytes} bytes")


@command(
    "import",
    help="merge a package file into this database (validated whole first)",
    json=True,
    args=[
        arg("file", metavar="FILE.auditpkg"),
        DRY_RUN,
        arg("--key", metavar="KEYFILE", help="private key of an encrypted package (passphrase: AUDITAPP_KEY_PASSPHRASE)"),
    ],
)
def import_(ctx: Context) -> Any:
    from auditapp.sync import import_package

    with ctx.db() as db:
        return import_package(
            db, Path(ctx.args.file), dry_run=ctx.args.dry_run, key=Path(ctx.args.key) if ctx.args.key else None,
            progress=ctx.terminal_progress("percent"),
        )


@import_.text
def _import_text(preview: Any, ctx: Context) -> None:
    dry_run = ctx.args.dry_run
    who = preview.device_label or preview.device_id[:8]
    print(
        f"package {preview.path.name} from {who} (device {preview.device_id[:8]}, auditapp {preview.app_version}, "
        f"schema {preview.schema_version}), written {preview.created_at.isoformat(timespec='seconds')}"
        + ("" if preview.complete else "; a selection")
    )
    _print_signer(preview, ctx)
    _print_report(preview.report, "would change:" if dry_run else "changed:")
    if dry_run:
        print("dry run: nothing was changed")
    elif not preview.changes:
        print("nothing new: the database already had all of it")


def _print_signer(preview: Any, ctx: Context) -> None:
    from auditapp.sync.errors import SyncError

    signer = preview.signer
    if signer is None:
        return
    if signer.status == "unsigned":
        ctx.warn(SyncError("package.unsigned", path=preview.path.name).message())
        return
    trusted = {"own": "this computer", "trusted": "trusted", "unknown": "NOT in the trust list"}[signer.status]
    print(f"signed by {signer.label or '?'} (fingerprint {signer.fingerprint}; {trusted})")
    if signer.status == "unknown":
        error = SyncError("package.unknown_signer", label=signer.label, fingerprint=signer.fingerprint)
        ctx.warn(error.full_text())


@command(
    "sync",
    help="sync both ways with another database (SQLite file/folder or PostgreSQL URL)",
    json=True,
    args=[
        arg("url", metavar="URL", help="postgresql+psycopg://user:pw@host/db, sqlite:///path, a file or a data folder"),
        DRY_RUN,
    ],
)
def sync(ctx: Context) -> Any:
    from auditapp.sync import sync_with

    with ctx.db() as db:
        return sync_with(db, ctx.args.url, dry_run=ctx.args.dry_run, progress=ctx.terminal_progress("percent"))


@sync.text
def _sync_text(result: Any, ctx: Context) -> None:
    verb = "would change" if ctx.args.dry_run else "changed"
    _print_report(result.pulled, f"this computer ← {result.target}: {verb}")
    _print_report(result.pushed, f"{result.target} ← this computer: {verb}")
    for note in result.notes:
        print(note)
    if ctx.args.dry_run:
        print("dry run: nothing was changed (the second part assumes the first was not done)")


@command(
    "conflicts list",
    help="list open conflicts with both values",
    json=True,
    args=[arg("--all", action="store_true", help="include resolved ones")],
)
def conflicts_list(ctx: Context) -> Any:
    from auditapp.sync import list_conflicts

    with ctx.db() as db:
        return list_conflicts(db, include_resolved=ctx.args.all)


@conflicts_list.text
def _conflicts_text(rows: Any, _ctx: Context) -> None:
    if not rows:
        print("no open conflicts")
        return
    table(
        [
            [
                c.id[:8],
                c.table,
                c.record_id[:8],
                c.kind,
                ", ".join(c.fields[:4]),
                c.applied,
                c.resolution or ("" if not c.resolved else "yes"),
                c.source,
            ]
            for c in rows
        ],
        ["id", "table", "record", "kind", "fields", "applied", "resolved", "from"],
    )
    for c in rows:
        print(f"\n{c.id[:8]}  {c.summary}")
        local, remote = c.values("local"), c.values("remote")
        for f in c.fields:
            print(f"  {f}: local {local.get(f)!r}  |  remote {remote.get(f)!r}")


@command(
    "conflicts resolve",
    help="keep one side's value (written as a new edit that syncs on)",
    json=True,
    args=[arg("conflict", metavar="ID"), arg("--keep", required=True, choices=KEEP_CHOICES)],
)
def conflicts_resolve(ctx: Context) -> Any:
    from auditapp.sync import resolve_conflict

    with ctx.db() as db:
        return resolve_conflict(db, ctx.args.conflict, ctx.args.keep)


@conflicts_resolve.text
def _resolve_text(info: Any, _ctx: Context) -> None:
    print(f"resolved {info.id[:8]}: kept the {info.resolution} value of {info.table} {info.record_id[:8]}")
