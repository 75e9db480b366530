"""The one way the window runs work off the GUI thread: :func:`run_op`.

Modelled on Anki's ``CollectionOp``/``QueryOp`` (``aqt/operations``): the caller says
*what* to run and *what to do with the result*; this module owns everything else, so no
widget repeats it:

* **where it runs** — a pool thread (database writes are serialised on one thread, CPU
  work such as Pillow decoding may use the global pool), or a child process for work
  that would hold the interpreter lock too long (reports: see ``ui/report_process.py``);
* **widget lifetime** — the :class:`Op` is a child of ``parent``: when the parent is
  deleted the op's token is cancelled and no callback ever reaches a deleted widget
  (``shiboken6.isValid`` is checked here and nowhere else);
* **focus** — when a shown progress dialog closes, the outcome is handled once the window
  it covered is active again, so a handler finds the keyboard where the user left it;
* **progress and cancel** — one progress dialog, window-modal, shown only when the work
  lasts longer than :data:`PROGRESS_DELAY_MS`, its Cancel button wired to the op's
  :class:`~auditapp.progress.CancelToken`;
* **failures** — an :class:`~auditapp.errors.AuditAppError` or a
  :class:`ui.messages.UserMessage` is shown with its GUI hint (or handed to
  ``on_error``); anything else is a bug, logged with its traceback and shown as a short
  apology by :func:`ui.messages.show_unexpected`. A :class:`~auditapp.progress.Cancelled`
  (or an area's subclass: ``SyncCancelled``, ``ReportCancelled``, ``ExportCancelled``) is
  no error: ``on_cancelled`` runs instead.

The op itself never touches widgets: it gets ``(progress, token)``; ``progress(done,
total, text="")`` may be called from the worker thread.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any, Literal, Protocol

import shiboken6
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QProgressDialog, QWidget

from auditapp.errors import AuditAppError
from auditapp.progress import Cancelled, CancelToken, Progress

# Work that ends sooner than this shows no dialog at all (no flicker for quick saves).
PROGRESS_DELAY_MS = 400
# How long a result waits for the window a progress dialog covered to be active again.
WINDOW_BACK_MS = 300

OpFn = Callable[[Progress, CancelToken], Any]
ProgressDialog = QProgressDialog  # for annotations elsewhere: the class itself is used only here
PoolName = Literal["db", "cpu"]


class JobSignals(QObject):
    """What every job reports, from whichever thread it runs in."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception, with ``__traceback_text__`` when it is a bug
    cancelled = Signal()
    finished = Signal()


class ChildJob(Protocol):
    """Work in a child process (``ui.report_process.ReportProcess``): started and cancelled here."""

    signals: JobSignals

    def begin(self) -> None: ...

    def cancel(self) -> None: ...


class _ThreadJob(QRunnable):
    """Owned by the pool once started (auto-delete): deleted when ``run`` has returned."""

    def __init__(self, fn: OpFn, token: CancelToken) -> None:
        super().__init__()
        # Owned by the keeper (GUI thread), so it is deleted there, after its last signal
        # is delivered, even when the pool thread drops the job's last Python reference.
        self.signals = JobSignals(_keeper_object())
        self._fn = fn
        self._token = token

    def _progress(self, done: int, total: int, text: str = "") -> None:
        self.signals.progressed.emit(int(done), int(total), text or "")

    def run(self) -> None:
        try:
            result = self._fn(self._progress, self._token)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # delivered to the GUI thread, which applies the policy
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.signals.failed.emit(exc)
        else:
            # Returned, even after Cancel: what it did (photos imported so far) is real.
            self.signals.succeeded.emit(result)
        finally:
            self.signals.finished.emit()


# Database writes are serialised on one thread; CPU work (Pillow, Qt image decoding) may use more.
_db_pool: QThreadPool | None = None


def db_pool() -> QThreadPool:
    global _db_pool
    if _db_pool is None:
        _db_pool = QThreadPool()
        _db_pool.setMaxThreadCount(1)
    return _db_pool


def _pool(name: PoolName) -> QThreadPool:
    return db_pool() if name == "db" else QThreadPool.globalInstance()


class _Keeper(QObject):
    """Holds every job's signals (and child process) until its last signal was delivered.

    A QObject must be deleted in the thread it lives in: the signals are created here,
    in the GUI thread, and deleted here with ``deleteLater`` — never by the pool thread
    that happens to drop the last Python reference to the job.
    """

    def __init__(self) -> None:
        super().__init__()
        self.live: dict[int, Any] = {}

    def keep(self, signals: JobSignals, job: Any) -> None:
        self.live[id(signals)] = job
        signals.finished.connect(self._release, Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _release(self) -> None:
        signals = self.sender()
        key = id(signals)
        if signals is not None and signals.parent() is self:
            signals.deleteLater()
        # Not while its signal is being delivered: a child process would delete the sender.
        QTimer.singleShot(0, lambda: self.live.pop(key, None))


_keeper: _Keeper | None = None


def _keeper_object() -> _Keeper:
    global _keeper
    if _keeper is None:
        _keeper = _Keeper()
    return _keeper


_CANCEL = QT_TRANSLATE_NOOP("Operations", "Cancel")
_CANCELLING = QT_TRANSLATE_NOOP("Operations", "Cancelling…")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Operations", text)


class Op(QObject):
    """One running operation, owned by its parent widget. Returned by :func:`run_op`."""

    finished = Signal()

    def __init__(
        self,
        parent: QWidget,
        on_success: Callable[[Any], None],
        *,
        title: str,
        error_title: str,
        on_error: Callable[[BaseException], None] | None,
        on_cancelled: Callable[[], None] | None,
        on_finished: Callable[[], None] | None,
    ) -> None:
        super().__init__(parent)
        self.token = CancelToken()
        self.dialog: QProgressDialog | None = None
        self.child: ChildJob | None = None
        self.done = False
        self._held: list[Callable[[], None]] | None = None  # outcomes waiting for the window (_hold)
        self._held_window: QWidget | None = None
        self._title = title
        self._error_title = error_title or title
        self._on_success = on_success
        self._on_error = on_error
        self._on_cancelled = on_cancelled
        self._on_finished = on_finished

    @property
    def signals(self) -> Op:
        """``op.signals.finished``, as for the job itself (tests wait on it)."""
        return self

    def cancel(self) -> None:
        self.token.cancel()
        if self.child is not None and not self.done:
            self.child.cancel()

    def is_running(self) -> bool:
        return not self.done

    def _alive(self) -> bool:
        # A child of its widget: when the widget is deleted, so is this (no reference to it
        # is kept in Python, which would tie the two wrappers' lifetimes the wrong way).
        return shiboken6.isValid(self) and isinstance(self.parent(), QWidget)

    def _parent_widget(self) -> QWidget | None:
        parent = self.parent() if shiboken6.isValid(self) else None
        return parent if isinstance(parent, QWidget) else None

    def show_progress(self, label: str, *, total: int, cancel: bool) -> QProgressDialog:
        dialog = QProgressDialog(label, _tr(_CANCEL) if cancel else "", 0, max(total, 0), self._parent_widget())
        if not cancel:
            dialog.setCancelButton(None)  # type: ignore[arg-type]
        if self._title:
            dialog.setWindowTitle(self._title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setValue(0)  # (re)starts the dialog's own timer: it shows itself after the delay
        dialog.canceled.connect(self._cancel_clicked)
        self.dialog = dialog
        return dialog

    @Slot()
    def _cancel_clicked(self) -> None:
        self.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(_tr(_CANCELLING))

    @Slot(int, int, str)
    def _progressed(self, done: int, total: int, text: str) -> None:
        dialog = self.dialog
        if dialog is None or not shiboken6.isValid(dialog) or dialog.wasCanceled():
            return
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if text:
            dialog.setLabelText(text)

    # Outcomes arrive as signals; each is handled by ``_deliver`` in arrival order, held while
    # the window that a progress dialog covered becomes active again (see ``_hold``).

    @Slot(object)
    def _succeeded(self, result: object) -> None:
        self._close_dialog()
        self._deliver(lambda: self._on_success(result) if self._alive() else None)

    @Slot(object)
    def _failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        if isinstance(exc, Cancelled):  # SyncCancelled, ReportCancelled, ExportCancelled too
            self._cancelled()
            return
        self._close_dialog()
        self._deliver(lambda: self._report_failure(exc))

    def _report_failure(self, exc: BaseException) -> None:
        """The one policy: the user's errors with their GUI hint, a bug logged and apologised for."""
        from ui import messages

        parent = self._parent_widget()
        if not isinstance(exc, (AuditAppError, messages.UserMessage)):
            messages.show_unexpected(parent, exc, context=self._error_title)  # a bug: logged, apologised for
        elif parent is None:
            return
        elif self._on_error is not None:
            self._on_error(exc)
        else:
            messages.show_failure(parent, self._error_title, exc)

    @Slot()
    def _cancelled(self) -> None:
        self._close_dialog()
        self._deliver(lambda: self._on_cancelled() if self._on_cancelled is not None and self._alive() else None)

    @Slot()
    def _finished(self) -> None:
        self._close_dialog()
        self._deliver(self._end)

    def _end(self) -> None:
        self.done = True
        if self._on_finished is not None and self._alive():
            self._on_finished()
        # Drop the callbacks (closures over the widget) now, not when Python gets round to it.
        self._on_success = self._on_error = self._on_cancelled = self._on_finished = None  # type: ignore[assignment]
        if shiboken6.isValid(self):
            self.finished.emit()
            self.deleteLater()

    def _deliver(self, handler: Callable[[], None]) -> None:
        if self._held is not None:
            self._held.append(handler)
        else:
            handler()

    def _close_dialog(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None and shiboken6.isValid(dialog):
            shown = dialog.isVisible()
            dialog.canceled.disconnect(self._cancel_clicked)
            dialog.close()
            dialog.deleteLater()
            if shown:
                self._hold()

    def _hold(self) -> None:
        """Handle the outcome only once the covered window is active again (or after a moment).

        A shown dialog takes the window's activation and the keyboard. The window system
        gives them back later than the dialog closes: a handler run at once would see no
        focus at all (the visit runner, which hands the keys from the photo strip back to
        the item list after an import, then does nothing) and the old focus would return
        behind its back.
        """
        parent = self._parent_widget()
        window = parent.window() if parent is not None else None
        if window is None or not window.isVisible() or window.isActiveWindow():
            return
        self._held = []
        self._held_window = window
        window.installEventFilter(self)
        window.activateWindow()
        QTimer.singleShot(WINDOW_BACK_MS, self, self._release)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._held_window and event.type() == QEvent.Type.WindowActivate:
            QTimer.singleShot(0, self, self._release)  # after Qt gave the window its focus widget back
        return False

    @Slot()
    def _release(self) -> None:
        held, self._held = self._held, None
        window, self._held_window = self._held_window, None
        if window is not None and shiboken6.isValid(window):
            window.removeEventFilter(self)
        for handler in held or []:
            handler()

    def _attach(self, signals: JobSignals) -> None:
        signals.progressed.connect(self._progressed)
        signals.succeeded.connect(self._succeeded)
        signals.failed.connect(self._failed)
        signals.cancelled.connect(self._cancelled)
        signals.finished.connect(self._finished)


def run_op(
    parent: QWidget,
    op: OpFn | ChildJob,
    on_success: Callable[[Any], None],
    *,
    progress: str | None = None,
    cancel: bool = True,
    total: int = 0,
    title: str = "",
    error_title: str = "",
    on_error: Callable[[BaseException], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    on_finished: Callable[[], None] | None = None,
    pool: PoolName = "db",
) -> Op:
    """Run ``op`` off the GUI thread; ``on_success(result)`` runs on it if ``parent`` still exists.

    ``op`` is ``fn(progress, token)`` (run in the ``pool``: ``"db"`` for anything that
    writes, ``"cpu"`` for pure computation) or a :class:`ChildJob`. ``progress`` is the
    label of the progress dialog (None: no dialog, e.g. a background refresh);
    ``cancel`` gives it a Cancel button; ``total`` its first maximum (0: busy bar).
    ``title`` names the progress dialog (what is being done: "Print") and, unless
    ``error_title`` is given ("Printing failed"), the message when it fails. ``on_error`` replaces the default
    message for the user's errors (never for bugs); ``on_finished`` runs after any
    outcome, for re-enabling buttons.
    """
    handle = Op(
        parent, on_success, title=title, error_title=error_title,
        on_error=on_error, on_cancelled=on_cancelled, on_finished=on_finished,
    )
    if progress is not None:
        handle.show_progress(progress, total=total, cancel=cancel)
    if callable(op):
        token = handle.token
        job = _ThreadJob(op, token)
        parent.destroyed.connect(lambda *_args: token.cancel())  # nobody is left to want the result
        handle._attach(job.signals)
        _keeper_object().keep(job.signals, None)
        _pool(pool).start(job)
    else:
        handle.child = op
        parent.destroyed.connect(op.cancel)  # the child process does not outlive its window
        handle._attach(op.signals)
        _keeper_object().keep(op.signals, op)
        op.begin()
    return handle


def running_ops(widget: QObject) -> list[Op]:
    """The operations ``widget`` started that have not finished (its ``busy()``)."""
    return [op for op in widget.findChildren(Op) if op.is_running()]
