"""The main window: institutions on the left, the selected institution's visits on the right."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from auditapp import __version__
from auditapp.db import Database
from auditapp.services import institutions, visits
from ui import messages
from ui.table_models import InstitutionTableModel, VisitTableModel


class MainWindow(QMainWindow):
    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.setWindowTitle(self.tr("Mystery patient audit") + f" — {db.data_dir}")
        self.resize(1200, 760)

        self.institution_model = InstitutionTableModel(self)
        self.visit_model = VisitTableModel(self)

        self.institution_view = self._make_table(self.institution_model)
        self.institution_view.setObjectName("institutionView")
        self.visit_view = self._make_table(self.visit_model)
        self.visit_view.setObjectName("visitView")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel(self.tr("Institutions")))
        left_layout.addWidget(self.institution_view)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        self.visits_title = QLabel(self.tr("Visits"))
        right_layout.addWidget(self.visits_title)
        right_layout.addWidget(self.visit_view)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([480, 720])
        self.setCentralWidget(splitter)

        self.saved_label = QLabel(self.tr("All changes saved"))
        self.statusBar().addPermanentWidget(self.saved_label)
        self.statusBar().showMessage(self.tr("Data folder: %1").replace("%1", str(db.data_dir)))

        self._build_actions()
        self.institution_view.selectionModel().selectionChanged.connect(self._institution_selected)
        self.refresh()

    def _make_table(self, model: InstitutionTableModel | VisitTableModel) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        return view

    def _build_actions(self) -> None:
        self.refresh_action = QAction(self.tr("&Refresh"), self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_action.triggered.connect(self.refresh)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        about_action = QAction(self.tr("&About"), self)
        about_action.triggered.connect(self._about)

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.refresh_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(about_action)

    def refresh(self) -> None:
        selected = self.selected_institution_id()
        self.institution_model.set_rows(institutions.list_institutions(self.db))
        row_to_select = 0
        for row in range(self.institution_model.rowCount()):
            if self.institution_model.row_at(row).id == selected:
                row_to_select = row
        if self.institution_model.rowCount():
            self.institution_view.selectRow(row_to_select)
        else:
            self.visit_model.set_rows([])

    def selected_institution_id(self) -> str | None:
        rows = self.institution_view.selectionModel().selectedRows() if self.institution_view.selectionModel() else []
        return self.institution_model.row_at(rows[0].row()).id if rows else None

    def _institution_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        inst_id = self.selected_institution_id()
        if inst_id is None:
            self.visit_model.set_rows([])
            return
        inst = next(
            self.institution_model.row_at(r)
            for r in range(self.institution_model.rowCount())
            if self.institution_model.row_at(r).id == inst_id
        )
        self.visits_title.setText(self.tr("Visits of %1").replace("%1", inst.name))
        self.visit_model.set_rows(visits.list_visits(self.db, institution=inst_id))

    def _about(self) -> None:
        messages.show_info(
            self,
            self.tr("About"),
            self.tr("Mystery patient audit %1").replace("%1", __version__),
        )
