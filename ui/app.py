"""Start-up of the GUI: Qt application, font, translations, database, main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QProgressDialog

from auditapp import paths
from auditapp.db import Database, open_database
from auditapp.errors import AuditAppError
from ui import messages
from ui.fonts import register_cjk_font
from ui.i18n import install_translator
from ui.main_window import MainWindow
from ui.workers import Task, run_task


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_AUTHOR)
    register_cjk_font(app)
    install_translator(app)
    return app


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


def run(*, data_dir: Path, demo: bool = False) -> int:
    app = create_application()
    try:
        db = open_database(data_dir)
    except AuditAppError as exc:
        messages.show_error(None, QApplication.translate("App", "Cannot open the data folder"), exc)
        return 1
    with db:
        if demo:
            ensure_demo_data(db)
        window = MainWindow(db)
        window.show()
        return app.exec()
