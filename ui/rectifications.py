"""Rectifications (整改): who fixes which finding by when, with status history and after-photos.

Every edit is saved the moment it is made (the service commits); there is no Save
button to forget. A status change always goes through ``update_rectification`` so it
leaves a history event, which the follow-up report prints.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from auditapp.db import Database
from auditapp.errors import AuditAppError, StaleEditError
from auditapp.progress import CancelToken, Progress
from auditapp.rules import rectification as lifecycle
from auditapp.services import institutions, visits
from auditapp.services.photos import PhotoInfo, add_photos
from auditapp.services.rectifications import (
    UNVERIFIED,
    ActionInfo,
    RectificationEventInfo,
    RectificationRow,
    after_photo_thumbnails,
    allowed_actions,
    apply_action,
    list_rectifications,
    rectification_history,
    update_rectification,
)
from auditapp.services.visits import RectificationInfo
from auditapp.terms import label
from ui import messages
from ui.deadline_edit import DeadlineEdit, ask_deadline
from ui.table_models import RowTableModel
from ui.window_state import remember_splitter
from ui.workers import Op, run_op, running_ops

TOUCH_HEIGHT = 40
STATUS_ORDER = lifecycle.STATUSES
STATUS_TEXT = {
    "open": QT_TRANSLATE_NOOP("RectificationsWidget", "Open"),
    "in_progress": QT_TRANSLATE_NOOP("RectificationsWidget", "In progress"),
    "reported_fixed": QT_TRANSLATE_NOOP("RectificationsWidget", "Reported fixed"),
    "extension_requested": QT_TRANSLATE_NOOP("RectificationsWidget", "Extension requested"),
    "verified": QT_TRANSLATE_NOOP("RectificationsWidget", "Verified"),
    "closed": QT_TRANSLATE_NOOP("RectificationsWidget", "Closed"),
    "reopened": QT_TRANSLATE_NOOP("RectificationsWidget", "Reopened"),
}
assert set(STATUS_ORDER) <= set(STATUS_TEXT)

OVERDUE_RED = QColor("#b91c1c")
OVERDUE_BACKGROUND = QColor("#fde8e8")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
THUMB = 96

W = TypeVar("W", bound=QWidget)
_Index = QModelIndex | QPersistentModelIndex


def status_text(status: str) -> str:
    return QCoreApplication.translate("RectificationsWidget", str(STATUS_TEXT.get(status, status)))


def action_text(action: str) -> str:
    """A lifecycle step as a button says it: 开始整改 / "Start" (the vocabulary writes it lower-case)."""
    text = label("rectification_action", action)
    return text[:1].upper() + text[1:]


def _touch(widget: W) -> W:
    widget.setMinimumHeight(TOUCH_HEIGHT)
    return widget


def choose_photo_files(parent: QWidget | None) -> list[Path]:
    """Ask for after-photos; one function so tests and a shared dialog helper can replace it."""
    return messages.choose_open_files(
        parent,
        QCoreApplication.translate("RectificationsWidget", "Add after-photos"),
        QCoreApplication.translate("RectificationsWidget", "Photos (*.jpg *.jpeg *.png *.heic *.heif *.webp *.bmp *.tif *.tiff)"),
        key="photos",
    )


class RectificationTableModel(RowTableModel[RectificationRow]):
    """Findings with their rectification, one row each; sortable through ``SORT_ROLE``."""

    NUMBER, VISIT, AREA, TEXT, DEPARTMENT, OWNER, DEADLINE, STATUS, OVERDUE = range(9)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._header_labels = (
            self.tr("No."),
            self.tr("Visit"),
            self.tr("Area"),
            self.tr("Problem"),
            self.tr("Department"),
            self.tr("Owner"),
            self.tr("Deadline"),
            self.tr("Status"),
            self.tr("Overdue"),
        )

    def row_of_finding(self, finding_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.finding.id == finding_id), -1)

    def replace_rectification(self, finding_id: str, info: RectificationInfo) -> None:
        """Show a saved edit in place, without a reset that would move the selection."""
        row = self.row_of_finding(finding_id)
        if row < 0:
            return
        self._rows[row] = replace(self._rows[row], rectification=info)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row, col = self._rows[index.row()], index.column()
        rect = row.rectification
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == SORT_ROLE:
            return self._sort_key(row, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.TEXT:
            return row.finding.text
        if role == Qt.ItemDataRole.ForegroundRole and rect.overdue and col in (self.DEADLINE, self.OVERDUE):
            return QBrush(OVERDUE_RED)
        if role == Qt.ItemDataRole.BackgroundRole and rect.overdue:
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.FontRole and rect.overdue and col in (self.DEADLINE, self.OVERDUE):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.NUMBER, self.OVERDUE):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def _display(self, row: RectificationRow, col: int) -> str:
        f, rect = row.finding, row.rectification
        if col == self.NUMBER:
            return str(f.seq)
        if col == self.VISIT:
            return row.visit_date.isoformat()
        if col == self.AREA:
            # Carried over from an earlier visit to be re-checked now (逐条整改，跟踪问效).
            return self.tr("[Re-check] ") + f.area if f.carried_from_id else f.area
        if col == self.TEXT:
            return " — ".join(part.strip() for part in f.text.splitlines() if part.strip())
        if col == self.DEPARTMENT:
            return rect.department
        if col == self.OWNER:
            return rect.owner
        if col == self.DEADLINE:
            return rect.deadline.isoformat() if rect.deadline else ""
        if col == self.STATUS:
            return status_text(rect.status)
        return self.tr("Overdue") if rect.overdue else ""

    def _sort_key(self, row: RectificationRow, col: int) -> Any:
        rect = row.rectification
        if col == self.NUMBER:
            return f"{row.visit_date.isoformat()}-{row.finding.seq:06d}"
        if col == self.DEADLINE:
            return rect.deadline.isoformat() if rect.deadline else "9999-99-99"
        if col == self.STATUS:
            return STATUS_ORDER.index(rect.status) if rect.status in STATUS_ORDER else 99
        if col == self.OVERDUE:
            return 0 if rect.overdue else 1
        return self._display(row, col)


class RectificationsWidget(QWidget):
    """The rectification list of a visit, an institution or everything, with an edit panel."""

    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.institution_id: str | None = None
        self.visit_id: str | None = None
        self._loading = False
        self._thumb_token = 0
        self._institution_of_visit: dict[str, str] = {}
        self._visit_in_progress: dict[str, bool] = {}
        # Set by the visit runner while a finalized visit is being amended (修改（需说明原因）).
        self.amendment_reason: str | None = None
        self._deleted_finding: str | None = None  # the free problem "Undo delete" brings back
        self._all_rows: list[RectificationRow] = []
        # The row the edit panel shows: edits are saved to it even when they are
        # flushed after the table selection already moved to another row.
        self._shown: RectificationRow | None = None

        self.model = RectificationTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("rectificationTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(RectificationTableModel.NUMBER, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(TOUCH_HEIGHT + 4)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RectificationTableModel.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(RectificationTableModel.AREA, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(RectificationTableModel.AREA, 120)
        # The problem text is what people read: fixed widths elsewhere leave it the room.
        # With the edit panel beside it at 1280 px, every pixel elsewhere is the problem's.
        for column, width in (
            (RectificationTableModel.DEPARTMENT, 84),
            (RectificationTableModel.OWNER, 56),
            (RectificationTableModel.OVERDUE, 52),
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        header.setMinimumSectionSize(40)
        header.resizeSection(RectificationTableModel.AREA, 92)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        filters = self._build_filters()
        editor = self._build_editor()
        # Outside the edit panel, which is disabled once the deleted row is gone.
        filters.addWidget(self.undo_delete_button)
        scroll = QScrollArea()
        scroll.setWidget(editor)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Wide enough for the deadline field and two action buttons side by side at 1280 px.
        scroll.setMinimumWidth(380)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([900, 380])
        splitter.setObjectName("rectificationsSplitter")
        self.splitter = splitter
        remember_splitter(splitter, "rectifications")
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        from ui.ledger_dialogs import add_ledger_buttons  # ledger export/import and the notice

        office_row = QHBoxLayout()
        office_row.addStretch(1)
        self.ledger_buttons = add_ledger_buttons(
            office_row, self, lambda: (self.institution_id, self.visit_id, self.department_filter.currentData() or None),
            lambda: self.db, lambda: (self.refresh(), self.changed.emit()),
            selected_visit=lambda: (row.visit_id if (row := self.current_row()) else None))
        layout.addLayout(office_row)
        layout.addWidget(splitter, 1)
        self._show_row(None)

    # ----------------------------------------------------------------- building

    def _build_filters(self) -> QHBoxLayout:
        self.status_filter = _touch(QComboBox())
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(self.tr("All statuses"), "")
        self.status_filter.addItem(self.tr("Not yet verified"), UNVERIFIED)
        for status in STATUS_ORDER:
            self.status_filter.addItem(status_text(status), status)
        self.department_filter = _touch(QComboBox())
        self.department_filter.setObjectName("departmentFilter")
        self.department_filter.setMinimumWidth(150)
        self.overdue_filter = _touch(QCheckBox(self.tr("Overdue only")))
        self.search_edit = _touch(QLineEdit())
        self.search_edit.setPlaceholderText(self.tr("Search problem, area, department, owner…"))
        self.search_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.apply_filters)
        self.status_filter.currentIndexChanged.connect(self.refresh)
        self.department_filter.currentIndexChanged.connect(self.refresh)
        self.overdue_filter.toggled.connect(self.refresh)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Status:")))
        bar.addWidget(self.status_filter)
        bar.addWidget(QLabel(self.tr("Department:")))
        bar.addWidget(self.department_filter)
        bar.addWidget(self.overdue_filter)
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(self.count_label)
        return bar

    def _build_editor(self) -> QWidget:
        """The right-hand side: the problem, its rectification's fields and steps, history and photos."""
        self.editor = QWidget()
        self.editor.setObjectName("rectificationEditor")
        self._build_heading()
        self._build_fields()
        self._build_status_and_steps()
        self._build_finding_buttons()
        self._build_notices()
        self._build_history_and_photos()
        finding_row = QHBoxLayout()
        finding_row.addWidget(self.edit_finding_button)
        finding_row.addWidget(self.delete_finding_button)
        finding_row.addStretch(1)
        layout = QVBoxLayout(self.editor)
        layout.addWidget(self.title_label)
        layout.addWidget(self.text_label)
        layout.addLayout(finding_row)
        layout.addLayout(self._fields_form())
        layout.addWidget(self.saved_label)
        layout.addWidget(self.stale_label)
        layout.addWidget(self._lower_tabs(), 1)
        return self.editor

    def _build_heading(self) -> None:
        """The problem's number and statement, selectable for copying."""
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.text_label = QLabel()
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)


    def _build_fields(self) -> None:
        """Department, owner, deadline and measures: each saved when it is left (measures after a pause)."""
        self.department_combo = _touch(QComboBox())
        self.department_combo.setEditable(True)
        self.department_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        department_line = self.department_combo.lineEdit()
        assert department_line is not None  # the combo is editable
        department_line.setPlaceholderText(self.tr("Responsible department"))
        self.department_combo.activated.connect(lambda _i: self._save_department())
        department_line.editingFinished.connect(self._save_department)

        self.owner_edit = _touch(QLineEdit())
        self.owner_edit.setPlaceholderText(self.tr("Person responsible"))
        self.owner_edit.editingFinished.connect(self._save_owner)

        # Typed (2026-12-20, 2026/12/20), picked, or today + 7 / 15 / 30 days.
        self.deadline_edit = DeadlineEdit()
        self.deadline_edit.setObjectName("deadlineEdit")
        self.deadline_edit.edited.connect(self._save_deadline)

        self.measures_edit = QPlainTextEdit()
        self.measures_edit.setPlaceholderText(self.tr("What will be done to fix it"))
        self.measures_edit.setFixedHeight(96)
        self.measures_edit.setTabChangesFocus(True)
        self._measures_timer = QTimer(self)
        self._measures_timer.setSingleShot(True)
        self._measures_timer.setInterval(1200)
        self._measures_timer.timeout.connect(self._save_measures)
        self.measures_edit.textChanged.connect(lambda: None if self._loading else self._measures_timer.start())
        self.measures_edit.installEventFilter(self)


    def _build_status_and_steps(self) -> None:
        """The status (shown, not picked), the note for the next step and the step buttons."""
        self.note_edit = _touch(QLineEdit())
        self.note_edit.setObjectName("actionNote")
        self.note_edit.setPlaceholderText(self.tr("Note or reason for the next step"))
        # The status is shown, not picked: only the steps the lifecycle allows from it are
        # offered, as buttons, and the core says why when one is refused.
        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        sfont = self.status_label.font()
        sfont.setBold(True)
        self.status_label.setFont(sfont)
        self.actions_box = QWidget()
        self.actions_box.setObjectName("actionButtons")
        self.actions_layout = QGridLayout(self.actions_box)
        self.actions_layout.setContentsMargins(0, 0, 0, 0)
        self.actions_layout.setSpacing(4)
        self.action_buttons: dict[str, QPushButton] = {}


    def _build_finding_buttons(self) -> None:
        # A free problem (其他问题, a timed wait, an AED) is corrected or withdrawn here;
        # a checklist problem changes through its answer.
        self.edit_finding_button = _touch(QPushButton(self.tr("Edit problem…")))
        self.edit_finding_button.setObjectName("editFinding")
        self.edit_finding_button.clicked.connect(self.edit_current_finding)
        self.delete_finding_button = _touch(QPushButton(self.tr("Delete problem…")))
        self.delete_finding_button.setObjectName("deleteFinding")
        self.delete_finding_button.clicked.connect(self.delete_current_finding)
        self.undo_delete_button = _touch(QPushButton(self.tr("Undo delete")))
        self.undo_delete_button.setObjectName("undoDeleteFinding")
        self.undo_delete_button.clicked.connect(self.undo_delete_finding)
        self.undo_delete_button.hide()


    def _build_notices(self) -> None:
        """"Saved" and the warning that another window changed the rectification."""
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet("color: #15803d;")
        self.stale_label = QLabel()
        self.stale_label.setObjectName("rectificationStaleLabel")
        self.stale_label.setWordWrap(True)
        self.stale_label.setStyleSheet("background: #fff7d6; border: 1px solid #e0b100; padding: 4px; color: #5c4400;")
        self.stale_label.hide()


    def _build_history_and_photos(self) -> None:
        self.history_list = QListWidget()
        self.history_list.setObjectName("historyList")
        self.history_list.setMinimumHeight(100)
        self.history_list.setWordWrap(True)

        self.add_photo_button = _touch(QPushButton(self.tr("Add after-photos…")))
        self.add_photo_button.clicked.connect(self.choose_and_add_after_photos)
        self.photo_list = QListWidget()
        self.photo_list.setObjectName("afterPhotoList")
        self.photo_list.setViewMode(QListView.ViewMode.IconMode)
        self.photo_list.setIconSize(QSize(THUMB, THUMB))
        self.photo_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.photo_list.setMovement(QListView.Movement.Static)
        self.photo_list.setFixedHeight(THUMB + 44)
        self.photo_empty = QLabel(self.tr("No after-photo yet."))
        self.photo_empty.setStyleSheet("color: #6b7280;")


    def _fields_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.addRow(self.tr("Department:"), self.department_combo)
        form.addRow(self.tr("Owner:"), self.owner_edit)
        form.addRow(self.tr("Deadline:"), self.deadline_edit)
        form.addRow(self.tr("Measures:"), self.measures_edit)
        form.addRow(self.tr("Status:"), self.status_label)
        form.addRow(self.tr("Note:"), self.note_edit)
        form.addRow("", self.actions_box)
        return form


    def _lower_tabs(self) -> QTabWidget:
        # History and after-photos share one tabbed area so both fit on a 13-inch screen.
        photos_page = QWidget()
        photos_layout = QVBoxLayout(photos_page)
        photos_head = QHBoxLayout()
        photos_head.addWidget(self.photo_empty, 1)
        photos_head.addWidget(self.add_photo_button)
        photos_layout.addLayout(photos_head)
        photos_layout.addWidget(self.photo_list)
        from ui.photos.strip import PhotoStrip

        # The problem's own photos: a free problem's, or the item's for a checklist problem.
        self.problem_photos = PhotoStrip(self.db)
        self.problem_photos.setObjectName("problemPhotos")
        self.problem_photos.photosChanged.connect(self.changed.emit)
        self.lower_tabs = QTabWidget()
        self.lower_tabs.addTab(self.history_list, self.tr("History"))
        self.lower_tabs.addTab(photos_page, self.tr("After-photos"))
        self.lower_tabs.addTab(self.problem_photos, self.tr("Problem photos"))
        return self.lower_tabs

    # ----------------------------------------------------------------- scope and filters

    def set_scope(self, institution_id: str | None = None, visit_id: str | None = None) -> None:
        """Show one visit's, one institution's or (both None) every rectification."""
        self.institution_id = institution_id
        self.visit_id = visit_id
        if visit_id and not institution_id:
            self.institution_id = visits.get_visit(self.db, visit_id).institution_id
        self.table.setColumnHidden(RectificationTableModel.VISIT, visit_id is not None)
        self._fill_department_filter()
        self.refresh()

    def _fill_department_filter(self) -> None:
        keep = self.department_filter.currentData()
        # Every department that can appear, not only those of the rows the filter leaves.
        if self.institution_id:
            names = {d.name for d in institutions.list_departments(self.db, self.institution_id)}
        else:
            names = {r.rectification.department for r in list_rectifications(self.db) if r.rectification.department}
        self.department_filter.blockSignals(True)
        self.department_filter.clear()
        self.department_filter.addItem(self.tr("All departments"), None)
        self.department_filter.addItem(self.tr("(No department)"), "")
        for name in sorted(names):
            self.department_filter.addItem(name, name)
        index = self.department_filter.findData(keep) if keep is not None else 0
        self.department_filter.setCurrentIndex(max(index, 0))
        self.department_filter.blockSignals(False)

    def refresh(self) -> None:
        """Reload from the database with the status, department and overdue filters."""
        status = str(self.status_filter.currentData() or "")
        department = self.department_filter.currentData()
        self._all_rows = list_rectifications(
            self.db,
            institution=self.institution_id if not self.visit_id else None,
            visit=self.visit_id,
            status=status or None,
            department=department,  # None: any; "": none given
            overdue_only=self.overdue_filter.isChecked(),
        )
        self.apply_filters()

    def apply_filters(self) -> None:
        """The free-text search, applied to the rows already loaded."""
        selected = self.current_finding_id()
        needle = self.search_edit.text().strip().casefold()
        rows = self._all_rows
        if needle:
            rows = [r for r in rows if needle in self._search_text(r)]
        self.model.set_rows(rows)
        total = len(self._all_rows)
        self.count_label.setText(
            self.tr("%1 of %2").replace("%1", str(len(rows))).replace("%2", str(total))
            if needle
            else self.tr("%1 items").replace("%1", str(total))
        )
        if selected is not None:
            self.select_finding(selected)
        if self.current_finding_id() is None:
            self._show_row(None)

    @staticmethod
    def _search_text(row: RectificationRow) -> str:
        f, rect = row.finding, row.rectification
        return f"{f.text} {f.area} {rect.department} {rect.owner} {rect.measures}".casefold()

    # ----------------------------------------------------------------- selection

    def row_count(self) -> int:
        return self.proxy.rowCount()

    def current_row(self) -> RectificationRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        source = self.proxy.mapToSource(rows[0])
        return self.model.row_at(source.row()) if source.isValid() else None

    def current_finding_id(self) -> str | None:
        row = self.current_row()
        return row.finding.id if row else None

    def select_finding(self, finding_id: str) -> bool:
        row = self.model.row_of_finding(finding_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._flush_measures()
        self._show_row(self.current_row())

    def _institution_for(self, row: RectificationRow) -> str:
        if self.institution_id:
            return self.institution_id
        if row.visit_id not in self._institution_of_visit:
            self._institution_of_visit[row.visit_id] = visits.get_visit(self.db, row.visit_id).institution_id
        return self._institution_of_visit[row.visit_id]

    def _show_row(self, row: RectificationRow | None) -> None:
        """Fill the edit panel without saving anything back."""
        self._loading = True
        self._shown = row
        try:
            self.editor.setEnabled(row is not None)
            self.saved_label.clear()
            self.stale_label.hide()
            self.note_edit.clear()
            if row is None:
                self.title_label.setText(self.tr("Select a problem in the list to edit its rectification."))
                self.text_label.clear()
                self.department_combo.setEditText("")
                self.owner_edit.clear()
                self.deadline_edit.set_date(None)
                self.measures_edit.setPlainText("")
                self.history_list.clear()
                self.photo_list.clear()
                self.status_label.clear()
                self._show_actions(None)
                self.edit_finding_button.hide()
                self.delete_finding_button.hide()
                self.problem_photos.set_target(None)
                return
            f, rect = row.finding, row.rectification
            title = self.tr("No. %1").replace("%1", str(f.seq))
            if f.area:
                title += f" · {f.area}"
            if not self.visit_id:
                title += f" · {row.visit_date.isoformat()}"
            self.title_label.setText(title)
            self.text_label.setText(f.text)
            self.department_combo.clear()
            for dept in institutions.list_departments(self.db, self._institution_for(row)):
                self.department_combo.addItem(dept.name)
            self.department_combo.setCurrentIndex(self.department_combo.findText(rect.department))
            self.department_combo.setEditText(rect.department)
            self.owner_edit.setText(rect.owner)
            self.deadline_edit.set_date(rect.deadline)
            self.measures_edit.setPlainText(rect.measures)
            self._show_status(rect.status)
            self._show_actions(row)
            free = self.is_free_finding(row)
            for button in (self.edit_finding_button, self.delete_finding_button):
                button.setVisible(free)
                button.setEnabled(self._can_change_finding(row))
            in_progress = self._in_progress(row)
            if free:
                self.problem_photos.set_target(row.visit_id, finding_id=f.id, editable=in_progress)
            elif f.item_id:
                self.problem_photos.set_target(row.visit_id, item_id=f.item_id, editable=in_progress)
            else:
                self.problem_photos.set_target(None)
            self._load_history(f.id)
            self._load_thumbnails(f.id)
        finally:
            self._loading = False

    def _show_status(self, status: str) -> None:
        self.status_label.setText(status_text(lifecycle.normalise_status(status)))

    def _show_actions(self, row: RectificationRow | None) -> None:
        """One button per step the lifecycle allows now (from the core, never guessed here)."""
        for button in self.action_buttons.values():
            self.actions_layout.removeWidget(button)
            button.deleteLater()
        self.action_buttons = {}
        if row is None:
            return
        for n, action in enumerate(allowed_actions(self.db, row.finding.id)):
            button = _touch(QPushButton(action_text(action.name)))
            button.setObjectName(f"action_{action.name}")
            button.setToolTip(self._needs_text(action))
            button.clicked.connect(lambda _=False, a=action: self.take_action(a))
            self.actions_layout.addWidget(button, n // 2, n % 2)
            self.action_buttons[action.name] = button

    def _needs_text(self, action: ActionInfo) -> str:
        words = {
            "measures": self.tr("the measures taken"),
            "evidence": self.tr("an after-photo or a verification note"),
            "reason": self.tr("a reason (in the note)"),
            "new_deadline": self.tr("the new deadline"),
        }
        if not action.needs:
            return ""
        return self.tr("Needs %1").replace("%1", "、".join(words.get(n, n) for n in action.needs))

    def _load_history(self, finding_id: str) -> None:
        self.history_list.clear()
        for event in reversed(rectification_history(self.db, finding_id)):
            self.history_list.addItem(self._history_text(event))

    def _history_text(self, event: RectificationEventInfo) -> str:
        when = event.at.astimezone().strftime("%Y-%m-%d %H:%M")
        change = status_text(event.status_to)
        if event.status_from:
            change = f"{status_text(event.status_from)} → {change}"
        text = f"{when}  {change}"
        if event.action and event.action not in ("create",):
            text += f"  · {label('rectification_action', event.action)}"
        if event.deadline:
            text += "  " + self.tr("(deadline %1)").replace("%1", event.deadline.isoformat())
        if event.actor:
            text += f"  ({event.actor})"
        if event.note:
            text += f"\n    {event.note}"
        return text

    # ----------------------------------------------------------------- saving

    def _save(self, **changes: Any) -> RectificationInfo | None:
        """One immediate write through the service; the row and the "saved" hint follow."""
        row = self._shown
        if row is None or self._loading:
            return None
        try:
            info = update_rectification(
                self.db, row.finding.id, expected_updated_at=row.rectification.updated_at, **changes
            )
        except StaleEditError as exc:
            self._stale_edit(row, exc)
            return None
        except AuditAppError as exc:
            messages.show_error(self, self.tr("The change was not saved"), exc)
            self._show_row(self.current_row())
            return None
        self._shown = replace(row, rectification=info)
        self.model.replace_rectification(row.finding.id, info)
        self.saved_label.setText(self.tr("Saved at %1").replace("%1", datetime.now().strftime("%H:%M:%S")))
        self.changed.emit()
        return info

    def _stale_edit(self, row: RectificationRow, exc: StaleEditError) -> None:
        """The rectification changed elsewhere since it was shown: load the newer one, keep
        what the user typed (measures, owner, status note) in its fields, overwrite nothing."""
        typed_measures = self.measures_edit.toPlainText()
        typed_owner = self.owner_edit.text()
        typed_note = self.note_edit.text()
        self._measures_timer.stop()
        self.refresh()
        self.select_finding(row.finding.id)
        fresh = self._shown
        if fresh is not None and fresh.finding.id == row.finding.id:
            self._loading = True
            try:
                if typed_measures.strip() != fresh.rectification.measures and typed_measures.strip() != row.rectification.measures:
                    self.measures_edit.setPlainText(typed_measures)
                if typed_owner.strip() != fresh.rectification.owner and typed_owner.strip() != row.rectification.owner:
                    self.owner_edit.setText(typed_owner)
                self.note_edit.setText(typed_note)
            finally:
                self._loading = False
            self.stale_label.setText(
                self.tr("Changed elsewhere after you opened it; the newer version is shown. "
                        "What you typed is kept in the fields: check it and save it again.")
            )
            self.stale_label.show()
        hint = messages.gui_hint(exc)
        kept = self.tr("The newer version is now shown. Nothing you typed is lost: check it and change it again if needed.")
        messages.show_warning(self, self.tr("Changed elsewhere"), exc.message(), f"{hint}\n{kept}" if hint else kept)

    def _save_department(self) -> None:
        row = self._shown
        name = self.department_combo.currentText().strip()
        if row is None or self._loading or name == row.rectification.department:
            return
        if self._save(department=name) is not None and name:
            self._fill_department_filter()

    def _save_owner(self) -> None:
        row = self._shown
        owner = self.owner_edit.text().strip()
        if row is not None and owner != row.rectification.owner:
            self._save(owner=owner)

    def _save_deadline(self, new: date | None) -> None:
        row = self._shown
        if row is None or self._loading or new == row.rectification.deadline:
            return
        if new is None:
            self._save(clear_deadline=True)
        else:
            self._save(deadline=new)

    def _save_measures(self) -> None:
        row = self._shown
        text = self.measures_edit.toPlainText().strip()
        if row is not None and text != row.rectification.measures:
            self._save(measures=text)

    def _flush_measures(self) -> None:
        """Save typed measures before the selection moves on, so nothing is lost."""
        if self._measures_timer.isActive():
            self._measures_timer.stop()
            self._save_measures()

    def take_action(self, action: ActionInfo) -> RectificationInfo | None:
        """Take one lifecycle step; ask only for what the step needs and the fields lack."""
        self._flush_measures()
        row = self._shown
        if row is None:
            return None
        title = action_text(action.name)
        note = self.note_edit.text().strip()
        if "reason" in action.needs and not note:
            asked = messages.ask_text(self, title, self.tr("Reason (required):"))
            if asked is None or not asked.strip():
                return None
            note = asked.strip()
        if "evidence" in action.needs and not note and row.rectification.after_photo_count == 0:
            asked = messages.ask_text(
                self, title, self.tr("What did you see when checking the fix? (Or add an after-photo first.)")
            )
            if asked is None:
                return None
            note = asked.strip()
        new_deadline: date | None = None
        if "new_deadline" in action.needs:
            new_deadline = ask_deadline(self, title, row.rectification.deadline)
            if new_deadline is None:
                return None
        row = self._shown or row  # a flushed measures edit gave it a new version
        try:
            info = apply_action(
                self.db,
                row.finding.id,
                action.name,
                note=note,
                new_deadline=new_deadline,
                measures=self.measures_edit.toPlainText() if "measures" in action.needs else None,
                expected_updated_at=row.rectification.updated_at,
            )
        except StaleEditError as exc:
            self._stale_edit(row, exc)
            return None
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Not done: %1").replace("%1", title), exc)
            return None
        self._shown = replace(row, rectification=info)
        self.model.replace_rectification(row.finding.id, info)
        self.note_edit.clear()
        self._show_status(info.status)
        self._show_actions(self._shown)
        self._load_history(row.finding.id)
        self.saved_label.setText(self.tr("Saved at %1").replace("%1", datetime.now().strftime("%H:%M:%S")))
        self.changed.emit()
        return info

    # ----------------------------------------------------------------- free problems

    @staticmethod
    def is_free_finding(row: RectificationRow) -> bool:
        """Not from an answer and not a carried-over copy: corrected or withdrawn here."""
        return row.finding.source not in ("checklist", "carried") and row.finding.carried_from_id is None

    def _in_progress(self, row: RectificationRow) -> bool:
        if row.visit_id not in self._visit_in_progress:
            self._visit_in_progress[row.visit_id] = visits.get_visit(self.db, row.visit_id).status != "finalized"
        return self._visit_in_progress[row.visit_id]

    def _can_change_finding(self, row: RectificationRow) -> bool:
        return self._in_progress(row) or (self.amendment_reason is not None and row.visit_id == self.visit_id)

    def _amend_kwargs(self, row: RectificationRow) -> dict[str, Any]:
        if not self._in_progress(row) and self.amendment_reason:
            return {"amend": True, "reason": self.amendment_reason}
        return {}

    def edit_current_finding(self) -> bool:
        from ui.dialogs import FreeFindingDialog

        row = self._shown
        if row is None or not self.is_free_finding(row):
            return False
        names = [d.name for d in institutions.list_departments(self.db, self._institution_for(row))]
        dialog = FreeFindingDialog(
            self.db, row.visit_id, names, self, finding=row.finding,
            amendment_reason=self.amendment_reason if self._amend_kwargs(row) else None,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.refresh()
        self.select_finding(row.finding.id)
        self.changed.emit()
        return True

    def delete_current_finding(self) -> bool:
        row = self._shown
        if row is None or not self.is_free_finding(row):
            return False
        text = self.tr("Delete problem No. %1 and its rectification?").replace("%1", str(row.finding.seq))
        if not messages.ask_yes_no(self, self.tr("Delete problem"), text + "\n\n" + row.finding.text):
            return False
        try:
            visits.delete_finding(self.db, row.finding.id, **self._amend_kwargs(row))
        except AuditAppError as exc:
            messages.show_error(self, self.tr("The problem was not deleted"), exc)
            return False
        self._deleted_finding = row.finding.id
        self.refresh()
        self.undo_delete_button.setText(self.tr("Undo delete of No. %1").replace("%1", str(row.finding.seq)))
        self.undo_delete_button.show()
        self.changed.emit()
        return True

    def undo_delete_finding(self) -> None:
        if self._deleted_finding is None:
            return
        try:
            visits.restore_finding(self.db, self._deleted_finding)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("The problem was not restored"), exc)
            return
        restored, self._deleted_finding = self._deleted_finding, None
        self.undo_delete_button.hide()
        self.refresh()
        self.select_finding(restored)
        self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.measures_edit and event.type() == QEvent.Type.FocusOut:
            self._flush_measures()
        return super().eventFilter(watched, event)

    # ----------------------------------------------------------------- after-photos

    def choose_and_add_after_photos(self) -> None:
        files = choose_photo_files(self)
        if files:
            self.add_after_photos(files)

    def add_after_photos(self, files: list[Path]) -> Op | None:
        """Import after-photos for the selected rectification in the database worker."""
        row = self.current_row()
        if row is None:
            return None
        db, visit_id, rect_id, finding_id = self.db, row.visit_id, row.rectification.id, row.finding.id

        def op(progress: Progress, token: CancelToken) -> list[PhotoInfo]:
            return add_photos(
                db, visit_id, files, kind="after", rectification_id=rect_id, progress=progress,
                cancel=token,
            )

        def finished() -> None:
            # After any outcome: the photos before a bad one were imported, show them.
            self.add_photo_button.setEnabled(True)
            if self.current_finding_id() == finding_id:
                self._load_thumbnails(finding_id)

        self.add_photo_button.setEnabled(False)
        return run_op(
            self,
            op,
            lambda _photos: self.changed.emit(),
            title=self.tr("After-photos"),
            error_title=self.tr("Cannot import the after-photos"),
            progress=self.tr("Importing after-photos…"),
            total=len(files),
            on_finished=finished,
        )

    def _load_thumbnails(self, finding_id: str) -> None:
        """Thumbnails come from the photo store in the CPU pool; stale results are dropped."""
        self._thumb_token += 1
        token, db = self._thumb_token, self.db
        self.photo_list.clear()

        def op(_progress: Progress, _token: CancelToken) -> list[tuple[PhotoInfo, QImage]]:
            return [(info, QImage.fromData(data)) for info, data in after_photo_thumbnails(db, finding_id)]

        def done(result: list[tuple[PhotoInfo, QImage]]) -> None:
            if token != self._thumb_token:
                return
            self.photo_list.clear()
            for info, image in result:
                item = QListWidgetItem(QIcon(QPixmap.fromImage(image)), "")
                item.setToolTip(info.original_filename)
                item.setData(Qt.ItemDataRole.UserRole, info.id)
                self.photo_list.addItem(item)
            self.photo_empty.setText(
                self.tr("No after-photo yet.") if not result else self.tr("%1 after-photos").replace("%1", str(len(result)))
            )
            self.lower_tabs.setTabText(
                1, self.tr("After-photos") + (f" ({len(result)})" if result else "")
            )

        run_op(self, op, done, title=self.tr("Cannot show the after-photos"), pool="cpu")

    def is_busy(self) -> bool:
        """True while a worker of this widget runs (tests wait until it is False)."""
        return bool(running_ops(self))

