"""Reading a checklist library's text files (checklists, templates, sources) defensively.

Authors write these files by hand and tools copy them around, so a file may be a
named pipe, huge, or not UTF-8. Each is checked before it is read - a pipe would block
for ever and a 50 MB file would take minutes to parse - and every problem comes back
as a ``file:line: message`` line like the validator's other findings.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# The largest real checklist is ~55 kB and the largest source text ~30 kB; these caps
# leave ample room and keep validation of a whole library well under a second.
MAX_CHECKLIST_BYTES = 2 * 1024 * 1024
MAX_SOURCE_BYTES = 8 * 1024 * 1024


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def read_text(path: Path, display: str, *, max_bytes: int = MAX_CHECKLIST_BYTES) -> tuple[str | None, list[str]]:
    """The file's text, or None and the problems found (kind of file, size, encoding)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None, [f"{display}:1: no such file"]
    except OSError as exc:
        return None, [f"{display}:1: cannot read the file: {exc.strerror or exc}"]
    if stat.S_ISDIR(info.st_mode):
        return None, [f"{display}:1: is a folder, not a file"]
    if not stat.S_ISREG(info.st_mode):
        return None, [f"{display}:1: not a regular file (a named pipe or a device); give a checklist file"]
    if info.st_size > max_bytes:
        return None, [
            f"{display}:1: the file is {_size(info.st_size)}; a file of the checklist library may have at most "
            f"{_size(max_bytes)} (split it into several checklists)"
        ]
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        return None, [f"{display}:1: cannot read the file: {exc.strerror or exc}"]
    if len(raw) > max_bytes:
        return None, [f"{display}:1: the file is larger than {_size(max_bytes)}"]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [f"{display}:{line}: not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8"]
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [f"{display}:{line}: contains a NUL character (a binary file?)"]
    return text, []
