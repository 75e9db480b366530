"""The bundled CJK TrueType font, registered once with ReportLab.

Every report uses this one font so Chinese text is embedded as a subset and stays
searchable (``pdftotext``) on any machine, whatever fonts the printer's PC has.
"""

from __future__ import annotations

import threading

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from auditapp import paths

FONT = "WQYMicroHei"

# ReportLab's default ASCII85 encoding of streams runs in pure Python and dominates the
# time of photo-heavy reports (PLATFORM.md: 8.9 s -> 0.57 s for 100 rows, 200 photos).
# Binary streams are valid PDF; nothing in our reports needs 7-bit output.
rl_config.useA85 = 0

_lock = threading.Lock()
_registered = False


def register_fonts() -> str:
    """Register the bundled font (idempotent, thread-safe) and return its ReportLab name."""
    global _registered
    with _lock:
        if not _registered:
            pdfmetrics.registerFont(TTFont(FONT, str(paths.cjk_font_path()), subfontIndex=0))
            # The font has no bold or italic face; map them to the regular face so that
            # <b> in a paragraph never falls back to a Latin-only font.
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(FONT, bold, italic, FONT)
            _registered = True
    return FONT
