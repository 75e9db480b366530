"""The leaders' monthly duty: a matrix of leaders × months beside the plan, and the home screen's reminder.

The clauses that set the duty (yubei-2023 四(四), huaian-2023 四(一)) are quoted above
the matrix. Loading runs in a pool thread; the window only draws.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from auditapp.db import Database
from auditapp.errors import AuditAppError
from auditapp.rules.duty import DUTY_BASIS
from auditapp.services import duty, institutions
from auditapp.services.duty import DutyMatrix
from auditapp.stats.duty import DutyCell
from auditapp.terms import label
from ui import messages, window_state
from ui.workers import Op, run_op

if TYPE_CHECKING:
    from auditapp.checklists import Library

_Index = QModelIndex | QPersistentModelIndex

STATE_COLOURS = {
    "done": "#c8e6c9",
    "missing": "#ffcdd2",
    "due": "#ffe0b2",
    "inactive": "#eeeeee",
    "future": "#e3f2fd",
}


def basis_text() -> str:
    """The clauses as the app quotes them: short name, clause, the words."""
    return "\n".join(f"{c.source} {c.clause}：“{c.quote}”" for c in DUTY_BASIS)


class DutyMatrixModel(QAbstractTableModel):
    """Rows: leaders; columns: months; a cell says done (date, routes walked) or missing, and the plan."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.matrix: DutyMatrix | None = None
        self.area_titles: dict[str, str] = {}
        self._leaders: list[tuple[str, str, str, str]] = []
        self._cells: dict[tuple[str, str], DutyCell] = {}

    def set_matrix(self, matrix: DutyMatrix | None, area_titles: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self.area_titles = area_titles or self.area_titles
        self._leaders = matrix.leaders() if matrix else []
        self._cells = {(c.leader_id, c.month): c for c in matrix.cells} if matrix else {}
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._leaders)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.matrix is None else len(self.matrix.months)

    def cell_at(self, index: _Index) -> DutyCell | None:
        if self.matrix is None or not index.isValid():
            return None
        leader_id = self._leaders[index.row()][0]
        return self._cells.get((leader_id, self.matrix.months[index.column()]))

    def _areas(self, ids: tuple[str, ...], most: int = 3) -> str:
        names = [self.area_titles.get(a, a) for a in ids]
        if len(names) <= most:
            return "、".join(names)
        return self.tr("%1 and %2 more").replace("%1", "、".join(names[:most])).replace("%2", str(len(names) - most))

    def cell_text(self, cell: DutyCell) -> str:
        lines = []
        if cell.visits:
            days = "、".join(self.tr("%1th").replace("%1", str(v.visit_date.day)) for v in cell.visits)
            lines.append("✓ " + days)
            if cell.walked_areas:
                lines.append(self._areas(cell.walked_areas))
        elif cell.state == "missing":
            lines.append("✗ " + label("duty_state", "missing"))
        elif cell.state == "due":
            lines.append("… " + label("duty_state", "due"))
        elif cell.state == "inactive":
            lines.append("—")
        if cell.planned_areas or cell.plan_note:
            plan = self._areas(cell.planned_areas) or cell.plan_note
            mark = {True: " ✓", False: " ✗", None: ""}[cell.plan_met] if cell.visits else ""
            lines.append(self.tr("Plan: %1").replace("%1", plan) + mark)
        return "\n".join(lines)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell_at(index)
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(cell)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(STATE_COLOURS.get(cell.state, "#ffffff")))
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [f"{cell.leader} · {cell.month} · {label('duty_state', cell.state)}"]
            for v in cell.visits:
                parts.append(self.tr("%1 No. %2: %3 items answered, %4 problems").replace("%1", v.visit_date.isoformat())
                             .replace("%2", v.report_number).replace("%3", str(v.answered)).replace("%4", str(v.findings)))
            if cell.plan_note:
                parts.append(cell.plan_note)
            return "\n".join(parts)
        if role == Qt.ItemDataRole.UserRole:
            return cell
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or self.matrix is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.matrix.months[section]
        _id, name, role_value, inst = self._leaders[section]
        return f"{name}（{label('leader_role', role_value)}）\n{inst}"


class DutyMatrixWidget(QWidget):
    """The duty matrix of one institution (or all), with the roster and the plan at hand."""

    openVisit = Signal(str)
    loaded = Signal()

    def __init__(self, db: Database, *, institution_id: str | None = None, library: Library | None = None,
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.db = db
        self.today = today or date.today()
        self._library = library
        self._task: Op | None = None
        self.setObjectName("dutyWindow")
        self.setWindowTitle(self.tr("Leaders' monthly experience visits"))
        basis = QLabel(self.tr("Every member of the leadership team walks the patient's path as an ordinary patient every month:")
                       + "\n" + basis_text())
        basis.setObjectName("dutyBasis")
        basis.setWordWrap(True)
        basis.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.institution_combo = QComboBox()
        self.institution_combo.setObjectName("dutyInstitution")
        self.institution_combo.addItem(self.tr("All institutions"), None)
        for inst in institutions.list_institutions(db):
            self.institution_combo.addItem(inst.name, inst.id)
        if institution_id is not None:
            self.institution_combo.setCurrentIndex(max(self.institution_combo.findData(institution_id), 0))
        self.institution_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.months_combo = QComboBox()
        for n in (6, 12, 24):
            self.months_combo.addItem(self.tr("Last %1 months").replace("%1", str(n)), n)
        self.months_combo.setCurrentIndex(0)
        self.months_combo.currentIndexChanged.connect(lambda _i: self.reload())
        roster = QPushButton(self.tr("Roster…"))
        roster.setObjectName("rosterButton")
        roster.clicked.connect(self.open_roster)
        plan = QPushButton(self.tr("Plan this cell…"))
        plan.setObjectName("planButton")
        plan.clicked.connect(self.plan_selected)
        rotate = QPushButton(self.tr("Rotate routes for 6 months…"))
        rotate.clicked.connect(self.rotate)
        self.summary = QLabel()
        self.summary.setObjectName("dutySummary")
        bar = QHBoxLayout()
        bar.addWidget(self.institution_combo, 2)
        bar.addWidget(self.months_combo)
        bar.addWidget(self.summary, 2)
        bar.addWidget(roster)
        bar.addWidget(plan)
        bar.addWidget(rotate)
        self.model = DutyMatrixModel(self)
        self.view = QTableView()
        self.view.setObjectName("dutyMatrix")
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setMinimumSectionSize(90)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.doubleClicked.connect(self._open_cell)
        legend = QLabel("　".join(
            f"<span style='background:{colour}'>&nbsp;&nbsp;&nbsp;&nbsp;</span> {label('duty_state', state)}"
            for state, colour in STATE_COLOURS.items()))
        legend.setObjectName("dutyLegend")
        layout = QVBoxLayout(self)
        layout.addWidget(basis)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(legend)
        window_state.fit_to_screen(self, (1280, 720))  # with its frame, on a 1280×720 screen too
        self.reload()

    @property
    def library(self) -> Library:
        if self._library is None:
            from auditapp.checklists import load_library  # not at module top: the home screen imports this module

            self._library = load_library()
        return self._library

    def busy(self) -> bool:
        return self._task is not None

    def reload(self) -> None:
        if self._task is not None:
            return
        inst = self.institution_combo.currentData()
        months = int(self.months_combo.currentData())
        db, today = self.db, self.today
        self.summary.setText(self.tr("Loading…"))
        lib = self._library

        def load(_progress: Any, _cancelled: Any) -> tuple[DutyMatrix, dict[str, str]]:
            from auditapp.checklists import load_library as load_lib

            library = lib or load_lib()
            titles = {c.id: c.title for c in library.checklists.values()}
            return duty.duty_matrix(db, institution=inst, months=months, today=today, ahead=1), titles, library

        self._task = run_op(self, load, self._show, on_error=self._failed, on_finished=self._finished, pool="cpu")

    def _finished(self) -> None:
        self._task = None

    def _failed(self, exc: BaseException) -> None:
        """The user's error; a bug never reaches here (run_op logs it and apologises)."""
        self.summary.setText("")
        messages.show_failure(self, self.windowTitle(), exc)

    def _show(self, result: object) -> None:
        matrix, titles, library = result  # type: ignore[misc]
        self._library = library  # loaded in the pool thread: plan dialogs open at once
        self.model.set_matrix(matrix, titles)
        self.summary.setText(self.tr("Done %1 of %2 owed visits").replace("%1", str(matrix.done_owed)).replace("%2", str(matrix.owed)))
        self.loaded.emit()

    def _open_cell(self, index: QModelIndex) -> None:
        cell = self.model.cell_at(index)
        if cell is not None and cell.visits:
            self.openVisit.emit(cell.visits[0].id)
        elif cell is not None:
            self.plan_cell(cell)

    def selected_cell(self) -> DutyCell | None:
        return self.model.cell_at(self.view.currentIndex())

    def plan_selected(self) -> None:
        cell = self.selected_cell()
        if cell is None:
            messages.show_info(self, self.tr("Plan"), self.tr("Select a leader and a month in the matrix first."))
            return
        self.plan_cell(cell)

    def plan_cell(self, cell: DutyCell) -> None:
        from ui.roster_dialog import PlanDialog

        dialog = PlanDialog(self.db, cell, self.library, self)
        if dialog.exec():
            self.reload()

    def open_roster(self) -> None:
        from ui.roster_dialog import RosterDialog

        inst = self.institution_combo.currentData()
        if inst is None:
            messages.show_info(self, self.tr("Roster"), self.tr("Choose an institution first."))
            return
        RosterDialog(self.db, inst, self).exec()
        self.reload()

    def rotate(self) -> None:
        from auditapp.rules.duty import add_months, month_of
        from auditapp.services.leaders import rotate_plan

        inst = self.institution_combo.currentData()
        if inst is None:
            messages.show_info(self, self.tr("Plan"), self.tr("Choose an institution first."))
            return
        try:
            made = rotate_plan(self.db, institution=inst, first_month=add_months(month_of(self.today), 0), months=6,
                               library=self.library)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Plan"), exc)
            return
        messages.show_info(self, self.tr("Plan"), self.tr("%1 plan entries added; existing ones were kept.").replace("%1", str(len(made))))
        self.reload()


class DutyBanner(QLabel):
    """The home screen's reminder: leaders who have not walked yet this month."""

    def __init__(self, db: Database, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.today = today
        self.setObjectName("dutyBanner")
        self.setWordWrap(True)
        self.setStyleSheet("QLabel#dutyBanner { color: #8a4b00; }")
        self._task: Op | None = None
        self.hide()

    def set_institution(self, institution_id: str | None) -> None:
        if institution_id is None or self._task is not None:
            self.hide()
            return
        db, today = self.db, self.today

        self._task = run_op(
            self,
            lambda _p, _t: duty.missing_this_month(db, institution=institution_id, today=today),
            self._show,
            on_error=lambda _e: self.hide(),
            on_finished=self._finished,
            pool="cpu",
        )

    def _finished(self) -> None:
        self._task = None

    def _show(self, cells: object) -> None:
        missing = list(cells)  # type: ignore[call-overload]
        if not missing:
            self.hide()
            return
        names = "、".join(f"{c.leader}（{label('leader_role', c.role)}）" for c in missing)
        self.setText(self.tr("Not yet walked this month (yubei-2023 四(四)): %1").replace("%1", names))
        self.show()
