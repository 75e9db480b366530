"""Start-up of the GUI: Qt application, font, translations, database, main window.

Two ways to the first window. The **fast start**, for a returning user: when the home
screen's snapshot of the last session provably shows what the database holds
(``ui/home_snapshot.py``), the window is built from it and shown before SQLAlchemy, the
ORM models or pydantic are imported; on the first event-loop turn the database is opened
in the background (``run_op``) and attached to the window, which then fills itself from
the services. The **usual start** (no snapshot, or one that does not match, or a
settings file the quick read does not take): open the database, build the window on it,
show it. Either way a database that cannot be opened is reported with the same message,
and the program ends with exit code 1.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from auditapp import paths
from auditapp.errors import AuditAppError
from auditapp.language import current_language
from auditapp.progress import CancelToken, Progress
from auditapp.settings_file import quick_settings, resolve_data_dir
from ui import error_log, home_snapshot, messages
from ui.fonts import register_cjk_font
from ui.i18n import install_translator
from ui.main_window import HomeRead, MainWindow, read_home
from ui.single_instance import InstanceGuard, ask_first_window_to_activate
from ui.table_models import InstitutionTableModel, VisitTableModel
from ui.workers import Op, run_op

if TYPE_CHECKING:
    from auditapp.db import Database
    from auditapp.settings import Settings

log = logging.getLogger("auditapp.ui")


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
    from auditapp.settings import Settings, load_settings

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
    the platform default; ``--demo`` → the demo folder). The settings are read quickly
    (standard library, :func:`auditapp.settings_file.quick_settings`) when the file is a
    plain one, else validated in full here, which reports a broken file.
    """
    quick = quick_settings()
    settings: Settings | None = None
    settings_problem: str | None = None
    if quick is None:
        settings, settings_problem = _load_settings()
    app = create_application(language=settings.language if settings is not None else quick.language if quick else "zh_CN")
    try:
        data_dir = resolve_data_dir(
            None if data_dir is None else str(data_dir), demo=demo, settings=settings if settings is not None else quick
        )
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


def _cannot_open(exc: AuditAppError | messages.UserMessage) -> None:
    """The database was refused (locked, too new, damaged …): the same message on either start."""
    messages.show_error(None, QApplication.translate("App", "Cannot open the data folder"), exc)


def _actor(settings: Settings) -> str:
    # The change log records who changed what: the inspector named in Settings. Never
    # the computer's login ("root"): until a name is given, an explicit placeholder.
    return settings.inspector or QApplication.translate("App", "(inspector not set)")


def snapshot_context(data_dir: Path, day: date | None = None) -> home_snapshot.Context:
    """What a home snapshot must have been written under to be shown now."""
    return home_snapshot.Context.now(data_dir, language=current_language(), day=(day or date.today()).isoformat())


def usable_snapshot(data_dir: Path) -> home_snapshot.HomeSnapshot | None:
    """The last session's home screen if it shows what the database holds now (else None)."""
    return home_snapshot.read_snapshot(
        data_dir,
        snapshot_context(data_dir),
        institution_columns=len(InstitutionTableModel.headers),
        visit_columns=len(VisitTableModel.headers),
    )


def keep_home_snapshot(window: MainWindow) -> None:
    """Close the window's database and keep its home screen for the next start.

    The rows are read again first if anything was written since they were (a visit
    edited in the runner after the home screen was last filled); the stamp is taken
    after the database is closed, since closing checkpoints the ``-wal`` into the file.
    """
    from ui.workers import db_pool

    data_dir = window.data_dir
    try:
        if not window.home_is_current():
            window.reread_home()
        snapshot = window.home_snapshot()
        context = snapshot_context(data_dir)
    except AuditAppError:
        snapshot = None
    finally:
        db_pool().waitForDone(15000)  # no read of the panels may reopen it after the close
        window.db.close()
    stamp = home_snapshot.database_stamp(data_dir)
    if snapshot is None or stamp is None:
        home_snapshot.discard_snapshot(data_dir)
        return
    try:
        home_snapshot.write_snapshot(data_dir, snapshot, context, stamp)
    except OSError as exc:  # a cache: the next start is the usual one
        log.info("home snapshot not written: %s", exc)
        home_snapshot.discard_snapshot(data_dir)


# What MainWindow.attach() and its first refresh use.
_ATTACH_MODULES = ("auditapp.services.institutions", "auditapp.services.visits", "ui.due_widget", "ui.duty_view")


class BackgroundOpen:
    """The fast start's database: opened on a pool thread, then attached to the shown window."""

    def __init__(self, app: QApplication, window: MainWindow, data_dir: Path, *, demo: bool) -> None:
        self.app, self.window, self.data_dir, self.demo = app, window, data_dir, demo
        self.db: Database | None = None  # set by the thread, so that a quit before attach closes it
        self.failed = False
        self.when_attached: list[Callable[[], None]] = []

    def start(self) -> Op:
        placeholder = QApplication.translate("App", "(inspector not set)")
        selected = self.window.selected_institution_id()

        def op(_progress: Progress, _token: CancelToken) -> tuple[Settings, str | None, HomeRead]:
            from auditapp.db import open_database

            settings, problem = _load_settings()
            self.db = open_database(self.data_dir, actor=settings.inspector or placeholder)
            for module in _ATTACH_MODULES:  # imported here rather than on the GUI thread
                importlib.import_module(module)
            return settings, problem, read_home(self.db, selected)  # the lists too: no query on the GUI thread

        return run_op(
            self.window, op, self._opened, on_error=self._failed, on_finished=self._finished,
            error_title=QApplication.translate("App", "Cannot open the data folder"),
        )

    def _opened(self, result: tuple[Settings, str | None, HomeRead]) -> None:
        settings, problem, read = result
        assert self.db is not None
        self.window.attach(self.db, settings, read=read)
        log.info("database attached to the window shown from the snapshot")
        if problem:
            messages.show_info(self.window, QApplication.translate("App", "Settings"), problem)
        first_turn(self.window, demo=self.demo, ask_name=not os.environ.get("AUDITAPP_QUIT_AFTER_MS"))
        for callback in self.when_attached:
            callback()

    def _failed(self, exc: BaseException) -> None:
        self.failed = True
        self.window.database_failed()
        self.window.hide()  # as on the usual start: the message, no window
        assert isinstance(exc, AuditAppError | messages.UserMessage)  # run_op reports a bug itself
        _cannot_open(exc)
        self.app.exit(1)

    def _finished(self) -> None:
        if not self.window.attached and not self.failed:  # a bug, already reported by run_op
            self.failed = True
            self.window.database_failed()
            self.app.exit(1)

    def close_unattached(self) -> None:
        """At exit: a database opened but never attached (the window closed meanwhile) is closed."""
        if self.db is not None and not (self.window.attached and self.window.db is self.db):
            self.db.close()


def _open_window(
    app: QApplication, guard: InstanceGuard, data_dir: Path, settings: Settings | None, settings_problem: str | None,
    *, demo: bool,
) -> int:
    """Build and show the main window on a folder this process holds (fast or usual start); run the loop.

    ``settings`` None: the quick read took the settings file, so the fast start may be
    used; the validated settings are then loaded with the database.
    """
    error_log.setup_logging(data_dir)
    error_log.install_excepthook()
    try:
        log.info("window opened on %s", data_dir)
        if settings_problem:
            messages.show_info(None, QApplication.translate("App", "Settings"), settings_problem)
        snapshot = usable_snapshot(data_dir) if settings is None else None
        opening: BackgroundOpen | None = None
        if snapshot is not None:
            window = MainWindow(None, data_dir=data_dir, snapshot=snapshot)
            opening = BackgroundOpen(app, window, data_dir, demo=demo)
        else:
            if settings is None:
                settings, settings_problem = _load_settings()
                if settings_problem:  # the file changed since the quick read
                    messages.show_info(None, QApplication.translate("App", "Settings"), settings_problem)
            from auditapp.db import open_database

            try:
                db = open_database(data_dir, actor=_actor(settings))
            except AuditAppError as exc:
                _cannot_open(exc)
                return 1
            try:
                window = MainWindow(db, settings=settings)
            except BaseException:
                db.close()
                raise
        guard.activateRequested.connect(window.bring_to_front)
        window.show_restored()
        # First the release checks' report (its "gui ok" line times the window shown, before
        # the background open competes for the interpreter), then the first turn's work.
        _quit_after_for_release_checks(app, window, opening)
        ask_name = not os.environ.get("AUDITAPP_QUIT_AFTER_MS")
        if opening is not None:
            QTimer.singleShot(0, window, opening.start)
        else:
            QTimer.singleShot(0, window, lambda: first_turn(window, demo=demo, ask_name=ask_name))
        try:
            return app.exec()
        finally:
            from ui.workers import db_pool

            db_pool().waitForDone(15000)  # a background read (the deadline panel) must not outlive the database
            if opening is not None:
                opening.close_unattached()
            if window.attached:
                keep_home_snapshot(window)  # closes window.db (after a restore a new Database)
    finally:
        error_log.close_logging()


def _quit_after_for_release_checks(app: QApplication, window: MainWindow, opening: BackgroundOpen | None) -> None:
    """``AUDITAPP_QUIT_AFTER_MS``: show the window, report what it shows, quit once the database is attached.

    Used by the bundle smoke test (there is no one to close the window in CI) and by
    tests/bench/bench_startup.py, whose clock stops at the "gui ok" line: with ``0`` it
    comes on the first event-loop turn after show(), the visit list already filled
    (``visits=``), from the database or from the snapshot. The "db ok" line follows
    when the window works on its database (at once on the usual start); then it quits,
    writing the snapshot as a user's quit does.
    """
    delay = os.environ.get("AUDITAPP_QUIT_AFTER_MS")
    if not delay:
        return

    def counts() -> str:
        return f"institutions={window.institution_model.rowCount()} visits={window.visit_model.rowCount()}"

    def report_db_and_quit() -> None:
        print(f"db ok: {counts()} snapshot={'yes' if opening is not None else 'no'}", flush=True)
        app.quit()

    def report_gui() -> None:
        print(f"gui ok: window visible={window.isVisible()} {counts()} title={window.windowTitle()}", flush=True)
        if window.attached:
            report_db_and_quit()
        elif opening is not None:
            opening.when_attached.append(report_db_and_quit)

    QTimer.singleShot(int(delay), report_gui)
