"""Start-up of the GUI: Qt application, font, translations, database, main window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from auditapp import paths
from auditapp.db import open_database
from auditapp.errors import AuditAppError
from auditapp.progress import CancelToken, Progress
from auditapp.settings import Settings, load_settings, resolve_data_dir
from ui import error_log, messages
from ui.fonts import register_cjk_font
from ui.i18n import install_translator
from ui.main_window import MainWindow
from ui.single_instance import InstanceGuard, ask_first_window_to_activate
from ui.workers import Op, run_op


def create_application(argv: list[str] | None = None, *, language: str = "zh_CN") -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_AUTHOR)
    register_cjk_font(app)
    icon = paths.resource_path("icons", "auditapp.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_translator(app, language)
    return app


def _load_settings() -> tuple[Settings, str | None]:
    """The saved settings; a broken settings file must not keep the app from starting."""
    try:
        return load_settings(), None
    except AuditAppError as exc:
        return Settings(), exc.message()


def ensure_demo_data(window: MainWindow) -> Op:
    """Create the demo hospitals (if missing) behind the shown window; its lists refresh after.

    Runs through ``run_op`` like any other long operation: the window is usable at once,
    a progress dialog appears only if it takes long, a failure is shown like any other.
    """
    db = window.db

    def op(progress: Progress, token: CancelToken) -> object:
        from auditapp.services.demo import create_demo_data

        # Cancel keeps the hospitals already made (each is its own unit); the next start adds the rest.
        return create_demo_data(db, progress=progress, cancel=token)

    return run_op(
        window,
        op,
        lambda _result: window.refresh(),
        progress=QApplication.translate("App", "Creating demo data…"),
        title=QApplication.translate("App", "Demo data"),
    )


def first_turn(window: MainWindow, *, demo: bool, ask_name: bool) -> None:
    """What the shown window does on its first event-loop turn.

    The inspector's name first (a modal question), then the demo data behind the window:
    started the other way round, the demo's progress dialog sat on top of the question.
    """
    if ask_name:
        window.ask_inspector_if_missing()
    if demo:
        ensure_demo_data(window)


def _refuse_second_window(guard: InstanceGuard) -> int:
    """Another window has this folder: bring it to the front, or say clearly why not."""
    if ask_first_window_to_activate(guard.data_dir):
        print(
            QApplication.translate("App", "auditapp is already open on %1; its window was brought to the front.").replace(
                "%1", str(guard.data_dir)
            ),
            file=sys.stderr,
        )
        return 0
    holder = guard.holder()
    where = (
        QApplication.translate("App", "It is held by process %1 on computer %2.")
        .replace("%1", str(holder.pid))
        .replace("%2", holder.hostname or "?")
        if holder
        else ""
    )
    messages.show_error(
        None,
        QApplication.translate("App", "The data folder is in use"),
        messages.UserMessage(
            QApplication.translate(
                "App", "Another window of the app is already working on the data folder %1. "
                "Two windows on one folder would overwrite each other's changes, so this one does not open."
            ).replace("%1", str(guard.data_dir))
            + (" " + where if where else ""),
            QApplication.translate(
                "App", "Switch to the open window (it may be on another desktop or minimized), or close it and start again."
            ),
        ),
    )
    return 1


def run(*, data_dir: str | Path | None = None, demo: bool = False) -> int:
    """Open the main window on ``data_dir`` (the ``--data-dir`` value; None: the usual rule).

    The folder is chosen by :func:`auditapp.settings.resolve_data_dir`, the same rule as
    every command of the command line (``--data-dir`` > ``$AUDITAPP_DATA_DIR`` > Settings >
    the platform default; ``--demo`` → the demo folder).
    """
    settings, settings_problem = _load_settings()
    app = create_application(language=settings.language)
    try:
        data_dir = resolve_data_dir(None if data_dir is None else str(data_dir), demo=demo, settings=settings)
    except AuditAppError as exc:
        messages.show_error(None, QApplication.translate("App", "Cannot open the data folder"), exc)
        return 1
    guard = InstanceGuard(data_dir)
    try:
        acquired = guard.acquire()
    except OSError:
        acquired = True  # an unwritable folder: open_database below says so clearly
    if not acquired:
        return _refuse_second_window(guard)
    # From here on the folder is ours: whatever happens next (a refused database, an
    # unexpected exception, a normal quit) gives it back, and the guard's local server
    # goes while the application and its event dispatcher still exist.
    try:
        return _open_window(app, guard, data_dir, settings, settings_problem, demo=demo)
    finally:
        guard.release()


def _open_window(
    app: QApplication, guard: InstanceGuard, data_dir: Path, settings: Settings, settings_problem: str | None,
    *, demo: bool,
) -> int:
    """Open the database and the main window on a folder this process holds; run the loop."""
    error_log.setup_logging(data_dir)
    error_log.install_excepthook()
    try:
        logging.getLogger("auditapp.ui").info("window opened on %s", data_dir)
        if settings_problem:
            messages.show_info(None, QApplication.translate("App", "Settings"), settings_problem)
        try:
            # The change log records who changed what: the inspector named in Settings. Never
            # the computer's login ("root"): until a name is given, an explicit placeholder.
            db = open_database(data_dir, actor=settings.inspector or QApplication.translate("App", "(inspector not set)"))
        except AuditAppError as exc:
            messages.show_error(None, QApplication.translate("App", "Cannot open the data folder"), exc)
            return 1
        try:
            window = MainWindow(db, settings=settings)
        except BaseException:
            db.close()
            raise
        guard.activateRequested.connect(window.bring_to_front)
        window.show_restored()
        ask_name = not os.environ.get("AUDITAPP_QUIT_AFTER_MS")
        QTimer.singleShot(0, window, lambda: first_turn(window, demo=demo, ask_name=ask_name))
        _quit_after_for_release_checks(app, window)
        try:
            return app.exec()
        finally:
            from ui.workers import db_pool

            db_pool().waitForDone(15000)  # a background read (the deadline panel) must not outlive the database
            window.db.close()  # after a restore the window holds a new Database
    finally:
        error_log.close_logging()


def _quit_after_for_release_checks(app: QApplication, window: MainWindow) -> None:
    """``AUDITAPP_QUIT_AFTER_MS``: show the window, report what it shows, quit.

    Used by the bundle smoke test (there is no one to close the window in CI) and by
    tests/bench/bench_startup.py, whose clock stops at this line: with ``0`` it comes on
    the first event-loop turn after show(), the visit list already filled (``visits=``).
    """
    delay = os.environ.get("AUDITAPP_QUIT_AFTER_MS")
    if not delay:
        return

    def report_and_quit() -> None:
        rows, visit_rows = window.institution_model.rowCount(), window.visit_model.rowCount()
        print(
            f"gui ok: window visible={window.isVisible()} institutions={rows} visits={visit_rows} title={window.windowTitle()}",
            flush=True,
        )
        app.quit()

    QTimer.singleShot(int(delay), report_and_quit)

