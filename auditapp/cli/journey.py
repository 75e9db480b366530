"""``auditapp journey …``: journey timing (就诊环节计时): stamp steps, list intervals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import table
from auditapp.cli.registry import arg, command
from auditapp.cli.types import local_time
from auditapp.services.journey import STEP_LABELS


def _local(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


@command(
    "journey step",
    help="stamp a step now (or --at HH:MM)",
    json=True,
    args=[
        arg("visit", metavar="VISIT"),
        arg("step", metavar="STEP", help=", ".join(STEP_LABELS) + ", or your own with --label"),
        arg("--at", metavar="TIME", type=local_time, help="HH:MM today, or YYYY-MM-DDTHH:MM (default: now)"),
        arg("--label", default=""),
        arg("--note", default=""),
    ],
)
def step(ctx: Context) -> Any:
    from auditapp.services.journey import record_step

    a = ctx.args
    with ctx.db() as db:
        return record_step(db, a.visit, a.step, at=a.at, label=a.label, note=a.note)


@step.text
def _step_text(s: Any, _ctx: Context) -> None:
    print(f"{s.id}  {s.label}  {_local(s.at)}")


@command("journey list", help="a visit's steps and intervals against targets", json=True, args=[arg("visit", metavar="VISIT")])
def list_steps(ctx: Context) -> dict[str, Any]:
    from auditapp.services.journey import intervals
    from auditapp.services.journey import list_steps as list_all

    with ctx.db() as db:
        steps = list_all(db, ctx.args.visit)
    spans = intervals(steps)
    return {"steps": steps, "intervals": [dict(vars(i), met=i.met) for i in spans]}


@list_steps.text
def _list_text(value: dict[str, Any], _ctx: Context) -> None:
    steps, spans = value["steps"], value["intervals"]
    table([[s.id[:8], s.step, s.label, _local(s.at), s.note] for s in steps], ["id", "step", "label", "at", "note"])
    if spans:
        print()
        table(
            [
                [
                    i["label"],
                    f"{i['minutes']:.1f}",
                    "" if i["target_minutes"] is None else f"≤ {i['target_minutes']:g}",
                    "" if i["met"] is None else ("ok" if i["met"] else "OVER"),
                    i["basis"],
                ]
                for i in spans
            ],
            ["interval", "minutes", "target", "", "basis"],
        )


@command("journey delete", help="remove a step", args=[arg("step_id", metavar="STEP_ID")])
def delete(ctx: Context) -> None:
    from auditapp.services.journey import delete_step

    with ctx.db() as db:
        delete_step(db, ctx.args.step_id)


@command(
    "journey flag",
    help="make a timed wait over its target a problem (with its clause)",
    json=True,
    args=[
        arg("visit", metavar="VISIT"),
        arg("--from", dest="first", required=True, metavar="STEP", help="e.g. registration, waiting, booked"),
        arg("--to", dest="second", default="consultation", metavar="STEP", help="default: consultation"),
        arg("--department", metavar="NAME"),
    ],
)
def flag(ctx: Context) -> Any:
    from auditapp.services.journey import wait_to_finding

    a = ctx.args
    with ctx.db() as db:
        return wait_to_finding(db, a.visit, a.first, a.second, department=a.department)


@flag.text
def _flag_text(finding: Any, _ctx: Context) -> None:
    print(finding.id)
