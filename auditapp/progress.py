"""Progress and cancel for long work: one callback type, one token, one exception.

Every long operation of the core (photo import, floor-plan import, demo data, reports,
sync, package export and import) takes the same two keyword arguments::

    def long_operation(..., progress: Progress | None = None, cancel: CancelToken | None = None)

- ``progress(done, total, text)`` is called as work advances; ``text`` names the
  current step for a person (a file name, a phase) and may be ``""``. It is called on
  the worker's thread: a GUI forwards it to its own thread (a Qt signal).
- ``cancel`` is a :class:`CancelToken` that another thread may :meth:`~CancelToken.cancel`.
  The operation calls :meth:`~CancelToken.raise_if_cancelled` between units of work,
  which raises :class:`Cancelled` (an area may raise its own subclass, e.g.
  ``SyncCancelled``, ``ReportCancelled``). The work then leaves nothing behind: a
  transaction rolls back, a report file is not written. Two operations stop without
  raising and say so in their result instead: photo import (stores nothing, returns no
  photos) and demo data (each hospital is its own unit; a later call adds the rest).

The module is at the bottom of the core (no imports from it but errors), so the
services, reports, sync and the GUI's background-work helper can all use it.
"""

from __future__ import annotations

import threading
from typing import Protocol

from auditapp.errors import AuditAppError


class Progress(Protocol):
    """``progress(done, total, text)``: ``done`` of ``total`` units, ``text`` the current step."""

    def __call__(self, done: int, total: int, text: str, /) -> None: ...


class Cancelled(AuditAppError):  # noqa: N818 - a user's choice, not an error: SyncCancelled, ReportCancelled
    """The user cancelled a long operation; what it promised not to leave half-done was not.

    Raised as ``Cancelled("work.cancelled")``; areas with their own words subclass it.
    """


class CancelToken:
    """A flag one thread sets (:meth:`cancel`) and the worker checks (thread-safe)."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the operation to stop at its next check; harmless when it already ended."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        """Raise :class:`Cancelled` once :meth:`cancel` was called."""
        if self._event.is_set():
            raise Cancelled("work.cancelled")

    def __repr__(self) -> str:
        return f"CancelToken(cancelled={self.cancelled})"


def is_cancelled(cancel: CancelToken | None) -> bool:
    """``cancel.cancelled``, False without a token (for loops that stop instead of raising)."""
    return cancel is not None and cancel.cancelled


def check(cancel: CancelToken | None) -> None:
    """``cancel.raise_if_cancelled()``, nothing without a token."""
    if cancel is not None:
        cancel.raise_if_cancelled()


__all__ = ["CancelToken", "Cancelled", "Progress", "check", "is_cancelled"]
