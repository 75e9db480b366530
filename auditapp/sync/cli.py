"""``auditapp export | import | sync | conflicts``: package files, direct sync, conflicts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from auditapp.cli_output import emit_json as _emit
from auditapp.cli_output import open_db as _open




def _progress(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    if args.json or not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        print(f"\r{100 * done // max(total, 1):3d}%", end="", file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr)

    return report


def _print_report(report: Any, title: str) -> None:
    from auditapp.cli_output import table as _table

    print(title)
    rows = [
        [table, str(c.new), str(c.updated), str(c.deleted), str(c.unchanged), str(c.renamed)]
        for table, c in report.rows()
        if c.changes or c.unchanged
    ]
    if rows:
        _table(rows, ["table", "new", "updated", "deleted", "unchanged", "merged ids"])
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


def cmd_export(args: argparse.Namespace) -> int:
    from auditapp.sync import export_package

    output = Path(args.output)
    with _open(args) as db:
        result = export_package(
            db, output, visits=args.visits, institutions=args.institution, since=args.since, progress=_progress(args)
        )
    if args.json:
        _emit(result)
    else:
        records = sum(result.counts.values())
        print(f"wrote {result.path}: {records} records, {result.photo_files} photo files, {result.bytes} bytes")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from auditapp.sync import import_package

    with _open(args) as db:
        preview = import_package(db, Path(args.file), dry_run=args.dry_run, progress=_progress(args))
    if args.json:
        _emit(preview)
        return 0
    label = preview.device_label or preview.device_id[:8]
    print(
        f"package {preview.path.name} from {label} (device {preview.device_id[:8]}, auditapp {preview.app_version}, "
        f"schema {preview.schema_version}), written {preview.created_at.isoformat(timespec='seconds')}"
        + ("" if preview.complete else "; a selection")
    )
    _print_report(preview.report, "would change:" if args.dry_run else "changed:")
    if args.dry_run:
        print("dry run: nothing was changed")
    elif not preview.changes:
        print("nothing new: the database already had all of it")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from auditapp.sync import sync_with

    with _open(args) as db:
        result = sync_with(db, args.url, dry_run=args.dry_run, progress=_progress(args))
    if args.json:
        _emit(result)
        return 0
    verb = "would change" if args.dry_run else "changed"
    _print_report(result.pulled, f"this computer ← {result.target}: {verb}")
    _print_report(result.pushed, f"{result.target} ← this computer: {verb}")
    if args.dry_run:
        print("dry run: nothing was changed (the second part assumes the first was not done)")
    return 0


def cmd_conflicts_list(args: argparse.Namespace) -> int:
    from auditapp.cli_output import table as _table
    from auditapp.sync import list_conflicts

    with _open(args) as db:
        rows = list_conflicts(db, include_resolved=args.all)
    if args.json:
        _emit(rows)
        return 0
    if not rows:
        print("no open conflicts")
        return 0
    _table(
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
    return 0


def cmd_conflicts_resolve(args: argparse.Namespace) -> int:
    from auditapp.sync import resolve_conflict

    with _open(args) as db:
        info = resolve_conflict(db, args.conflict, args.keep)
    if args.json:
        _emit(info)
    else:
        print(f"resolved {info.id[:8]}: kept the {info.resolution} value of {info.table} {info.record_id[:8]}")
    return 0


def register(sub: Any) -> None:
    from auditapp.cli_output import parse_date as _date

    p = sub.add_parser("export", help="write a package file (.auditpkg) to carry visits to another computer")
    p.add_argument("visits", nargs="*", metavar="VISIT", help="visits to export (default: everything)")
    p.add_argument("--institution", action="append", metavar="ID_OR_NAME", help="all visits of an institution (repeatable)")
    p.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="only visits changed on or after this date")
    p.add_argument("-o", "--output", required=True, metavar="FILE.auditpkg")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="merge a package file into this database (validated whole first)")
    p.add_argument("file", metavar="FILE.auditpkg")
    p.add_argument("--dry-run", action="store_true", help="show what would change and change nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("sync", help="sync both ways with another database (SQLite file/folder or PostgreSQL URL)")
    p.add_argument("url", metavar="URL", help="postgresql+psycopg://user:pw@host/db, sqlite:///path, a file or a data folder")
    p.add_argument("--dry-run", action="store_true", help="show what would change and change nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sync)

    p_conf = sub.add_parser("conflicts", help="conflicts found by sync: list, resolve")
    cs = p_conf.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = cs.add_parser("list", help="list open conflicts with both values")
    p.add_argument("--all", action="store_true", help="include resolved ones")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_conflicts_list)
    p = cs.add_parser("resolve", help="keep one side's value (written as a new edit that syncs on)")
    p.add_argument("conflict", metavar="ID")
    p.add_argument("--keep", required=True, choices=["local", "remote"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_conflicts_resolve)
