"""What a command handler gets: its parsed arguments and the data folder, opened on demand."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from auditapp.errors import InvalidInputError

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from auditapp.db import Database
    from auditapp.progress import Progress


class UsageError(InvalidInputError):
    """Bad usage: arguments that make no sense together, or argparse's own errors (exit 1, like every error)."""


class Context:
    """One run of one command.

    ``args`` holds the parsed arguments. ``data_dir`` is resolved on first use (commands
    that never touch the data folder, such as ``checklists validate``, never resolve it);
    ``db()`` opens the database there. Handlers return what they produced; set
    ``status`` for an exit code other than 0 without an error (``photo verify`` that found
    problems).
    """

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.status = 0
        self._data_dir: Path | None = None

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def machine_progress(self) -> bool:
        return bool(getattr(self.args, "progress", False))

    @property
    def data_dir(self) -> Path:
        if self._data_dir is None:
            from auditapp.settings import resolve_data_dir

            self._data_dir = resolve_data_dir(self.args.data_dir, demo=self.args.demo)
        return self._data_dir

    @property
    def resolved_data_dir(self) -> Path | None:
        """The data folder if this run has resolved it (for the bug log), else None."""
        return self._data_dir

    def db(self) -> Database:
        """Open the data folder's database (use as ``with ctx.db() as db:``)."""
        from auditapp.db import open_database

        return open_database(self.data_dir)

    def warn(self, message: str) -> None:
        from auditapp.cli.output import print_warning

        print_warning(message)

    def progress(self) -> Progress | None:
        """``--progress``: JSON progress lines on stdout; otherwise None (quiet)."""
        if not self.machine_progress:
            return None
        from auditapp.cli.output import emit_event

        def report(done: int, total: int, text: str = "") -> None:
            emit_event("progress", done=done, total=total)

        return report

    def terminal_progress(self, style: str = "count") -> Progress | None:
        """A ``3/10`` or ``42%`` counter on a terminal's stderr; None for JSON or when stderr is not a terminal."""
        if self.machine_progress:
            return self.progress()
        if self.json or not sys.stderr.isatty():
            return None

        def report(done: int, total: int, text: str = "") -> None:
            shown = f"{done}/{total}" if style == "count" else f"{100 * done // max(total, 1):3d}%"
            print(f"\r{shown}", end="", file=sys.stderr, flush=True)
            if done >= total:
                print(file=sys.stderr)

        return report

    def value(self, name: str, default: Any = None) -> Any:
        return getattr(self.args, name, default)
