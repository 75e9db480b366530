"""Bureau summary (汇总报告): institutions side by side, ranking, the most frequent
problems and the month-over-month trend of conformity."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from auditapp.reports.blocks import bar, grid_style, head_row
from auditapp.reports.charts import SERIES_COLOURS, trend_lines
from auditapp.reports.layout import PageDecor, Tracker, build_pdf, frame_width
from auditapp.reports.model import InstitutionSummary, SectionScoreRow, SummaryData
from auditapp.reports.styles import ACCENT, BAND_BG, KIND_LABELS, OVERDUE, Styles, coloured, make_styles, para, text

TITLE = "体验检查汇总报告"
COLUMNS_PER_TABLE = 6
LANDSCAPE_FROM = 5  # institutions; more side by side need the wider page


def _rate(row: SectionScoreRow | None) -> str:
    if row is None or row.rate is None:
        return "—"
    return f"{row.rate * 100:.1f}%"


def _range_text(data: SummaryData) -> str:
    if data.date_from is None and data.date_to is None:
        return "全部时间"
    return f"{data.date_from.isoformat() if data.date_from else '最早'} 至 {data.date_to.isoformat() if data.date_to else '今'}"


def comparison_tables(data: SummaryData, styles: Styles, width: float) -> list[Flowable]:
    """Metrics down, institutions across; wide sets are split into several tables."""
    S = styles
    out: list[Flowable] = []
    insts = list(data.institutions)
    for start in range(0, len(insts), COLUMNS_PER_TABLE):
        chunk = insts[start : start + COLUMNS_PER_TABLE]
        first = 38 * mm
        col = (width - first) / len(chunk)
        rows: list[list[object]] = [[para("项目", S.cell_head)] + [para(i.name, S.cell_head) for i in chunk]]
        commands: list[tuple[object, ...]] = []

        def add(label: str, values: Sequence[str], *, band: bool = False) -> None:
            if band:
                commands.append(("BACKGROUND", (0, len(rows)), (-1, len(rows)), BAND_BG))
            rows.append([para(label, S.cell)] + [Paragraph(v, S.cell_center) for v in values])

        add("机构类型", [text(KIND_LABELS.get(i.kind, i.kind)) for i in chunk])
        add("体验次数", [str(i.visits) for i in chunk])
        add("总符合率", [text(_rate(i.overall)) for i in chunk], band=True)
        for theme in data.themes:
            add(f"　{theme}", [text(_rate(i.themes.get(theme))) for i in chunk])
        add("发现问题数", [str(i.findings) for i in chunk], band=True)
        add("未完成整改", [str(i.open_rectifications) for i in chunk])
        add("其中逾期", [coloured(str(i.overdue_rectifications), OVERDUE) if i.overdue_rectifications else "0" for i in chunk])
        add("已验收", [str(i.verified_rectifications) for i in chunk])
        table = Table(rows, colWidths=[first] + [col] * len(chunk), repeatRows=1)
        table.setStyle(grid_style(extra=commands))
        out += [table, Spacer(1, 4 * mm)]
    return out


def ranking(insts: Sequence[InstitutionSummary]) -> list[InstitutionSummary]:
    """Highest conformity first; ties (and institutions without judged items) by fewer weighted problems."""
    return sorted(insts, key=lambda i: (i.overall.rate is None, -(i.overall.rate or 0), i.overall.weighted, i.name))


def ranking_table(data: SummaryData, styles: Styles, width: float) -> Table:
    S = styles
    labels = ["名次", "医疗机构", "总符合率", "", "问题加权分", "未完成整改", "逾期"]
    widths = [12 * mm, width * 0.34, 20 * mm, 0.0, 22 * mm, 22 * mm, 14 * mm]
    widths[3] = width - sum(widths)
    rows: list[list[object]] = [head_row(labels, S)]
    for n, inst in enumerate(ranking(data.institutions), start=1):
        rows.append(
            [
                para(n, S.cell_center),
                para(inst.name, S.cell),
                para(_rate(inst.overall), S.cell_center),
                bar(inst.overall.rate, widths[3] - 8, 8, ACCENT),
                para(inst.overall.weighted, S.cell_center),
                para(inst.open_rectifications, S.cell_center),
                Paragraph(coloured(str(inst.overdue_rectifications), OVERDUE) if inst.overdue_rectifications else "0", S.cell_center),
            ]
        )
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(grid_style(extra=[("VALIGN", (3, 1), (3, -1), "MIDDLE"), ("SPAN", (2, 0), (3, 0))]))
    return table


def problems_table(data: SummaryData, styles: Styles, width: float) -> Table:
    S = styles
    rows: list[list[object]] = [head_row(["序号", "问题", "出现次数", "涉及机构", "依据"], S)]
    for n, p in enumerate(data.problems, start=1):
        basis = [para(f"《{b.document}》{b.clause}", S.cell_small) for b in p.basis] or para("—", S.cell_small)
        rows.append([para(n, S.cell_center), para(p.text, S.cell), para(p.count, S.cell_center), para(p.institutions, S.cell_center), basis])
    widths = [12 * mm, width * 0.45, 18 * mm, 18 * mm, 0.0]
    widths[4] = width - sum(widths)
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(grid_style())
    return table


def trend_table(data: SummaryData, styles: Styles, width: float) -> Table:
    S = styles
    months = list(data.months)[-12:]
    first = 50 * mm
    col = (width - first) / max(len(months), 1)
    rows: list[list[object]] = [[para("医疗机构", S.cell_head)] + [para(m, S.cell_head) for m in months]]
    for idx, inst in enumerate(data.institutions):
        colour = SERIES_COLOURS[idx % len(SERIES_COLOURS)]
        rows.append(
            [Paragraph(coloured("■", colour) + " " + text(inst.name), S.cell_small)]
            + [para(f"{inst.monthly[m] * 100:.0f}%" if m in inst.monthly else "—", S.cell_center) for m in months]
        )
    table = Table(rows, colWidths=[first] + [col] * len(months), repeatRows=1)
    table.setStyle(grid_style())
    return table


def build_story(data: SummaryData, *, landscape: bool, tracker: Tracker | None) -> list[Flowable]:
    S = make_styles(10)
    width = frame_width(landscape)
    subtitle = f"{_range_text(data)}　·　{len(data.institutions)} 家医疗机构　·　{sum(i.visits for i in data.institutions)} 次体验"
    story: list[Flowable] = [Paragraph(TITLE, S.title), para(subtitle, S.subtitle)]
    if not data.institutions:
        return story + [para("没有符合条件的医疗机构。", S.body)]
    story += [Paragraph("一、机构对比（按主题符合率）", S.h1), *comparison_tables(data, S, width)]
    story += [Paragraph("二、排名", S.h1), ranking_table(data, S, width),
              para("按总符合率由高到低排列；符合率相同时问题加权分低者在前。", S.small)]
    if tracker is not None:
        tracker.step()
    story += [Paragraph("三、最常见的问题", S.h1)]
    story.append(problems_table(data, S, width) if data.problems else para("所选范围内没有发现问题。", S.small))
    series = [(i.name, i.monthly) for i in data.institutions]
    story += [
        KeepTogether([Paragraph("四、月度趋势（总符合率）", S.h1), trend_lines(list(data.months)[-12:], series, width)]),
        Spacer(1, 3 * mm),
        trend_table(data, S, width),
    ]
    return story


def write_summary_report(data: SummaryData, out_path: Path | str, *, tracker: Tracker | None = None) -> int:
    landscape = len(data.institutions) >= LANDSCAPE_FROM
    story = build_story(data, landscape=landscape, tracker=tracker)
    return build_pdf(out_path, story, decor=PageDecor(title=TITLE, institution=_range_text(data)), landscape=landscape, tracker=tracker)
