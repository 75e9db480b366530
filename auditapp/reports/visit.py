"""Visit report: scores per section with a bar chart, journey timings against targets,
every answer, and floor plans with their pins (the AED map).

Scores always stand next to their coverage (answered / applicable), and a visit that
answered too little says so above the scores, so a partial walk never reads as a
good result.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer

from auditapp.reports.blocks import (
    binding_tag,
    coverage_text,
    data_table,
    head_row,
    heading,
    incomplete_note,
    jurisdiction_note,
    visit_facts,
    with_heading,
)
from auditapp.reports.charts import ScoreBars
from auditapp.reports.contents import AnswerRow, FloorPlanData, SectionScoreRow, TimingRow, VisitHeader, VisitReportData
from auditapp.reports.images import PhotoLoader, Placement, fit, photo_flowable
from auditapp.reports.layout import PageDecor, Tracker, build_pdf, frame_width
from auditapp.reports.styles import (
    AED_STATUS_COLOURS,
    BAND_BG,
    OK_GREEN,
    OVERDUE,
    Paragraph,
    Styles,
    coloured,
    make_styles,
    para,
    text,
)
from auditapp.reports.values import minutes_text, target_text, with_unit
from auditapp.reports.words import Wording

PIN_COLOURS = {"aed": colors.HexColor("#d00000"), "finding": colors.HexColor("#e07000"), "facility": colors.HexColor("#1f4e79")}
RESULT_COLOURS = {"nonconform": OVERDUE, "conform": OK_GREEN}
PLAN_BOX_HEIGHT = 150 * mm


def _rate(row: SectionScoreRow, w: Wording) -> str:
    return w.percent(row.rate)


def _status_text(h: VisitHeader, w: Wording) -> str:
    """进行中 / 已完成, and for a visit changed after finalizing, that it was and why."""
    if h.status != "finalized":
        return w("visit_in_progress")
    if h.amendment_reasons:
        return w("visit.status_amended", reasons=w.join(h.amendment_reasons))
    return w("visit.status_final")


def _answered(row: SectionScoreRow) -> str:
    if row.coverage is None:
        return "—"
    return f"{row.coverage.answered}/{row.coverage.applicable}"


def score_table(overall: SectionScoreRow, sections: Sequence[SectionScoreRow], styles: Styles, width: float,
                w: Wording) -> Flowable:
    st = styles
    labels = [w("visit.col.area"), w("visit.col.answered"), w("visit.col.conform"), w("visit.col.nonconform"),
              w("visit.col.na"), w("visit.col.rate"), w("visit.col.weighted")]
    rows: list[Sequence[object]] = [head_row(labels, st)]
    for r in [*sections, overall]:
        rows.append(
            [para(r.title if r is not overall else w("visit.total"), st.cell)]
            + [para(v, st.cell_center) for v in (_answered(r), r.conform, r.nonconform, r.not_applicable, _rate(r, w), r.weighted)]
        )
    first = width * 0.34
    return data_table(rows, [first] + [(width - first) / 6] * 6, extra=[("BACKGROUND", (0, -1), (-1, -1), BAND_BG)])


def timing_tables(data: VisitReportData, styles: Styles, width: float, w: Wording) -> list[Flowable]:
    st = styles
    out: list[Flowable] = []
    if data.journey:
        rows: list[Sequence[object]] = [head_row([w("visit.col.time"), w("visit.col.step"), w("visit.col.note")], st)]
        for step in data.journey:
            rows.append([para(step.at.astimezone().strftime("%H:%M:%S"), st.cell_center), para(step.label, st.cell),
                         para(step.note, st.cell_small)])
        out += [data_table(rows, [25 * mm, 50 * mm, width - 75 * mm]), Spacer(1, 3 * mm)]
    if data.timings:
        out.append(timings_table(data.timings, st, width, w))
        if any(t.minutes is not None and t.minutes < 0 for t in data.timings):
            out.append(para(w("visit.early_note"), st.small))
    if not out:
        out.append(para(w("visit.no_timings"), st.small))
    return out


def timings_table(timings: Sequence[TimingRow], styles: Styles, width: float, w: Wording) -> Flowable:
    st = styles
    rows: list[Sequence[object]] = [head_row([w("visit.col.interval"), w("visit.col.minutes"), w("visit.col.target"),
                                          w("visit.col.met"), w("visit.col.source")], st)]
    for t in timings:
        met = "—" if t.met is None else (text(w("visit.met")) if t.met else coloured(w("visit.not_met"), OVERDUE))
        rows.append(
            [para(t.label, st.cell), para(minutes_text(t.minutes, w), st.cell_center),
             para(target_text(t.target, "min", w) or "—", st.cell_center), Paragraph(met, st.cell_center),
             para(t.source, st.cell_small)]
        )
    return data_table(rows, [width * 0.30, 24 * mm, 24 * mm, 18 * mm, width * 0.70 - 66 * mm])


def value_text(a: AnswerRow, w: Wording) -> str:
    """The measured value with its unit and, in brackets, the target: "42 分钟（≤ 30 分钟）"."""
    value = with_unit(a.value, a.unit, w)
    if a.target:
        return f"{value or '—'}（{target_text(a.target, a.unit, w)}）" if w.chinese else \
            f"{value or '—'} ({target_text(a.target, a.unit, w)})"
    return value


def answers_table(answers: Sequence[AnswerRow], styles: Styles, width: float, w: Wording) -> Flowable:
    """Every item in path order, with a band row starting each area; header repeats on each page."""
    st = styles
    result_w = 16 * mm if w.chinese else 25 * mm  # "nonconforming" is one long word
    widths = [10 * mm, width * 0.42 - (result_w - 16 * mm), result_w, 26 * mm, 0.0, 20 * mm, 10 * mm]
    widths[4] = width - sum(widths)
    rows: list[Sequence[object]] = [head_row([w("visit.col.seq"), w("visit.col.item"), w("visit.col.result"),
                                          w("visit.col.value"), w("visit.col.note"), w("visit.col.department"),
                                          w("visit.col.photos")], st)]
    commands: list[tuple[object, ...]] = []
    section = None
    for n, a in enumerate(answers, start=1):
        if a.section != section:
            section = a.section
            commands += [("SPAN", (0, len(rows)), (-1, len(rows))), ("BACKGROUND", (0, len(rows)), (-1, len(rows)), BAND_BG)]
            rows.append([para(section, st.cell), "", "", "", "", "", ""])
        question: list[object] = [para(a.question, st.cell)]
        if a.binding is not None and a.basis:
            question.append(para(binding_tag(a.binding, w), st.small))
        for b in a.basis:
            question.append(para(f"《{b.document}》{b.clause_text(w.chinese)}", st.small))
        result = w.term("result", a.result or "")
        colour = RESULT_COLOURS.get(a.result or "")
        severity = w.term("severity", a.severity) if a.result == "nonconform" and a.severity else ""
        rows.append(
            [
                para(n, st.cell_center),
                question,
                Paragraph((coloured(result, colour) if colour else text(result)) + (f"<br/>{text(severity)}" if severity else ""),
                          st.cell_center),
                para(value_text(a, w), st.cell_small),
                para(a.note, st.cell_small),
                para(a.department, st.cell_small),
                para(a.photo_count or "", st.cell_center),
            ]
        )
    return data_table(rows, widths, extra=commands)


def pin_colour(kind: str, status: str) -> colors.Color:
    """AED pins take the colour of their checked state; other pins the colour of their kind."""
    if kind == "aed":
        return AED_STATUS_COLOURS.get(status, AED_STATUS_COLOURS[""])
    return PIN_COLOURS.get(kind, colors.black)


class PinnedPlan(Flowable):
    """A floor plan image (or an empty frame) with numbered pins at their relative positions.

    AED pins are squares coloured by their state (green only when working, grey when not
    checked); problem and facility pins are circles in their kind's colour.
    """

    def __init__(self, image: Flowable | None, width: float, height: float, plan: FloorPlanData, font: str,
                 missing_text: str) -> None:
        super().__init__()
        self.image, self.width, self.height, self.plan, self.font = image, width, height, plan, font
        self.missing_text = missing_text

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        if self.image is not None:
            self.image.drawOn(c, 0, 0)
        else:
            c.setFillColorRGB(0.97, 0.97, 0.97)
            c.setStrokeColorRGB(0.6, 0.6, 0.6)
            c.rect(0, 0, self.width, self.height, fill=1, stroke=1)
            c.setFillColorRGB(0.5, 0.5, 0.5)
            c.setFont(self.font, 9)
            c.drawCentredString(self.width / 2, self.height - 14, self.missing_text)
        c.setStrokeColorRGB(0.5, 0.5, 0.5)
        c.rect(0, 0, self.width, self.height, fill=0, stroke=1)
        for pin in self.plan.pins:
            x = min(max(pin.x, 0.0), 1.0) * self.width
            y = (1 - min(max(pin.y, 0.0), 1.0)) * self.height
            c.setFillColor(pin_colour(pin.kind, pin.status))
            c.setStrokeColor(colors.white)
            c.setLineWidth(1)
            if pin.kind == "aed":
                c.rect(x - 6.5, y - 6.5, 13, 13, fill=1, stroke=1)
            else:
                c.circle(x, y, 6.5, fill=1, stroke=1)
            c.setFillColor(colors.white)
            c.setFont(self.font, 7)
            c.drawCentredString(x, y - 2.4, str(pin.number))


def floor_plan_block(plan: FloorPlanData, styles: Styles, width: float, loader: PhotoLoader, w: Wording) -> list[Flowable]:
    st = styles
    box_w, box_h = width, PLAN_BOX_HEIGHT
    image: Flowable | None = None
    if plan.image is not None:
        image = photo_flowable(loader, plan.image, box_w, box_h, placement=Placement(dpi=150), font=st.cell.fontName,
                               missing_text=w("photo_unreadable"))
        w_, h_ = image.wrap(box_w, box_h)
        if not isinstance(image, Image):
            image = None
            w_, h_ = fit(plan.image.width, plan.image.height, box_w, box_h)
    else:
        w_, h_ = box_w, 100 * mm
    title = plan.name + ((f"（{plan.floor}）" if w.chinese else f" ({plan.floor})") if plan.floor else "")
    aed = sum(1 for p in plan.pins if p.kind == "aed")
    subtitle = w("visit.plan_pins", count=len(plan.pins), aed=aed) if plan.pins else w("visit.plan_no_pins")
    drawing = PinnedPlan(image, w_, h_, plan, st.cell.fontName, w("visit.plan_missing"))
    out: list[Flowable] = [KeepTogether([para(title, st.h2), para(subtitle, st.small), Spacer(1, 2 * mm), drawing])]
    if plan.pins:
        rows: list[Sequence[object]] = [head_row([w("visit.col.pin_no"), w("visit.col.pin_kind"), w("visit.col.pin_label"),
                                              w("visit.col.pin_status")], st)]
        for pin in plan.pins:
            kind = coloured(w.term("pin_kind", pin.kind), pin_colour(pin.kind, pin.status))
            status = coloured(w.term("aed_status", pin.status), pin_colour(pin.kind, pin.status)) if pin.kind == "aed" else ""
            rows.append([para(pin.number, st.cell_center), Paragraph(kind, st.cell_center), para(pin.label, st.cell),
                         Paragraph(status, st.cell_small)])
        out += [Spacer(1, 3 * mm), data_table(rows, [12 * mm, 18 * mm, width - 65 * mm, 35 * mm])]
    return out


def build_story(data: VisitReportData, *, loader: PhotoLoader, tracker: Tracker | None, w: Wording) -> list[Flowable]:
    styles = st = make_styles(10, w.language)
    width = frame_width()
    h = data.header
    extra = [
        (w("fact.status"), _status_text(h, w)),
        (w("fact.coverage"), coverage_text(data.coverage, w)),
        (w("fact.rate"), _rate(data.overall, w)),
        (w("fact.findings"), str(data.findings_count)),
        (w("fact.open_rect"), str(data.open_rectifications)),
    ]
    story: list[Flowable] = [Paragraph(text(w("title.visit")), st.title), para(h.institution, st.subtitle),
                             visit_facts(h, st, width, w, extra)]
    story += jurisdiction_note(data.jurisdiction, h.institution, st, w)
    story += incomplete_note(data.coverage, st, w, scores=True)
    story += heading(w("visit.scores"), st.h1)
    if data.sections:
        bars = [(s.title, s.rate) for s in data.sections] + [(w("visit.total"), data.overall.rate)]
        story += [ScoreBars(bars, width, not_rated=w("chart.not_rated")), Spacer(1, 3 * mm),
                  score_table(data.overall, data.sections, st, width, w)]
    else:
        story.append(para(w("no_items"), st.small))
    story.append(para(w("visit.rate_note"), st.small))
    if tracker is not None:
        tracker.step()
    story += with_heading(heading(w("visit.timings"), st.h1), timing_tables(data, st, width, w))
    answers = [answers_table(data.answers, st, width, w)] if data.answers else [para(w("no_items"), st.small)]
    story += with_heading(heading(w("visit.answers"), st.h1), answers)
    plans_heading = heading(w("visit.plans"), st.h1)
    if data.floor_plans:
        for i, plan in enumerate(data.floor_plans):
            block = floor_plan_block(plan, styles, width, loader, w)
            story += with_heading(plans_heading, block) if i == 0 else block
    else:
        story += [*plans_heading, para(w("visit.no_plans"), st.small)]
    return story


def write_visit_report(data: VisitReportData, out_path: Path | str, *, loader: PhotoLoader, tracker: Tracker | None = None,
                       language: str | None = None) -> int:
    w = Wording(language)
    story = build_story(data, loader=loader, tracker=tracker, w=w)
    decor = PageDecor(title=w("title.visit"), institution=data.header.institution, report_number=data.header.report_number,
                      words=w)
    return build_pdf(out_path, story, decor=decor, tracker=tracker)
