"""``auditapp demo``: the demo hospitals with their visits."""

from __future__ import annotations

from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.registry import command


@command("demo", help="create demo data (two hospitals with visits)", json=True)
def demo(ctx: Context) -> Any:
    from auditapp.services.demo import create_demo_data

    with ctx.db() as db:
        return create_demo_data(db)


@demo.text
def _demo_text(result: Any, _ctx: Context) -> None:
    if result.created:
        print(f"created demo data: {len(result.institutions)} institutions, {len(result.visits)} visits")
    else:
        print("demo data already present; nothing changed")
