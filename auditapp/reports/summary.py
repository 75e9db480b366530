"""Bureau summary (汇总报告): institutions side by side, ranking, the most frequent
problems and the month-over-month trend of conformity.

Scores, the ranking and the trend count complete visits only (``auditapp.scoring``
decides what complete means); incomplete visits are listed by name with their coverage,
so a 19-of-217 walk is never ranked beside complete ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from auditapp.reports.blocks import bar, coverage_text, data_table, head_row, heading, threshold_text, with_heading
from auditapp.reports.charts import MAX_SERIES, SERIES_COLOURS, trend_lines
from auditapp.reports.contents import InstitutionSummary, SectionScoreRow, SummaryData
from auditapp.reports.layout import PageDecor, Tracker, build_pdf, frame_width
from auditapp.reports.styles import ACCENT, BAND_BG, OVERDUE, Paragraph, Styles, coloured, make_styles, para, text
from auditapp.reports.words import Wording

COLUMNS_PER_TABLE = 6
LANDSCAPE_FROM = 5  # institutions; more side by side need the wider page


def _rate(row: SectionScoreRow | None, w: Wording) -> str:
    return w.percent(row.rate if row is not None else None)


def range_text(data: SummaryData, w: Wording) -> str:
    if data.date_from is None and data.date_to is None:
        return w("sum.all_time")
    first = data.date_from.isoformat() if data.date_from else w("sum.earliest")
    last = data.date_to.isoformat() if data.date_to else w("sum.today")
    return w("date_range", first=first, last=last)


def comparison_tables(data: SummaryData, styles: Styles, width: float, w: Wording) -> list[Flowable]:
    """Metrics down, institutions across; wide sets are split into several tables."""
    st = styles
    out: list[Flowable] = []
    insts = list(data.institutions)
    for start in range(0, len(insts), COLUMNS_PER_TABLE):
        chunk = insts[start : start + COLUMNS_PER_TABLE]
        first = 38 * mm
        col = (width - first) / len(chunk)
        rows: list[Sequence[object]] = [[para(w("sum.col.item"), st.cell_head)] + [para(i.name, st.cell_head) for i in chunk]]
        commands: list[tuple[object, ...]] = []

        def add(label: str, values: Sequence[str], *, band: bool = False,
                rows: list[Sequence[object]] = rows, commands: list[tuple[object, ...]] = commands) -> None:
            if band:
                commands.append(("BACKGROUND", (0, len(rows)), (-1, len(rows)), BAND_BG))
            rows.append([para(label, st.cell)] + [Paragraph(v, st.cell_center) for v in values])

        add(w("sum.row.kind"), [text(w.term("institution_kind", i.kind)) for i in chunk])
        add(w("sum.row.visits"), [str(i.visits) for i in chunk])
        add("　" + w("sum.row.complete_visits"),
            [str(i.complete_visits) if i.complete_visits == i.visits else coloured(str(i.complete_visits), OVERDUE)
             for i in chunk])
        add(w("sum.row.coverage_all"), [text(coverage_text(i.coverage_all, w)) for i in chunk])
        add("　" + w("sum.row.coverage"), [text(coverage_text(i.coverage, w)) if i.complete_visits else "—" for i in chunk])
        add(w("sum.row.rate"), [text(_rate(i.overall, w)) for i in chunk], band=True)
        for theme in data.themes:
            add(f"　{theme}", [text(_rate(i.themes.get(theme), w)) for i in chunk])
        add(w("sum.row.findings"), [str(i.findings) for i in chunk], band=True)
        add(w("sum.row.open"), [str(i.open_rectifications) for i in chunk])
        add("　" + w("sum.row.overdue"),
            [coloured(str(i.overdue_rectifications), OVERDUE) if i.overdue_rectifications else "0" for i in chunk])
        add(w("sum.row.verified"), [str(i.verified_rectifications) for i in chunk])
        out += [data_table(rows, [first] + [col] * len(chunk), extra=commands), Spacer(1, 4 * mm)]
    return out


def ranking(insts: Sequence[InstitutionSummary]) -> list[InstitutionSummary]:
    """Ranked institutions, highest conformity first; ties by fewer weighted problems, then name."""
    return sorted((i for i in insts if i.ranked), key=lambda i: (-(i.overall.rate or 0), i.overall.weighted, i.name))


def ranking_table(data: SummaryData, styles: Styles, width: float, w: Wording) -> Flowable:
    st = styles
    labels = [w("sum.col.rank"), w("sum.col.institution"), w("sum.col.rate"), "", w("sum.col.coverage"),
              w("sum.col.weighted"), w("sum.col.open"), w("sum.col.overdue")]
    widths = [12 * mm, width * 0.28, 18 * mm, 0.0, 24 * mm, 20 * mm, 18 * mm, 14 * mm]
    widths[3] = width - sum(widths)
    rows: list[Sequence[object]] = [head_row(labels, st)]
    ranked = ranking(data.institutions)
    unranked = [i for i in data.institutions if not i.ranked]
    for n, inst in enumerate([*ranked, *unranked], start=1):
        is_ranked = n <= len(ranked)
        rows.append(
            [
                para(n if is_ranked else "—", st.cell_center),
                para(inst.name, st.cell),
                para(_rate(inst.overall, w) if is_ranked else w("sum.unranked"), st.cell_center),
                bar(inst.overall.rate, widths[3] - 8, 8, ACCENT) if is_ranked else para(w("sum.unranked_reason"), st.small),
                para(coverage_text(inst.coverage if is_ranked else inst.coverage_all, w), st.cell_small),
                para(inst.overall.weighted if is_ranked else "—", st.cell_center),
                para(inst.open_rectifications, st.cell_center),
                Paragraph(coloured(str(inst.overdue_rectifications), OVERDUE) if inst.overdue_rectifications else "0",
                          st.cell_center),
            ]
        )
    return data_table(rows, widths, extra=[("VALIGN", (3, 1), (3, -1), "MIDDLE"), ("SPAN", (2, 0), (3, 0))])


def incomplete_table(data: SummaryData, styles: Styles, width: float, w: Wording) -> list[Flowable]:
    if not data.incomplete:
        return []
    st = styles
    rows: list[Sequence[object]] = [head_row([w("sum.col.institution"), w("sum.col.visit_date"), w("sum.col.report_no"),
                                          w("sum.col.coverage"), w("sum.col.visit_rate")], st)]
    for v in data.incomplete:
        rows.append([para(v.institution, st.cell), para(v.visit_date.isoformat(), st.cell_center),
                     para(v.report_number or "—", st.cell_center), para(coverage_text(v.coverage, w), st.cell_center),
                     para(w.percent(v.rate), st.cell_center)])
    widths = [width * 0.34, 24 * mm, 26 * mm, 0.0, 28 * mm]
    widths[3] = width - sum(widths)
    note = para(w("sum.incomplete_note", threshold=threshold_text()), st.small)
    return [*heading(w("sum.incomplete_title"), st.h2, room=45 * mm), note, Spacer(1, 2 * mm), data_table(rows, widths)]


def problems_table(data: SummaryData, styles: Styles, width: float, w: Wording) -> Flowable:
    st = styles
    rows: list[Sequence[object]] = [head_row([w("visit.col.seq"), w("sum.col.problem"), w("sum.col.count"),
                                          w("sum.col.institutions"), w("sum.col.basis")], st)]
    for n, p in enumerate(data.problems, start=1):
        basis = [para(f"《{b.document}》{b.clause_text(w.chinese)}", st.cell_small) for b in p.basis] or para("—", st.cell_small)
        rows.append([para(n, st.cell_center), para(p.text, st.cell), para(p.count, st.cell_center),
                     para(p.institutions, st.cell_center), basis])
    widths = [12 * mm, width * 0.45, 18 * mm, 18 * mm, 0.0]
    widths[4] = width - sum(widths)
    return data_table(rows, widths)


def trend_table(data: SummaryData, styles: Styles, width: float, w: Wording, charted: Sequence[str]) -> Flowable:
    st = styles
    months = list(data.months)[-12:]
    first = 50 * mm
    col = (width - first) / max(len(months), 1)
    rows: list[Sequence[object]] = [[para(w("sum.col.institution"), st.cell_head)] + [para(m, st.cell_head) for m in months]]
    for inst in data.institutions:
        mark = ""
        if inst.name in charted:
            mark = coloured("■", SERIES_COLOURS[charted.index(inst.name) % len(SERIES_COLOURS)]) + " "
        rows.append(
            [Paragraph(mark + text(inst.name), st.cell_small)]
            + [para(f"{inst.monthly[m] * 100:.0f}%" if m in inst.monthly else "—", st.cell_center) for m in months]
        )
    return data_table(rows, [first] + [col] * len(months))


def build_story(data: SummaryData, *, landscape: bool, tracker: Tracker | None, w: Wording) -> list[Flowable]:
    st = make_styles(10, w.language)
    width = frame_width(landscape)
    subtitle = w("sum.subtitle", range=range_text(data, w), institutions=len(data.institutions),
                 visits=sum(i.visits for i in data.institutions))
    story: list[Flowable] = [Paragraph(text(w("title.summary")), st.title), para(subtitle, st.subtitle)]
    if not data.institutions:
        return [*story, para(w("sum.none"), st.body)]
    story += with_heading(heading(w("sum.compare"), st.h1), comparison_tables(data, st, width, w))
    story += with_heading(heading(w("sum.ranking"), st.h1), [ranking_table(data, st, width, w),
                                                            para(w("sum.ranking_note", threshold=threshold_text()), st.small)])
    story += incomplete_table(data, st, width, w)
    if tracker is not None:
        tracker.step()
    problems = [problems_table(data, st, width, w)] if data.problems else [para(w("sum.no_problems"), st.small)]
    story += with_heading(heading(w("sum.problems"), st.h1), problems)
    ranked = [i.name for i in ranking(data.institutions)]
    charted = (ranked + [i.name for i in data.institutions if i.name not in ranked])[:MAX_SERIES]
    series = [(name, next(i.monthly for i in data.institutions if i.name == name)) for name in charted]
    chart: list[Flowable] = [Paragraph(text(w("sum.trend")), st.h1),
                             trend_lines(list(data.months)[-12:], series, width, empty_text=w("sum.no_visits"))]
    if len(data.institutions) > MAX_SERIES:
        chart.append(para(w("sum.trend_top", count=MAX_SERIES), st.small))
    story += [KeepTogether(chart), Spacer(1, 3 * mm), trend_table(data, st, width, w, charted)]
    return story


def write_summary_report(data: SummaryData, out_path: Path | str, *, tracker: Tracker | None = None,
                         language: str | None = None) -> int:
    w = Wording(language)
    landscape = len(data.institutions) >= LANDSCAPE_FROM
    story = build_story(data, landscape=landscape, tracker=tracker, w=w)
    decor = PageDecor(title=w("title.summary"), institution=range_text(data, w), words=w)
    return build_pdf(out_path, story, decor=decor, landscape=landscape, tracker=tracker)
