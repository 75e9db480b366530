"""回收站: deleted visits and institutions, and the way back.

A test visit deleted by mistake must not be lost: deletion is a tombstone in the core
(``auditapp.services.trash``), synced like any edit, and this list restores it with
everything that was deleted with it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
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
from auditapp.services import trash
from auditapp.terms import label
from ui import messages


class TrashDialog(QDialog):
    restored = Signal(str)  # id of what came back

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.entries: list[trash.TrashEntry] = []
        self.setWindowTitle(self.tr("Trash"))
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("trashTable")
        self.table.setHorizontalHeaderLabels([self.tr("Kind"), self.tr("What"), self.tr("Institution"), self.tr("Deleted")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.restore_selected())
        self.empty_label = QLabel(self.tr("The trash is empty."))
        self.empty_label.setStyleSheet("color: #6b7280;")
        self.restore_button = QPushButton(self.tr("Restore"))
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setMinimumHeight(40)
        self.restore_button.clicked.connect(self.restore_selected)
        note = QLabel(self.tr("Deleted visits and institutions leave every list and report. "
                              "Restoring brings back everything deleted with them."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.empty_label, 1)
        row.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.resize(760, 420)
        self.refresh()

    def refresh(self) -> None:
        self.entries = trash.list_trash(self.db)
        self.table.setRowCount(len(self.entries))
        kinds = {"visit": self.tr("Visit"), "institution": self.tr("Institution")}
        for r, entry in enumerate(self.entries):
            what = entry.label
            if entry.kind == "visit" and entry.detail:
                what += f" · {entry.detail}"
            cells = (kinds.get(entry.kind, label("record", entry.kind)), what, entry.institution_name,
                     entry.deleted_at.astimezone().strftime("%Y-%m-%d %H:%M"))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, entry.id)
                self.table.setItem(r, c, item)
        self.empty_label.setVisible(not self.entries)
        if self.entries:
            self.table.selectRow(0)
        self._update_buttons()

    def selected_entry(self) -> trash.TrashEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected_entry() is not None)

    def restore_selected(self) -> trash.TrashEntry | None:
        entry = self.selected_entry()
        if entry is None:
            return None
        try:
            back = trash.restore(self.db, entry.id)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Cannot restore"), exc)
            return None
        self.refresh()
        self.restored.emit(back.id)
        return back
