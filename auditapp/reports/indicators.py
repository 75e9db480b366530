"""Indicator report (评估指标报告): one institution's reported statistics across periods.

Apart from the walk: the city annexes' figures (预约诊疗率, 分娩镇痛率 …) as the institution
reported them per quarter or month, each with the clause that requires it of this
institution, the targets its own documents set (and only those, with the date they are due
and the level they are set for), the verdict where a target was in force, and the data
source and note of the last period. Answers old visits gave to the retired indicator
checklist are printed in brackets where a period has no value of its own, and listed at
the end, so nothing recorded before the indicators moved out of the walk is lost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from auditapp.reports.blocks import data_table, facts_table, head_row, heading, with_heading
from auditapp.reports.layout import PageDecor, Tracker, build_pdf, frame_width
from auditapp.reports.styles import BAND_BG, OK_GREEN, OVERDUE, Paragraph, Styles, coloured, make_styles, para, text
from auditapp.reports.words import Wording

# Periods printed side by side on a landscape page; older ones are left to the CLI's JSON.
MAX_PERIODS = 6
RESULT_COLOURS = {"nonconform": OVERDUE, "conform": OK_GREEN}


def _name(indicator: Any, w: Wording) -> str:
    return indicator.name if w.chinese or not indicator.name_en else indicator.name_en


def _cell(row: Any, cell: Any, w: Wording) -> str:
    from auditapp.services.indicators import value_text

    if cell.value is not None:
        shown = text(value_text(row.indicator, cell.value.value, w.language))
        colour = RESULT_COLOURS.get(cell.value.result or "")
        return coloured(shown, colour) if colour else shown
    if cell.legacy is not None:
        old = value_text(row.indicator, cell.legacy.value, w.language) or w.term("result", cell.legacy.result or "")
        return text(f"（{old}）" if w.chinese else f"({old})")
    return "—"


def _cite(basis: Any, sources: dict[str, Any]) -> str:
    doc = sources.get(basis.source)
    title = getattr(doc, "title", "") or basis.source
    return f"《{title}》{basis.label()}"


def trend_table(trend: Any, sources: dict[str, Any], styles: Styles, width: float, w: Wording) -> Flowable:
    from auditapp.services.indicators import target_text

    st = styles
    periods = trend.periods[-MAX_PERIODS:]
    offset = len(trend.periods) - len(periods)
    period_w = 19 * mm
    fixed = [9 * mm, 0.0, 34 * mm, *[period_w] * len(periods), 40 * mm]
    fixed[1] = width - sum(fixed)
    labels = [w("visit.col.seq"), w("ind.col.indicator"), w("ind.col.target"), *periods, w("ind.col.source")]
    rows: list[list[object]] = [head_row(labels, st)]
    commands: list[tuple[object, ...]] = []
    dimension = None
    for n, row in enumerate(trend.rows, start=1):
        if row.dimension_id != dimension:
            dimension = row.dimension_id
            title = row.dimension_title if w.chinese or not row.dimension_title_en else row.dimension_title_en
            commands += [("SPAN", (0, len(rows)), (-1, len(rows))), ("BACKGROUND", (0, len(rows)), (-1, len(rows)), BAND_BG)]
            rows.append([para(title, st.cell), *[""] * (len(labels) - 1)])
        name: list[object] = [para(_name(row.indicator, w), st.cell)]
        for basis in row.required_by:
            name.append(para(_cite(basis, sources), st.small))
        if not row.required_by:
            name.append(para(w("ind.no_longer"), st.small))
        targets = [para(target_text(t, row.indicator, w.language), st.cell_small) for t in row.targets] or \
            [para(w("ind.no_target"), st.cell_small)]
        last = next((c.value for c in reversed(row.cells) if c.value is not None), None)
        source = [para(last.data_source, st.cell_small)] if last is not None and last.data_source else []
        if last is not None and last.note:
            source.append(para(last.note, st.small))
        cells = [Paragraph(_cell(row, c, w), st.cell_center) for c in row.cells[offset:]]
        rows.append([para(n, st.cell_center), name, targets, *cells, source or para("", st.cell_small)])
    return data_table(rows, fixed, extra=commands)


def legacy_table(trend: Any, styles: Styles, width: float, w: Wording) -> Flowable:
    from auditapp.services.indicators import value_text

    st = styles
    names = {r.indicator.id: r.indicator for r in trend.rows}
    rows: list[list[object]] = [head_row([w("fact.report_number"), w("fact.visit_date"), w("ind.col.old_item"),
                                          w("ind.col.indicator"), w("visit.col.result"), w("visit.col.value"),
                                          w("visit.col.note")], st)]
    for old in trend.legacy:
        indicator = names.get(old.indicator_id)
        value = value_text(indicator, old.value, w.language) if indicator is not None else old.value
        rows.append([para(old.report_number, st.cell_small), para(old.visit_date.isoformat(), st.cell_small),
                     para(old.item_id, st.cell_small),
                     para(_name(indicator, w) if indicator is not None else old.indicator_id, st.cell_small),
                     para(w.term("result", old.result or ""), st.cell_center), para(value, st.cell_small),
                     para(old.note, st.cell_small)])
    widths = [26 * mm, 22 * mm, 58 * mm, 0.0, 20 * mm, 22 * mm, 50 * mm]
    widths[3] = width - sum(widths)
    return data_table(rows, widths)


def build_story(trend: Any, sources: dict[str, Any], w: Wording) -> list[Flowable]:
    st = make_styles(9, w.language)
    width = frame_width(landscape=True)
    set_title = trend.set_title if w.chinese or not trend.set_title_en else trend.set_title_en
    documents = w.join([f"《{getattr(sources.get(d), 'title', '') or d}》" for d in trend.documents]) or "—"
    periods = f"{trend.periods[0]} – {trend.periods[-1]}" if trend.periods else "—"
    facts = [
        (w("ind.fact.set"), set_title),
        (w("ind.fact.region"), trend.region or w("jurisdiction.no_region")),
        (w("ind.fact.periods"), f"{periods}（{w.term('period_kind', trend.period_kind)}）" if w.chinese
         else f"{periods} (per {w.term('period_kind', trend.period_kind)})"),
        (w("ind.fact.documents"), documents),
    ]
    story: list[Flowable] = [Paragraph(text(w("title.indicators")), st.title), para(trend.institution_name, st.subtitle),
                             _facts(trend.institution_name, facts, st, width, w)]
    story += [Spacer(1, 2 * mm), para(w("ind.intro"), st.small)]
    if not trend.rows:
        story += [Spacer(1, 4 * mm), para(w("ind.none", institution=trend.institution_name,
                                            region=trend.region or w("jurisdiction.no_region")), st.body)]
        return story
    if not trend.periods:
        story += [Spacer(1, 4 * mm), para(w("ind.no_values"), st.body)]
    if len(trend.periods) > MAX_PERIODS:
        story.append(para(w("ind.older", shown=MAX_PERIODS, total=len(trend.periods)), st.small))
    story += with_heading(heading(w("ind.values"), st.h1), [trend_table(trend, sources, st, width, w)])
    story.append(para(w("ind.legend"), st.small))
    if trend.legacy:
        story += with_heading(heading(w("ind.legacy"), st.h1),
                              [para(w("ind.legacy_intro"), st.small), Spacer(1, 2 * mm), legacy_table(trend, st, width, w)])
    return story


def _facts(institution: str, facts: list[tuple[str, str]], styles: Styles, width: float, w: Wording) -> Flowable:
    """The institution and the set's facts, in the two-pair table the other reports open with."""
    return facts_table([(w("fact.institution"), institution), *facts], styles, width, w)


def write_indicator_report(trend: Any, sources: dict[str, Any], out_path: Path | str, *, tracker: Tracker | None = None,
                           language: str | None = None) -> int:
    w = Wording(language)
    story = build_story(trend, sources, w)
    decor = PageDecor(title=w("title.indicators"), institution=trend.institution_name, words=w)
    return build_pdf(out_path, story, decor=decor, landscape=True, tracker=tracker)
