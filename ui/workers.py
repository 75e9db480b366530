"""One helper runs all background work: op in a pool thread, results back on the GUI thread.

The op never touches widgets; it may report progress through the callback it receives
and should stop when ``cancelled()`` turns true.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

ProgressFn = Callable[[int, int], None]


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)
    finished = Signal()


class Task(QRunnable):
    """A cancellable unit of background work.

    ``op(progress, cancelled)`` runs in the pool; connect to ``signals`` for results.
    """

    def __init__(self, op: Callable[[ProgressFn, Callable[[], bool]], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = _Signals()
        self._op = op
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    def is_cancelled(self) -> bool:
        return self._cancelled

    def run(self) -> None:
        try:
            result = self._op(self.signals.progressed.emit, self.is_cancelled)
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
