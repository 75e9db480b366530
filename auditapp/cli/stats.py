"""``auditapp stats``: the dashboard's figures (one computation with the GUI and the summary PDF)."""

from __future__ import annotations

from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import table
from auditapp.cli.registry import arg, command
from auditapp.cli.types import check_output_file, iso_date, whole_number
from auditapp.db.models import VISIT_MODES
from auditapp.language import is_chinese


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


@command(
    "stats",
    help="dashboard figures: trend, rectifications, recurring problems, heat map, ranking",
    json=True,
    args=[
        arg("--institution", action="append", metavar="ID_OR_NAME", help="repeatable (default: all, bureau view)"),
        arg("--from", dest="date_from", type=iso_date, metavar="YYYY-MM-DD"),
        arg("--to", dest="date_to", type=iso_date, metavar="YYYY-MM-DD"),
        arg("--mode", choices=VISIT_MODES),
        arg("--top", type=whole_number, default=15, metavar="N", help="most frequent problems listed"),
        arg("--xlsx", metavar="FILE", check=check_output_file, help="also write every table to an .xlsx workbook"),
    ],
)
def stats(ctx: Context) -> Any:
    from auditapp.services.dashboard import dashboard
    from auditapp.stats.export import dashboard_json

    a = ctx.args
    with ctx.db() as db:
        figures = dashboard(db, institutions=a.institution or None, date_from=a.date_from, date_to=a.date_to,
                            mode=a.mode, top_problems=a.top)
    if a.xlsx:
        from auditapp.stats.export import write_workbook

        write_workbook(figures, a.xlsx)
    return dashboard_json(figures) if ctx.json else figures


@stats.text
def _stats_text(d: Any, _ctx: Context) -> None:
    zh = is_chinese()
    r = d.rectifications
    print(("体验 {n} 次（不完整 {i} 次），符合率 {rate}，覆盖率 {cov}" if zh else
           "{n} visits ({i} incomplete), conformity {rate}, coverage {cov}").format(
        n=len(d.visits), i=len(d.incomplete_visits), rate=_pct(d.overall.rate), cov=d.coverage.percent_text))
    print(("整改 {t} 项：未完成 {o}，逾期 {od}，完成率 {c}，整改用时中位数 {m} 天" if zh else
           "{t} rectifications: {o} open, {od} overdue, closure {c}, median {m} days to close").format(
        t=r.total, o=r.open, od=r.overdue, c=_pct(r.closure_rate),
        m="—" if r.median_days_to_close is None else f"{r.median_days_to_close:g}"))
    print()
    table([[m.month, _pct(m.rate), m.coverage.percent_text, str(m.visits), str(m.incomplete_visits)] for m in d.months],
          ["month", "conformity", "coverage", "visits", "incomplete"])
    if len(d.ranking.rows) > 1:
        print()
        table([[str(x.rank or "—"), x.name, _pct(x.rate), x.coverage.percent_text,
                "—" if x.change is None else f"{x.change * 100:+.1f}", str(len(x.incomplete_visit_ids))]
               for x in d.ranking.rows],
              ["rank", "institution", "score", "coverage", "change", "incomplete"])
    if d.recurring:
        print()
        table([[x.institution_name, x.text[:40], str(x.visits), "✓" if x.ongoing else ""] for x in d.recurring[:20]],
              ["institution", "recurring problem (屡查屡犯)", "visits", "ongoing"])
