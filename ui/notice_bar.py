"""A message bar inside a window (like a browser's "this page is read-only" bar).

For things a person must be told but need not stop for: a key pressed on a finalized
visit did nothing. A modal box there took the focus away on every keypress (three boxes
for three letters typed into the note); the bar says it once, in place, keeps the focus
where it was and carries the way out as a button.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

# Calm (information) and attention (something the user tried was not done).
_STYLES = {
    "info": "QFrame#noticeBar { background: #e8f1fb; border: 1px solid #90b4e0; }"
    " QLabel { color: #123; }",
    "warning": "QFrame#noticeBar { background: #fff3cd; border: 2px solid #d39e00; }"
    " QLabel { color: #4a3600; font-weight: bold; }",
}


class NoticeBar(QFrame):
    """A line of text, an optional action button and a close button; never takes focus."""

    actionClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.label = QLabel()
        self.label.setObjectName("noticeText")
        self.label.setWordWrap(True)
        self.action_button = QPushButton()
        self.action_button.setObjectName("noticeAction")
        self.action_button.clicked.connect(self.actionClicked)
        self.close_button = QPushButton("×")
        self.close_button.setObjectName("noticeClose")
        self.close_button.setFlat(True)
        self.close_button.setFixedWidth(32)
        self.close_button.setToolTip(self.tr("Hide this message"))
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.close_button)
        self.level = "info"
        self.attempts = 0  # how often the warning was shown since the bar last changed
        self._flash = QTimer(self)
        self._flash.setSingleShot(True)
        self._flash.setInterval(180)
        self._flash.timeout.connect(lambda: self._paint(self.level))
        self.hide()

    def show_message(self, text: str, *, level: str = "info", action: str = "") -> None:
        """Show ``text``; a repeated warning flashes so the next keypress visibly "bounces"."""
        repeated = self.isVisible() and level == "warning" and self.level == "warning" and self.label.text() == text
        self.attempts = self.attempts + 1 if repeated else (1 if level == "warning" else 0)
        self.level = level
        self.label.setText(text)
        self.action_button.setText(action)
        self.action_button.setVisible(bool(action))
        if repeated:
            self._paint("info")
            self._flash.start()
        else:
            self._paint(level)
        self.show()

    def _paint(self, level: str) -> None:
        self.setStyleSheet(_STYLES[level])
