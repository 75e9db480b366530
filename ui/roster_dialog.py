"""The leadership roster of an institution (add, edit, take off) and a plan entry for one leader and month."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from auditapp.db import Database
from auditapp.db.models import LEADER_ROLES
from auditapp.errors import AuditAppError
from auditapp.services import leaders
from auditapp.services.leaders import LeaderInfo
from auditapp.stats.duty import DutyCell
from auditapp.terms import label
from ui import messages

if TYPE_CHECKING:
    from auditapp.checklists import Library



def _form_with_save(dialog: QDialog, form: QFormLayout) -> None:
    """Lay out ``form`` above Save and Cancel, which accept or reject ``dialog``."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(buttons)

class _OptionalDate(QWidget):
    """A date that may be left open (in office since always / still in office)."""

    def __init__(self, text: str, value: Any = None) -> None:
        super().__init__()
        self.check = QCheckBox(text)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setDate(QDate.currentDate() if value is None else QDate(value.year, value.month, value.day))
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.check.toggled.connect(self.edit.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.check)
        row.addWidget(self.edit, 1)

    def value(self) -> Any:
        return self.edit.date().toPython() if self.check.isChecked() else None


class LeaderDialog(QDialog):
    """Name, role and time in office of one leader."""

    def __init__(self, db: Database, institution_id: str, leader: LeaderInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.institution_id = institution_id
        self.leader = leader
        self.result_info: LeaderInfo | None = None
        self.setWindowTitle(self.tr("Leader") if leader else self.tr("New leader"))
        self.name_edit = QLineEdit(leader.name if leader else "")
        self.name_edit.setObjectName("leaderName")
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("leaderRole")
        for role in LEADER_ROLES:
            self.role_combo.addItem(label("leader_role", role), role)
        if leader:
            self.role_combo.setCurrentIndex(max(self.role_combo.findData(leader.role), 0))
        self.from_edit = _OptionalDate(self.tr("from"), leader.active_from if leader else None)
        self.to_edit = _OptionalDate(self.tr("until"), leader.active_to if leader else None)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Role"), self.role_combo)
        form.addRow(self.tr("In office"), self.from_edit)
        form.addRow("", self.to_edit)
        _form_with_save(self, form)

    def accept(self) -> None:
        try:
            if self.leader is None:
                self.result_info = leaders.add_leader(
                    self.db, institution=self.institution_id, name=self.name_edit.text(),
                    role=self.role_combo.currentData(), active_from=self.from_edit.value(), active_to=self.to_edit.value())
            else:
                self.result_info = leaders.update_leader(
                    self.db, self.leader.id, name=self.name_edit.text(), role=self.role_combo.currentData(),
                    active_from=self.from_edit.value(), active_to=self.to_edit.value())
        except AuditAppError as exc:
            messages.show_error(self, self.windowTitle(), exc)
            return
        super().accept()


class RosterDialog(QDialog):
    """The leadership team (领导班子) of one institution."""

    def __init__(self, db: Database, institution_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.institution_id = institution_id
        self.setWindowTitle(self.tr("Leadership roster"))
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("rosterTable")
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role"), self.tr("In office")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        add = QPushButton(self.tr("Add…"))
        add.setObjectName("addLeader")
        add.clicked.connect(self.add)
        edit = QPushButton(self.tr("Edit…"))
        edit.clicked.connect(self.edit)
        remove = QPushButton(self.tr("Take off the roster"))
        remove.clicked.connect(self.remove)
        row = QHBoxLayout()
        for button in (add, edit, remove):
            row.addWidget(button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        note = QLabel(self.tr("A leader who left office keeps the months served: set the end date rather than taking them off."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.resize(640, 420)
        self.rows: list[LeaderInfo] = []
        self.refresh()

    def refresh(self) -> None:
        self.rows = leaders.list_leaders(self.db, institution=self.institution_id)
        self.table.setRowCount(len(self.rows))
        still = self.tr("in office")
        for n, r in enumerate(self.rows):
            span = f"{r.active_from or ''} — {r.active_to or still}"
            for c, text in enumerate([r.name, label("leader_role", r.role), span]):
                self.table.setItem(n, c, QTableWidgetItem(text))

    def current(self) -> LeaderInfo | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def add(self) -> None:
        if LeaderDialog(self.db, self.institution_id, None, self).exec():
            self.refresh()

    def edit(self) -> None:
        leader = self.current()
        if leader is not None and LeaderDialog(self.db, self.institution_id, leader, self).exec():
            self.refresh()

    def remove(self) -> None:
        leader = self.current()
        if leader is None:
            return
        try:
            leaders.remove_leader(self.db, leader.id)
        except AuditAppError as exc:
            messages.show_error(self, self.windowTitle(), exc)
        self.refresh()


class PlanDialog(QDialog):
    """Which routes one leader walks in one month."""

    def __init__(self, db: Database, cell: DutyCell, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.cell = cell
        self.library = library
        self.setWindowTitle(self.tr("Plan for %1, %2").replace("%1", cell.leader).replace("%2", cell.month))
        self.setMinimumWidth(460)
        self.boxes: dict[str, QCheckBox] = {}
        area_layout = QVBoxLayout()
        for checklist in leaders.walkable_routes(library):
            box = QCheckBox(checklist.title)
            box.setChecked(checklist.id in cell.planned_areas)
            self.boxes[checklist.id] = box
            area_layout.addWidget(box)
        self.note_edit = QLineEdit(cell.plan_note)
        self.note_edit.setObjectName("planNote")
        form = QFormLayout()
        form.addRow(self.tr("Routes"), area_layout)
        form.addRow(self.tr("Route in words"), self.note_edit)
        _form_with_save(self, form)

    def accept(self) -> None:
        areas = [cid for cid, box in self.boxes.items() if box.isChecked()]
        try:
            if not areas and not self.note_edit.text().strip() and self.cell.planned_areas:
                leaders.delete_plan(self.db, institution=self.cell.institution_id, leader=self.cell.leader_id,
                                    month=self.cell.month)
            else:
                leaders.set_plan(self.db, institution=self.cell.institution_id, leader=self.cell.leader_id,
                                 month=self.cell.month, areas=areas, note=self.note_edit.text(), library=self.library)
        except AuditAppError as exc:
            messages.show_error(self, self.windowTitle(), exc)
            return
        super().accept()


def attach_roster_completer(edit: QLineEdit, db: Database, institution_id: str) -> None:
    """Offer the roster's names in the inspector field; a name picked links the visit to that leader."""
    from PySide6.QtWidgets import QCompleter

    names = [r.name for r in leaders.list_leaders(db, institution=institution_id)]
    if names:
        completer = QCompleter(names, edit)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        edit.setCompleter(completer)
        edit.setPlaceholderText("、".join(names))
