"""One helper runs all background work: op in a pool thread, results back on the GUI thread.

The op never touches widgets; it gets ``(progress, token)`` (``auditapp.progress``):
``progress(done, total, text)`` reaches the GUI thread as a signal, and the token is
cancelled by :meth:`Task.cancel`, so the op passes it straight to the core's
``cancel=`` parameter.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog

from auditapp.progress import CancelToken, Progress

ProgressFn = Progress


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)
    finished = Signal()


class Task(QRunnable):
    """A cancellable unit of background work.

    ``op(progress, token)`` runs in the pool; connect to ``signals`` for results.
    """

    def __init__(self, op: Callable[[Progress, CancelToken], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = _Signals()
        self._op = op
        self.token = CancelToken()

    def cancel(self) -> None:
        self.token.cancel()

    def is_cancelled(self) -> bool:
        return self.token.cancelled

    def _progress(self, done: int, total: int, text: str = "") -> None:
        self.signals.progressed.emit(done, total)

    def run(self) -> None:
        try:
            result = self._op(self._progress, self.token)
        except Exception as exc:  # delivered to the GUI thread, which decides how to show it
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)
        finally:
            self.signals.finished.emit()


# Database writes are serialised on one thread; CPU work (Pillow, ReportLab) may use more.
_db_pool: QThreadPool | None = None


def db_pool() -> QThreadPool:
    global _db_pool
    if _db_pool is None:
        _db_pool = QThreadPool()
        _db_pool.setMaxThreadCount(1)
    return _db_pool


def run_task(task: Task, pool: QThreadPool | None = None) -> Task:
    (pool or db_pool()).start(task)
    return task


class TaskRelay(QObject):
    """Carries one background task's results back to the GUI thread.

    A QObject living in the GUI thread, so the worker's signals reach these slots
    queued; plain lambdas would have no thread to be queued to.
    """

    def __init__(
        self,
        parent: QObject,
        task: Task,
        *,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
        on_finished: Callable[[], None] = lambda: None,
        dialog: QProgressDialog | None = None,
    ) -> None:
        super().__init__(parent)
        self.task = task
        self._on_success = on_success
        self._on_failure = on_failure
        self._on_finished = on_finished
        self._dialog = dialog
        task.signals.succeeded.connect(self._succeeded)
        task.signals.failed.connect(self._failed)
        task.signals.progressed.connect(self._progressed)
        task.signals.finished.connect(self._finished)
        if dialog is not None:
            dialog.canceled.connect(task.cancel)

    @Slot(object)
    def _succeeded(self, result: object) -> None:
        self._close_dialog()
        self._on_success(result)

    @Slot(object)
    def _failed(self, exc: object) -> None:
        self._close_dialog()
        assert isinstance(exc, BaseException)
        self._on_failure(exc)

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        if self._dialog is not None and not self._dialog.wasCanceled():
            self._dialog.setMaximum(max(total, 1))
            self._dialog.setValue(done)

    @Slot()
    def _finished(self) -> None:
        self._close_dialog()
        self._on_finished()
        self.deleteLater()

    def _close_dialog(self) -> None:
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self.task.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
