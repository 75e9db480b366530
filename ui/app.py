"""Start-up of the GUI: Qt application, font, translations, database, main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QProgressDialog

from auditapp import paths
from auditapp.db import Database, open_database
from auditapp.errors import AuditAppError
from auditapp.settings import Settings, load_settings, resolve_data_dir
from ui import messages
from ui.fonts import register_cjk_font
from ui.i18n import install_translator
from ui.main_window import MainWindow
from ui.workers import Task, run_task


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


def ensure_demo_data(db: Database, parent: object = None) -> None:
    """Create the demo hospitals in a worker, with a busy indicator, if they are missing."""
    from auditapp.services.demo import create_demo_data

    dialog = QProgressDialog(
        QApplication.translate("App", "Creating demo data…"), "", 0, 0, None
    )
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(300)
    loop = QEventLoop()
    errors: list[BaseException] = []
    task = Task(lambda _progress, _cancelled: create_demo_data(db))
    task.signals.failed.connect(errors.append)
    task.signals.finished.connect(loop.quit)
    run_task(task)
    loop.exec()
    dialog.close()
    if errors:
        raise errors[0]


def run(*, data_dir: str | Path | None = None, demo: bool = False) -> int:
    """Open the main window on ``data_dir`` (the ``--data-dir`` value; None: the usual rule).

    The folder is chosen by :func:`auditapp.settings.resolve_data_dir`, the same rule as
    every command of the command line (``--data-dir`` > ``$AUDITAPP_DATA_DIR`` > Settings >
    the platform default; ``--demo`` → the demo folder).
    """
    settings, settings_problem = _load_settings()
    app = create_application(language=settings.language)
    if settings_problem:
        messages.show_info(None, QApplication.translate("App", "Settings"), settings_problem)
    try:
        folder = resolve_data_dir(None if data_dir is None else str(data_dir), demo=demo, settings=settings)
        # The change log records who changed what: the inspector named in Settings, else the login.
        db = open_database(folder, actor=settings.inspector or None)
    except AuditAppError as exc:
        messages.show_error(None, QApplication.translate("App", "Cannot open the data folder"), exc)
        return 1
    if demo:
        ensure_demo_data(db)
    window = MainWindow(db, settings=settings)
    window.show()
    _quit_after_for_release_checks(app, window)
    try:
        return app.exec()
    finally:
        window.db.close()  # after a restore the window holds a new Database


def _quit_after_for_release_checks(app: QApplication, window: MainWindow) -> None:
    """``AUDITAPP_QUIT_AFTER_MS``: show the window, report what it shows, quit.

    Used by the bundle smoke test (there is no one to close the window in CI).
    """
    delay = os.environ.get("AUDITAPP_QUIT_AFTER_MS")
    if not delay:
        return

    def report_and_quit() -> None:
        rows = window.institution_model.rowCount()
        print(f"gui ok: window visible={window.isVisible()} institutions={rows} title={window.windowTitle()}", flush=True)
        app.quit()

    QTimer.singleShot(int(delay), report_and_quit)

