"""``auditapp report …``: the PDF reports.

Each takes ``--progress`` (added by the registry): progress and the result as JSON lines
on stdout, which is how the GUI runs reports in a separate process
(``ui/report_process.py``)::

    {"event": "progress", "done": 3, "total": 10}
    {"event": "result", "path": "…/整改清单.pdf", "pages": 4, "seconds": 1.2}
    {"event": "error", "code": "visit.not_found", "message": "…", "hint": "…", "gui_hint": "…"}
"""

from __future__ import annotations

from typing import Any

from auditapp.cli.context import Context, UsageError
from auditapp.cli.registry import arg, command
from auditapp.cli.types import iso_date, output_file

PDF = output_file("FILE.pdf")


def _wrote(result: Any, _ctx: Context) -> None:
    print(f"wrote {result.path} ({result.pages} pages, {result.seconds:.1f} s)", flush=True)


@command(
    "report rectification",
    help="rectification list (整改清单) of a visit",
    progress=True,
    text=_wrote,
    args=[
        arg("visit", help="visit id or id prefix"),
        PDF,
        arg("--open-only", action="store_true", help="only items not yet verified"),
        arg("--by-department", action="store_true", help="one section per responsible department, each on new pages"),
        arg("--landscape", action="store_true", help="a landscape table instead of one block per finding"),
    ],
)
def rectification(ctx: Context) -> Any:
    from auditapp.reports import render_rectification_list

    a = ctx.args
    with ctx.db() as db:
        return render_rectification_list(
            db,
            a.visit,
            a.output,
            open_only=a.open_only,
            by_department=a.by_department,
            landscape=a.landscape,
            progress=ctx.progress(),
        )


@command(
    "report visit",
    help="visit report: scores, answers, timings, floor plans",
    progress=True,
    text=_wrote,
    args=[arg("visit", help="visit id or id prefix"), PDF],
)
def visit(ctx: Context) -> Any:
    from auditapp.reports import render_visit_report

    with ctx.db() as db:
        return render_visit_report(db, ctx.args.visit, ctx.args.output, progress=ctx.progress())


@command(
    "report followup",
    help="follow-up report of an institution's rectifications",
    progress=True,
    text=_wrote,
    args=[arg("institution", help="institution id, id prefix or name"), PDF],
)
def followup(ctx: Context) -> Any:
    from auditapp.reports import render_followup_report

    with ctx.db() as db:
        return render_followup_report(db, ctx.args.institution, ctx.args.output, progress=ctx.progress())


@command(
    "report summary",
    help="bureau summary across institutions",
    progress=True,
    text=_wrote,
    args=[
        arg("--institution", action="append", metavar="INSTITUTION", help="limit to these (repeatable)"),
        arg("--from", dest="date_from", type=iso_date, metavar="DATE"),
        arg("--to", dest="date_to", type=iso_date, metavar="DATE"),
        PDF,
    ],
)
def summary(ctx: Context) -> Any:
    from auditapp.reports import render_summary_report

    a = ctx.args
    if a.date_from and a.date_to and a.date_from > a.date_to:
        raise UsageError("cli.date_range_reversed", start=a.date_from, end=a.date_to)
    with ctx.db() as db:
        return render_summary_report(
            db,
            a.output,
            institutions=a.institution or None,
            date_from=a.date_from,
            date_to=a.date_to,
            progress=ctx.progress(),
        )


@command(
    "report indicators",
    help="indicator report (评估指标报告): one institution's reported statistics across periods",
    progress=True,
    text=_wrote,
    args=[
        arg("institution", help="institution id, id prefix or name"),
        PDF,
        arg("--set", dest="set_id", default="annex-2023", metavar="SET", help="indicator set (default annex-2023)"),
        arg("--from", dest="first", metavar="PERIOD", help="first period, e.g. 2024-Q1"),
        arg("--to", dest="last", metavar="PERIOD", help="last period"),
    ],
)
def indicators(ctx: Context) -> Any:
    from auditapp.reports import render_indicator_report

    a = ctx.args
    with ctx.db() as db:
        return render_indicator_report(db, a.institution, a.set_id, a.output, first=a.first, last=a.last,
                                       progress=ctx.progress())
