"""Where a bug's traceback goes: a log file the user can send, never the user's screen.

An exception that is not an :class:`auditapp.errors.AuditAppError` is a bug. The command
line (and the GUI) write its traceback here and show one short line naming the file.
The log sits in the data folder (``logs/errors.log``) when there is one, so it travels
with the data a supporter is sent; otherwise in the user cache folder.
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


def write_bug_log(exc: BaseException, *, data_dir: Path | None, argv: Sequence[str] = ()) -> Path | None:
    """Append ``exc`` with its traceback to the log; the log's path, or None if none could be written."""
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    lines = [
        f"=== {stamp} auditapp {__version__} (pid {os.getpid()})",
        "command: " + redact(" ".join(["auditapp", *argv])),
        *redact("".join(traceback.format_exception(exc))).rstrip("\n").splitlines(),
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
