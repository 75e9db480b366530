"""The main window: the home screen (institutions and their visits) and the visit runner.

Both live in one stacked widget so a leader on a small laptop never juggles windows;
the status bar's "saved" text is set only after a service has committed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from auditapp import __version__
from auditapp.errors import AuditAppError
from ui import home_snapshot, messages, window_state
from ui.home_snapshot import HomeSnapshot
from ui.table_models import InstitutionTableModel, VisitTableModel

if TYPE_CHECKING:
    from auditapp.checklists import Library
    from auditapp.db import Database
    from auditapp.services.institutions import InstitutionInfo
    from auditapp.services.visits import VisitInfo
    from auditapp.settings import Settings
    from ui.due_widget import DueWidget
    from ui.duty_view import DutyBanner

# Start-up: this module holds what the first window needs and no more. The database
# (SQLAlchemy, the ORM models), the services, the validated settings (pydantic), the
# checklist library, the photo widgets (Pillow, the editor), reports, sync and the
# dialogs are imported where they are first used: the fast start shows this window from
# the last session's snapshot before any of them is loaded (ui/app.py, ui/home_snapshot.py);
# tests/test_startup_imports.py keeps it that way.


@dataclass(frozen=True)
class HomeRead:
    """The home screen's rows read from the services off the GUI thread (the fast start)."""

    state: list[object]  # the database files before the read (home_snapshot.files_state)
    institutions: list[InstitutionInfo]
    selected: str | None
    visits: list[VisitInfo]  # the selected institution's


def read_home(db: Database, selected: str | None) -> HomeRead:
    """What :meth:`MainWindow.refresh` would list with ``selected`` chosen, safe to call on a worker thread."""
    from auditapp.services import institutions, visits

    state = home_snapshot.files_state(db.data_dir)
    rows = institutions.list_institutions(db)
    ids = [r.id for r in rows]
    chosen = selected if selected in ids else (ids[0] if ids else None)
    return HomeRead(state, rows, chosen, visits.list_visits(db, institution=chosen) if chosen else [])


class MainWindow(QMainWindow):
    """The home screen and the visit runner, on one open database.

    ``MainWindow(db, settings=…)`` is the window on an open database. The fast start
    (``ui/app.py``) builds it first without one, ``MainWindow(None, data_dir=…,
    snapshot=…)``, showing the last session's home screen, and calls :meth:`attach` when
    the database has been opened in the background. Until then an action that needs the
    database is not lost: the last one clicked waits (busy cursor, "Opening the
    database…") and runs once attached, on the record that was selected when it was
    clicked. Queued rather than disabled: the wait is a fraction of a second, and a
    double-click on a visit that opens it a moment later is what the user asked for,
    where a greyed-out window would look broken and drop the click.
    """

    settings: Settings  # set by the constructor, or by attach() on the fast start

    def __init__(
        self,
        db: Database | None,
        *,
        settings: Settings | None = None,
        library: Library | None = None,
        data_dir: Path | None = None,
        snapshot: HomeSnapshot | None = None,
    ) -> None:
        super().__init__()
        if db is None and data_dir is None:
            raise ValueError("MainWindow without a database needs its data_dir")
        self._db: Database | None = None
        self.data_dir: Path = db.data_dir if db is not None else Path(str(data_dir))
        self._snapshot = snapshot if db is None else None
        self._pending: Callable[[], object] | None = None  # the action clicked before attach
        self._busy_cursor = False
        self._filled_state: list[object] | None = None  # the database files when the home rows were read
        self._panels_paused = False  # reread_home(): rows only, no background reads
        self._panels_stale = False  # set by reread_home()
        self._read_ahead: HomeRead | None = None  # the fast start's rows, read with the database
        self._library = library
        self.runner = None  # the VisitRunner, built on first use (it loads the checklist library)
        self.setWindowTitle(self.tr("Mystery patient audit") + f" — {self.data_dir}")
        window_state.fit_to_screen(self)
        self.report_dialog = None  # the Reports dialog, kept while it is open (it is not modal)

        self.institution_model = InstitutionTableModel(self)
        self.visit_model = VisitTableModel(self)
        self.institution_view = self._make_table(self.institution_model)
        self.institution_view.setObjectName("institutionView")
        self.institution_view.doubleClicked.connect(self._when_open(self.edit_institution))
        self.visit_view = self._make_table(self.visit_model)
        self.visit_view.setObjectName("visitView")
        self.visit_view.doubleClicked.connect(self._when_open(self.open_selected_visit))

        new_inst = QPushButton(self.tr("New institution…"))
        new_inst.setObjectName("newInstitutionButton")
        new_inst.clicked.connect(self._when_open(self.new_institution))
        edit_inst = QPushButton(self.tr("Edit…"))
        edit_inst.clicked.connect(self._when_open(self.edit_institution))
        plans = QPushButton(self.tr("Floor plans / AED map…"))
        plans.clicked.connect(self._when_open(self.open_floor_plans))
        indicator_button = QPushButton(self.tr("Indicators…"))
        indicator_button.setObjectName("indicatorsButton")
        indicator_button.setToolTip(self.tr("Fill in the evaluation indicators (评估指标) per period, apart from visits"))
        indicator_button.clicked.connect(self._when_open(self.open_indicators))
        self.new_visit_button = QPushButton(self.tr("Start a new visit…"))
        self.new_visit_button.setObjectName("newVisitButton")
        self.new_visit_button.setMinimumHeight(44)
        self.new_visit_button.clicked.connect(self._when_open(self.new_visit))
        open_visit = QPushButton(self.tr("Open visit"))
        open_visit.setObjectName("openVisitButton")
        open_visit.setMinimumHeight(44)
        open_visit.clicked.connect(self._when_open(self.open_selected_visit))
        delete_inst = QPushButton(self.tr("Delete…"))
        delete_inst.setObjectName("deleteInstitutionButton")
        delete_inst.setToolTip(self.tr("Move the selected institution with its visits to the trash"))
        delete_inst.clicked.connect(self._when_open(self.delete_institution))
        delete_visit = QPushButton(self.tr("Delete visit…"))
        delete_visit.setObjectName("deleteVisitButton")
        delete_visit.setMinimumHeight(44)
        delete_visit.setToolTip(self.tr("Move the selected visit to the trash (File → Trash brings it back)"))
        delete_visit.clicked.connect(self._when_open(self.delete_visit))
        rects = QPushButton(self.tr("Rectifications…"))
        rects.clicked.connect(self._when_open(self.open_institution_rectifications))
        reports = QPushButton(self.tr("Reports…"))
        reports.clicked.connect(self._when_open(self.open_reports))
        duty_button = QPushButton(self.tr("Leaders' duty…"))
        duty_button.setObjectName("dutyButton")
        duty_button.clicked.connect(self._when_open(self.open_duty))
        dashboard_button = QPushButton(self.tr("Dashboard…"))
        dashboard_button.setObjectName("dashboardButton")
        dashboard_button.clicked.connect(self._when_open(self.open_dashboard))

        # What to do first, shown while there is nothing to list.
        self.empty_hint = QLabel(
            self.tr("<b>Welcome.</b> Start by adding the hospital you will visit: click "
                    "<b>New institution…</b> below and enter its name, kind and level. "
                    "Then select it and click <b>Start a new visit…</b> on the right.")
        )
        self.empty_hint.setObjectName("emptyHint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("background: #e8f1fb; border: 1px solid #90b4e0; padding: 12px; color: #123;")
        self.no_visit_hint = QLabel()
        self.no_visit_hint.setObjectName("noVisitHint")
        self.no_visit_hint.setWordWrap(True)
        self.no_visit_hint.setStyleSheet("color: #37474f; padding: 6px;")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel(self.tr("Institutions")))
        left_layout.addWidget(self.empty_hint)
        left_layout.addWidget(self.institution_view)
        # Buttons in rows of three or four, not one long row: a row's width is the window's
        # minimum, and one row of all of them kept the window from going below ~1150 px.
        row = QHBoxLayout()
        row.addWidget(new_inst)
        row.addWidget(edit_inst)
        row.addWidget(indicator_button)
        row.addWidget(delete_inst)
        row.addStretch(1)
        left_layout.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(plans)
        row.addStretch(1)
        left_layout.addLayout(row)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        self.visits_title = QLabel(self.tr("Visits"))
        right_layout.addWidget(self.visits_title)
        right_layout.addWidget(self.no_visit_hint)
        # Before attach: the last session's duty banner text where the banner will be.
        self._banner_stand_in: QLabel | None = None
        if snapshot is not None and db is None and snapshot.banner:
            self._banner_stand_in = QLabel(snapshot.banner)
            self._banner_stand_in.setObjectName("dutyBannerStandIn")
            self._banner_stand_in.setWordWrap(True)
            self._banner_stand_in.setStyleSheet("color: #8a4b00;")  # ui/duty_view.py DutyBanner's colour
            right_layout.addWidget(self._banner_stand_in)
        right_layout.addWidget(self.visit_view)
        self._right_layout = right_layout  # the duty banner and due panel join it on attach
        row = QHBoxLayout()
        row.addWidget(self.new_visit_button)
        row.addWidget(open_visit)
        row.addWidget(delete_visit)
        row.addStretch(1)
        right_layout.addLayout(row)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(rects)
        row.addWidget(reports)
        row.addWidget(duty_button)
        row.addWidget(dashboard_button)
        right_layout.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([480, 800])
        splitter.setChildrenCollapsible(False)
        splitter.setObjectName("homeSplitter")
        window_state.remember_splitter(splitter, "home")

        self.stack = QStackedWidget()
        self.home = splitter
        self.stack.addWidget(self.home)
        self.setCentralWidget(self.stack)

        self.saved_label = QLabel(self.tr("All changes saved"))
        self.saved_label.setObjectName("savedLabel")
        self.statusBar().addPermanentWidget(self.saved_label)
        self.statusBar().showMessage(self.tr("Data folder: %1").replace("%1", str(self.data_dir)))

        self._build_actions()
        self.institution_view.selectionModel().selectionChanged.connect(self._institution_selected)
        if db is not None:
            self.attach(db, settings)
        elif snapshot is not None:
            self._show_snapshot(snapshot)

    # -- the database, attached at once or after the fast start's snapshot --------

    @property
    def db(self) -> Database:
        if self._db is None:
            raise RuntimeError("the window's database is not open yet (MainWindow.attach)")
        return self._db

    @db.setter
    def db(self, value: Database) -> None:
        self._db = value

    @property
    def attached(self) -> bool:
        """Whether the window works on its open database (False while the fast start's snapshot shows)."""
        return self._db is not None

    def attach(self, db: Database, settings: Settings | None = None, *, read: HomeRead | None = None) -> None:
        """Work on ``db`` from now on: build the panels that read it, fill the home from the services.

        On the fast start this replaces the snapshot's rows (normally by the same ones),
        keeps the institution and visit the user selected meanwhile, then runs the
        action clicked while the database was opening. ``read``: the home rows already
        read off the GUI thread (:func:`read_home`), used if the user has not selected
        another institution meanwhile (else they are read again here).
        """
        from auditapp.settings import Settings
        from ui.due_widget import DueWidget  # overdue and due within 3 / 7 days, per department
        from ui.duty_view import DutyBanner

        chosen_visit = self.selected_visit_id()
        self._db = db
        self.settings = settings or Settings()
        self._apply_photo_size()
        self.duty_banner: DutyBanner = DutyBanner(db, self)  # this month's leaders still to walk (yubei-2023 四(四))
        self.due_panel: DueWidget = DueWidget(db, self)
        self.due_panel.problemActivated.connect(lambda _finding: self.open_institution_rectifications())
        at = self._right_layout.indexOf(self.visit_view)
        self._right_layout.insertWidget(at, self.duty_banner)
        self._right_layout.insertWidget(at + 2, self.due_panel)
        if self._banner_stand_in is not None:  # the banner shows the same until its own read replaces it
            if not self._banner_stand_in.isHidden():
                self.duty_banner.setText(self._banner_stand_in.text())
                self.duty_banner.show()
            self._banner_stand_in.deleteLater()
            self._banner_stand_in = None
        selected = self.selected_institution_id()
        if read is not None and read.selected == selected:
            self._filled_state, self._read_ahead = read.state, read
            self._fill_home(read.institutions, selected)
            self._read_ahead = None
        else:
            self.refresh()
        if self._snapshot is None:
            return
        self._snapshot = None
        if chosen_visit is not None:
            self._select_visit(chosen_visit)
        self.statusBar().showMessage(self.tr("Data folder: %1").replace("%1", str(self.data_dir)))
        pending, self._pending = self._pending, None
        if pending is None:
            self._end_wait()
        else:  # on the next turn: whoever attached (the start-up) finishes first, a dialog it opens does not wait
            QTimer.singleShot(0, self, lambda: self._run_pending(pending))

    def _run_pending(self, action: Callable[[], object]) -> None:
        try:
            action()  # opening a visit takes a moment more: the busy cursor stays until it is open
        finally:
            self._end_wait()

    def _when_open(self, action: Callable[[], object]) -> Callable[..., None]:
        """A slot for ``action``: now if the database is open, else once it is (the last one clicked)."""

        def run(*_args: object) -> None:
            if self._db is not None:
                action()
                return
            self._pending = action
            if not self._busy_cursor:
                QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
                self._busy_cursor = True
            self.statusBar().showMessage(self.tr("Opening the database…"))

        return run

    def _end_wait(self) -> None:
        if self._busy_cursor:
            QApplication.restoreOverrideCursor()
            self._busy_cursor = False

    def database_failed(self) -> None:
        """The fast start's database did not open (the error is shown by ui/app.py): drop what waited."""
        self._pending = None
        self._end_wait()

    def _show_snapshot(self, snapshot: HomeSnapshot) -> None:
        """The last session's home rows, shown until the database is attached."""
        self.institution_model.show_snapshot(snapshot.institutions)
        self.empty_hint.setVisible(not snapshot.institutions)
        if not snapshot.institutions:
            self.visit_model.show_snapshot([])
            self.no_visit_hint.hide()
            return
        for row, shown in enumerate(snapshot.institutions):
            if shown.id == snapshot.selected_institution:
                self.institution_view.selectRow(row)  # its signal shows the visits

    def home_snapshot(self) -> HomeSnapshot | None:
        """The home rows as displayed, when they were read from the services (None: still the snapshot)."""
        if self._db is None or self._snapshot is not None or self._filled_state is None:
            return None
        from ui.workers import running_ops

        banner_known = not self._panels_stale and not running_ops(self.duty_banner)
        return HomeSnapshot(
            institutions=tuple(self.institution_model.rendered()),
            selected_institution=self.selected_institution_id(),
            visits=tuple(self.visit_model.rendered()),
            banner=(self.duty_banner.text() if not self.duty_banner.isHidden() else "") if banner_known else None,
        )

    def reread_home(self) -> None:
        """The home rows again from the services, without the panels' background reads (at close)."""
        self._panels_paused = True
        try:
            self.refresh()
        finally:
            self._panels_paused = False
        self._panels_stale = True  # the banner was not read again: the snapshot does not keep it

    def home_is_current(self) -> bool:
        """Whether nothing was written to the database since the home rows were read.

        Every commit goes through the ``-wal`` file (its size and mtime change) or the
        main file, so equal file states mean the rows shown are the database's.
        """
        return self._filled_state is not None and self._filled_state == home_snapshot.files_state(self.data_dir)

    # -- construction ------------------------------------------------------------

    @property
    def library(self) -> Library:
        """The checklist library, read from its files on first use (not at start-up)."""
        if self._library is None:
            from auditapp.checklists import load_library

            self._library = load_library()
        return self._library

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
        self.refresh_action.triggered.connect(self._when_open(self.refresh))
        settings_action = QAction(self.tr("&Settings…"), self)
        settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        settings_action.triggered.connect(self._when_open(self.open_settings))
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        about_action = QAction(self.tr("&About"), self)
        about_action.triggered.connect(self._about)
        self.guide_action = QAction(self.tr("&User guide"), self)
        self.guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.guide_action.triggered.connect(self.open_guide)
        self.shortcuts_action = QAction(self.tr("&Keyboard shortcuts"), self)
        self.shortcuts_action.triggered.connect(self.open_shortcuts)

        sync_action = QAction(self.tr("Sync and &packages…"), self)
        sync_action.triggered.connect(self._when_open(self.open_sync))
        conflicts_action = QAction(self.tr("Sync &conflicts…"), self)
        conflicts_action.triggered.connect(self._when_open(self.open_conflicts))
        self.trash_action = QAction(self.tr("&Trash…"), self)
        self.trash_action.triggered.connect(self._when_open(self.open_trash))

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.refresh_action)
        file_menu.addAction(sync_action)
        file_menu.addAction(conflicts_action)
        file_menu.addAction(self.trash_action)
        file_menu.addAction(settings_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.guide_action)
        help_menu.addAction(self.shortcuts_action)
        help_menu.addSeparator()
        help_menu.addAction(about_action)

    # -- home --------------------------------------------------------------------

    _visit_loads = 0  # how often the visit list was loaded (start-up loaded it twice)

    def refresh(self) -> None:
        from auditapp.services import institutions

        selected = self.selected_institution_id()
        self._filled_state = home_snapshot.files_state(self.data_dir)  # before reading: a later write is seen
        self._fill_home(institutions.list_institutions(self.db), selected)

    def _fill_home(self, rows: list[InstitutionInfo], selected: str | None) -> None:
        """Show ``rows``, select ``selected`` again (else the first), which loads its visits."""
        self.institution_model.set_rows(rows)
        row_to_select = 0
        for row in range(self.institution_model.rowCount()):
            if self.institution_model.row_at(row).id == selected:
                row_to_select = row
        empty = self.institution_model.rowCount() == 0
        self.empty_hint.setVisible(empty)
        if not empty:
            loads = self._visit_loads
            self.institution_view.selectRow(row_to_select)
            if self._visit_loads == loads:  # the selection did not change, so no signal loaded the visits
                self._institution_selected(QItemSelection(), QItemSelection())
        else:
            self.visit_model.set_rows([])
            self.visits_title.setText(self.tr("Visits"))
            self.no_visit_hint.hide()

    def selected_institution_id(self) -> str | None:
        rows = self.institution_view.selectionModel().selectedRows() if self.institution_view.selectionModel() else []
        if not rows:
            return None
        shown = self.institution_model.snapshot_row(rows[0].row())
        return shown.id if shown is not None else self.institution_model.row_at(rows[0].row()).id

    def selected_institution(self) -> InstitutionInfo | None:
        """The selected institution's record (None also while the snapshot shows: no records yet)."""
        rows = self.institution_view.selectionModel().selectedRows()
        if not rows or self.institution_model.snapshot_row(rows[0].row()) is not None:
            return None
        return self.institution_model.row_at(rows[0].row())

    def selected_visit_id(self) -> str | None:
        rows = self.visit_view.selectionModel().selectedRows()
        if not rows:
            return None
        shown = self.visit_model.snapshot_row(rows[0].row())
        return shown.id if shown is not None else self.visit_model.row_at(rows[0].row()).id

    def _select_visit(self, visit_id: str) -> None:
        for row in range(self.visit_model.rowCount()):
            if self.visit_model.row_at(row).id == visit_id:
                self.visit_view.selectRow(row)

    def _snapshot_institution_selected(self, snapshot: HomeSnapshot) -> None:
        """Before attach: the snapshot's visits for the institution it selected, none for another."""
        rows = self.institution_view.selectionModel().selectedRows()
        shown = self.institution_model.snapshot_row(rows[0].row()) if rows else None
        if shown is None:
            self.visit_model.show_snapshot([])
            return
        name = shown.cells[InstitutionTableModel.NAME]
        self.visits_title.setText(self.tr("Visits of %1").replace("%1", name))
        known = shown.id == snapshot.selected_institution
        if self._banner_stand_in is not None:
            self._banner_stand_in.setVisible(known)  # the banner of the institution it was read for
        self.visit_model.show_snapshot(snapshot.visits if known else [])
        if self.visit_model.rowCount():
            self.visit_view.selectRow(0)
            self.no_visit_hint.hide()
        elif known:
            self._show_no_visit_hint(name)
        else:  # its visits come with the database
            self.no_visit_hint.hide()
            self.statusBar().showMessage(self.tr("Opening the database…"))

    def _show_no_visit_hint(self, name: str) -> None:
        self.no_visit_hint.setText(
            self.tr("No visit of %1 yet. Click <b>Start a new visit…</b> below to begin walking it as a patient.").replace(
                "%1", name
            )
        )
        self.no_visit_hint.show()

    def _institution_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._visit_loads = getattr(self, "_visit_loads", 0) + 1
        if self._db is None:
            if self._snapshot is not None:
                self._snapshot_institution_selected(self._snapshot)
            return
        from auditapp.services import visits

        inst = self.selected_institution()
        if inst is None:
            self.visit_model.set_rows([])
            return
        self.visits_title.setText(self.tr("Visits of %1").replace("%1", inst.name))
        read, self._read_ahead = self._read_ahead, None
        if read is not None and read.selected == inst.id:
            self.visit_model.set_rows(read.visits)  # read with the database, off the GUI thread
        else:
            self.visit_model.set_rows(visits.list_visits(self.db, institution=inst.id))
        self._load_panels(inst.id)
        if self.visit_model.rowCount():
            self.visit_view.selectRow(0)
            self.no_visit_hint.hide()
        else:
            self._show_no_visit_hint(inst.name)

    def _load_panels(self, institution_id: str) -> None:
        """The duty banner and the due panel read in the background, after the visit list.

        At start-up (the window not shown yet) they start on the first turn of the event
        loop, so their threads do not compete with building and showing the window.
        """
        if self._panels_paused:
            return
        if self.isVisible():
            self.duty_banner.set_institution(institution_id)
            self.due_panel.set_institution(institution_id)
            return

        def start() -> None:
            if self.selected_institution_id() == institution_id:
                self.duty_banner.set_institution(institution_id)
                self.due_panel.set_institution(institution_id)

        QTimer.singleShot(0, self, start)

    def new_institution(self) -> None:
        from ui.dialogs import InstitutionDialog

        dialog = InstitutionDialog(self.db, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_info:
            self.refresh()
            self._select_institution(dialog.result_info.id)
            self.mark_saved()

    def edit_institution(self) -> None:
        from ui.dialogs import InstitutionDialog

        inst = self.selected_institution()
        if inst is None:
            return
        dialog = InstitutionDialog(self.db, inst, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.mark_saved()

    def open_indicators(self) -> None:
        from ui.indicator_dialog import IndicatorDialog

        inst = self.selected_institution()
        if inst is None:
            messages.show_info(self, self.tr("Indicators"), self.tr("Add or select an institution first."))
            return
        try:
            library = self.library
        except AuditAppError as exc:
            messages.show_error(self, self.tr("The checklists cannot be loaded"), exc)
            return
        IndicatorDialog(self.db, library, inst, self).exec()
        self.mark_saved()

    def _select_institution(self, institution_id: str) -> None:
        for row in range(self.institution_model.rowCount()):
            if self.institution_model.row_at(row).id == institution_id:
                self.institution_view.selectRow(row)

    def new_visit(self) -> None:
        from ui.dialogs import NewVisitDialog

        inst = self.selected_institution()
        if inst is None:
            messages.show_info(self, self.tr("New visit"), self.tr("Add or select an institution first."))
            return
        try:
            library = self.library
        except AuditAppError as exc:
            messages.show_error(self, self.tr("The checklists cannot be loaded"), exc)
            return
        dialog = NewVisitDialog(
            self.db, library, inst, inspector=self.settings.inspector, mode=self.settings.default_mode, parent=self
        )
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_info:
            self.mark_saved()
            if not self.settings.inspector:
                self.adopt_inspector(dialog.result_info.inspector)
            self.open_visit(dialog.result_info.id)

    def open_selected_visit(self) -> None:
        visit_id = self.selected_visit_id()
        if visit_id:
            self.open_visit(visit_id)

    def open_visit(self, visit_id: str) -> None:
        from ui.visit_runner import VisitRunner

        if self.runner is None:
            self._apply_photo_size(load=True)
            try:
                self.runner = VisitRunner(self.db, self.library, self)
            except AuditAppError as exc:
                messages.show_error(self, self.tr("The checklists cannot be loaded"), exc)
                return
            self.runner.closed.connect(self.show_home)
            self.runner.saved.connect(self.saved_label.setText)
            self.runner.reportsRequested.connect(lambda visit, inst: self.open_reports(visit, inst))
            self.stack.addWidget(self.runner)
        self.runner.open_visit(visit_id)
        self.stack.setCurrentWidget(self.runner)
        self.runner.tree.setFocus()

    def show_home(self) -> None:
        self.stack.setCurrentWidget(self.home)
        self.refresh()

    def delete_visit(self) -> bool:
        """Move the selected visit to the trash after saying what goes with it."""
        from auditapp.services import trash, visits

        visit_id = self.selected_visit_id()
        if visit_id is None:
            messages.show_info(self, self.tr("Delete visit"), self.tr("Select a visit first."))
            return False
        info = visits.get_visit(self.db, visit_id)
        text = (
            self.tr("Delete the visit of %1 on %2 by %3 (%4 of %5 items answered)?")
            .replace("%1", info.institution_name)
            .replace("%2", info.visit_date.isoformat())
            .replace("%3", info.inspector)
            .replace("%4", str(info.answered_count))
            .replace("%5", str(info.item_count))
            + "\n\n"
            + self.tr("It leaves every list, report and ranking. File → Trash brings it back.")
        )
        if not messages.ask_yes_no(self, self.tr("Delete visit"), text):
            return False
        if self.runner is not None and self.runner.visit_id == visit_id:
            self.runner.item_panel.flush_note()
        try:
            trash.delete_visit(self.db, visit_id)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("The visit was not deleted"), exc)
            return False
        self.refresh()
        self.mark_saved()
        self.statusBar().showMessage(self.tr("Visit moved to the trash."), 8000)
        return True

    def delete_institution(self) -> bool:
        from auditapp.services import trash

        inst = self.selected_institution()
        if inst is None:
            return False
        text = (
            self.tr("Delete %1 with its %2 visits, departments and floor plans?")
            .replace("%1", inst.name)
            .replace("%2", str(inst.visit_count))
            + "\n\n"
            + self.tr("It leaves every list, report and ranking. File → Trash brings it back.")
        )
        if not messages.ask_yes_no(self, self.tr("Delete institution"), text):
            return False
        try:
            trash.delete_institution(self.db, inst.id)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("The institution was not deleted"), exc)
            return False
        self.refresh()
        self.mark_saved()
        self.statusBar().showMessage(self.tr("Institution moved to the trash."), 8000)
        return True

    def open_trash(self) -> None:
        from ui.trash_dialog import TrashDialog

        dialog = TrashDialog(self.db, self)
        dialog.restored.connect(lambda _id: (self.refresh(), self.mark_saved()))
        self.trash_dialog = dialog
        dialog.exec()

    def open_institution_rectifications(self) -> None:
        from ui.rectifications import RectificationsWidget

        inst = self.selected_institution()
        if inst is None:
            return
        self._apply_photo_size(load=True)
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Rectifications of %1").replace("%1", inst.name))
        widget = RectificationsWidget(self.db, dialog)
        widget.set_scope(institution_id=inst.id)
        widget.changed.connect(self.mark_saved)
        layout = QVBoxLayout(dialog)
        layout.addWidget(widget)
        window_state.fit_to_screen(dialog, (1200, 720))
        dialog.exec()
        self.refresh()

    def open_floor_plans(self) -> None:
        """The building's plans and AED points, kept between visits."""
        from ui.floorplan_view import FloorPlanPanel

        inst = self.selected_institution()
        if inst is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Floor plans of %1").replace("%1", inst.name))
        panel = FloorPlanPanel(self.db, dialog)
        panel.set_context(inst.id, None)
        panel.pinsChanged.connect(self.mark_saved)
        layout = QVBoxLayout(dialog)
        layout.addWidget(panel)
        window_state.fit_to_screen(dialog, (1200, 720))
        dialog.exec()

    def open_reports(self, visit_id: str | None = None, institution_id: str | None = None) -> None:
        """The Reports dialog, not modal: its preview windows must take input and come to the front."""
        from ui.reports_dialog import ReportDialog

        if visit_id is None and institution_id is None:
            inst = self.selected_institution()
            visit_id, institution_id = self.selected_visit_id(), inst.id if inst else None
        if self.report_dialog is not None:
            self.report_dialog.close()
        dialog = ReportDialog(self.db, visit_id=visit_id, institution_id=institution_id, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _obj=None: setattr(self, "report_dialog", None))
        self.report_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def open_dashboard(self) -> None:
        from ui.dashboard import DashboardWindow

        inst = self.selected_institution()
        self.dashboard_window = DashboardWindow(self.db, institution_id=inst.id if inst else None, parent=self)
        self.dashboard_window.openVisit.connect(self._open_visit_from_overview)
        # Its 1280×740 hid the export buttons below a 1280×720 screen.
        window_state.fit_to_screen(self.dashboard_window, (1280, 740))
        self.dashboard_window.show()

    def open_duty(self) -> None:
        from ui.duty_view import DutyMatrixWidget

        inst = self.selected_institution()
        self.duty_window = DutyMatrixWidget(self.db, institution_id=inst.id if inst else None, library=self._library, parent=self)
        self.duty_window.openVisit.connect(self._open_visit_from_overview)
        self.duty_window.show()

    def _open_visit_from_overview(self, visit_id: str) -> None:
        self.open_visit(visit_id)
        self.raise_()
        self.activateWindow()

    def open_sync(self) -> None:
        from ui.sync_dialogs import SyncDialog

        inst = self.selected_institution()
        dialog = SyncDialog(self.db, self, institution_id=inst.id if inst else None)
        dialog.dataChanged.connect(self.refresh)
        dialog.dataChanged.connect(self.mark_saved)
        self.sync_dialog = dialog
        dialog.exec()

    def open_conflicts(self) -> None:
        from ui.sync_dialogs import ConflictsDialog

        dialog = ConflictsDialog(self.db, self)
        dialog.resolved.connect(self.refresh)
        dialog.resolved.connect(self.mark_saved)
        self.conflicts_dialog = dialog
        dialog.exec()

    def mark_saved(self) -> None:
        self.saved_label.setText(self.tr("Saved %1").replace("%1", datetime.now().strftime("%H:%M:%S")))

    # -- settings and restore ----------------------------------------------------

    def open_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, data_dir=self.db.data_dir, engine=self.db.engine, parent=self)
        dialog.restoreRequested.connect(self.restore_from)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_settings:
            old = self.settings
            self.settings = dialog.saved_settings
            self._apply_photo_size()
            if self.settings.inspector:
                self.db.actor = self.settings.inspector  # who the change log names from now on
            if old.language != self.settings.language or old.data_dir != self.settings.data_dir:
                messages.show_info(
                    self, self.tr("Settings"), self.tr("Language and data folder changes take effect when the app starts again.")
                )

    def _apply_photo_size(self, *, load: bool = False) -> None:
        """Photo imports use the size in Settings (a class setting of every PhotoStrip).

        The photo widgets (Pillow, the editor) are not imported for the first window:
        without ``load`` the size is set only if they are loaded already; the screens
        that make photo strips (the visit runner, rectifications) call this with
        ``load=True`` before building them.
        """
        if not load and "ui.photos.strip" not in sys.modules:
            return
        from ui.photos.strip import PhotoStrip

        PhotoStrip.max_side = self.settings.photo_max_side

    def restore_from(self, backup: Path) -> None:
        """Close the database, restore the backup (the current state is backed up first), reopen."""
        from auditapp.db import open_database
        from auditapp.db.backup import restore_backup

        data_dir, actor = self.db.data_dir, self.db.actor
        if self.runner is not None:
            self.stack.removeWidget(self.runner)
            self.runner.deleteLater()
            self.runner = None
        self.stack.setCurrentWidget(self.home)
        self.db.close()
        try:
            safety = restore_backup(data_dir, backup)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Restore failed"), exc)
            safety = None
        self.db = open_database(data_dir, actor=self.settings.inspector or actor)
        self.due_panel.db = self.db
        self.duty_banner.db = self.db  # it read the closed database after a restore
        self.refresh()
        if safety is not None:
            messages.show_info(
                self, self.tr("Restore"), self.tr("Restored. The state before the restore was saved as %1").replace("%1", str(safety))
            )

    def _about(self) -> None:
        """Version, data folder and the changelog: what support asks first."""
        from PySide6.QtWidgets import QDialogButtonBox, QTextBrowser

        from auditapp import paths

        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("About"))
        title = QLabel(self.tr("Mystery patient audit %1").replace("%1", __version__))
        title.setObjectName("aboutVersion")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        folder = QLabel(self.tr("Data folder: %1").replace("%1", str(self.data_dir)))
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        changes = QTextBrowser()
        changes.setObjectName("aboutChangelog")
        changelog = paths.resource_path("CHANGELOG.md")
        changes.setMarkdown(changelog.read_text(encoding="utf-8") if changelog.exists() else "")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(title)
        layout.addWidget(folder)
        layout.addWidget(changes)
        layout.addWidget(buttons)
        dialog.resize(720, 520)
        self.about_dialog = dialog
        dialog.exec()

    # -- help, first start, activation ---------------------------------------------

    def open_guide(self) -> None:
        from ui.help import GuideDialog

        self.guide_dialog = GuideDialog(self)
        self.guide_dialog.exec()

    def open_shortcuts(self) -> None:
        from ui.help import ShortcutsDialog

        self.shortcuts_dialog = ShortcutsDialog(self)
        self.shortcuts_dialog.exec()

    def ask_inspector_if_missing(self) -> None:
        """First start: who is inspecting? The change history names them, never the login."""
        if self.settings.inspector:
            return
        while True:
            name = messages.ask_text(
                self,
                self.tr("Welcome"),
                self.tr("Your name as inspector (shown in visits and in the change history):"),
            )
            if name is None:
                return  # asked again with the first visit, which needs a name anyway
            if name.strip():
                self.adopt_inspector(name.strip())
                return

    def adopt_inspector(self, name: str) -> None:
        """Keep ``name`` as the inspector in Settings and in the change log from now on."""
        from auditapp.settings import save_settings

        name = name.strip()
        if not name:
            return
        self.settings = self.settings.model_copy(update={"inspector": name})
        self.db.actor = name
        try:
            save_settings(self.settings)
        except OSError as exc:
            messages.show_error(self, self.tr("Settings not saved"), messages.file_error(exc))

    def bring_to_front(self) -> None:
        """Another start on this data folder asked for this window."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def show_restored(self) -> None:
        """Show the window as it was left (maximized on a small laptop screen at first)."""
        window_state.show_main_window(self)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.runner is not None:
            self.runner.item_panel.flush_note()
        window_state.save_main_window(self)
        super().closeEvent(event)
