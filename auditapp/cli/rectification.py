"""``auditapp rectification …``: the problems' follow-up (整改): list and update."""

from __future__ import annotations

from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import table
from auditapp.cli.registry import arg, command
from auditapp.cli.types import iso_date
from auditapp.rules.rectification import STATUSES as RECTIFICATION_STATUSES

STATUS = arg("--status", choices=RECTIFICATION_STATUSES)
DEPARTMENT = arg("--department", metavar="NAME")


@command(
    "rectification list",
    help="list rectifications",
    json=True,
    args=[
        arg("--institution", metavar="ID_OR_NAME"),
        arg("--visit", metavar="VISIT"),
        STATUS,
        DEPARTMENT,
        arg("--overdue", action="store_true"),
    ],
)
def list_rectifications(ctx: Context) -> Any:
    from auditapp.services.rectifications import list_rectifications as list_all

    a = ctx.args
    with ctx.db() as db:
        return list_all(
            db,
            institution=a.institution,
            visit=a.visit,
            status=a.status,
            department=a.department,
            overdue_only=a.overdue,
        )


@list_rectifications.text
def _list_text(rows: Any, _ctx: Context) -> None:
    table(
        [
            [
                r.finding.id[:8],
                r.institution_name,
                r.visit_date.isoformat(),
                (r.finding.text.splitlines() or [""])[0][:30],
                r.rectification.department,
                r.rectification.owner,
                r.rectification.deadline.isoformat() if r.rectification.deadline else "",
                r.rectification.status + (" (逾期)" if r.rectification.overdue else ""),
            ]
            for r in rows
        ],
        ["finding", "institution", "visit", "problem", "department", "owner", "deadline", "status"],
    )


@command(
    "rectification update",
    help="set department, owner, deadline, measures or status",
    json=True,
    args=[
        arg("finding", metavar="FINDING"),
        DEPARTMENT,
        arg("--owner"),
        arg("--deadline", type=iso_date, metavar="YYYY-MM-DD"),
        arg("--measures"),
        STATUS,
        arg("--note", default="", help="note for the status history"),
    ],
)
def update(ctx: Context) -> Any:
    from auditapp.services.rectifications import update_rectification

    a = ctx.args
    with ctx.db() as db:
        return update_rectification(
            db,
            a.finding,
            department=a.department,
            owner=a.owner,
            deadline=a.deadline,
            measures=a.measures,
            status=a.status,
            note=a.note,
        )


@update.text
def _update_text(rect: Any, _ctx: Context) -> None:
    print(f"{rect.id}: {rect.status}")
