"""``auditapp indicator …``: evaluation indicators (评估指标) reported per period, apart from the walk.

The city annexes' statistics (预约诊疗率, 分娩镇痛率 …) are filled in per quarter or month by
the institutions those annexes bind; see :mod:`auditapp.services.indicators`.
"""

from __future__ import annotations

from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import table
from auditapp.cli.registry import arg, command

INSTITUTION = arg("--institution", required=True, metavar="ID_OR_NAME")
PERIOD_HELP = "reporting period: a quarter 2024-Q1, a month 2024-03 or a year 2024 (as the set is reported)"


def _language() -> str:
    from auditapp.language import current_language

    return current_language()


@command("indicator sets", help="the indicator sets and how many indicators the institution reports",
         json=True, args=[INSTITUTION])
def sets(ctx: Context) -> Any:
    from auditapp.services.indicators import list_indicator_sets

    with ctx.db() as db:
        return list_indicator_sets(db, ctx.args.institution)


@sets.text
def _sets_text(rows: Any, _ctx: Context) -> None:
    from auditapp.terms import label

    table([[s.id, s.title, label("period_kind", s.period_kind), f"{s.applicable}/{s.indicators}"] for s in rows],
          ["set", "title", "period", "reported"])


@command(
    "indicator list",
    help="the indicators the institution reports for a period, with the values entered",
    json=True,
    args=[INSTITUTION, arg("--period", required=True, help=PERIOD_HELP), arg("--set", dest="set_id", metavar="SET")],
)
def list_indicators(ctx: Context) -> Any:
    from auditapp.services.indicators import indicator_sheet

    a = ctx.args
    with ctx.db() as db:
        return indicator_sheet(db, institution=a.institution, period=a.period, set_id=a.set_id)


@list_indicators.text
def _list_text(sheets: Any, _ctx: Context) -> None:
    from auditapp.services.indicators import target_text, value_text
    from auditapp.terms import label

    language = _language()
    zh = language == "zh_CN"
    for sheet in sheets:
        print(f"{sheet.set_title if zh or not sheet.set_title_en else sheet.set_title_en}  {sheet.period}  "
              f"{sheet.institution_name}  {sheet.region or '—'}")
        if not sheet.rows:
            print("  本机构所在地区的文件不要求填报这些指标。" if zh
                  else "  No document of the institution's region requires these indicators.")
            continue
        rows = []
        for row in sheet.rows:
            name = row.indicator.name if zh or not row.indicator.name_en else row.indicator.name_en
            value = value_text(row.indicator, row.value.value, language) if row.value else ""
            if not value and row.legacy:
                value = f"({value_text(row.indicator, row.legacy[-1].value, language) or label('result', row.legacy[-1].result, language)})"
            target = target_text(row.in_force, row.indicator, language) if row.in_force else "—"
            verdict = label("result", row.value.result, language) if row.value and row.value.result else ""
            cites = "; ".join(f"{b.source} {b.clause}" for b in row.required_by)
            rows.append([row.indicator.id, name, value or "—", target, verdict, cites])
        table(rows, ["id", "indicator", "value", "target", "verdict", "required by"])


@command(
    "indicator set",
    help="enter or correct one indicator's value for a period",
    json=True,
    args=[
        INSTITUTION,
        arg("indicator", metavar="INDICATOR", help="indicator id (see 'indicator list')"),
        arg("--period", required=True, help=PERIOD_HELP),
        arg("--value", required=True, help="a number (percentages without %%), minutes, or yes/no"),
        arg("--source", dest="data_source", help="where the figure comes from (default: the set's suggestion)"),
        arg("--note", default=""),
        arg("--by", dest="entered_by", default="", metavar="NAME", help="who reports it"),
    ],
)
def set_value(ctx: Context) -> Any:
    from auditapp.services.indicators import set_indicator_value

    a = ctx.args
    with ctx.db() as db:
        return set_indicator_value(db, institution=a.institution, indicator=a.indicator, period=a.period,
                                   value=a.value, data_source=a.data_source, note=a.note, entered_by=a.entered_by)


@set_value.text
def _set_text(info: Any, _ctx: Context) -> None:
    from auditapp.terms import label

    verdict = f"  {label('result', info.result, _language())}" if info.result else ""
    print(f"{info.indicator_id} {info.period} = {info.value}{verdict}")


@command(
    "indicator clear",
    help="withdraw a period's value of one indicator",
    json=True,
    args=[INSTITUTION, arg("indicator", metavar="INDICATOR"), arg("--period", required=True, help=PERIOD_HELP)],
)
def clear(ctx: Context) -> Any:
    from auditapp.services.indicators import clear_indicator_value

    a = ctx.args
    with ctx.db() as db:
        return {"cleared": clear_indicator_value(db, institution=a.institution, indicator=a.indicator,
                                                 period=a.period)}


@clear.text
def _clear_text(result: Any, _ctx: Context) -> None:
    print("cleared" if result["cleared"] else "no value to clear")


@command(
    "indicator values",
    help="every value the institution has reported, oldest period first",
    json=True,
    args=[INSTITUTION, arg("--set", dest="set_id", metavar="SET")],
)
def values(ctx: Context) -> Any:
    from auditapp.services.indicators import list_indicator_values

    with ctx.db() as db:
        return list_indicator_values(db, institution=ctx.args.institution, set_id=ctx.args.set_id)


@values.text
def _values_text(rows: Any, _ctx: Context) -> None:
    from auditapp.terms import label

    language = _language()
    table([[v.period, v.indicator_id, v.value, label("result", v.result, language) if v.result else "", v.data_source]
           for v in rows], ["period", "indicator", "value", "verdict", "source"])


@command(
    "indicator trend",
    help="one set's indicators across periods (values, legacy answers of old visits)",
    json=True,
    args=[
        INSTITUTION,
        arg("--set", dest="set_id", required=True, metavar="SET"),
        arg("--from", dest="first", metavar="PERIOD"),
        arg("--to", dest="last", metavar="PERIOD"),
    ],
)
def trend(ctx: Context) -> Any:
    from auditapp.services.indicators import indicator_trend

    a = ctx.args
    with ctx.db() as db:
        return indicator_trend(db, institution=a.institution, set_id=a.set_id, first=a.first, last=a.last)


@trend.text
def _trend_text(t: Any, _ctx: Context) -> None:
    from auditapp.services.indicators import value_text

    language = _language()
    rows = []
    for row in t.rows:
        cells = []
        for cell in row.cells:
            if cell.value is not None:
                cells.append(value_text(row.indicator, cell.value.value, language))
            elif cell.legacy is not None:
                cells.append(f"({value_text(row.indicator, cell.legacy.value, language) or cell.legacy.result or ''})")
            else:
                cells.append("")
        rows.append([row.indicator.id, *cells])
    table(rows, ["indicator", *t.periods])
