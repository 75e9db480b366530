"""Small vector charts drawn with the CJK font: section score bars and monthly trend lines.

A chart can have any number of rows (a TCM template has about 46 sections, a
synthetic visit hundreds), so the bar chart is a flowable that splits between bars
and continues on the next page with its axis repeated, like a table.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from auditapp.reports.fonts import register_fonts
from auditapp.reports.styles import ACCENT, INK, MUTED, RULE

SERIES_COLOURS = [
    colors.HexColor(c)
    for c in ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#b00020", "#2e75b6", "#bf8f00", "#404040")
]
# More lines than colours cannot be told apart: the trend chart draws at most this many.
MAX_SERIES = len(SERIES_COLOURS)


def _rate_colour(rate: float) -> colors.Color:
    if rate >= 0.9:
        return colors.HexColor("#548235")
    if rate >= 0.75:
        return colors.HexColor("#bf8f00")
    return colors.HexColor("#b00020")


def clip_to_width(label: str, width: float, font: str, size: float) -> str:
    """``label`` cut with "…" so that it fits ``width`` points."""
    if stringWidth(label, font, size) <= width:
        return label
    while label and stringWidth(label + "…", font, size) > width:
        label = label[:-1]
    return label + "…"


class ScoreBars(Flowable):
    """Horizontal bars of conformity rates (0–100 %), one per labelled row; splits between rows."""

    BAR_HEIGHT = 11.0
    GAP = 5.0
    TOP_PAD = 4.0
    AXIS_PAD = 16.0  # the percentage scale under the bars

    def __init__(self, rows: Sequence[tuple[str, float | None]], width: float, *, not_rated: str = "—") -> None:
        super().__init__()
        self.rows = list(rows)
        self.width = width
        self.not_rated = not_rated
        self.height = self._height(len(self.rows))

    @classmethod
    def _height(cls, count: int) -> float:
        return cls.TOP_PAD + cls.AXIS_PAD + count * (cls.BAR_HEIGHT + cls.GAP)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self.height <= availHeight:
            return [self]
        fit = int((availHeight - self.TOP_PAD - self.AXIS_PAD) // (self.BAR_HEIGHT + self.GAP))
        if fit < 3 or len(self.rows) < 2:
            return []  # too little room for a useful part: start on the next page
        fit = min(fit, len(self.rows) - 1)
        return [ScoreBars(self.rows[:fit], self.width, not_rated=self.not_rated),
                ScoreBars(self.rows[fit:], self.width, not_rated=self.not_rated)]

    def drawing(self) -> Drawing:
        font = register_fonts()
        width, height = self.width, self.height
        label_w = min(width * 0.32, 150)
        value_w = 40
        plot_w = width - label_w - value_w
        d = Drawing(width, height)
        x0 = label_w
        for pct in (0, 25, 50, 75, 100):
            x = x0 + plot_w * pct / 100
            d.add(Line(x, self.AXIS_PAD - 2, x, height - self.TOP_PAD,
                       strokeColor=RULE if pct in (0, 100) else colors.HexColor("#dddddd"), strokeWidth=0.4))
            d.add(String(x, 4, f"{pct}%", fontName=font, fontSize=7, fillColor=MUTED, textAnchor="middle"))
        step = self.BAR_HEIGHT + self.GAP
        for i, (label, rate) in enumerate(self.rows):
            y = height - self.TOP_PAD - (i + 1) * step + self.GAP / 2
            d.add(String(x0 - 4, y + 2.5, clip_to_width(label, label_w - 8, font, 8), fontName=font, fontSize=8,
                         fillColor=INK, textAnchor="end"))
            if rate is None:
                d.add(String(x0 + 3, y + 2.5, self.not_rated, fontName=font, fontSize=7.5, fillColor=MUTED))
                continue
            d.add(Rect(x0, y, plot_w * rate, self.BAR_HEIGHT, fillColor=_rate_colour(rate), strokeColor=None))
            d.add(String(x0 + plot_w + 4, y + 2.5, f"{rate * 100:.1f}%", fontName=font, fontSize=8, fillColor=INK))
        return d

    def draw(self) -> None:
        renderPDF.draw(self.drawing(), self.canv, 0, 0)


def trend_lines(months: Sequence[str], series: Sequence[tuple[str, dict[str, float]]], width: float,
                height: float = 170, *, empty_text: str = "") -> Drawing:
    """Monthly conformity rate per institution as lines with a legend underneath.

    At most :data:`MAX_SERIES` lines are drawn (the caller picks which), so the chart
    and its legend always fit a page.
    """
    font = register_fonts()
    series = list(series)[:MAX_SERIES]
    legend_rows = (len(series) + 2) // 3
    legend_h = legend_rows * 12 + 6
    left, right, top, bottom = 34, 10, 8, 18 + legend_h
    d = Drawing(width, height + legend_h)
    total_h = height + legend_h
    plot_w, plot_h = width - left - right, total_h - top - bottom
    lo = 0.0
    values = [v for _name, s in series for v in s.values()]
    if values and min(values) > 0.5:
        lo = 0.5
    for k in range(6):
        frac = k / 5
        y = bottom + plot_h * frac
        d.add(Line(left, y, left + plot_w, y, strokeColor=RULE if k == 0 else colors.HexColor("#e3e3e3"), strokeWidth=0.4))
        d.add(
            String(
                left - 4,
                y - 2.5,
                f"{(lo + (1 - lo) * frac) * 100:.0f}%",
                fontName=font,
                fontSize=7,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
    n = len(months)
    xs = [left + (plot_w * (i + 0.5) / n if n else 0) for i in range(n)]
    for x, month in zip(xs, months, strict=False):
        d.add(String(x, bottom - 12, month, fontName=font, fontSize=7, fillColor=MUTED, textAnchor="middle"))
    for idx, (name, points) in enumerate(series):
        colour = SERIES_COLOURS[idx % len(SERIES_COLOURS)]
        coords = []
        for x, month in zip(xs, months, strict=False):
            if month in points:
                y = bottom + plot_h * (points[month] - lo) / (1 - lo)
                coords.append((x, y))
                d.add(Circle(x, y, 2.2, fillColor=colour, strokeColor=None))
        if len(coords) > 1:
            d.add(PolyLine([c for xy in coords for c in xy], strokeColor=colour, strokeWidth=1.2))
        lx = left + (idx % 3) * (plot_w / 3)
        ly = legend_h - 12 - (idx // 3) * 12
        d.add(Rect(lx, ly + 1, 10, 4, fillColor=colour, strokeColor=None))
        d.add(
            String(
                lx + 14, ly, clip_to_width(name, plot_w / 3 - 18, font, 7.5), fontName=font, fontSize=7.5, fillColor=INK
            )
        )
    if not months and empty_text:
        d.add(
            String(
                width / 2,
                bottom + plot_h / 2,
                empty_text,
                fontName=font,
                fontSize=9,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    d.add(Line(left, bottom, left, bottom + plot_h, strokeColor=ACCENT, strokeWidth=0.4))
    return d
