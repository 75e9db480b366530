"""The dashboard's numbers as tables: for ``stats --json``, and as an .xlsx workbook (openpyxl).

Each chart of the dashboard page has one table here (same rows, same order), so what a
chart shows can be checked and reused in a spreadsheet. Headers follow the reader's
language.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from auditapp.errors import FileAccessError
from auditapp.jsonable import to_jsonable
from auditapp.language import current_language
from auditapp.stats.figures import Dashboard
from auditapp.terms import Words

Table = tuple[list[str], list[list[Any]]]


def _rate(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)


def _w(zh: str, en: str, language: str) -> str:
    return Words(zh, en).render(language)


def tables(d: Dashboard, language: str | None = None) -> dict[str, tuple[str, Table]]:
    """name -> (sheet title, (headers, rows)) for every chart and list of the dashboard."""
    lang = language or d.language or current_language()
    w = lambda zh, en: _w(zh, en, lang)  # noqa: E731
    out: dict[str, tuple[str, Table]] = {}
    out["trend"] = (w("月度趋势", "Trend by month"), (
        [w("月份", "month"), w("符合率", "conformity"), w("覆盖率", "coverage"), w("符合", "conform"),
         w("不符合", "nonconform"), w("体验次数", "visits"), w("不完整", "incomplete")],
        [[m.month, _rate(m.rate), _rate(m.coverage.rate), m.score.conform, m.score.nonconform, m.visits,
          m.incomplete_visits] for m in d.months],
    ))
    out["visits"] = (w("各次体验", "Visits"), (
        [w("机构", "institution"), w("日期", "date"), w("编号", "number"), w("体验人", "inspector"),
         w("符合率", "conformity"), w("已答", "answered"), w("适用", "applicable"), w("覆盖率", "coverage"),
         w("不完整", "incomplete")],
        [[v.institution_name, v.visit_date.isoformat(), v.report_number, v.inspector, _rate(v.rate),
          v.coverage.answered, v.coverage.applicable, _rate(v.coverage.rate), not v.complete] for v in d.visits],
    ))
    r = d.rectifications
    out["departments"] = (w("整改（按科室）", "Rectifications by department"), (
        [w("科室", "department"), w("合计", "total"), w("未完成", "open"), w("逾期", "overdue"), w("已完成", "done"),
         w("完成率", "closure rate"), w("整改用时中位数（天）", "median days to close")],
        [[x.department or w("未指定科室", "no department"), x.total, x.open, x.overdue, x.done,
          _rate(x.closure_rate), x.median_days_to_close] for x in r.by_department]
        + [[w("合计", "all"), r.total, r.open, r.overdue, r.done, _rate(r.closure_rate), r.median_days_to_close]],
    ))
    out["recurring"] = (w("屡查屡犯", "Recurring problems"), (
        [w("机构", "institution"), w("问题", "problem"), w("区域", "area"), w("连续次数", "consecutive visits"),
         w("首次", "first"), w("最近", "last"), w("仍未改正", "ongoing")],
        [[x.institution_name, x.text, x.section, x.visits, x.first_date.isoformat(), x.last_date.isoformat(),
          x.ongoing] for x in d.recurring],
    ))
    out["frequent"] = (w("高频问题", "Most frequent problems"), (
        [w("问题", "problem"), w("区域", "area"), w("发现次数", "found"), w("涉及体验", "visits"),
         w("涉及机构", "institutions")],
        [[x.text, x.section, x.findings, x.visits, x.institutions] for x in d.frequent],
    ))
    heat = d.heatmap
    out["heatmap"] = (w("区域×月份", "Area by month"), (
        [w("区域", "area"), *heat.months],
        [[title, *[_rate(heat.rate(key, m)) for m in heat.months]] for key, title in heat.sections],
    ))
    out["ranking"] = (w("机构排名", "Ranking"), (
        [w("名次", "rank"), w("机构", "institution"), w("可比得分", "comparable score"), w("覆盖率", "coverage"),
         w("上期得分", "previous period"), w("变化", "change"), w("体验次数", "visits"),
         w("完整体验", "complete visits"), w("不完整体验", "incomplete visits")],
        [[x.rank, x.name, _rate(x.rate), _rate(x.coverage.rate), _rate(x.previous_rate), _rate(x.change), x.visits,
          x.complete_visits, len(x.incomplete_visit_ids)] for x in d.ranking.rows],
    ))
    return out


# Columns holding shares (0–1) that a spreadsheet shows as percentages; month columns
# (the heat map's) are shares too.
PERCENT_HEADERS = frozenset({
    "符合率", "覆盖率", "完成率", "可比得分", "上期得分", "变化",
    "conformity", "coverage", "closure rate", "comparable score", "previous period", "change",
})


def _is_percent(header: str) -> bool:
    return header in PERCENT_HEADERS or (len(header) == 7 and header[4] == "-" and header[:4].isdigit())


def write_table(path: Path | str, title: str, table: Table) -> Path:
    """One table as a workbook of one sheet (the dashboard's "export this chart")."""
    return _write(Path(path), [(title, table)])


def write_workbook(d: Dashboard, path: Path | str, language: str | None = None) -> Path:
    """Every table of the dashboard, one sheet each."""
    return _write(Path(path), list(tables(d, language).values()))


def _write(path: Path, sheets: Iterable[tuple[str, Table]]) -> Path:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    for title, (headers, rows) in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for n, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(n)].width = max(10, min(48, len(str(header)) * 2 + 4))
            if _is_percent(str(header)):
                for (cell,) in sheet.iter_rows(min_row=2, min_col=n, max_col=n):
                    cell.number_format = "0.0%"
    tmp = path.with_name(path.name + ".part")
    try:
        book.save(tmp)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FileAccessError("stats.export_failed", path=str(path), detail=exc.strerror or str(exc)) from exc
    return path


def dashboard_json(d: Dashboard) -> dict[str, Any]:
    """The figures as plain JSON (``auditapp stats --json``)."""
    r = d.rectifications

    def score(s: Any) -> dict[str, Any]:
        return {"conform": s.conform, "nonconform": s.nonconform, "weighted_nonconform": s.weighted_nonconform,
                "rate": _rate(s.rate)}

    def cov(c: Any) -> dict[str, Any]:
        return {"answered": c.answered, "applicable": c.applicable, "rate": _rate(c.rate), "complete": c.complete}

    return to_jsonable({
        "scope": {"institutions": list(d.scope.institution_ids), "from": d.scope.date_from, "to": d.scope.date_to,
                  "mode": d.scope.mode, "today": d.today},
        "overall": {**score(d.overall), "coverage": cov(d.coverage), "visits": len(d.visits),
                    "incomplete_visits": [v.id for v in d.incomplete_visits]},
        "visits": [{"id": v.id, "institution_id": v.institution_id, "institution": v.institution_name,
                    "date": v.visit_date, "month": v.month, "seq": v.seq, "score": score(v.score),
                    "coverage": cov(v.coverage), "incomplete": not v.complete} for v in d.visits],
        "months": [{"month": m.month, "score": score(m.score), "coverage": cov(m.coverage), "visits": m.visits,
                    "incomplete_visits": m.incomplete_visits, "visit_ids": list(m.visit_ids)} for m in d.months],
        "rectifications": {
            "total": r.total, "open": r.open, "overdue": r.overdue, "done": r.done,
            "closure_rate": _rate(r.closure_rate), "median_days_to_close": r.median_days_to_close,
            "by_department": [{"department": x.department, "total": x.total, "open": x.open, "overdue": x.overdue,
                               "done": x.done, "closure_rate": _rate(x.closure_rate),
                               "median_days_to_close": x.median_days_to_close} for x in r.by_department],
        },
        "recurring": [{"institution_id": x.institution_id, "institution": x.institution_name, "item_id": x.item_id,
                       "text": x.text, "section": x.section, "visits": x.visits, "first_date": x.first_date,
                       "last_date": x.last_date, "visit_ids": list(x.visit_ids), "ongoing": x.ongoing}
                      for x in d.recurring],
        "frequent": [{"key": x.key, "item_id": x.item_id, "text": x.text, "section": x.section,
                      "findings": x.findings, "visits": x.visits, "institutions": x.institutions} for x in d.frequent],
        "heatmap": {"months": list(d.heatmap.months),
                    "sections": [{"key": k, "title": t,
                                  "cells": [score(d.heatmap.cells[(k, m)]) if (k, m) in d.heatmap.cells else None
                                            for m in d.heatmap.months]} for k, t in d.heatmap.sections]},
        "ranking": {"common_items": len(d.ranking.common_items), "previous_from": d.ranking.previous_from,
                    "previous_to": d.ranking.previous_to,
                    "rows": [{"rank": x.rank, "institution_id": x.institution_id, "institution": x.name,
                              "score": score(x.score), "coverage": cov(x.coverage), "previous_rate": _rate(x.previous_rate),
                              "change": _rate(x.change), "visits": x.visits, "complete_visits": x.complete_visits,
                              "incomplete_visit_ids": list(x.incomplete_visit_ids)} for x in d.ranking.rows]},
    })
