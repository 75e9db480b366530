"""Paragraph styles and colours of the reports, and escaping of user text for paragraphs.

The words for stored values come from :mod:`auditapp.terms`, the report's own words
from :mod:`auditapp.reports.words`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph as _PlatypusParagraph

from auditapp.reports.fonts import register_fonts

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
OK_GREEN = colors.HexColor("#2e6b1f")
# An AED's state as checked on the visit: green only for a working one, red or orange
# for one that fails a patient, grey for one nobody has checked yet.
AED_STATUS_COLOURS = {
    "": colors.HexColor("#808080"),
    "ok": OK_GREEN,
    "faulty": colors.HexColor("#b00020"),
    "missing": colors.HexColor("#b00020"),
    "blocked": colors.HexColor("#c55a11"),
}


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


@cache
def make_styles(base_size: float = 10, language: str = "zh_CN") -> Styles:
    """Styles for one report.

    The same objects for every report of a size and language (no report changes a style),
    so a paragraph parsed for one report is parsed for the next (:class:`Paragraph`).
    Chinese breaks lines at any character (``wordWrap='CJK'``); English breaks at spaces
    and splits only words too long for a line (a Chinese name inside English text is one).
    """
    font = register_fonts()
    wrap = "CJK" if language == "zh_CN" else None

    def style(name: str, size: float, *, leading: float | None = None, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=font,
            fontSize=size,
            leading=leading or size * 1.4,
            wordWrap=wrap,
            splitLongWords=1,
            textColor=kw.pop("textColor", INK),
            **kw,
        )

    s = base_size
    return Styles(
        title=style("title", s + 8, alignment=TA_CENTER, spaceAfter=4, leading=(s + 8) * 1.3),
        subtitle=style("subtitle", s + 1, alignment=TA_CENTER, textColor=MUTED, spaceAfter=8),
        h1=style("h1", s + 4, spaceBefore=10, spaceAfter=6, textColor=ACCENT),
        h2=style("h2", s + 2, spaceBefore=8, spaceAfter=4, textColor=ACCENT),
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


# Geometric symbols the bundled font draws at about half the height of a Chinese
# character (▲ marks items for tertiary and lead hospitals; the font has all of these,
# checked against its cmap, but lacks ⚠, which the reports therefore never use). They
# are printed at twice the size of the text around them and lowered to its baseline
# (a <sub> whose size and rise ReportLab takes relative to the surrounding text).
SMALL_GLYPHS = re.compile("([▲△▼▽■□●○◆◇]+)")
GLYPH_MARKUP = r'<sub rise="30%" size="200%">\1</sub>'


# Parsed paragraph markup by (text, id(style)): (style, cleaned text, parsed style, fragments).
_PARSED: dict[tuple[str, int], tuple[ParagraphStyle, str, ParagraphStyle, list[Any]]] = {}
_PARSED_LIMIT = 50_000


class Paragraph(_PlatypusParagraph):
    """ReportLab's paragraph, remembering its line breaks for the width it was last wrapped at.

    Platypus wraps one paragraph several times at the same width: KeepTogether measures its
    group, a table computes its row heights, again on every page a long table is split onto,
    and once more when its cell is drawn. Breaking Chinese text into lines is the dearest
    part of a report, and the lines depend only on the text, the style and the width, so a
    second wrap at the same width returns the first one's size (the lines are still in
    ``blPara``). A 300-problem rectification list by department: 5.6 s → 3.8 s, the PDF's text
    and pages unchanged. Every report builds its paragraphs from this class
    (tests/test_reports_layout.py checks that no module imports ReportLab's own).
    """

    _wrapped_at: float | None = None
    # set by ReportLab's _setup (untyped there)
    text: str
    style: ParagraphStyle
    frags: list[Any]
    bulletText: Any  # noqa: N815

    def _setup(self, text: str, style: ParagraphStyle, bulletText: Any, frags: Any, cleaner: Any) -> None:  # noqa: N803
        """Parse the markup once per text and style; each paragraph gets its own copy of the fragments.

        A rectification list repeats its labels and values (位置, 问题描述, a department, a
        clause) for every problem, and ReportLab parses each paragraph's markup with an
        HTML parser afresh: a 500-problem list parses 11,072 paragraphs of 1,061 different
        texts (CPU time of that list 17 % less). Line breaking writes into fragments
        (``_fkind``, ``text``), so a kept parse is handed out as clones, never shared.
        """
        if frags is not None or bulletText is not None or self.caseSensitive != 1:
            super()._setup(text, style, bulletText, frags, cleaner)
            return
        key = (text, id(style))
        parsed = _PARSED.get(key)
        if parsed is None or parsed[0] is not style:
            super()._setup(text, style, bulletText, frags, cleaner)
            if self.bulletText is None:  # with a <bullet> in the markup: not kept
                if len(_PARSED) >= _PARSED_LIMIT:
                    _PARSED.clear()
                # The entry holds the style, so its id cannot be reused while the entry lives.
                _PARSED[key] = (style, self.text, self.style, self.frags)
                self.frags = [f.clone() for f in self.frags]
            return
        _, self.text, self.style, kept = parsed
        self.frags = [f.clone() for f in kept]
        self.bulletText = None
        self.debug = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped_at == availWidth:
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        if "blPara" in self.__dict__ and size[0] == availWidth:  # not the "cannot fit here" answer
            self._wrapped_at = availWidth
        return size

    def split(self, availWidth: float, availHeight: float) -> list[_PlatypusParagraph]:
        self._wrapped_at = None  # splitting may change fragments this paragraph shares with its parts
        parts: list[_PlatypusParagraph] = super().split(availWidth, availHeight)
        return parts


def text(value: object) -> str:
    """Escape user text for a Paragraph, keep its line breaks and enlarge small symbols."""
    escaped = escape(str(value if value is not None else "")).replace("\n", "<br/>")
    return SMALL_GLYPHS.sub(GLYPH_MARKUP, escaped)


def para(value: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text(value), style)


def markup(raw: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph from markup the report code built itself (user parts already escaped)."""
    return Paragraph(raw, style)


def coloured(value: str, colour: colors.Color) -> str:
    return f'<font color="{colour.hexval()}">{text(value)}</font>'

