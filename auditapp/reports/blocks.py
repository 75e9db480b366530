"""Building blocks several reports share: the key facts table, sign-off lines with date
boxes, and a few table styles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from auditapp.reports.styles import BAND_BG, HEAD_BG, INK, MODE_LABELS, RULE, Styles, para, text
from auditapp.reports.model import VisitHeader


def grid_style(*, header_rows: int = 1, extra: Sequence[tuple[object, ...]] = ()) -> TableStyle:
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
        ]
    commands += list(extra)
    return TableStyle(commands)


def head_row(labels: Sequence[str], styles: Styles) -> list[Paragraph]:
    return [Paragraph(text(label), styles.cell_head) for label in labels]


def dates_text(days: Sequence[date]) -> str:
    if not days:
        return "—"
    days = sorted(set(days))
    if len(days) == 1:
        return days[0].isoformat()
    return f"{days[0].isoformat()} 至 {days[-1].isoformat()}"


def visit_facts(header: VisitHeader, styles: Styles, width: float, extra: Sequence[tuple[str, str]] = ()) -> Table:
    """The key facts of a visit as a two-pair-per-row table under the title."""
    pairs: list[tuple[str, str]] = [
        ("医疗机构", header.institution),
        ("报告编号", header.report_number or "—"),
        ("体验日期", dates_text(header.visit_dates)),
        ("检查方式", MODE_LABELS.get(header.mode, header.mode)),
        ("检查人", header.inspector or "—"),
        *extra,
    ]
    if len(pairs) % 2:
        pairs.append(("", ""))
    label_w = 24 * mm
    value_w = width / 2 - label_w
    rows = []
    for i in range(0, len(pairs), 2):
        row: list[object] = []
        for label, value in pairs[i : i + 2]:
            row += [para(label, styles.label), para(value, styles.cell)]
        rows.append(row)
    table = Table(rows, colWidths=[label_w, value_w, label_w, value_w])
    table.setStyle(
        grid_style(header_rows=0, extra=[("BACKGROUND", (0, 0), (0, -1), BAND_BG), ("BACKGROUND", (2, 0), (2, -1), BAND_BG)])
    )
    return table


class DateBoxes(Flowable):
    """□□□□年□□月□□日: boxes to write a date in by hand."""

    def __init__(self, font: str, size: float = 9, box: float = 4.6 * mm) -> None:
        super().__init__()
        self.font, self.size, self.box = font, size, box
        self.width = self.box * 8 + 3 * size * 1.2
        self.height = self.box

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(INK)
        c.setLineWidth(0.5)
        c.setFillColor(INK)
        c.setFont(self.font, self.size)
        x = 0.0
        for count, unit in ((4, "年"), (2, "月"), (2, "日")):
            for _ in range(count):
                c.rect(x, 0, self.box, self.box, stroke=1, fill=0)
                x += self.box
            c.drawString(x + 1, (self.box - self.size) / 2 + 1, unit)
            x += self.size * 1.2


def sign_off(styles: Styles, width: float, roles: Sequence[str] = ("检查人", "科室负责人", "分管院领导")) -> Flowable:
    """Signature lines and date boxes for each role, kept on one page."""
    gap = 8 * mm
    col = (width - gap * (len(roles) - 1)) / len(roles)
    font = styles.cell.fontName
    labels: list[object] = []
    dates: list[object] = []
    widths: list[float] = []
    for i, role in enumerate(roles):
        if i:
            labels.append("")
            dates.append("")
            widths.append(gap)
        labels.append(Paragraph(text(f"{role}（签字）："), styles.cell))
        dates.append([Paragraph("日期：", styles.cell), Spacer(1, 1.5 * mm), DateBoxes(font)])
        widths.append(col)
    blanks = ["" for _ in widths]
    table = Table([labels, blanks, dates], colWidths=widths, rowHeights=[None, 14 * mm, None])
    commands: list[tuple[object, ...]] = [
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("TOPPADDING", (0, 2), (-1, 2), 6),
    ]
    for i in range(0, len(widths), 2):
        commands.append(("LINEBELOW", (i, 1), (i, 1), 0.6, INK))
    table.setStyle(TableStyle(commands))
    return KeepTogether([Spacer(1, 8 * mm), Paragraph("签　字　确　认", styles.h2), table])


def bar(fraction: float | None, width: float, height: float, colour: colors.Color) -> Flowable:
    """A small horizontal bar for a rate in a table cell."""
    from reportlab.graphics.shapes import Drawing, Rect

    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=colors.HexColor("#eeeeee"), strokeColor=None))
    if fraction is not None:
        drawing.add(Rect(0, 0, width * max(0.0, min(1.0, fraction)), height, fillColor=colour, strokeColor=None))
    return drawing


def with_heading(heading: Flowable, part: list[Flowable]) -> list[Flowable]:
    """Keep a heading on the page of what follows it.

    ``keepWithNext`` does not hold when the next flowable is itself a KeepTogether, so a
    heading is moved into that group instead of being left alone at a page bottom.
    """
    if part and isinstance(part[0], KeepTogether):
        return [KeepTogether([heading, *part[0]._content]), *part[1:]]  # noqa: SLF001
    return [heading, *part]
