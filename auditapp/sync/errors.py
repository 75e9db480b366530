"""Errors a user can meet while syncing; all are ``AuditAppError`` so CLI and GUI show them plainly."""

from __future__ import annotations

from auditapp.errors import AuditAppError


class SyncError(AuditAppError):
    """A sync or import could not be done; the databases were left unchanged."""


class PackageError(SyncError):
    """A package file is damaged, tampered with, too big or from a newer version.

    ``check`` names the check that failed (``hash-mismatch``, ``zip-slip`` …) so tests and
    the GUI can tell the cases apart without parsing the message.
    """

    def __init__(self, check: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint or "Nothing was imported. Ask the sender for a new package.")
        self.check = check


class SyncCancelled(SyncError):
    """The user cancelled; everything written so far was rolled back."""

    def __init__(self) -> None:
        super().__init__("sync cancelled; nothing was changed")
