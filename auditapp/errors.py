"""User-facing errors: conditions caused by the environment or the input, not bugs.

An error carries a **code** and **parameters**, not a sentence: the words live in the
message catalog (``auditapp.messages``), in Chinese and English, with a hint on how to
fix it worded for its audience — the command line names options (``--inspector``), the
GUI names fields and buttons. The GUI shows these as messages and the CLI prints them to
stderr with exit code 1. Anything else that escapes is a bug: the CLI and GUI log it with
its traceback and show a short apology instead.

Raise them as ``InvalidInputError("visit.inspector_missing")`` or
``NotFoundError("visit.not_found", ref=ref)``; parameters may be plain values or
:class:`auditapp.terms.Term` (a domain word translated when the message is rendered).
"""

from __future__ import annotations

from typing import Any, Literal

Audience = Literal["cli", "gui"]


class AuditAppError(Exception):
    """Base class of every error a user may see as a message."""

    def __init__(self, code: str, /, **params: Any) -> None:
        # Every raise names a catalog code; tests/test_messages.py fails on one that is
        # not in the catalog, so no sentence is ever hard-coded at a raise site.
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, language: str | None = None) -> str:
        """What went wrong and where, in ``language`` (default: the user's language)."""
        from auditapp.messages import render_message

        return render_message(self.code, self.params, language)

    def hint(self, language: str | None = None, audience: Audience = "cli") -> str:
        """How to fix it, worded for the command line or the GUI ('' when there is nothing to add)."""
        from auditapp.messages import render_hint

        return render_hint(self.code, self.params, language, audience)

    def full_text(self, language: str | None = None, audience: Audience = "cli") -> str:
        hint = self.hint(language, audience)
        message = self.message(language)
        return f"{message}\n{hint}" if hint else message

    def __str__(self) -> str:
        return self.full_text()


class NotFoundError(AuditAppError):
    """A referenced record (institution, visit, item, finding …) does not exist."""


class InvalidInputError(AuditAppError):
    """A value given by the user is not acceptable (bad enum, empty name …)."""


class VisitFinalizedError(AuditAppError):
    """The visit is finalized and therefore read-only."""


class StaleEditError(AuditAppError):
    """The record changed (in another window or by a command) since it was shown.

    Raised instead of silently overwriting the newer value; the GUI reloads and tells
    the user what changed.
    """


class TransitionError(AuditAppError):
    """A rectification status change that the lifecycle does not allow (or lacks evidence for)."""


class DatabaseError(AuditAppError):
    """Base for problems with the database file itself."""


class DatabaseLockedError(DatabaseError):
    """Another program holds a write lock on the database."""


class DatabaseReadOnlyError(DatabaseError):
    """The database file or its folder cannot be written."""


class DatabaseCorruptError(DatabaseError):
    """The file is not a SQLite database or fails its integrity check."""


class DatabaseTooNewError(DatabaseError):
    """The database was written by a newer version of the app."""


class DataFolderInUseError(DatabaseError):
    """Another window of the app already works on this data folder."""


class ChecklistError(AuditAppError):
    """One or more checklist files are invalid.

    ``problems`` holds every problem as ``file:line: message`` so all of them can be
    shown at once, not just the first. Checklist authors read these; the lines stay as
    the validator wrote them.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("checklist.invalid_files", count=len(self.problems), problems="\n".join(self.problems))


class PhotoError(AuditAppError):
    """A photo could not be imported (corrupt, unsupported, too large …)."""


class BackupError(AuditAppError):
    """A backup could not be made or restored."""


class FileAccessError(AuditAppError):
    """A file or folder the user named cannot be read or written (missing, a folder, a device …)."""
