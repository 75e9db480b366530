"""Where a bug's traceback goes: a log file the user can send, never the user's screen.

An exception that is not an :class:`auditapp.errors.AuditAppError` is a bug. The one log
of bugs for the command line *and* the GUI (``ui.error_log`` hands the window's bugs
here): each entry has the time, the version, the process, what was running (the command,
or the window's task) and the traceback, passwords in database URLs hidden. The log sits
in the data folder (``logs/errors.log``) when there is one, so it travels with the data a
supporter is sent; otherwise in the user cache folder. Past :data:`MAX_LOG_BYTES` it is
started afresh, the old one kept as ``errors.log.1``. When no log can be written the
caller learns it (None) and says so instead of naming a file.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from auditapp import __version__, paths

LOG_NAME = "errors.log"
# A log that grows past this is started afresh (the old one kept as errors.log.1).
MAX_LOG_BYTES = 1024 * 1024

_PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]+:)[^@\s]+@")


def redact(text: str) -> str:
    """Hide passwords in database URLs (``postgresql://user:secret@host`` → ``user:***@host``)."""
    return _PASSWORD_IN_URL.sub(r"\1***@", text)


def _candidate_folders(data_dir: Path | None) -> list[Path]:
    folders = []
    if data_dir is not None and data_dir.is_dir():
        folders.append(data_dir / "logs")
    import platformdirs

    folders.append(Path(platformdirs.user_cache_dir(paths.APP_NAME, paths.APP_AUTHOR)) / "logs")
    return folders


def log_path(data_dir: Path | None) -> Path:
    """The file the next entry would go to (the first folder of :func:`_candidate_folders`)."""
    return _candidate_folders(data_dir)[0] / LOG_NAME


def _traceback_text(bug: BaseException | str) -> str:
    if isinstance(bug, str):  # a crash seen from outside (a report process's stderr)
        return bug
    # A worker thread formats its traceback where it happened (ui.workers); else format it here.
    text = getattr(bug, "__traceback_text__", None)
    return text if isinstance(text, str) and text else "".join(traceback.format_exception(bug))


def write_bug_log(
    bug: BaseException | str, *, data_dir: Path | None, argv: Sequence[str] | None = (), context: str = ""
) -> Path | None:
    """Append ``bug`` with its traceback to the log; the log's path, or None if none could be written.

    ``argv``: the command line that ran (None: not a command, the GUI); ``context``: what the
    window was doing (a worker's title, "report process").
    """
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    where = "command: " + " ".join(["auditapp", *argv]) if argv is not None else "window" + (f": {context}" if context else "")
    if argv is not None and context:
        where += f" ({context})"
    lines = [
        f"=== {stamp} auditapp {__version__} (pid {os.getpid()})",
        redact(where),
        *redact(_traceback_text(bug)).rstrip("\n").splitlines(),
        "",
    ]
    entry = "\n".join(lines) + "\n"
    for folder in _candidate_folders(data_dir):
        path = folder / LOG_NAME
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
                os.replace(path, path.with_name(LOG_NAME + ".1"))
            with open(path, "a", encoding="utf-8", errors="backslashreplace") as fh:
                fh.write(entry)
            return path
        except OSError:
            continue
    return None
