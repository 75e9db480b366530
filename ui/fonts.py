"""Register the bundled CJK font with Qt.

On a machine without Chinese fonts (minimal Linux, CI) Qt would otherwise draw every
Chinese character as an empty box.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from auditapp import paths


def register_cjk_font(app: QApplication) -> str:
    """Add the bundled font and make it the fallback for the application font.

    Returns the font family name that Qt registered.
    """
    font_id = QFontDatabase.addApplicationFont(str(paths.cjk_font_path()))
    if font_id < 0:
        raise RuntimeError(f"Qt could not load the bundled font {paths.cjk_font_path()}")
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    font = QFont(app.font())
    families = [f for f in font.families() if f != family]
    font.setFamilies([*families, family] if families else [family])
    app.setFont(font)
    return family
