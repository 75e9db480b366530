"""Errors a user can meet while syncing; all are ``AuditAppError`` so CLI and GUI show them plainly."""

from __future__ import annotations

from typing import Any

from auditapp.errors import AuditAppError
from auditapp.progress import Cancelled


class SyncError(AuditAppError):
    """A sync or import could not be done; the databases were left unchanged."""


class PackageError(SyncError):
    """A package file is damaged, tampered with, too big or from a newer version.

    Raised with a ``package.*`` catalog code; ``check`` is the machine-readable name of
    the check that failed, derived from the code (``package.zip_slip`` → ``zip-slip``),
    so tests and the GUI can tell the cases apart without parsing the message.
    """

    def __init__(self, code: str, /, *, check: str | None = None, **params: Any) -> None:
        super().__init__(code, **params)
        self.check = check or code.split(".", 1)[-1].replace("_", "-")


class SyncCancelled(SyncError, Cancelled):  # noqa: N818 - the user's choice, not an error (as Cancelled)
    """The user cancelled; everything written so far was rolled back."""

    def __init__(self) -> None:
        super().__init__("sync.cancelled")
