"""``auditapp photo …``: import, list, verify, annotate and export photos."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from auditapp.cli_output import emit_json as _emit
from auditapp.cli_output import open_db as _open




def cmd_add(args: argparse.Namespace) -> int:
    from auditapp.services.photos import add_photos

    def progress(done: int, total: int) -> None:
        if not args.json and total > 1:
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    with _open(args) as db:
        added = add_photos(
            db,
            args.visit,
            [Path(f) for f in args.files],
            item_id=args.item,
            finding_id=args.finding,
            rectification_id=args.rectification,
            caption=args.caption,
            progress=progress,
        )
    if not args.json and len(args.files) > 1:
        print(file=sys.stderr)
    if args.json:
        _emit(added)
    else:
        for photo in added:
            print(f"{photo.id}  {photo.original_filename}  {photo.width}×{photo.height}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from auditapp.cli_output import table as _table
    from auditapp.services.photos import list_photos

    with _open(args) as db:
        rows = list_photos(db, args.visit)
    if args.json:
        _emit(rows)
        return 0
    _table(
        [
            [
                p.id[:8],
                p.kind,
                "item" if p.answer_id else "finding" if p.finding_id else "rectification" if p.rectification_id else "visit",
                f"{p.width}×{p.height}",
                p.taken_at.isoformat(timespec="minutes") if p.taken_at else "",
                str(len(p.annotations)),
                p.original_filename,
                p.caption,
            ]
            for p in rows
        ],
        ["id", "kind", "on", "size", "taken (UTC)", "layers", "file", "caption"],
    )
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from auditapp.services.photos import verify_photos

    with _open(args) as db:
        problems = verify_photos(db)
    if args.json:
        _emit({"problems": problems})
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems and not args.json:
        print("ok: every photo file matches its hash")
    return 1 if problems else 0


def cmd_annotate(args: argparse.Namespace) -> int:
    from auditapp.errors import InvalidInputError
    from auditapp.services.photos import set_annotations

    try:
        layers = json.loads(Path(args.layers).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InvalidInputError(f"{args.layers}: not a JSON list of layers ({exc})") from exc
    if not isinstance(layers, list):
        raise InvalidInputError(f"{args.layers}: expected a JSON list of layers")
    with _open(args) as db:
        photo = set_annotations(db, args.photo, layers)
    if args.json:
        _emit(photo)
    else:
        print(f"{photo.id}: {len(photo.annotations)} layer(s)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from auditapp.services.photos import photo_export_jpeg

    with _open(args) as db:
        data = photo_export_jpeg(db, args.photo, max_side=args.max_side)
    Path(args.output).write_bytes(data)
    print(f"wrote {args.output} ({len(data)} bytes, redactions burned in)")
    return 0


def register(sub: Any) -> None:
    p_photo = sub.add_parser("photo", help="photos (照片): import, list, verify, annotate, export")
    ps = p_photo.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = ps.add_parser("add", help="import photos into a visit (metadata stripped, downscaled)")
    p.add_argument("visit", metavar="VISIT")
    p.add_argument("files", nargs="+", metavar="FILE")
    target = p.add_mutually_exclusive_group()
    target.add_argument("--item", metavar="ITEM", help="attach to this checklist item's answer")
    target.add_argument("--finding", metavar="ID", help="attach to a finding")
    target.add_argument("--rectification", metavar="ID", help="after-photo of a rectification (finding id accepted)")
    p.add_argument("--caption", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_add)
    p = ps.add_parser("list", help="list a visit's photos")
    p.add_argument("visit", metavar="VISIT")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = ps.add_parser("verify", help="recheck the hash of every stored photo")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_verify)
    p = ps.add_parser("annotate", help="replace a photo's annotation/redaction layers from a JSON file")
    p.add_argument("photo", metavar="PHOTO")
    p.add_argument("--layers", required=True, metavar="FILE.json")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_annotate)
    p = ps.add_parser("export", help="write the photo as it leaves the app (redactions burned in)")
    p.add_argument("photo", metavar="PHOTO")
    p.add_argument("-o", "--output", required=True, metavar="FILE.jpg")
    p.add_argument("--max-side", type=int, default=1600)
    p.set_defaults(func=cmd_export)
