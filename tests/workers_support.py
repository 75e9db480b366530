"""No background work outlives its test: thread pools drained, child processes ended.

A task still running after its test writes into the next test's event loop, or into a
database folder that pytest is about to delete; a report ``QProcess`` left running
keeps a Python child alive after the run. ``BackgroundWork`` tracks every ``QProcess``
started during a test and, on ``drain()``, waits for every ``QThreadPool`` the app uses
(the global one and the pools ``ui.workers`` keeps), kills what processes are still
running, then delivers the queued results so they run while their test is still on.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QProcess, QThreadPool

DRAIN_TIMEOUT_MS = 20_000


def app_pools() -> list[QThreadPool]:
    """The global pool and any pool ``ui.workers`` holds at module level (whatever its name)."""
    pools = [QThreadPool.globalInstance()]
    workers = sys.modules.get("ui.workers")
    if workers is not None:
        pools += [value for value in vars(workers).values() if isinstance(value, QThreadPool)]
    return pools


class BackgroundWork:
    def __init__(self) -> None:
        self.processes: list[QProcess] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        original = QProcess.start
        tracked = self.processes

        def start(process: QProcess, *args: Any, **kwargs: Any) -> None:
            tracked.append(process)
            original(process, *args, **kwargs)

        monkeypatch.setattr(QProcess, "start", start)

    def drain(self) -> list[str]:
        """Wait for pools, kill processes; what had to be killed or did not finish, as text."""
        left: list[str] = []
        for pool in app_pools():
            if not pool.waitForDone(DRAIN_TIMEOUT_MS):
                left.append(f"a task in {pool!r} did not finish within {DRAIN_TIMEOUT_MS} ms")
        for process in self.processes:
            try:
                running = process.state() != QProcess.ProcessState.NotRunning
            except RuntimeError:  # its C++ object is gone, and the process with it
                continue
            if running:
                process.kill()
                process.waitForFinished(5_000)
        self.processes.clear()
        app = QCoreApplication.instance()
        if app is not None:
            app.processEvents()
        return left
