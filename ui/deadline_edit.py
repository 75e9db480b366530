"""A deadline field a department head can fill in three ways: type it, pick it, or take
today + 7 / 15 / 30 days.

``QDateEdit`` threw typed dates away (its section editing rejects "2026/12/20") and, with
no value, opened its calendar in January 2000. Here the text is parsed leniently, a
wrong entry stays visible in red with the reason instead of vanishing, and the calendar
opens at the current deadline or at today + the usual term.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

QUICK_TERMS = (7, 15, 30)
USUAL_TERM_DAYS = 15  # where the calendar opens when no deadline is set yet
TOUCH_HEIGHT = 40

_SEPARATED = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(text: str, today: date | None = None) -> date | None:
    """``2026-12-20``, ``2026/12/20``, ``2026.12.20``, ``2026年12月20日``, ``20261220``, or
    ``12-20`` (this year). Raises ValueError for anything else; '' means no date."""
    if not text.strip():
        return None
    today = today or date.today()
    for pattern in (_SEPARATED, _COMPACT):
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)  # ValueError for 2026-02-30
    match = _MONTH_DAY.match(text)
    if match:
        month, day = (int(g) for g in match.groups())
        return date(today.year, month, day)
    raise ValueError(text)


class DeadlineEdit(QWidget):
    """``edited(date | None)`` fires when the user sets or clears a valid date."""

    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._date: date | None = None
        self.line = QLineEdit()
        self.line.setObjectName("deadlineText")
        self.line.setMinimumHeight(TOUCH_HEIGHT)
        self.line.setPlaceholderText(self.tr("No deadline (e.g. 2026-12-20)"))
        self.line.setToolTip(self.tr("Type a date such as 2026-12-20 or 2026/12/20, or pick one"))
        self.line.editingFinished.connect(self._typed)

        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("deadlineCalendar")
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.calendar_menu = QMenu(self)
        holder = QWidgetAction(self.calendar_menu)
        holder.setDefaultWidget(self.calendar)
        self.calendar_menu.addAction(holder)
        self.calendar_button = QToolButton()
        self.calendar_button.setObjectName("deadlineCalendarButton")
        self.calendar_button.setText(self.tr("Calendar"))
        self.calendar_button.setToolTip(self.tr("Pick the date in a calendar"))
        self.calendar_button.setMinimumHeight(TOUCH_HEIGHT)
        self.calendar_button.clicked.connect(self.open_calendar)

        # Two rows, so the field stays readable in the narrow edit panel of a 13-inch screen.
        self.quick_buttons: dict[int, QPushButton] = {}
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(4)
        top.addWidget(self.line, 1)
        top.addWidget(self.calendar_button)
        rows.addLayout(top)
        row = QHBoxLayout()
        row.setSpacing(4)
        rows.addLayout(row)
        for days in QUICK_TERMS:
            button = QPushButton(f"+{days}")
            button.setObjectName(f"deadlinePlus{days}")
            button.setToolTip(self.tr("Today + %1 days").replace("%1", str(days)))
            button.setMinimumHeight(TOUCH_HEIGHT)
            button.setFixedWidth(button.fontMetrics().horizontalAdvance("+30") + 28)
            button.clicked.connect(lambda _=False, d=days: self._choose(date.today() + timedelta(days=d)))
            row.addWidget(button)
            self.quick_buttons[days] = button
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.setObjectName("deadlineClear")
        self.clear_button.setToolTip(self.tr("Remove the deadline"))
        self.clear_button.setMinimumHeight(TOUCH_HEIGHT)
        self.clear_button.clicked.connect(lambda: self._choose(None))
        row.addWidget(self.clear_button)
        row.addStretch(0)
        self.setFocusProxy(self.line)

    # -- value ---------------------------------------------------------------------

    def date(self) -> date | None:
        return self._date

    def set_date(self, value: date | None) -> None:
        """Show ``value`` without emitting ``edited`` (loading a record)."""
        self._date = value
        self._show_valid()
        self.line.setText(value.isoformat() if value else "")

    def calendar_start(self) -> date:
        """Where the calendar opens: the deadline, else today + the usual term."""
        return self._date or date.today() + timedelta(days=USUAL_TERM_DAYS)

    # -- input ---------------------------------------------------------------------

    def open_calendar(self) -> None:
        start = self.calendar_start()
        self.calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        self.calendar.setCurrentPage(start.year, start.month)
        self.calendar_menu.popup(self.calendar_button.mapToGlobal(self.calendar_button.rect().bottomLeft()))
        self.calendar.setFocus()

    def _picked(self, qdate: QDate) -> None:
        self.calendar_menu.hide()
        self._choose(date(qdate.year(), qdate.month(), qdate.day()))

    def _typed(self) -> None:
        text = self.line.text()
        try:
            value = parse_date(text)
        except ValueError:
            # Keep what was typed, say why it was not taken, save nothing.
            self.line.setStyleSheet("QLineEdit { border: 2px solid #b91c1c; }")
            self.line.setToolTip(
                self.tr("“%1” is not a date. Type it as 2026-12-20 or 2026/12/20.").replace("%1", text.strip())
            )
            return
        if text.strip() and value is not None:
            self.line.setText(value.isoformat())
        self._choose(value)

    def _choose(self, value: date | None) -> None:
        self._show_valid()
        self.line.setText(value.isoformat() if value else "")
        if value == self._date:
            return
        self._date = value
        self.edited.emit(value)

    def is_invalid(self) -> bool:
        return bool(self.line.styleSheet())

    def _show_valid(self) -> None:
        self.line.setStyleSheet("")
        self.line.setToolTip(self.tr("Type a date such as 2026-12-20 or 2026/12/20, or pick one"))

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() == Qt.Key.Key_F4 or (
            event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            self.open_calendar()
            return
        super().keyPressEvent(event)


def ask_deadline(parent: QWidget | None, title: str, current: date | None) -> date | None:
    """A new deadline (e.g. for an extension request); None when cancelled or left empty."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

    dialog = QDialog(parent)
    dialog.setObjectName("askDeadlineDialog")
    dialog.setWindowTitle(title)
    edit = DeadlineEdit(dialog)
    start = (current or date.today()) + timedelta(days=USUAL_TERM_DAYS)
    edit.set_date(start)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel(QCoreApplication.translate("DeadlineEdit", "New deadline:")))
    layout.addWidget(edit)
    layout.addWidget(buttons)
    if parent is not None:
        parent.ask_deadline_dialog = dialog  # type: ignore[attr-defined]  # tests fill it in
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    edit.line.editingFinished.emit()  # a date typed but not yet confirmed counts
    return None if edit.is_invalid() else edit.date()
