"""Paragraph styles, colours and the Chinese labels printed for stored enum values."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from auditapp.reports.fonts import register_fonts

MODE_LABELS = {"self": "院内自查", "bureau": "上级督查"}
SEVERITY_LABELS = {"minor": "一般", "major": "较重", "critical": "严重"}
STATUS_LABELS = {
    "open": "待整改",
    "in_progress": "整改中",
    "reported_fixed": "已报整改",
    "verified": "已验收",
    "reopened": "重新整改",
}
RESULT_LABELS = {"conform": "符合", "nonconform": "不符合", "na": "不适用", None: "未答"}
KIND_LABELS = {
    "general": "综合医院",
    "tcm": "中医医院",
    "integrated": "中西医结合医院",
    "specialist": "专科医院",
    "primary": "基层医疗机构",
}
PIN_LABELS = {"aed": "AED", "finding": "问题", "facility": "设施"}
NO_DEPARTMENT = "未指定科室"

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#8c8c8c")
HEAD_BG = colors.HexColor("#e4e9f0")
BAND_BG = colors.HexColor("#f3f5f8")
ACCENT = colors.HexColor("#1f4e79")
SEVERITY_COLOURS = {
    "critical": colors.HexColor("#b00020"),
    "major": colors.HexColor("#c55a11"),
    "minor": colors.HexColor("#3b3b3b"),
}
OVERDUE = colors.HexColor("#b00020")


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_small: ParagraphStyle
    cell_head: ParagraphStyle
    cell_center: ParagraphStyle
    label: ParagraphStyle
    caption: ParagraphStyle
    quote: ParagraphStyle
    right: ParagraphStyle


def make_styles(base_size: float = 10) -> Styles:
    """Styles for one report; every style breaks lines the CJK way (any character boundary)."""
    font = register_fonts()

    def style(name: str, size: float, *, leading: float | None = None, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=font,
            fontSize=size,
            leading=leading or size * 1.4,
            wordWrap="CJK",
            textColor=kw.pop("textColor", INK),
            **kw,  # type: ignore[arg-type]
        )

    s = base_size
    return Styles(
        title=style("title", s + 8, alignment=TA_CENTER, spaceAfter=4, leading=(s + 8) * 1.3),
        subtitle=style("subtitle", s + 1, alignment=TA_CENTER, textColor=MUTED, spaceAfter=8),
        h1=style("h1", s + 4, spaceBefore=10, spaceAfter=6, textColor=ACCENT, keepWithNext=1),
        h2=style("h2", s + 2, spaceBefore=8, spaceAfter=4, textColor=ACCENT, keepWithNext=1),
        body=style("body", s, spaceAfter=4),
        small=style("small", s - 1.5, textColor=MUTED),
        cell=style("cell", s - 0.5),
        cell_small=style("cell_small", s - 1.5),
        cell_head=style("cell_head", s - 0.5, alignment=TA_CENTER),
        cell_center=style("cell_center", s - 0.5, alignment=TA_CENTER),
        label=style("label", s - 0.5, textColor=MUTED),
        caption=style("caption", s - 2, alignment=TA_CENTER, textColor=MUTED, leading=(s - 2) * 1.3),
        quote=style("quote", s - 1.5, textColor=MUTED, leftIndent=0),
        right=style("right", s - 1.5, alignment=TA_RIGHT, textColor=MUTED),
    )


def text(value: object) -> str:
    """Escape user text for a Paragraph and keep its line breaks."""
    return escape(str(value if value is not None else "")).replace("\n", "<br/>")


def para(value: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text(value), style)


def markup(raw: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph from markup the report code built itself (user parts already escaped)."""
    return Paragraph(raw, style)


def coloured(value: str, colour: colors.Color) -> str:
    return f'<font color="{colour.hexval()}">{text(value)}</font>'

