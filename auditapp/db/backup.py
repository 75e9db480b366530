"""Backups of the database with SQLite's online backup API, and restoring one.

The online backup copies a consistent snapshot even while the app holds the file open,
which a plain file copy of a WAL database does not guarantee. A backup is checked like
a database being opened before it replaces anything: a damaged file, or one written
by a newer version of the app (whose schema this version does not know), is refused.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from auditapp import paths
from auditapp.errors import BackupError

DEFAULT_KEEP = 7
_NAME_RE = re.compile(r"^audit-(\d{8}-\d{6})(?:-(.+))?\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime
    reason: str
    size: int


def _copy(source: sqlite3.Connection, target_path: Path) -> None:
    tmp = target_path.with_suffix(".partial")
    if tmp.exists():
        tmp.unlink()
    dest = sqlite3.connect(tmp)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target_path)


def create_backup(engine: Engine, data_dir: Path, *, reason: str = "manual") -> Path:
    """Write a consistent copy of the database into the data folder's backups/."""
    folder = paths.backups_dir(data_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError("backup.folder_failed", folder=str(folder), reason=exc.strerror or str(exc)) from exc
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    safe_reason = re.sub(r"[^A-Za-z0-9_.-]+", "-", reason).strip("-")
    target = folder / f"audit-{stamp}{'-' + safe_reason if safe_reason else ''}.sqlite3"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"audit-{stamp}-{safe_reason}-{counter}.sqlite3"
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        _copy(source, target)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError("backup.write_failed", path=str(target), reason=str(exc)) from exc
    finally:
        raw.close()
    return target


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """Backups in the data folder, newest first."""
    folder = paths.backups_dir(data_dir)
    out: list[BackupInfo] = []
    if not folder.is_dir():
        return out
    for path in folder.iterdir():
        match = _NAME_RE.match(path.name)
        if not match:
            continue
        created = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        out.append(BackupInfo(path=path, created_at=created, reason=match.group(2) or "", size=path.stat().st_size))
    out.sort(key=lambda b: (b.created_at, b.path.name), reverse=True)
    return out


def daily_backup(engine: Engine, data_dir: Path, *, keep: int = DEFAULT_KEEP, now: datetime | None = None) -> Path | None:
    """Back up at most once a day (automatic backups on open) and keep the last ``keep``."""
    now = now or datetime.now(UTC)
    automatic = [b for b in list_backups(data_dir) if b.reason == "daily"]
    if automatic and now - automatic[0].created_at < timedelta(days=1):
        return None
    path = create_backup(engine, data_dir, reason="daily")
    prune_backups(data_dir, keep=keep)
    return path


def prune_backups(data_dir: Path, *, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Remove automatic backups beyond the newest ``keep``; manual ones are the user's."""
    removed: list[Path] = []
    automatic = [b for b in list_backups(data_dir) if b.reason == "daily"]
    for old in automatic[keep:]:
        old.path.unlink(missing_ok=True)
        removed.append(old.path)
    return removed


def check_backup_file(path: Path) -> None:
    """Refuse a file that is not an intact auditapp database this version can use, before restoring it."""
    from auditapp.db import migrate

    try:
        info = path.stat()
    except FileNotFoundError:
        raise BackupError("backup.not_found", path=str(path)) from None
    except OSError as exc:
        raise BackupError("backup.damaged", path=str(path), detail=exc.strerror or str(exc)) from exc
    if not stat.S_ISREG(info.st_mode):
        raise BackupError("backup.not_a_file", path=str(path))
    if info.st_size == 0:
        raise BackupError("backup.empty", path=str(path))
    with path.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise BackupError("backup.not_sqlite", path=str(path))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        has_version = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone() if has_version else None
    except sqlite3.DatabaseError as exc:
        raise BackupError("backup.damaged", path=str(path), detail=str(exc)) from exc
    finally:
        conn.close()
    if result != "ok":
        raise BackupError("backup.integrity_failed", path=str(path), detail=str(result))
    if not has_version:
        raise BackupError("backup.not_auditapp", path=str(path))
    revision = str(row[0]) if row and row[0] else None
    if revision is not None and not migrate.is_known_revision(revision):
        # Restoring it would leave this version running on a schema it does not know.
        raise BackupError("backup.too_new", path=str(path), schema=revision, known=migrate.head_revision())


def _settle_photo_journal(data_dir: Path, db_path: Path) -> None:
    """Before the database is replaced, let it say which journalled photo imports committed.

    Only the database being replaced can tell a committed import (journal not yet
    removed) from a crashed one; the restored file cannot (see auditapp.photos.journal).
    """
    from auditapp.db.photo_files import referenced_files_sqlite
    from auditapp.photos import journal
    from auditapp.photos.store import PhotoStore

    store = PhotoStore(paths.photos_dir(data_dir))
    if journal.journal_dir(store).is_dir():
        journal.forget_committed(store, referenced_files_sqlite(db_path))


def _safety_copy(data_dir: Path, db_path: Path) -> Path:
    """The current database backed up before it is replaced; a damaged one is copied as it is."""
    from auditapp.db.engine import check_database_file, make_engine
    from auditapp.errors import DatabaseError

    try:
        check_database_file(db_path)
    except DatabaseError:
        folder = paths.backups_dir(data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target = folder / f"audit-{stamp}-before-restore-unreadable.sqlite3"
        try:
            shutil.copy2(db_path, target)
        except OSError as exc:
            raise BackupError("backup.write_failed", path=str(target), reason=exc.strerror or str(exc)) from exc
        return target
    engine = make_engine(db_path)
    try:
        return create_backup(engine, data_dir, reason="before-restore")
    finally:
        engine.dispose()


def restore_backup(data_dir: Path, backup_path: Path) -> Path:
    """Replace the data folder's database with ``backup_path``.

    The current database is first backed up itself ("before-restore"), so a restore can
    be undone. Must be called while no Database is open on ``data_dir``.
    Returns the path of that safety backup. Photo files are never touched: those only
    the replaced database knew stay in the store for when it is restored again.
    """
    check_backup_file(backup_path)
    db_path = paths.database_path(data_dir)
    if db_path.exists() and not db_path.is_file():
        # A folder, pipe or device in the database's place: writing into it would block
        # or fail halfway; the user has to move it away first.
        raise BackupError("backup.target_not_a_file", path=str(db_path))
    safety: Path | None = None
    if db_path.exists() and db_path.is_file() and db_path.stat().st_size > 0:
        safety = _safety_copy(data_dir, db_path)
        _settle_photo_journal(data_dir, db_path)
    elif db_path.exists() and db_path.is_file():
        db_path.unlink()  # an empty file holds nothing to keep
    source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(db_path, timeout=5.0)
        try:
            source.backup(dest)
        except sqlite3.Error as exc:
            raise BackupError("backup.restore_failed", path=str(db_path), reason=str(exc)) from exc
        finally:
            dest.close()
    finally:
        source.close()
    return safety if safety is not None else db_path
