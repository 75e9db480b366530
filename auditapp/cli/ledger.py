"""``auditapp ledger …`` and ``auditapp notice``: the rectification loop with the departments.

- ``ledger export``: the ledger (整改台账) as .xlsx, or with ``--for-department`` the
  workbook a department fills in and sends back;
- ``ledger import``: read that returned workbook (validated whole first, one transaction);
- ``ledger calendar``: the open deadlines as an .ics calendar;
- ``notice``: the rectification notice (整改通知书) as .docx.

``rectification due`` lives with the other rectification commands
(:mod:`auditapp.cli.rectification`). Handlers parse, call one function of the core and
return its result; the renderers below word it for the terminal.
"""

from __future__ import annotations

import sys
from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.registry import OneOf, arg, command
from auditapp.cli.types import iso_date, output_file


def _scope() -> OneOf:
    return OneOf(arg("--visit", metavar="VISIT"), arg("--institution", metavar="ID_OR_NAME"), required=True)


def _field_words(key: str, language: str) -> str:
    from auditapp.ledger.columns import BY_KEY

    column = BY_KEY.get(key)
    return column.header(language) if column else key


@command(
    "ledger export",
    help="write the ledger as .xlsx (--for-department D: the workbook a department fills in)",
    json=True,
    args=[
        _scope(),
        OneOf(
            arg("--department", metavar="NAME", help="only this department's rows (the office's ledger)"),
            arg("--for-department", metavar="NAME", help="this department's workbook to fill in and return"),
        ),
        arg("--open-only", action="store_true", help="only problems not yet verified"),
        output_file("FILE.xlsx"),
    ],
)
def export(ctx: Context) -> Any:
    from auditapp.ledger.export import export_ledger

    a = ctx.args
    with ctx.db() as db:
        return export_ledger(
            db, a.output, visit=a.visit, institution=a.institution, department=a.department,
            for_department=a.for_department, open_only=a.open_only,
        )


@export.text
def _export_text(result: Any, _ctx: Context) -> None:
    print(f"{result.path}  ({result.rows} rows, {result.photos} photos, {result.byte_size} bytes)")


def _print_plan(plan: Any, language: str, *, out: Any = None) -> None:
    from auditapp.terms import label

    out = out or sys.stdout
    zh = language == "zh_CN"
    for row in plan.rows:
        where = f"第{row.row}行" if zh else f"row {row.row}"
        if row.outcome == "change":
            parts = [f"{_field_words(c.column, language)}: {c.before or '—'} → {c.after or '—'}" for c in row.changes]
            action = f" [{label('rectification_action', row.action, language)}]" if row.action else ""
            print(f"{where} {row.number}{action}: " + "; ".join(parts), file=out)
        elif row.outcome == "conflict":
            print(f"{where} {row.number} "
                  f"{'冲突（导出后已在程序中修改）' if zh else 'CONFLICT (changed in the app since export)'}:", file=out)
            for c in row.conflicts:
                print(f"    {_field_words(c.column, language)}: "
                      f"{'程序中' if zh else 'app'} = {c.app or '—'} | {'台账中' if zh else 'workbook'} = {c.workbook or '—'}"
                      f" | {'导出时' if zh else 'exported'} = {c.exported or '—'}", file=out)
    counts = {o: plan.count(o) for o in ("change", "unchanged", "already", "conflict")}
    summary = (f"待导入 {counts['change']} 行，未改动 {counts['unchanged']} 行，已导入过 {counts['already']} 行，"
               f"冲突 {counts['conflict']} 行"
               if zh else
               f"{counts['change']} to import, {counts['unchanged']} unchanged, {counts['already']} already imported, "
               f"{counts['conflict']} conflicts")
    if plan.missing_rows:
        summary += (f"；{plan.missing_rows} 行已从工作簿删除，保持不变" if zh else
                    f"; {plan.missing_rows} exported rows are not in the workbook and stay as they are")
    print(summary, file=out)


@command(
    "ledger import",
    help="import a department's returned workbook (validated whole first, one transaction)",
    json=True,
    args=[
        arg("file", metavar="FILE.xlsx"),
        arg("--dry-run", action="store_true", help="show what would change and change nothing"),
        arg("--skip-conflicts", action="store_true",
            help="import the other rows when some changed in the app since export (those keep the app's values)"),
    ],
)
def import_(ctx: Context) -> Any:
    from pathlib import Path

    from auditapp.language import current_language
    from auditapp.ledger.read import apply_plan, read_returned_workbook

    a = ctx.args
    with ctx.db() as db:
        plan = read_returned_workbook(db, Path(a.file).expanduser())
        if plan.count("conflict") and not a.skip_conflicts and not a.dry_run and not ctx.json:
            _print_plan(plan, current_language(), out=sys.stderr)  # what conflicts, before the refusal
        result = None if a.dry_run else apply_plan(db, plan, skip_conflicts=a.skip_conflicts)
    return {"plan": plan, "applied": result.applied if result else 0, "dry_run": a.dry_run}


@import_.text
def _import_text(value: dict[str, Any], _ctx: Context) -> None:
    from auditapp.language import current_language

    language = current_language()
    _print_plan(value["plan"], language)
    if not value["dry_run"]:
        print(f"{'已导入' if language == 'zh_CN' else 'imported'} {value['applied']}")


@command(
    "ledger calendar",
    help="write the deadlines of open rectifications as an .ics calendar",
    json=True,
    args=[_scope(), arg("--department", metavar="NAME"), output_file("FILE.ics")],
)
def calendar(ctx: Context) -> Any:
    from auditapp.ledger.calendar import deadline_calendar

    a = ctx.args
    with ctx.db() as db:
        return deadline_calendar(db, a.output, visit=a.visit, institution=a.institution, department=a.department)


@calendar.text
def _calendar_text(result: Any, _ctx: Context) -> None:
    print(f"{result.path}  ({result.events} deadlines)")


@command(
    "notice",
    help="write the rectification notice (整改通知书) of a visit as .docx",
    json=True,
    args=[
        arg("visit", metavar="VISIT"),
        arg("--department", metavar="NAME", help="the notice to one department (default: all departments)"),
        arg("--number", default="", metavar="TEXT", help="文号, e.g. 院质改〔2026〕5号"),
        arg("--issuer", default="", metavar="NAME", help="签发人"),
        arg("--office", default="", metavar="NAME", help="issuing office (发文机关署名); default the institution"),
        arg("--date", type=iso_date, metavar="YYYY-MM-DD", help="成文日期 (default today)"),
        output_file("FILE.docx"),
    ],
)
def notice(ctx: Context) -> Any:
    from auditapp.notice import NoticeOptions, write_notice

    a = ctx.args
    options = NoticeOptions(number=a.number, issuer=a.issuer, office=a.office, issued_on=a.date)
    with ctx.db() as db:
        return write_notice(db, a.visit, a.output, department=a.department, options=options)


@notice.text
def _notice_text(result: Any, _ctx: Context) -> None:
    print(f"{result.path}  ({result.problems} problems)")
