"""``auditapp photo …``: import, list, verify, annotate and export photos (照片)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import table
from auditapp.cli.registry import OneOf, arg, command
from auditapp.cli.types import check_input_file, output_file, positive_int

PHOTO = arg("photo", metavar="PHOTO")


@command(
    "photo add",
    help="import photos into a visit (metadata stripped, downscaled)",
    json=True,
    args=[
        arg("visit", metavar="VISIT"),
        arg("files", nargs="+", metavar="FILE"),
        OneOf(
            arg("--item", metavar="ITEM", help="attach to this checklist item's answer"),
            arg("--finding", metavar="ID", help="attach to a finding"),
            arg("--rectification", metavar="ID", help="after-photo of a rectification (finding id accepted)"),
        ),
        arg("--caption", default=""),
    ],
)
def add(ctx: Context) -> Any:
    from auditapp.services.photos import add_photos

    a = ctx.args
    with ctx.db() as db:
        return add_photos(
            db,
            a.visit,
            [Path(f) for f in a.files],
            item_id=a.item,
            finding_id=a.finding,
            rectification_id=a.rectification,
            caption=a.caption,
            progress=ctx.terminal_progress() if len(a.files) > 1 else None,
        )


@add.text
def _add_text(added: Any, _ctx: Context) -> None:
    for photo in added:
        print(f"{photo.id}  {photo.original_filename}  {photo.width}×{photo.height}")


@command("photo list", help="list a visit's photos", json=True, args=[arg("visit", metavar="VISIT")])
def list_photos(ctx: Context) -> Any:
    from auditapp.services.photos import list_photos as list_all

    with ctx.db() as db:
        return list_all(db, ctx.args.visit)


def _attached_to(p: Any) -> str:
    if p.answer_id:
        return "item"
    if p.finding_id:
        return "finding"
    return "rectification" if p.rectification_id else "visit"


@list_photos.text
def _list_text(rows: Any, _ctx: Context) -> None:
    table(
        [
            [
                p.id[:8],
                p.kind,
                _attached_to(p),
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


@command("photo verify", help="recheck the hash of every stored photo", json=True)
def verify(ctx: Context) -> dict[str, list[str]]:
    from auditapp.services.photos import verify_photos

    with ctx.db() as db:
        problems = verify_photos(db)
    if problems:
        ctx.status = 1
        for problem in problems:
            print(problem, file=sys.stderr)
    return {"problems": problems}


@verify.text
def _verify_text(value: dict[str, list[str]], _ctx: Context) -> None:
    if not value["problems"]:
        print("ok: every photo file matches its hash")


@command(
    "photo annotate",
    help="replace a photo's annotation/redaction layers from a JSON file",
    json=True,
    args=[PHOTO, arg("--layers", required=True, metavar="FILE.json", check=check_input_file)],
)
def annotate(ctx: Context) -> Any:
    from auditapp.photos.annotations import read_layers_file
    from auditapp.services.photos import set_annotations

    layers = read_layers_file(ctx.args.layers)
    with ctx.db() as db:
        return set_annotations(db, ctx.args.photo, layers)


@annotate.text
def _annotate_text(photo: Any, _ctx: Context) -> None:
    print(f"{photo.id}: {len(photo.annotations)} layer(s)")


@command(
    "photo export",
    help="write the photo as it leaves the app (redactions burned in)",
    args=[PHOTO, output_file("FILE.jpg"), arg("--max-side", type=positive_int, default=1600)],
)
def export(ctx: Context) -> str:
    from auditapp.services.photos import photo_export_jpeg

    with ctx.db() as db:
        data = photo_export_jpeg(db, ctx.args.photo, max_side=ctx.args.max_side)
    ctx.args.output.write_bytes(data)
    return f"wrote {ctx.args.output} ({len(data)} bytes, redactions burned in)"
