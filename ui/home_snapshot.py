"""The home screen as it was last shown, kept so the next start can show it before the ORM loads.

A returning user's start spends most of its time importing SQLAlchemy and the ORM
models and opening the database (issue 14, start-up target). The rows the home screen
showed (the institutions, the selected institution's visits: the very strings the table
models displayed) are written here when the window closes, and the next start shows
them at once while the real database opens in the background; the window then fills
itself from the services as always, replacing them.

It is a cache, never a source of truth: one JSON file in the data folder's cache area
(``paths.cache_dir``), not in the database, not synced, written atomically. It is used
only when it provably shows what the database holds, else the start is the usual one:

* the **stamp**: the database file's identity and state (device, inode, size, mtime and
  ctime in nanoseconds, the 76 bytes of its header after the magic, which hold the
  change counter and schema cookie), read with ``os.stat`` *after the database was
  closed*, and no ``-wal``/``-journal`` beside it. The app runs SQLite in WAL mode, where
  the header's change counter is not bumped per transaction, but every commit by anyone
  (the CLI, another program, ``sqlite3``) goes through a ``-wal`` file that is
  checkpointed into the main file (changing its mtime) and removed when the last
  connection closes; a file still open elsewhere keeps its ``-wal`` (no match); a
  restored backup or a copied folder is another inode or another path. Opening the
  database writes nothing when nothing needs writing (no migration, the device id
  already recorded), so a start followed by a quit keeps the stamp valid;
* the **context**: the data folder, the language, today's date, the app version and the
  schema the app's migrations define (the names of the revision files);
* the **shape**: only the expected keys and types, a bounded size and row count, each
  row as many cells as the table has columns. Anything else (truncated, hostile, from
  another version) is ignored silently: the start is the usual one.

Standard library only: ``ui.app`` reads it before anything heavy is imported.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditapp import __version__, paths

FORMAT = 1
FILENAME = "home-snapshot.json"
MAX_BYTES = 2 * 1024 * 1024  # thousands of rows; a bigger file is not ours
MAX_ROWS = 10_000
MAX_CELL = 2_000  # characters in one cell or id
_HEADER_STATE = slice(24, 100)  # the SQLite header after magic, page size and format bytes


@dataclass(frozen=True)
class HomeRow:
    """One table row as shown: the record's id and the text of each column."""

    id: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class HomeSnapshot:
    institutions: tuple[HomeRow, ...]
    selected_institution: str | None
    visits: tuple[HomeRow, ...]  # the selected institution's
    # The duty banner's text above the visits ("" hidden; None not known at close). Shown
    # too, so the visit rows do not move down when the real banner arrives with the database.
    banner: str | None = None


@dataclass(frozen=True)
class Context:
    """What must be the same when the snapshot is read as when it was written."""

    data_dir: str
    language: str
    day: str
    app_version: str
    schema: str

    @classmethod
    def now(cls, data_dir: Path, *, language: str, day: str) -> Context:
        return cls(
            data_dir=os.path.realpath(data_dir), language=language, day=day, app_version=__version__, schema=schema_files()
        )


def snapshot_path(data_dir: Path) -> Path:
    return paths.cache_dir(data_dir) / FILENAME


def schema_files() -> str:
    """The schema this app's migrations build, named by their revision files (no Alembic, no parse)."""
    try:
        names = os.listdir(paths.migrations_dir() / "versions")
    except OSError:
        return ""
    return ",".join(sorted(n for n in names if n.endswith((".py", ".pyc")) and not n.startswith("__")))


def database_stamp(data_dir: Path) -> list[int | str] | None:
    """The database file's state with os.stat and its header; None when it is not at rest.

    Not at rest: missing, or a ``-wal``/``-journal`` beside it (another connection has it
    open, or a crash left work for SQLite to recover) — no snapshot then.
    """
    db_path = paths.database_path(data_dir)
    if any(os.path.lexists(f"{db_path}{side}") for side in ("-wal", "-journal")):
        return None
    try:
        info = os.stat(db_path)
        with open(db_path, "rb") as fh:
            header = fh.read(100)
    except OSError:
        return None
    if len(header) < 100:
        return None
    return [
        os.path.realpath(db_path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns,
        header[_HEADER_STATE].hex(),
    ]


def files_state(data_dir: Path) -> list[object]:
    """The database file and its ``-wal`` as os.stat sees them, while it is open: any commit changes it."""
    db_path = paths.database_path(data_dir)
    state: list[object] = []
    for name in (str(db_path), f"{db_path}-wal", f"{db_path}-journal"):
        try:
            info = os.stat(name)
        except OSError:
            state.append(None)
        else:
            state.append((info.st_ino, info.st_size, info.st_mtime_ns))
    return state


def write_snapshot(data_dir: Path, snapshot: HomeSnapshot, context: Context, stamp: list[int | str]) -> Path:
    """Write the snapshot atomically (a temporary file, then ``os.replace``)."""
    path = snapshot_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "format": FORMAT,
        "context": context.__dict__,
        "stamp": stamp,
        "institutions": [{"id": r.id, "cells": list(r.cells)} for r in snapshot.institutions],
        "selected_institution": snapshot.selected_institution,
        "visits": [{"id": r.id, "cells": list(r.cells)} for r in snapshot.visits],
        "banner": snapshot.banner,
    }
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(body, fh)  # ASCII escapes: a lone surrogate in a name cannot break the write
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def discard_snapshot(data_dir: Path) -> None:
    """Forget the snapshot (the next start is the usual one)."""
    with contextlib.suppress(OSError):
        snapshot_path(data_dir).unlink(missing_ok=True)


def read_snapshot(data_dir: Path, context: Context, *, institution_columns: int, visit_columns: int) -> HomeSnapshot | None:
    """The snapshot if it provably shows what the database holds now, else None (silently)."""
    path = snapshot_path(data_dir)
    try:
        if os.stat(path).st_size > MAX_BYTES:
            return None
        with open(path, "rb") as fh:
            raw = json.loads(fh.read(MAX_BYTES + 1))
    except (OSError, ValueError, RecursionError):
        return None
    try:
        return _checked(raw, data_dir, context, institution_columns, visit_columns)
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


def _checked(raw: Any, data_dir: Path, context: Context, institution_columns: int, visit_columns: int) -> HomeSnapshot | None:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("context") != context.__dict__:
        return None
    institutions = _rows(raw["institutions"], institution_columns)
    visits = _rows(raw["visits"], visit_columns)
    selected, banner = raw["selected_institution"], raw["banner"]
    if institutions is None or visits is None:
        return None
    if banner is not None and (not isinstance(banner, str) or len(banner) > MAX_CELL * 10):
        return None
    if selected is None:
        if institutions or visits:
            return None
    elif not isinstance(selected, str) or selected not in {r.id for r in institutions}:
        return None
    stamp = database_stamp(data_dir)  # last: the cheap checks first
    if stamp is None or raw["stamp"] != stamp:
        return None
    return HomeSnapshot(institutions=institutions, selected_institution=selected, visits=visits, banner=banner)


def _rows(raw: Any, columns: int) -> tuple[HomeRow, ...] | None:
    if not isinstance(raw, list) or len(raw) > MAX_ROWS:
        return None
    rows = []
    for item in raw:
        if not isinstance(item, dict) or set(item) != {"id", "cells"}:
            return None
        row_id, cells = item["id"], item["cells"]
        if not isinstance(row_id, str) or not row_id or len(row_id) > MAX_CELL:
            return None
        if not isinstance(cells, list) or len(cells) != columns:
            return None
        if not all(isinstance(c, str) and len(c) <= MAX_CELL for c in cells):
            return None
        rows.append(HomeRow(row_id, tuple(cells)))
    return tuple(rows)
