"""``auditapp checklists …``: validate the checklist files, list them, render the coverage table."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import table
from auditapp.cli.registry import arg, command
from auditapp.cli.types import output_file


@command(
    "checklists validate",
    help="validate checklist files (default: the whole library)",
    args=[arg("paths", nargs="*", metavar="PATH")],
)
def validate(ctx: Context) -> str:
    from auditapp import paths
    from auditapp.checklists import validate_paths
    from auditapp.errors import ChecklistError

    targets = [Path(p) for p in ctx.args.paths] or [paths.checklists_dir()]
    problems = validate_paths(targets)
    if problems:
        raise ChecklistError(problems)
    return f"ok: {', '.join(str(t) for t in targets)}"


@command("checklists list", help="list checklists and templates", json=True)
def list_checklists(ctx: Context) -> dict[str, Any]:
    from auditapp.checklists import load_library

    library = load_library()
    rows = [
        {
            "id": checklist.id,
            "version": checklist.version,
            "title": checklist.title,
            "applies_to": list(checklist.applies_to),
            "sections": len(checklist.sections),
            "items": sum(1 for _ in checklist.items()),
        }
        for checklist in library.checklists.values()
    ]
    templates = [
        {"id": t.id, "title": t.title, "applies_to": list(t.applies_to), "checklists": list(t.checklists)}
        for t in library.templates.values()
    ]
    indicator_sets = [
        {"id": s.id, "version": s.version, "title": s.title, "period": s.period,
         "indicators": sum(1 for _ in s.indicators())}
        for s in library.indicator_sets.values()
    ]
    return {"checklists": rows, "templates": templates, "indicator_sets": indicator_sets,
            "regions": library.known_regions()}


@list_checklists.text
def _list_text(value: dict[str, Any], _ctx: Context) -> None:
    rows, templates = value["checklists"], value["templates"]
    table(
        [[r["id"], str(r["version"]), r["title"], str(r["items"]), ",".join(r["applies_to"])] for r in rows],
        ["id", "ver", "title", "items", "applies to"],
    )
    if templates:
        print()
        table([[t["id"], t["title"], ",".join(t["checklists"])] for t in templates], ["template", "title", "checklists"])
    if value.get("indicator_sets"):
        print()
        table(
            [[s["id"], str(s["version"]), s["title"], str(s["indicators"]), s["period"]] for s in value["indicator_sets"]],
            ["indicator set", "ver", "title", "indicators", "period"],
        )


@command(
    "checklists coverage",
    help="render the coverage table of the seed documents",
    args=[output_file("FILE", required=False, help="write it to FILE instead of stdout")],
)
def coverage(ctx: Context) -> str | None:
    from auditapp.checklists import load_library
    from auditapp.checklists.coverage import render_coverage

    text = render_coverage(load_library())
    if ctx.args.output:
        ctx.args.output.write_text(text, encoding="utf-8")
        return f"wrote {ctx.args.output}"
    sys.stdout.write(text)
    return None
