"""Register the bundled fonts with Qt.

On a machine without Chinese fonts (minimal Linux, CI) Qt would otherwise draw every
Chinese character as an empty box, so the bundled CJK font is the fallback of the
application font. A tiny symbol font goes first: WenQuanYi draws ▲ and △ at half the
size of a character, and Qt takes each character from the first family that has it.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from auditapp import paths

SYMBOL_FONT = ("fonts", "auditapp-symbols.ttf")


def _add(path: str) -> str | None:
    font_id = QFontDatabase.addApplicationFont(path)
    if font_id < 0:
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    return families[0] if families else None


def register_cjk_font(app: QApplication) -> str:
    """Add the bundled fonts and make them the application font's first and last choice.

    Returns the CJK font family name that Qt registered.
    """
    family = _add(str(paths.cjk_font_path()))
    if family is None:
        raise RuntimeError(f"Qt could not load the bundled font {paths.cjk_font_path()}")
    symbols_path = paths.resource_path(*SYMBOL_FONT)
    symbols = _add(str(symbols_path)) if symbols_path.exists() else None
    font = QFont(app.font())
    ours = {family, symbols}
    families = [f for f in font.families() if f not in ours]
    font.setFamilies([*([symbols] if symbols else []), *families, family])
    app.setFont(font)
    return family
