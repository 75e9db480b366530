"""The fast start (ui/app.py): the last session's home screen first, the database attached after.

The window is built without a database from a valid snapshot, the database opens in the
background (run_op) and is attached; then the window lists exactly what the services
list. What the user clicks meanwhile is not lost, and a database that fails to open is
reported as on the usual start.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

import ui.app
from auditapp.db import open_database
from auditapp.errors import DatabaseLockedError
from auditapp.services import institutions, visits
from auditapp.settings import Settings, save_settings
from conftest import drain_background_work
from ui import home_snapshot
from ui.app import BackgroundOpen, create_application, keep_home_snapshot, usable_snapshot
from ui.main_window import MainWindow
from ui.single_instance import InstanceGuard


@pytest.fixture
def folder(qtbot, demo_data_dir: Path) -> Path:  # type: ignore[no-untyped-def]
    """A demo folder with a valid snapshot (its window was shown and closed) and an inspector in Settings."""
    save_settings(Settings(inspector="测试员"))  # no first-start question after attach
    create_application()
    window = MainWindow(open_database(demo_data_dir, actor="tester"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(10)
    drain_background_work()
    keep_home_snapshot(window)
    assert usable_snapshot(demo_data_dir) is not None
    return demo_data_dir


def _fast_window(qtbot, folder: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    snapshot = usable_snapshot(folder)
    assert snapshot is not None
    window = MainWindow(None, data_dir=folder, snapshot=snapshot)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _attach_in_background(qtbot, window: MainWindow, folder: Path) -> BackgroundOpen:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    opening = BackgroundOpen(app, window, folder, demo=False)
    opening.start()
    qtbot.waitUntil(lambda: window.attached, timeout=60_000)
    return opening


def _cell_texts(model) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_the_snapshot_window_shows_the_rows_and_after_attach_lists_what_the_services_list(  # type: ignore[no-untyped-def]
    qtbot, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = usable_snapshot(folder)
    assert snapshot is not None
    window = _fast_window(qtbot, folder)
    assert not window.attached
    assert _cell_texts(window.institution_model) == [list(r.cells) for r in snapshot.institutions]
    assert _cell_texts(window.visit_model) == [list(r.cells) for r in snapshot.visits]
    assert window.selected_institution_id() == snapshot.selected_institution
    assert "示例" in window.visits_title.text()
    gui_thread_reads: list[str] = []
    real_list = visits.list_visits

    def list_visits(*args, **kwargs):  # type: ignore[no-untyped-def]
        if threading.current_thread() is threading.main_thread():
            gui_thread_reads.append("list_visits")
        return real_list(*args, **kwargs)

    monkeypatch.setattr(visits, "list_visits", list_visits)
    try:
        _attach_in_background(qtbot, window, folder)
        assert gui_thread_reads == []  # the lists were read with the database, off the GUI thread
        monkeypatch.setattr(visits, "list_visits", real_list)
        db = window.db
        listed = institutions.list_institutions(db)
        assert [window.institution_model.row_at(r).id for r in range(window.institution_model.rowCount())] == [
            i.id for i in listed
        ]
        selected = window.selected_institution_id()
        assert selected == snapshot.selected_institution
        expected = visits.list_visits(db, institution=selected)
        assert [window.visit_model.row_at(r) for r in range(window.visit_model.rowCount())] == expected
        # The snapshot showed what the services now give, string for string.
        assert _cell_texts(window.visit_model) == [list(r.cells) for r in snapshot.visits]
        assert window.duty_banner.parent() is not None and window.due_panel.parent() is not None
    finally:
        drain_background_work()
        window.db.close()


def _row_top(window: MainWindow, row: int) -> int:
    view = window.visit_view
    return view.viewport().mapTo(window, view.visualRect(window.visit_model.index(row, 0)).topLeft()).y()


def test_the_visit_rows_do_not_move_when_the_database_is_attached(qtbot, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """The duty banner's last text stands in above the visits: a click aimed before attach lands after it."""
    snapshot = usable_snapshot(folder)
    assert snapshot is not None and snapshot.banner  # the demo's leaders have not all walked this month
    window = _fast_window(qtbot, folder)
    stand_in = window.findChild(QLabel, "dutyBannerStandIn")
    assert stand_in is not None and stand_in.isVisible() and stand_in.text() == snapshot.banner
    before = [_row_top(window, r) for r in range(window.visit_model.rowCount())]
    try:
        _attach_in_background(qtbot, window, folder)
        drain_background_work()  # the banner's own read, too
        qtbot.wait(10)
        assert window.duty_banner.isVisible() and window.duty_banner.text() == snapshot.banner
        assert [_row_top(window, r) for r in range(window.visit_model.rowCount())] == before
    finally:
        drain_background_work()
        window.db.close()


def test_a_visit_clicked_before_attach_opens_once_attached(qtbot, folder: Path) -> None:  # type: ignore[no-untyped-def]
    window = _fast_window(qtbot, folder)
    view = window.visit_view
    rect = view.visualRect(window.visit_model.index(1, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    chosen = window.selected_visit_id()
    assert chosen == window.visit_model.snapshot_row(1).id  # type: ignore[union-attr]
    open_button = window.findChild(QPushButton, "openVisitButton")
    qtbot.mouseClick(open_button, Qt.MouseButton.LeftButton)
    assert window.runner is None  # nothing to open it with yet
    cursor = QApplication.overrideCursor()
    assert cursor is not None and cursor.shape() == Qt.CursorShape.BusyCursor
    assert window.statusBar().currentMessage() == window.tr("Opening the database…")
    try:
        _attach_in_background(qtbot, window, folder)
        qtbot.waitUntil(lambda: window.runner is not None, timeout=30_000)  # on the turn after attach
        assert window.runner is not None and window.runner.visit_id == chosen  # the one clicked, not the first
        assert window.stack.currentWidget() is window.runner
        assert QApplication.overrideCursor() is None
    finally:
        drain_background_work()
        window.db.close()


def test_another_institution_chosen_before_attach_shows_its_visits_once_attached(qtbot, folder: Path) -> None:  # type: ignore[no-untyped-def]
    window = _fast_window(qtbot, folder)
    view = window.institution_view
    snapshot_selected = window.selected_institution_id()
    other_row = next(
        r for r in range(window.institution_model.rowCount())
        if window.institution_model.snapshot_row(r).id != snapshot_selected  # type: ignore[union-attr]
    )
    rect = view.visualRect(window.institution_model.index(other_row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    other = window.selected_institution_id()
    assert other != snapshot_selected
    assert window.visit_model.rowCount() == 0  # its visits are not in the snapshot: they come with the database
    try:
        _attach_in_background(qtbot, window, folder)
        assert window.selected_institution_id() == other
        expected = visits.list_visits(window.db, institution=other)
        assert expected and [window.visit_model.row_at(r) for r in range(window.visit_model.rowCount())] == expected
    finally:
        drain_background_work()
        window.db.close()


def _start(folder: Path, *, fast: bool) -> int:
    """ui.app's start on ``folder`` in this process (the loop runs until it ends)."""
    app = create_application()
    settings = None if fast else Settings(inspector="测试员")
    return ui.app._open_window(app, InstanceGuard(folder), folder, settings, None, demo=False)


def test_a_database_that_fails_to_open_after_a_valid_snapshot_is_reported_as_on_the_usual_start(  # type: ignore[no-untyped-def]
    qtbot, folder: Path, dialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Locked by another program between the snapshot check and the open: same message, exit code 1."""

    def locked(data_dir: Path, **_kwargs: object) -> object:
        raise DatabaseLockedError("database.locked", path=str(data_dir / "audit.sqlite3"))

    monkeypatch.setattr("auditapp.db.open_database", locked)
    monkeypatch.setattr("ui.error_log.install_excepthook", lambda: None)
    dialogs.expect_error(match="locked|锁|占用")
    assert _start(folder, fast=False) == 1  # today's path: the message, no window
    usual = dialogs.seen[-1]
    assert usual_snapshot_kept(folder)
    started: list[BackgroundOpen] = []
    real_start = BackgroundOpen.start
    monkeypatch.setattr(BackgroundOpen, "start", lambda self: (started.append(self), real_start(self))[1])
    dialogs.expect_error(match="locked|锁|占用")
    assert _start(folder, fast=True) == 1  # the fast start: the snapshot's window, then the same message
    fast = dialogs.seen[-1]
    assert len(started) == 1 and not started[0].window.attached  # it was the fast start
    assert (fast.kind, fast.title, fast.text, fast.informative) == (usual.kind, usual.title, usual.text, usual.informative)
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible() and not w.attached]
    assert shown == []  # the window that showed the snapshot is gone with the message


def usual_snapshot_kept(folder: Path) -> bool:
    """The failed usual start did not touch the snapshot (so the fast start below really uses it)."""
    return home_snapshot.snapshot_path(folder).exists() and usable_snapshot(folder) is not None
