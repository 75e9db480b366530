"""``auditapp finding …``: the problems of a visit (问题): list, correct, delete, restore.

Problems from a nonconforming answer are changed through ``visit answer``; these commands
are for free problems (其他问题), timed waits and AED checks made problems.
"""

from __future__ import annotations

from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import table
from auditapp.cli.registry import arg, command
from auditapp.db.models import SEVERITIES
from auditapp.terms import label

FINDING = arg("finding", metavar="FINDING")
AMEND = [
    arg("--amend", action="store_true", help="change a finalized visit (needs --reason)"),
    arg("--reason", default="", help="why a finalized visit is amended"),
]


@command("finding list", help="a visit's problems with what to fix, where and the rectification status", json=True,
         args=[arg("visit", metavar="VISIT")])
def list_findings(ctx: Context) -> Any:
    from auditapp.services.visits import visit_detail

    with ctx.db() as db:
        return visit_detail(db, ctx.args.visit).findings


@list_findings.text
def _list_text(rows: Any, _ctx: Context) -> None:
    table(
        [
            [
                str(f.seq),
                f.id[:8],
                label("finding_source", f.source),
                label("severity", f.severity),
                (f.statement.splitlines() or [""])[0][:40],
                f.location.text(),
                f.department,
                label("rectification_status", f.rectification.status) if f.rectification else "",
            ]
            for f in rows
        ],
        ["no.", "id", "source", "severity", "problem", "where", "department", "status"],
    )


@command(
    "finding edit",
    help="correct a free problem (其他问题): description, area, severity, department",
    json=True,
    args=[
        FINDING,
        arg("--text"),
        arg("--area"),
        arg("--severity", choices=SEVERITIES),
        arg("--department", metavar="NAME"),
        *AMEND,
    ],
)
def edit(ctx: Context) -> Any:
    from auditapp.services.visits import update_finding

    a = ctx.args
    with ctx.db() as db:
        return update_finding(
            db, a.finding, text=a.text, area=a.area, severity=a.severity, department=a.department,
            amend=a.amend, reason=a.reason,
        )


@edit.text
def _edit_text(f: Any, _ctx: Context) -> None:
    print(f"{f.id}: {f.statement}")


@command("finding delete", help="withdraw a free problem (it can be restored with 'finding restore')",
         args=[FINDING, *AMEND])
def delete(ctx: Context) -> None:
    from auditapp.services.visits import delete_finding

    a = ctx.args
    with ctx.db() as db:
        delete_finding(db, a.finding, amend=a.amend, reason=a.reason)


@command("finding restore", help="bring back a deleted free problem (give its full id)", json=True,
         args=[arg("finding", metavar="FINDING_ID")])
def restore(ctx: Context) -> Any:
    from auditapp.services.visits import restore_finding

    with ctx.db() as db:
        return restore_finding(db, ctx.args.finding)


@restore.text
def _restore_text(f: Any, _ctx: Context) -> None:
    print(f.id)
