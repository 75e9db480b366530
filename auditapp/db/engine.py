"""Opening the SQLite database safely: checks first, backup, migrations, then use.

A database that is locked, read-only, corrupt, empty (zero bytes) or written by a newer
app version is refused with a clear message before anything writes to it. A new
database is built under a temporary name and moved into place once its schema is
complete, so a crash never leaves an empty file that would later be mistaken for a
damaged one. Every write happens in a short session that commits at once (autosave);
SQLite runs in WAL mode with ``synchronous=FULL`` so a killed process never loses a
reported commit. Every flushed record passes ``auditapp.db.validation`` first.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import sqlite3
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from auditapp import paths
from auditapp.db import backup as backup_mod
from auditapp.db import changelog, migrate, statement_cache, validation
from auditapp.db.models import Meta
from auditapp.errors import (
    DatabaseCorruptError,
    DatabaseError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    DatabaseTooNewError,
    InvalidInputError,
)

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class OpenReport:
    """What happened while opening, for the status bar and the CLI's verbose output."""

    created: bool
    migrated_from: str | None
    backup_path: Path | None
    # Photo store, settled on open (auditapp.photos.journal): files of crashed imports
    # removed, files that could not be proven half-imported moved to quarantine, and
    # files this database does not know (left where they are).
    orphans_removed: int = 0
    photos_quarantined: int = 0
    quarantine_dir: Path | None = None
    unknown_photo_files: int = 0


def _default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no user name (no passwd entry, no pwd module) in some containers
        return "unknown"


class Database:
    """One open audit database (a data folder's SQLite file) and its session factory."""

    def __init__(self, data_dir: Path, engine: Engine, device_id: str, actor: str, report: OpenReport) -> None:
        self.data_dir = data_dir
        self.path = paths.database_path(data_dir)
        self.engine = engine
        self.device_id = device_id
        self.actor = actor
        self.open_report = report
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)
        # Validates every new or changed record, then stamps updated_at/device_id and
        # writes the change log on every flush, so no service, GUI or CLI path can skip
        # either (listeners run in the order they were added).
        event.listen(self._sessions, "before_flush", validation.before_flush)
        event.listen(self._sessions, "before_flush", changelog.before_flush)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits when the block ends, rolls back if it raises."""
        session = self._sessions()
        session.info["device_id"] = self.device_id
        session.info["actor"] = self.actor
        try:
            yield session
            session.commit()
        except sa_exc.DBAPIError as exc:
            session.rollback()
            raise translate_error(exc, self.path) from exc
        except DatabaseCorruptError as exc:
            session.rollback()
            if exc.code in ("database.bad_json", "database.bad_json_unplaced"):
                # what this session read is in this file, whatever ran last in the thread
                raise DatabaseCorruptError("database.bad_json", path=str(self.path), detail=exc.params["detail"]) from None
            raise
        except UnicodeEncodeError as exc:
            # A search or write with text that cannot be UTF-8 (lone surrogates: bytes
            # that were not UTF-8, e.g. in a file name or an argument). Writes are
            # caught by validation first; this also covers queries.
            session.rollback()
            raise InvalidInputError("database.invalid_text", text=exc.object[:60].encode("utf-8", "backslashreplace").decode()) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _set_sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    cursor.close()


# The file whose statement is being read, for the JSON reader's message (see load_stored_json).
_READING: ContextVar[Path | None] = ContextVar("auditapp_reading_database", default=None)


def load_stored_json(text: str) -> Any:
    """How JSON columns are read back: a value that is not JSON means a damaged file.

    Every JSON value was checked before it was written (auditapp.db.validation), so one
    that does not parse was changed behind the app's back; the reader gets a message
    about the database, not a JSONDecodeError from deep inside a query. One function for
    every database, because compiled statements and the readers SQLAlchemy keeps with
    them are shared by every SQLite file of the process (auditapp.db.statement_cache):
    the file is the one whose statement ran last in this thread (:func:`make_engine`
    notes it), and :meth:`Database.session` names its own file for what it reads.
    """
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        detail = f"{str(text)[:40]!r}: {str(exc)[:80]}"
        reading = _READING.get()
        if reading is None:
            raise DatabaseCorruptError("database.bad_json_unplaced", detail=detail) from None
        raise DatabaseCorruptError("database.bad_json", path=str(reading), detail=detail) from None


def make_engine(db_path: Path) -> Engine:
    """An engine with the pragmas every connection needs (foreign keys, WAL, durability).

    Its statements are compiled once per process, for every SQLite file it opens
    (auditapp.db.statement_cache): engines made here differ only in their file.
    """
    engine = create_engine(
        f"sqlite:///{db_path}",
        connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
        json_deserializer=load_stored_json,
        execution_options={"compiled_cache": statement_cache.for_database(statement_cache.EVERY_SQLITE_FILE)},
    )
    event.listen(engine, "connect", _set_sqlite_pragmas)

    def note_file(*_args: object) -> None:
        _READING.set(db_path)

    event.listen(engine, "before_cursor_execute", note_file)
    return engine


def translate_error(exc: sa_exc.DBAPIError, db_path: Path | str) -> DatabaseError:
    """A driver error met while working as a user-facing error about the database file."""
    text = str(getattr(exc, "orig", exc) or exc)
    low = text.lower()
    if "could not decode" in low or "utf-8" in low:
        return DatabaseCorruptError("database.undecodable_text", path=str(db_path), detail=text.splitlines()[0][:200])
    if "locked" in low or "busy" in low:
        return DatabaseLockedError("database.locked", path=str(db_path))
    if "readonly" in low or "read-only" in low:
        return DatabaseReadOnlyError("database.read_only", path=str(db_path))
    if "disk is full" in low or "database or disk is full" in low:
        return DatabaseError("database.disk_full", path=str(db_path))
    if "malformed" in low or "not a database" in low or "disk i/o" in low:
        return DatabaseCorruptError("database.damaged", path=str(db_path), detail=text.splitlines()[0][:200])
    return DatabaseError("database.refused", path=str(db_path), detail=text.splitlines()[0][:200])


def check_database_file(db_path: Path) -> None:
    """Refuse a file we must not touch, without writing to it.

    Raises one of the ``Database*Error`` classes with a message saying what to do.
    """
    try:
        info = db_path.stat()
    except FileNotFoundError:
        folder = db_path.parent
        if folder.exists() and not os.access(folder, os.W_OK):
            raise DatabaseReadOnlyError("database.folder_not_writable", folder=str(folder)) from None
        return
    except OSError as exc:
        raise DatabaseCorruptError("database.unreadable", path=str(db_path), reason=exc.strerror or str(exc)) from exc
    if stat.S_ISDIR(info.st_mode):
        raise DatabaseCorruptError("database.is_folder", path=str(db_path))
    if not stat.S_ISREG(info.st_mode):
        # A pipe or a device: reading its "header" could block for ever or never end.
        raise DatabaseCorruptError("database.not_a_file", path=str(db_path))
    if info.st_size == 0:
        # SQLite would happily treat it as a new database; but an audit database is
        # never empty (it is created whole, see _create_database), so this is a file
        # that lost its content. Replacing it would hide that.
        raise DatabaseCorruptError("database.empty_file", path=str(db_path))
    try:
        with db_path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseCorruptError("database.unreadable", path=str(db_path), reason=exc.strerror or str(exc)) from exc
    if header != SQLITE_HEADER:
        raise DatabaseCorruptError("database.not_sqlite", path=str(db_path))
    if not os.access(db_path, os.W_OK) or not os.access(db_path.parent, os.W_OK):
        raise DatabaseReadOnlyError("database.read_only", path=str(db_path))
    uri = f"file:{db_path}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:  # pragma: no cover - connect rarely fails with a header present
        raise DatabaseCorruptError("database.damaged", path=str(db_path), detail=str(exc)) from exc
    try:
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise DatabaseLockedError("database.locked", path=str(db_path)) from exc
            raise DatabaseCorruptError("database.damaged", path=str(db_path), detail=str(exc)) from exc
        problems = [str(r[0]) for r in rows if r[0] != "ok"]
        if problems:
            raise DatabaseCorruptError("database.integrity_failed", path=str(db_path), detail="; ".join(problems[:3]))
        try:
            has_version = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
            if has_version:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
                if revision and not migrate.is_known_revision(str(revision)):
                    raise DatabaseTooNewError(
                        "database.too_new", path=str(db_path), schema=str(revision), known=migrate.head_revision()
                    )
            else:
                tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
                if tables:
                    raise DatabaseCorruptError("database.not_auditapp", path=str(db_path))
        except sqlite3.DatabaseError as exc:
            raise DatabaseCorruptError("database.damaged", path=str(db_path), detail=str(exc)) from exc
    finally:
        conn.close()


def check_writable_lock(engine: Engine, db_path: Path) -> None:
    """Take and release the write lock once, so a locked file fails now, not mid-edit."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            conn.exec_driver_sql("ROLLBACK")
    except sa_exc.DBAPIError as exc:
        raise translate_error(exc, db_path) from exc


DEVICE_ID_KEY = "device_id"
DEVICE_PATH_KEY = "device_path"


def _device_id(engine: Engine, db_path: Path) -> str:
    """This data folder's device id, regenerated when the database file has been copied.

    Sync tells devices apart by this id (tie-breaks, "what has this peer seen"). It
    lives in the database's meta table, so a copied file (a second laptop set up from
    a copy, a USB stick) would share it; the file's location is stored beside it, and a
    database opened somewhere else gets a fresh id. Moving a data folder therefore
    also gives a new id, which is harmless: the old id stays on the records it stamped.
    Databases from before this rule keep their id and record their location now.
    """
    here = str(Path(db_path).resolve())
    with Session(engine) as session:
        row = session.get(Meta, DEVICE_ID_KEY)
        where = session.get(Meta, DEVICE_PATH_KEY)
        if row is None:
            row = Meta(key=DEVICE_ID_KEY, value=str(uuid.uuid4()))
            session.add(row)
        elif where is not None and where.value != here:
            log.info("database %s was copied or moved from %s: new device id", here, where.value)
            row.value = str(uuid.uuid4())
        if where is None:
            session.add(Meta(key=DEVICE_PATH_KEY, value=here))
        elif where.value != here:
            where.value = here
        if session.new or session.dirty:
            session.commit()
        return row.value


CREATING_SUFFIX = ".creating"


def _create_database(db_path: Path, migrate_to: str) -> bool:
    """Build a new database under a temporary name, then move it into place whole.

    Returns False when another process created ``db_path`` meanwhile (its file is kept).
    The temporary file holds nothing but a schema, so one left by a crash is rebuilt.
    """
    tmp = db_path.with_name(db_path.name + CREATING_SUFFIX)
    for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
        leftover.unlink(missing_ok=True)
    engine = make_engine(tmp)
    try:
        migrate.upgrade(engine, migrate_to)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except sa_exc.DBAPIError as exc:
        raise translate_error(exc, db_path) from exc
    finally:
        engine.dispose()
    for side in (tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
        side.unlink(missing_ok=True)
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    try:
        os.link(tmp, db_path)  # fails if the name exists: never replaces a database
    except FileExistsError:
        tmp.unlink(missing_ok=True)
        return False
    except OSError:
        # File systems without hard links (FAT sticks): the name was free a moment ago.
        if db_path.exists():
            tmp.unlink(missing_ok=True)
            return False
        os.replace(tmp, db_path)
    else:
        tmp.unlink(missing_ok=True)
    from auditapp.photos.store import fsync_dir

    fsync_dir(db_path.parent)
    return True


def open_database(
    data_dir: Path,
    *,
    backup: bool = True,
    keep_backups: int = backup_mod.DEFAULT_KEEP,
    actor: str | None = None,
    migrate_to: str = "head",
) -> Database:
    """Open (creating if needed) the database in ``data_dir``.

    Order matters for "never modified": checks run read-only first; a database that
    needs migrating is backed up before the migration; the daily backup is taken after.
    Then the photo store's journal of pending imports is settled (never deleting a file
    this database did not record as half-imported, see ``auditapp.photos.journal``).
    """
    data_dir = Path(data_dir)
    db_path = paths.database_path(data_dir)
    check_database_file(db_path)
    created = False
    if not db_path.exists():
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseReadOnlyError(
                "database.folder_not_creatable", folder=str(data_dir), reason=exc.strerror or str(exc)
            ) from exc
        created = _create_database(db_path, migrate_to)
        if not created:
            check_database_file(db_path)

    engine = make_engine(db_path)
    try:
        check_writable_lock(engine, db_path)
        current = migrate.current_revision(engine)
        migrated_from: str | None = None
        backup_path: Path | None = None
        target = migrate.head_revision() if migrate_to == "head" else migrate_to
        if current != target:
            if current is not None and backup:
                backup_path = backup_mod.create_backup(engine, data_dir, reason=f"before-migration-{current}")
            migrate.upgrade(engine, migrate_to)
            migrated_from = current
        if backup and not created:
            daily = backup_mod.daily_backup(engine, data_dir, keep=keep_backups)
            backup_path = backup_path or daily
        device_id = _device_id(engine, db_path)
    except sa_exc.DBAPIError as exc:
        engine.dispose()
        raise translate_error(exc, db_path) from exc
    except BaseException:
        engine.dispose()
        raise
    db = Database(data_dir, engine, device_id, actor or _default_actor(), OpenReport(
        created=created, migrated_from=migrated_from, backup_path=backup_path
    ))
    from auditapp.db.photo_files import recover_photo_store

    recovery = recover_photo_store(db)
    db.open_report = OpenReport(
        created=created,
        migrated_from=migrated_from,
        backup_path=backup_path,
        orphans_removed=recovery.removed,
        photos_quarantined=recovery.quarantined,
        quarantine_dir=recovery.quarantine_dir,
        unknown_photo_files=recovery.unknown,
    )
    return db


def meta_value(db: Database, key: str) -> str | None:
    with db.session() as session:
        row = session.scalar(select(Meta).where(Meta.key == key))
        return row.value if row else None
