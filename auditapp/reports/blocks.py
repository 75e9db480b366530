"""Building blocks several reports share: headings that stay with what follows, the key
facts table, coverage notes, sign-off lines with date boxes, and table styles."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from auditapp.reports.contents import JurisdictionLine, VisitHeader
from auditapp.reports.styles import BAND_BG, HEAD_BG, INK, OVERDUE, RULE, Paragraph, Styles, coloured, para, text
from auditapp.reports.words import Wording
from auditapp.scoring import COMPLETE_COVERAGE, Coverage

# A heading moves to the next page unless this much room is left below it: enough for
# the heading and the first lines (or rows) of what it introduces.
HEADING_ROOM = 32 * mm


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


# A row is split across pages rather than moved when at least this share of the page is left.
SPLIT_ROW_ROOM = 0.3


class ReportTable(Table):
    """A table that breaks between rows, and inside a row only when it must.

    ReportLab's ``splitInRow`` splits the first row that does not fit whatever its
    height, leaving a sliver of a row at the bottom of a page. Here a row that fits on
    an empty page moves to the next page whole unless a good part of the page
    (:data:`SPLIT_ROW_ROOM`) is left for it; a row taller than a page (a very long
    note) is always split, so it can never stop the report.
    """

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._calc(availWidth, availHeight)
        if self._width > availWidth + 0.5:
            return []
        whole_rows = self._splitRows(availHeight, doInRowSplit=False)
        if whole_rows or not self.splitInRow:
            return whole_rows
        frame = getattr(self, "_frame", None)  # None for a table nested in a cell
        head = self.repeatRows if isinstance(self.repeatRows, int) else max(self.repeatRows) + 1
        if frame is not None and len(self._rowHeights) > head:
            needed = sum(self._rowHeights[: head + 1])
            room_left = availHeight >= frame._height * SPLIT_ROW_ROOM
            if needed <= frame._height and not frame._atTop and not room_left:
                return []
        return self._splitRows(availHeight, doInRowSplit=True)

    def lead_height(self) -> float:
        """Height of the header rows and the first data row: what must follow a heading."""
        lead = getattr(self, "_lead", None)
        if lead is None:
            return 0.0
        rows, widths, style = lead
        probe = Table(rows, colWidths=widths, repeatRows=0)
        probe.setStyle(style)
        return float(probe.wrap(sum(widths), 1e9)[1])


def data_table(rows: Sequence[Sequence[object]], widths: Sequence[float], *, header_rows: int = 1,
               extra: Sequence[tuple[object, ...]] = ()) -> Table:
    """A grid table that can break between rows and inside a row, its header repeated.

    Every table of a report goes through here, so a cell with a very long text never
    makes a row taller than a page (ReportLab would refuse to lay it out).
    """
    style = grid_style(header_rows=header_rows)
    table = ReportTable(rows, colWidths=list(widths), repeatRows=header_rows, splitInRow=1, splitByRow=1)
    table.setStyle(grid_style(header_rows=header_rows, extra=extra))
    table._lead = (rows[: header_rows + 1], list(widths), style)
    return table


def head_row(labels: Sequence[str], styles: Styles) -> list[Flowable]:
    return [Paragraph(text(label), styles.cell_head) for label in labels]


def heading(value: str, style: object, room: float = HEADING_ROOM) -> list[Flowable]:
    """A heading that starts a new page when less than ``room`` is left below it.

    Unlike ``keepWithNext`` (which makes ReportLab move a long table whole to the next
    page, leaving a page with nothing but a title), the content still starts right under
    the heading and splits as it goes.
    """
    return [CondPageBreak(room), Paragraph(text(value), style)]


def coverage_text(coverage: Coverage, w: Wording) -> str:
    return w("coverage", answered=coverage.answered, applicable=coverage.applicable, percent=coverage.percent_text)


def threshold_text() -> str:
    return f"{COMPLETE_COVERAGE * 100:.0f}%"


def incomplete_note(coverage: Coverage, styles: Styles, w: Wording, *, scores: bool = False) -> list[Flowable]:
    """A framed warning that a visit is incomplete (nothing when it is complete).

    With ``scores``, it adds that the scores that follow describe only the part checked.
    """
    if coverage.complete or coverage.applicable == 0:
        return []
    message = w(
        "incomplete_visit",
        answered=coverage.answered,
        applicable=coverage.applicable,
        percent=coverage.percent_text,
        threshold=threshold_text(),
    )
    if scores:
        message += ("" if w.chinese else " ") + w("incomplete_scores")
    box = Table([[Paragraph(coloured(message, OVERDUE), styles.body)]], colWidths=["100%"])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, OVERDUE), ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fff4f4")),
                             ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                             ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return [Spacer(1, 2 * mm), box]


def no_problems_text(coverage: Coverage, w: Wording) -> str:
    """What a report says when a visit has no problem: never "none found" for a partial visit."""
    if coverage.applicable == 0:
        return w("no_items")
    key = "no_problems_complete" if coverage.complete else "no_problems_incomplete"
    return w(key, answered=coverage.answered, applicable=coverage.applicable, percent=coverage.percent_text)


def visit_facts(header: VisitHeader, styles: Styles, width: float, w: Wording,
                extra: Sequence[tuple[str, str]] = ()) -> Table:
    """The key facts of a visit as a two-pair-per-row table under the title."""
    pairs: list[tuple[str, str]] = [
        (w("fact.institution"), header.institution),
        (w("fact.report_number"), header.report_number or "—"),
        (w("fact.visit_date"), w.dates(header.visit_dates)),
        (w("fact.mode"), w.term("visit_mode", header.mode)),
        (w("fact.inspector"), header.inspector or "—"),
        *extra,
    ]
    return facts_table(pairs, styles, width, w)


def facts_table(pairs: Sequence[tuple[str, str]], styles: Styles, width: float, w: Wording) -> Table:
    """Label/value pairs two to a row, labels on a band: how every report opens under its title."""
    pairs = list(pairs)
    if len(pairs) % 2:
        pairs.append(("", ""))
    label_w = (24 if w.chinese else 30) * mm
    value_w = width / 2 - label_w
    rows = []
    for i in range(0, len(pairs), 2):
        row: list[object] = []
        for label, value in pairs[i : i + 2]:
            row += [para(label, styles.label), para(value, styles.cell)]
        rows.append(row)
    return data_table(rows, [label_w, value_w, label_w, value_w], header_rows=0,
                      extra=[("BACKGROUND", (0, 0), (0, -1), BAND_BG), ("BACKGROUND", (2, 0), (2, -1), BAND_BG)])


class DateBoxes(Flowable):
    """□□□□年□□月□□日: boxes to write a date in by hand."""

    def __init__(self, font: str, units: Sequence[str], size: float = 9, box: float = 4.6 * mm) -> None:
        super().__init__()
        self.font, self.size, self.box, self.units = font, size, box, tuple(units)
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
        for count, unit in zip((4, 2, 2), self.units, strict=False):
            for _ in range(count):
                c.rect(x, 0, self.box, self.box, stroke=1, fill=0)
                x += self.box
            c.drawString(x + 1, (self.box - self.size) / 2 + 1, unit)
            x += self.size * 1.2


SIGN_ROLES = ("sign.inspector", "sign.department_head", "sign.leader")


def sign_off(styles: Styles, width: float, w: Wording, roles: Sequence[str] = SIGN_ROLES) -> Flowable:
    """Signature lines and date boxes for each role (word keys), kept on one page."""
    gap = 8 * mm
    col = (width - gap * (len(roles) - 1)) / len(roles)
    font = styles.cell.fontName
    units = (w("date.year"), w("date.month"), w("date.day"))
    labels: list[object] = []
    dates: list[object] = []
    widths: list[float] = []
    for i, role in enumerate(roles):
        if i:
            labels.append("")
            dates.append("")
            widths.append(gap)
        labels.append(Paragraph(text(w("sign.role", role=w(role))), styles.cell))
        dates.append([Paragraph(text(w("sign.date")), styles.cell), Spacer(1, 1.5 * mm), DateBoxes(font, units)])
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
    return KeepTogether([Spacer(1, 8 * mm), Paragraph(text(w("sign.title")), styles.h2), table])


def bar(fraction: float | None, width: float, height: float, colour: colors.Color) -> Flowable:
    """A small horizontal bar for a rate in a table cell."""
    from reportlab.graphics.shapes import Drawing, Rect

    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=colors.HexColor("#eeeeee"), strokeColor=None))
    if fraction is not None:
        drawing.add(Rect(0, 0, width * max(0.0, min(1.0, fraction)), height, fillColor=colour, strokeColor=None))
    return drawing


def with_heading(heading_flowables: list[Flowable], part: list[Flowable], *, max_room: float = 150 * mm) -> list[Flowable]:
    """Keep a heading on the page of the first block after it.

    When the first block is a KeepTogether (a finding that fits one page), the heading
    joins it; when it is a table, the heading asks for room for the table's header and
    first row (up to ``max_room``, so that a page never breaks for nothing). Either way
    a heading is never left alone at the bottom of a page.
    """
    breaks = [f for f in heading_flowables if isinstance(f, CondPageBreak)]
    rest = [f for f in heading_flowables if not isinstance(f, CondPageBreak)]
    if part and isinstance(part[0], KeepTogether):
        return [*breaks, KeepTogether([*rest, *part[0]._content]), *part[1:]]
    if part and isinstance(part[0], ReportTable):
        room = min(HEADING_ROOM * 0.5 + part[0].lead_height(), max_room)
        return [CondPageBreak(max(room, HEADING_ROOM)), *rest, *part]
    return [*heading_flowables, *part]


def jurisdiction_note(line: JurisdictionLine | None, institution: str, styles: Styles, w: Wording) -> list[Flowable]:
    """One paragraph saying which documents bind the institution and how the problems split
    between local requirements (本地要求) and reference items (参考); nothing when unknown."""
    if line is None:
        return []
    region = line.region or w("jurisdiction.no_region")
    counts = {"binding": line.binding_items, "binding_nc": line.binding_nonconform,
              "reference": line.reference_items, "reference_nc": line.reference_nonconform}
    if line.outside:
        sentence = w("jurisdiction.outside", institution=institution, region=region, **counts)
    elif not line.documents:
        sentence = w("jurisdiction.unbound", institution=institution, region=region, **counts)
    else:
        documents = w.join([f"《{d}》" for d in line.documents])
        sentence = w("jurisdiction.bound", institution=institution, region=region, documents=documents, **counts)
    if line.binding_only:
        sentence += ("" if w.chinese else " ") + w("jurisdiction.binding_only")
    return [Spacer(1, 2 * mm), para(sentence, styles.small)]


def binding_tag(binding: bool | None, w: Wording) -> str:
    """［本地要求］ / ［参考］ before an item's citations ("" when not known)."""
    if binding is None:
        return ""
    return w("binding.tag") if binding else w("reference.tag")
