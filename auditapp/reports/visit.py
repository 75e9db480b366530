"""Visit report: scores per section with a bar chart, journey timings against targets,
every answer, and floor plans with their pins (the AED map)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table

from auditapp.reports.blocks import grid_style, head_row, visit_facts, with_heading
from auditapp.reports.charts import score_bars
from auditapp.reports.images import PhotoLoader, Placement, fit, photo_flowable
from auditapp.reports.layout import PageDecor, Tracker, build_pdf, frame_width
from auditapp.reports.model import AnswerRow, FloorPlanData, SectionScoreRow, TimingRow, VisitReportData
from auditapp.reports.styles import (
    BAND_BG,
    OVERDUE,
    PIN_LABELS,
    RESULT_LABELS,
    SEVERITY_LABELS,
    Styles,
    coloured,
    make_styles,
    para,
    text,
)

TITLE = "体验检查报告"
PIN_COLOURS = {"aed": colors.HexColor("#d00000"), "finding": colors.HexColor("#e07000"), "facility": colors.HexColor("#1f4e79")}
RESULT_COLOURS = {"nonconform": OVERDUE, "conform": colors.HexColor("#2e6b1f")}


def _rate(row: SectionScoreRow) -> str:
    return "—" if row.rate is None else f"{row.rate * 100:.1f}%"


def score_table(overall: SectionScoreRow, sections: Sequence[SectionScoreRow], styles: Styles, width: float) -> Table:
    S = styles
    labels = ["检查区域", "符合", "不符合", "不适用", "符合率", "问题加权分"]
    rows: list[list[object]] = [head_row(labels, S)]
    for r in [*sections, overall]:
        rows.append(
            [para(r.title if r is not overall else "合计", S.cell)]
            + [para(v, S.cell_center) for v in (r.conform, r.nonconform, r.not_applicable, _rate(r), r.weighted)]
        )
    first = width * 0.34
    table = Table(rows, colWidths=[first] + [(width - first) / 5] * 5, repeatRows=1)
    table.setStyle(grid_style(extra=[("BACKGROUND", (0, -1), (-1, -1), BAND_BG)]))
    return table


def timing_tables(data: VisitReportData, styles: Styles, width: float) -> list[Flowable]:
    S = styles
    out: list[Flowable] = []
    if data.journey:
        rows: list[list[object]] = [head_row(["时间", "环节", "备注"], S)]
        for step in data.journey:
            rows.append([para(step.at.astimezone().strftime("%H:%M:%S"), S.cell_center), para(step.label, S.cell), para(step.note, S.cell_small)])
        t = Table(rows, colWidths=[25 * mm, 50 * mm, width - 75 * mm], repeatRows=1)
        t.setStyle(grid_style())
        out += [t, Spacer(1, 3 * mm)]
    if data.timings:
        out.append(timings_table(data.timings, S, width))
    if not out:
        out.append(para("本次体验未记录就诊环节计时。", S.small))
    return out


def timings_table(timings: Sequence[TimingRow], styles: Styles, width: float) -> Table:
    S = styles
    rows: list[list[object]] = [head_row(["区间 / 计时项", "用时", "目标", "是否达标", "依据"], S)]
    for t in timings:
        minutes = "—" if t.minutes is None else f"{t.minutes:.0f} 分钟"
        met = "—" if t.met is None else ("达标" if t.met else coloured("未达标", OVERDUE))
        rows.append(
            [para(t.label, S.cell), para(minutes, S.cell_center), para(t.target or "—", S.cell_center),
             Paragraph(met if t.met is False else text(met), S.cell_center), para(t.source, S.cell_small)]
        )
    table = Table(rows, colWidths=[width * 0.32, 20 * mm, 24 * mm, 18 * mm, width * 0.68 - 62 * mm], repeatRows=1)
    table.setStyle(grid_style())
    return table


def answers_table(answers: Sequence[AnswerRow], styles: Styles, width: float) -> Table:
    """Every item in path order, with a band row starting each area; header repeats on each page."""
    S = styles
    widths = [10 * mm, width * 0.42, 16 * mm, 26 * mm, 0.0, 20 * mm, 10 * mm]
    widths[4] = width - sum(widths)
    rows: list[list[object]] = [head_row(["序号", "检查项 / 依据", "结果", "数值（目标）", "备注", "责任科室", "照片"], S)]
    commands: list[tuple[object, ...]] = []
    section = None
    for n, a in enumerate(answers, start=1):
        if a.section != section:
            section = a.section
            commands += [("SPAN", (0, len(rows)), (-1, len(rows))), ("BACKGROUND", (0, len(rows)), (-1, len(rows)), BAND_BG)]
            rows.append([para(section, S.cell), "", "", "", "", "", ""])
        question: list[object] = [para(a.question, S.cell)]
        for b in a.basis:
            question.append(para(f"《{b.document}》{b.clause}", S.small))
        result = RESULT_LABELS.get(a.result, a.result or "未答")
        colour = RESULT_COLOURS.get(a.result or "")
        value = a.value + (f" {a.unit}" if a.value and a.unit and a.unit not in a.value else "")
        if a.target:
            value = f"{value or '—'}（{a.target}）"
        severity = SEVERITY_LABELS.get(a.severity, "") if a.result == "nonconform" else ""
        rows.append(
            [
                para(n, S.cell_center),
                question,
                Paragraph((coloured(result, colour) if colour else text(result)) + (f"<br/>{text(severity)}" if severity else ""), S.cell_center),
                para(value, S.cell_small),
                para(a.note, S.cell_small),
                para(a.department, S.cell_small),
                para(a.photo_count or "", S.cell_center),
            ]
        )
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(grid_style(extra=commands))
    return table


class PinnedPlan(Flowable):
    """A floor plan image (or an empty frame) with numbered pins at their relative positions."""

    def __init__(self, image: Flowable | None, width: float, height: float, plan: FloorPlanData, font: str) -> None:
        super().__init__()
        self.image, self.width, self.height, self.plan, self.font = image, width, height, plan, font

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
            c.drawCentredString(self.width / 2, self.height - 14, "（平面图图片不可用，仅示意图钉相对位置）")
        c.setStrokeColorRGB(0.5, 0.5, 0.5)
        c.rect(0, 0, self.width, self.height, fill=0, stroke=1)
        for pin in self.plan.pins:
            x, y = pin.x * self.width, (1 - pin.y) * self.height
            colour = PIN_COLOURS.get(pin.kind, colors.black)
            c.setFillColor(colour)
            c.setStrokeColor(colors.white)
            c.setLineWidth(1)
            c.circle(x, y, 6.5, fill=1, stroke=1)
            c.setFillColor(colors.white)
            c.setFont(self.font, 7)
            c.drawCentredString(x, y - 2.4, str(pin.number))


def floor_plan_block(plan: FloorPlanData, styles: Styles, width: float, loader: PhotoLoader) -> list[Flowable]:
    S = styles
    box_w, box_h = width, 150 * mm
    image: Flowable | None = None
    if plan.image is not None:
        image = photo_flowable(loader, plan.image, box_w, box_h, placement=Placement(dpi=150), font=S.cell.fontName)
        w, h = image.wrap(box_w, box_h)
        if not isinstance(image, Image):
            image = None
            w, h = fit(plan.image.width, plan.image.height, box_w, box_h)
    else:
        w, h = box_w, 100 * mm
    title = plan.name + (f"（{plan.floor}）" if plan.floor else "")
    aed = sum(1 for p in plan.pins if p.kind == "aed")
    subtitle = f"图钉 {len(plan.pins)} 个，其中 AED {aed} 处" if plan.pins else "无图钉"
    out: list[Flowable] = [
        KeepTogether([Paragraph(text(title), S.h2), para(subtitle, S.small), Spacer(1, 2 * mm), PinnedPlan(image, w, h, plan, S.cell.fontName)])
    ]
    if plan.pins:
        rows: list[list[object]] = [head_row(["编号", "类型", "说明", "状态"], S)]
        for pin in plan.pins:
            label = PIN_LABELS.get(pin.kind, pin.kind)
            rows.append([para(pin.number, S.cell_center), Paragraph(coloured(label, PIN_COLOURS.get(pin.kind, colors.black)), S.cell_center),
                         para(pin.label, S.cell), para(pin.status, S.cell_small)])
        t = Table(rows, colWidths=[12 * mm, 18 * mm, width - 60 * mm, 30 * mm], repeatRows=1)
        t.setStyle(grid_style())
        out += [Spacer(1, 3 * mm), t]
    return out


def build_story(data: VisitReportData, *, loader: PhotoLoader, tracker: Tracker | None) -> list[Flowable]:
    styles = S = make_styles(10)
    width = frame_width()
    h = data.header
    answered = sum(1 for a in data.answers if a.result is not None)
    extra = [
        ("状态", "已完成" if h.status == "finalized" else "进行中"),
        ("已答项目", f"{answered} / {len(data.answers)}"),
        ("总符合率", _rate(data.overall)),
        ("问题数", str(data.findings_count)),
        ("未完成整改", str(data.open_rectifications)),
    ]
    story: list[Flowable] = [Paragraph(TITLE, S.title), para(h.institution, S.subtitle), visit_facts(h, S, width, extra)]
    story += [Paragraph("一、分项得分", S.h1)]
    if data.sections:
        bars = [(s.title, s.rate) for s in data.sections] + [("合计", data.overall.rate)]
        story += [score_bars(bars, width), Spacer(1, 3 * mm), score_table(data.overall, data.sections, S, width)]
    else:
        story.append(para("本次体验没有检查项。", S.small))
    story.append(Paragraph("符合率 = 符合 ÷（符合 + 不符合），不适用和未答的项目不计；问题加权分：一般 1、较重 3、严重 5。", S.small))
    if tracker is not None:
        tracker.step()
    story += [Paragraph("二、就诊环节计时", S.h1), *timing_tables(data, S, width)]
    story += [Paragraph("三、全部检查项", S.h1)]
    story.append(answers_table(data.answers, S, width) if data.answers else para("本次体验没有检查项。", S.small))
    heading = Paragraph("四、平面图与图钉（AED 地图）", S.h1)
    if data.floor_plans:
        for i, plan in enumerate(data.floor_plans):
            block = floor_plan_block(plan, styles, width, loader)
            story += with_heading(heading, block) if i == 0 else block
    else:
        story += [heading, para("本机构尚未录入平面图。", S.small)]
    return story


def write_visit_report(data: VisitReportData, out_path: Path | str, *, loader: PhotoLoader, tracker: Tracker | None = None) -> int:
    story = build_story(data, loader=loader, tracker=tracker)
    decor = PageDecor(title=TITLE, institution=data.header.institution, report_number=data.header.report_number)
    return build_pdf(out_path, story, decor=decor, tracker=tracker)


