"""Small vector charts drawn with the CJK font: section score bars and monthly trend lines."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from auditapp.reports.fonts import register_fonts
from auditapp.reports.styles import ACCENT, INK, MUTED, RULE

SERIES_COLOURS = [
    colors.HexColor(c)
    for c in ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#b00020", "#2e75b6", "#bf8f00", "#404040")
]


def _rate_colour(rate: float) -> colors.Color:
    if rate >= 0.9:
        return colors.HexColor("#548235")
    if rate >= 0.75:
        return colors.HexColor("#bf8f00")
    return colors.HexColor("#b00020")


def _clip(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def score_bars(rows: Sequence[tuple[str, float | None]], width: float, *, bar_height: float = 11) -> Drawing:
    """Horizontal bars of conformity rates (0–100 %), one per labelled row."""
    font = register_fonts()
    label_w = min(width * 0.32, 150)
    value_w = 40
    plot_w = width - label_w - value_w
    gap = 5
    top_pad, bottom_pad = 4, 16
    height = top_pad + bottom_pad + len(rows) * (bar_height + gap)
    d = Drawing(width, height)
    x0 = label_w
    for pct in (0, 25, 50, 75, 100):
        x = x0 + plot_w * pct / 100
        d.add(Line(x, bottom_pad - 2, x, height - top_pad, strokeColor=RULE if pct in (0, 100) else colors.HexColor("#dddddd"), strokeWidth=0.4))
        d.add(String(x, 4, f"{pct}%", fontName=font, fontSize=7, fillColor=MUTED, textAnchor="middle"))
    for i, (label, rate) in enumerate(rows):
        y = height - top_pad - (i + 1) * (bar_height + gap) + gap / 2
        d.add(String(x0 - 4, y + 2.5, _clip(label, 14), fontName=font, fontSize=8, fillColor=INK, textAnchor="end"))
        if rate is None:
            d.add(String(x0 + 3, y + 2.5, "未评价", fontName=font, fontSize=7.5, fillColor=MUTED))
            continue
        d.add(Rect(x0, y, plot_w * rate, bar_height, fillColor=_rate_colour(rate), strokeColor=None))
        d.add(String(x0 + plot_w + 4, y + 2.5, f"{rate * 100:.1f}%", fontName=font, fontSize=8, fillColor=INK))
    return d


def trend_lines(months: Sequence[str], series: Sequence[tuple[str, dict[str, float]]], width: float, height: float = 170) -> Drawing:
    """Monthly conformity rate per institution as lines with a legend underneath."""
    font = register_fonts()
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
        d.add(String(left - 4, y - 2.5, f"{(lo + (1 - lo) * frac) * 100:.0f}%", fontName=font, fontSize=7, fillColor=MUTED, textAnchor="end"))
    n = len(months)
    xs = [left + (plot_w * (i + 0.5) / n if n else 0) for i in range(n)]
    for x, month in zip(xs, months):
        d.add(String(x, bottom - 12, month, fontName=font, fontSize=7, fillColor=MUTED, textAnchor="middle"))
    for idx, (name, points) in enumerate(series):
        colour = SERIES_COLOURS[idx % len(SERIES_COLOURS)]
        coords = []
        for x, month in zip(xs, months):
            if month in points:
                y = bottom + plot_h * (points[month] - lo) / (1 - lo)
                coords.append((x, y))
                d.add(Circle(x, y, 2.2, fillColor=colour, strokeColor=None))
        if len(coords) > 1:
            d.add(PolyLine([c for xy in coords for c in xy], strokeColor=colour, strokeWidth=1.2))
        lx = left + (idx % 3) * (plot_w / 3)
        ly = legend_h - 12 - (idx // 3) * 12
        d.add(Rect(lx, ly + 1, 10, 4, fillColor=colour, strokeColor=None))
        d.add(String(lx + 14, ly, _clip(name, 18), fontName=font, fontSize=7.5, fillColor=INK))
    if not months:
        d.add(String(width / 2, bottom + plot_h / 2, "所选时间内没有体验记录", fontName=font, fontSize=9, fillColor=MUTED, textAnchor="middle"))
    d.add(Line(left, bottom, left, bottom + plot_h, strokeColor=ACCENT, strokeWidth=0.4))
    return d
