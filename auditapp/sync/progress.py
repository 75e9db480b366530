"""Progress and cancellation for long sync work that the GUI runs in a worker thread."""

from __future__ import annotations

import threading
from collections.abc import Callable

from auditapp.sync.errors import SyncCancelled

Progress = Callable[[int, int], None]
Cancel = threading.Event | Callable[[], bool] | None

SCALE = 1000


def cancel_check(cancel: Cancel) -> Callable[[], None] | None:
    """A function that raises SyncCancelled once ``cancel`` is set (an Event or a callable)."""
    if cancel is None:
        return None
    if isinstance(cancel, threading.Event):
        event = cancel

        def check_event() -> None:
            if event.is_set():
                raise SyncCancelled()

        return check_event

    fn = cancel

    def check_callable() -> None:
        if fn():
            raise SyncCancelled()

    return check_callable


class Phases:
    """Maps the (done, total) of consecutive phases onto one 0…1000 bar."""

    def __init__(self, progress: Progress | None, weights: list[float]) -> None:
        self.progress = progress
        total = sum(weights) or 1.0
        self.starts = [sum(weights[:i]) / total for i in range(len(weights))]
        self.sizes = [w / total for w in weights]
        self.last = -1

    def part(self, index: int) -> Progress | None:
        if self.progress is None:
            return None

        def report(done: int, total: int) -> None:
            share = (done / total) if total else 1.0
            value = int(SCALE * (self.starts[index] + self.sizes[index] * min(1.0, share)))
            if value != self.last:
                self.last = value
                assert self.progress is not None
                self.progress(value, SCALE)

        return report

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(SCALE, SCALE)
