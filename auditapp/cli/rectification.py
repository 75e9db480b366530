"""``auditapp rectification …``: the problems' follow-up (整改): list and update."""

from __future__ import annotations

from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import table
from auditapp.cli.registry import arg, command
from auditapp.cli.types import iso_date, positive_int
from auditapp.rules.rectification import ACTIONS
from auditapp.rules.rectification import STATUSES as RECTIFICATION_STATUSES
from auditapp.terms import label

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
                label("rectification_status", r.rectification.status) + (" (逾期)" if r.rectification.overdue else ""),
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


ROLES = ("inspector", "department")


@command(
    "rectification action",
    help="take one step of the rectification lifecycle (start, report, verify, reject, …)",
    json=True,
    args=[
        arg("finding", metavar="FINDING"),
        arg("action", choices=tuple(ACTIONS), metavar="ACTION", help=", ".join(ACTIONS)),
        arg("--note", default="", help="reason, verification note or what was done"),
        arg("--deadline", type=iso_date, metavar="YYYY-MM-DD", help="the new deadline asked for (request_extension)"),
        arg("--measures", help="the measures taken (report)"),
        arg("--as", dest="role", choices=ROLES, default="inspector", help="who takes it (default: inspector)"),
        arg("--actor", help="name for the history (default: the inspector in Settings)"),
    ],
)
def action(ctx: Context) -> Any:
    from auditapp.services.rectifications import apply_action

    a = ctx.args
    with ctx.db() as db:
        return apply_action(
            db, a.finding, a.action, note=a.note, new_deadline=a.deadline, measures=a.measures, role=a.role,
            actor=a.actor,
        )


@action.text
def _action_text(rect: Any, _ctx: Context) -> None:
    from auditapp.terms import label

    print(f"{rect.id}: {label('rectification_status', rect.status)}")


@command(
    "rectification actions",
    help="the lifecycle steps open now for a problem's rectification",
    json=True,
    args=[arg("finding", metavar="FINDING"), arg("--as", dest="role", choices=ROLES, default="inspector")],
)
def actions(ctx: Context) -> Any:
    from auditapp.services.rectifications import allowed_actions

    with ctx.db() as db:
        return allowed_actions(db, ctx.args.finding, role=ctx.args.role)


@actions.text
def _actions_text(rows: Any, _ctx: Context) -> None:
    from auditapp.terms import label

    table(
        [[a.name, label("rectification_action", a.name), label("rectification_status", a.target or ""), ", ".join(a.needs)]
         for a in rows],
        ["action", "", "leads to", "needs"],
    )


@command("rectification history", help="every status change of a problem's rectification: who, when, why",
         json=True, args=[arg("finding", metavar="FINDING")])
def history(ctx: Context) -> Any:
    from auditapp.services.rectifications import rectification_history

    with ctx.db() as db:
        return rectification_history(db, ctx.args.finding)


@history.text
def _history_text(rows: Any, _ctx: Context) -> None:
    from auditapp.terms import label

    table(
        [
            [
                e.at.astimezone().strftime("%Y-%m-%d %H:%M"),
                label("rectification_action", e.action) if e.action else "",
                f"{label('rectification_status', e.status_from) if e.status_from else '—'} → "
                f"{label('rectification_status', e.status_to)}",
                e.actor,
                e.note,
            ]
            for e in rows
        ],
        ["when", "action", "status", "who", "note"],
    )


@command(
    "rectification due",
    help="open rectifications overdue or falling due soon, per department",
    json=True,
    args=[
        arg("--institution", metavar="ID_OR_NAME"),
        arg("--within", type=positive_int, default=7, metavar="DAYS", help="falling due within DAYS (default 7)"),
        arg("--overdue", action="store_true", help="only the overdue ones"),
    ],
)
def due(ctx: Context) -> Any:
    from auditapp.services.ledger import due_rectifications

    a = ctx.args
    with ctx.db() as db:
        return due_rectifications(db, institution=a.institution, within=a.within, overdue_only=a.overdue)


@due.text
def _due_text(groups: Any, ctx: Context) -> None:
    within = ctx.args.within
    rows = []
    for g in groups:
        for bucket, items in (("overdue", g.overdue), ("≤3 days", g.due_3), (f"≤{within} days", g.due_within)):
            for item in items:
                when = f"{-item.days_left} d overdue" if item.days_left < 0 else f"in {item.days_left} d"
                rows.append([g.institution_name, g.department or "—", bucket, item.deadline.isoformat(), when,
                             item.number, item.statement.splitlines()[0][:30] if item.statement else ""])
    table(rows, ["institution", "department", "due", "deadline", "", "problem", "what"])
