"""The AED map beside the plan: every AED of the institution with its last checked status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QFont,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from auditapp.services import floorplans
from auditapp.services.floorplans import FloorPlanInfo, PinInfo
from ui.floorplan_view.pin_style import TOUCH_HEIGHT, aed_status_text, pin_colour
from ui.table_models import RowTableModel


@dataclass(frozen=True)
class AedRow:
    plan: FloorPlanInfo
    pin: PinInfo
    number: int


_Index = QModelIndex | QPersistentModelIndex


class AedMapModel(RowTableModel[AedRow]):
    """Every AED of the institution with its last checked status, one row per pin."""

    NUMBER, PLAN, LABEL, STATUS = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._header_labels = (self.tr("No."), self.tr("Floor plan"), self.tr("Location"), self.tr("Status"))

    def row_of_pin(self, pin_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.pin.id == pin_id), -1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.NUMBER:
                return str(row.number)
            if col == self.PLAN:
                return f"{row.plan.name} {row.plan.floor}".strip()
            if col == self.LABEL:
                return row.pin.label or "—"
            return aed_status_text(row.pin.status)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.STATUS and row.pin.status:
            return QBrush(pin_colour(row.pin))
        if role == Qt.ItemDataRole.FontRole and col == self.STATUS and floorplans.aed_has_problem(row.pin.status):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None


# --------------------------------------------------------------------------- undo



class AedMapBox(QWidget):
    """The AED map: title, a one-line summary, the table; choosing a row names its pin."""

    pinChosen = Signal(str)  # pin id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AedMapModel(self)
        self.table = QTableView()
        self.table.setObjectName("aedTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(TOUCH_HEIGHT)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AedMapModel.LABEL, QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(self._row_chosen)
        self.table.activated.connect(self._row_chosen)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        title = QLabel(self.tr("AED map"))
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        title.setFont(font)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(title)
        box.addWidget(self.summary)
        box.addWidget(self.table, 1)

    def show_rows(self, rows: list[AedRow]) -> None:
        """The AEDs and the summary: how many, how many with a problem, how many unchecked."""
        self.model.set_rows(rows)
        bad = sum(1 for r in rows if floorplans.aed_has_problem(r.pin.status))
        unchecked = sum(1 for r in rows if r.pin.status == "")
        if not rows:
            self.summary.setText(self.tr("No AED placed yet. Choose “AED” and tap the plan where one hangs."))
        else:
            self.summary.setText(
                self.tr("%1 AEDs · %2 with a problem · %3 not checked")
                .replace("%1", str(len(rows)))
                .replace("%2", str(bad))
                .replace("%3", str(unchecked))
            )

    def show_selected(self, pin_id: str | None) -> None:
        """Select the row of ``pin_id`` (None or a pin that is no AED: no row)."""
        row = self.model.row_of_pin(pin_id) if pin_id else -1
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.table.clearSelection()

    def _row_chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self.pinChosen.emit(self.model.row_at(index.row()).pin.id)
