"""Sync's side of ``auditapp.progress``: its cancel check and one bar over several phases."""

from __future__ import annotations

from auditapp.progress import CancelToken, Progress
from auditapp.sync.errors import SyncCancelled

SCALE = 1000


def checkpoint(cancel: CancelToken | None) -> None:
    """Raise SyncCancelled once ``cancel`` is set: the open transaction then rolls back."""
    if cancel is not None and cancel.cancelled:
        raise SyncCancelled()


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
        progress = self.progress

        def report(done: int, total: int, text: str = "") -> None:
            share = (done / total) if total else 1.0
            value = int(SCALE * (self.starts[index] + self.sizes[index] * min(1.0, share)))
            if value != self.last:
                self.last = value
                progress(value, SCALE, text)

        return report

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(SCALE, SCALE, "")
