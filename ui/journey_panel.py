"""The journey timer: one tap per step of the patient's path, intervals live against targets."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from auditapp.db import Database
from auditapp.errors import AuditAppError
from auditapp.services import journey
from ui import messages
from ui.i18n import is_chinese

OVER = QColor("#c62828")
OK = QColor("#2e7d32")


def _local(at: datetime, *, seconds: bool = True) -> str:
    return at.astimezone().strftime("%H:%M:%S" if seconds else "%H:%M")


class JourneyPanel(QWidget):
    """Big buttons stamp steps; a table shows steps and intervals, flagged against targets."""

    changed = Signal()
    findingAdded = Signal(str)  # a wait over its target became this problem

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.visit_id: str | None = None
        self.editable = True
        self._steps: list[journey.StepInfo] = []

        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for n, (step, label) in enumerate(journey.STEP_LABELS.items()):
            button = QPushButton(self._label(step, label))
            button.setMinimumHeight(44)
            button.setObjectName(f"step_{step}")
            button.clicked.connect(lambda _=False, s=step: self.stamp(s))
            grid.addWidget(button, n // 3, n % 3)
            self.buttons[step] = button
        self.buttons["booked"].setToolTip(self.tr("Enter the time on the booking slip"))

        self.since_label = QLabel()
        self.since_label.setObjectName("sinceLabel")
        font = self.since_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.since_label.setFont(font)

        self.steps_table = QTableWidget(0, 3)
        self.steps_table.setHorizontalHeaderLabels([self.tr("Step"), self.tr("Time"), ""])
        self.intervals_table = QTableWidget(0, 4)
        self.intervals_table.setHorizontalHeaderLabels(
            [self.tr("Interval"), self.tr("Duration"), self.tr("Target (min)"), ""]
        )
        for table in (self.steps_table, self.intervals_table):
            table.verticalHeader().hide()
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.steps_table.cellDoubleClicked.connect(self._edit_time)
        self.delete_button = QPushButton(self.tr("Delete step"))
        self.delete_button.clicked.connect(self._delete_selected)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.since_label)
        layout.addWidget(QLabel(self.tr("Steps (double-click a time to correct it)")))
        layout.addWidget(self.steps_table, 2)
        layout.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(QLabel(self.tr("Intervals")))
        layout.addWidget(self.intervals_table, 3)

        # Live "since the last step" counter; once a second is plenty for minutes.
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()

    @staticmethod
    def _label(step: str, label: str) -> str:
        return label if is_chinese() else journey.STEP_LABELS_EN.get(step, label)

    def set_visit(self, visit_id: str | None, *, editable: bool = True) -> None:
        self.visit_id = visit_id
        self.editable = editable
        for button in self.buttons.values():
            button.setEnabled(editable and visit_id is not None)
        self.delete_button.setEnabled(editable)
        self.refresh()

    def stamp(self, step: str, at: datetime | None = None) -> None:
        if self.visit_id is None:
            return
        if step == "booked" and at is None:
            at = self._ask_time(self.tr("Booked time"), datetime.now(UTC))
            if at is None:
                return
        try:
            journey.record_step(self.db, self.visit_id, step, at=at)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Cannot record the step"), exc)
            return
        self.refresh()
        self.changed.emit()

    def _ask_time(self, title: str, initial: datetime) -> datetime | None:
        """A time to the minute, as the user reads it off the slip or the clock.

        The editor shows hours and minutes only, so the seconds of ``initial`` (the moment
        the dialog opened) must not ride along into the stored value.
        """
        dialog = QDialog(self)
        dialog.setWindowTitle(title)
        dialog.setObjectName("askTimeDialog")
        self.time_dialog = dialog
        edit = QDateTimeEdit(QDateTime(initial.astimezone().replace(second=0, microsecond=0)))
        edit.setObjectName("timeEdit")
        edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        edit.setCalendarPopup(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(edit)
        layout.addWidget(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        chosen: datetime = edit.dateTime().toPython()  # type: ignore[assignment]
        return chosen.replace(second=0, microsecond=0).astimezone(UTC)

    def _edit_time(self, row: int, _column: int) -> None:
        if not self.editable or row >= len(self._steps):
            return
        step = self._steps[row]
        at = self._ask_time(self._step_label(step.step), step.at)
        if at is None or self.visit_id is None:
            return
        custom_label = "" if step.step in journey.STEP_LABELS else step.label
        try:
            journey.record_step(self.db, self.visit_id, step.step, at=at, label=custom_label, note=step.note)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Cannot record the step"), exc)
        self.refresh()
        self.changed.emit()

    def _delete_selected(self) -> None:
        rows = {i.row() for i in self.steps_table.selectedIndexes()}
        for row in sorted(rows, reverse=True):
            if row < len(self._steps):
                try:
                    journey.delete_step(self.db, self._steps[row].id)
                except AuditAppError as exc:
                    messages.show_error(self, self.tr("Cannot delete the step"), exc)
        self.refresh()
        self.changed.emit()

    def refresh(self) -> None:
        self._steps = journey.list_steps(self.db, self.visit_id) if self.visit_id else []
        self.steps_table.setRowCount(len(self._steps))
        for row, step in enumerate(self._steps):
            self.steps_table.setItem(row, 0, QTableWidgetItem(self._step_label(step.step)))
            self.steps_table.setItem(row, 1, QTableWidgetItem(_local(step.at, seconds=step.step != "booked")))
            self.steps_table.setItem(row, 2, QTableWidgetItem(step.note))
        done = {s.step for s in self._steps}
        for step, button in self.buttons.items():
            button.setProperty("done", step in done)
            button.setStyleSheet("font-weight: bold;" if step in done else "")
        spans = journey.intervals(self._steps)
        self.intervals_table.setRowCount(len(spans))
        for row, span in enumerate(spans):
            minutes = QTableWidgetItem(self.minutes_text(span))
            minutes.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            target = QTableWidgetItem("" if span.target_minutes is None else f"≤ {span.target_minutes:g}")
            if span.met is not None:
                colour = OK if span.met else OVER
                for cell in (minutes, target):
                    cell.setForeground(QBrush(colour))
                target.setToolTip(span.basis)
                if not span.met:
                    target.setText(target.text() + " ⚠")
            self.intervals_table.setItem(row, 0, QTableWidgetItem(self.interval_label(span, spans)))
            self.intervals_table.setItem(row, 1, minutes)
            self.intervals_table.setItem(row, 2, target)
            self.intervals_table.removeCellWidget(row, 3)
            if span.met is False and self.editable and self.visit_id is not None:
                # One click: the wait becomes a problem citing the clause it breaks.
                button = QPushButton(self.tr("Record as problem"))
                button.setObjectName(f"waitToFinding_{span.first}_{span.second}")
                button.setToolTip(span.basis)
                button.clicked.connect(lambda _=False, a=span.first, b=span.second: self.record_wait(a, b))
                self.intervals_table.setCellWidget(row, 3, button)
        # The button column as wide as its button ("Record as problem" was cut at 1280 px).
        self.intervals_table.resizeColumnToContents(3)
        self._tick()

    def _step_label(self, step: str) -> str:
        known = journey.STEP_LABELS.get(step)
        if known is not None:
            return self._label(step, known)
        return next((s.label for s in self._steps if s.step == step), step)

    def interval_label(self, span: journey.Interval, spans: list[journey.Interval]) -> str:
        """The interval in the window's language (the service words it in Chinese)."""
        text = f"{self._step_label(span.first)} → {self._step_label(span.second)}"
        # journey.intervals ends with the whole visit whenever two real steps exist.
        if span is spans[-1] and len([s for s in self._steps if s.step != "booked"]) >= 2:
            return self.tr("Whole visit (%1)").replace("%1", text)
        return text

    def minutes_text(self, span: journey.Interval) -> str:
        """Whole minutes; a patient seen before the booked time reads "N min early", not "-N"."""
        minutes = round(span.minutes)
        if span.minutes < 0:
            return self.tr("%1 min early").replace("%1", str(abs(minutes)))
        return self.tr("%1 min").replace("%1", str(minutes))

    def record_wait(self, first: str, second: str) -> str | None:
        """Make the wait from ``first`` to ``second`` a problem of the visit (asked twice: the same one)."""
        if self.visit_id is None:
            return None
        try:
            finding = journey.wait_to_finding(self.db, self.visit_id, first, second)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("The wait was not recorded as a problem"), exc)
            return None
        self.findingAdded.emit(finding.id)
        self.changed.emit()
        messages.show_info(
            self,
            self.tr("Recorded as a problem"),
            self.tr("Problem No. %1: %2").replace("%1", str(finding.seq)).replace("%2", finding.statement or finding.text)
            + (f"\n{finding.measured.text()}" if finding.measured else ""),
        )
        return finding.id

    def over_target(self) -> list[journey.Interval]:
        return [s for s in journey.intervals(self._steps) if s.met is False]

    def _tick(self) -> None:
        actual = [s for s in self._steps if s.step != "booked"]
        if not actual or not self.editable:
            self.since_label.setText("")
            return
        last = actual[-1]
        elapsed = (datetime.now(UTC) - last.at).total_seconds()
        if elapsed < 0 or elapsed > 12 * 3600:
            self.since_label.setText("")
            return
        minutes, seconds = divmod(int(elapsed), 60)
        self.since_label.setText(
            self.tr("Since “%1”: %2 min %3 s")
            .replace("%1", self._step_label(last.step))
            .replace("%2", str(minutes))
            .replace("%3", str(seconds))
        )
