"""Help menu: the keyboard shortcuts and a short user guide, in the window's language.

The guide is Markdown in ``resources/help/guide.<language>.md`` so a trainer can edit it
without touching code; the shortcut table is built here from one list, next to the
words that explain each key.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from auditapp import paths
from ui.i18n import current_language

# (keys, what they do) — where a leader uses them: the visit's item list first.
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("1", QT_TRANSLATE_NOOP("Help", "Conform — and on to the next item")),
    ("2", QT_TRANSLATE_NOOP("Help", "Nonconform — stays on the item, the cursor goes to the note")),
    ("3", QT_TRANSLATE_NOOP("Help", "Not applicable — and on to the next item")),
    ("↑ / ↓", QT_TRANSLATE_NOOP("Help", "Previous / next item")),
    ("Enter", QT_TRANSLATE_NOOP("Help", "Next item")),
    ("Esc", QT_TRANSLATE_NOOP("Help", "From the note (or any field of the item) back to the item list")),
    ("↓", QT_TRANSLATE_NOOP("Help", "At the end of the note: back to the item list")),
    ("Ctrl+Z / Ctrl+Shift+Z", QT_TRANSLATE_NOOP("Help", "Undo / redo answers, notes, severity and department")),
    ("Ctrl+N", QT_TRANSLATE_NOOP("Help", "Other problem: one that no checklist item covers")),
    ("Ctrl+V", QT_TRANSLATE_NOOP("Help", "Paste a photo into the current item")),
    ("Ctrl+1 … Ctrl+4", QT_TRANSLATE_NOOP("Help", "Item · journey timer · floor plans and AED map · problems and rectification")),
    ("Alt+1 / Alt+2 / Alt+3", QT_TRANSLATE_NOOP("Help", "Floor plan: new pins are AEDs / problems / facilities")),
    ("Insert", QT_TRANSLATE_NOOP("Help", "Floor plan: add a pin in the middle of the view")),
    ("Delete", QT_TRANSLATE_NOOP("Help", "Floor plan or photo editor: delete the selected pin or mark")),
    ("F5", QT_TRANSLATE_NOOP("Help", "Home screen: refresh")),
    ("F1", QT_TRANSLATE_NOOP("Help", "This user guide")),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Help", text)


def guide_markdown(language: str | None = None) -> str:
    language = language or current_language()
    folder = paths.resource_path("help")
    for name in (f"guide.{language}.md", "guide.zh_CN.md"):
        path = folder / name
        if path.exists():
            return path.read_text(encoding="utf-8")
    return ""


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.table = QTableWidget(len(SHORTCUTS), 2)
        self.table.setObjectName("shortcutTable")
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What it does")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for row, (keys, text) in enumerate(SHORTCUTS):
            key_item = QTableWidgetItem(keys)
            key_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            font = key_item.font()
            font.setBold(True)
            key_item.setFont(font)
            self.table.setItem(row, 0, key_item)
            self.table.setItem(row, 1, QTableWidgetItem(_tr(text)))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(720, 560)


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("User guide"))
        self.browser = QTextBrowser()
        self.browser.setObjectName("guideText")
        self.browser.setOpenExternalLinks(False)
        self.browser.setMarkdown(guide_markdown())
        font = self.browser.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.browser.setFont(font)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(760, 640)
