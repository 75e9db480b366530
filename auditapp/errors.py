"""User-facing errors: conditions caused by the environment or the input, not bugs.

The GUI shows these as messages and the CLI prints them to stderr with exit code 1.
Anything else that escapes is a bug and keeps its traceback. Each message says what
went wrong, where, and how to fix it.
"""

from __future__ import annotations


class AuditAppError(Exception):
    """Base class of every error a user may see as a message."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n{self.hint}"
        return self.message


class NotFoundError(AuditAppError):
    """A referenced record (institution, visit, item, finding …) does not exist."""


class InvalidInputError(AuditAppError):
    """A value given by the user is not acceptable (bad enum, empty name …)."""


class VisitFinalizedError(AuditAppError):
    """The visit is finalized and therefore read-only."""


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


class ChecklistError(AuditAppError):
    """One or more checklist files are invalid.

    ``problems`` holds every problem as ``file:line: message`` so all of them can be
    shown at once, not just the first.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in checklist files:"
        super().__init__("\n".join([head, *self.problems]))


class PhotoError(AuditAppError):
    """A photo could not be imported (corrupt, unsupported, too large …)."""


class BackupError(AuditAppError):
    """A backup could not be made or restored."""
