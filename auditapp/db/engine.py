"""Opening the SQLite database safely: checks first, backup, migrations, then use.

A database that is locked, read-only, corrupt or written by a newer app version is
refused with a clear message before anything writes to it. Every write happens in a
short session that commits at once (autosave); SQLite runs in WAL mode with
``synchronous=FULL`` so a killed process never loses a reported commit.
"""

from __future__ import annotations

import getpass
import logging
import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from auditapp import paths
from auditapp.db import backup as backup_mod
from auditapp.db import changelog, migrate
from auditapp.db.models import Meta
from auditapp.errors import (
    DatabaseCorruptError,
    DatabaseError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    DatabaseTooNewError,
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
    orphans_removed: int = 0


def _default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on some frozen/container setups
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
        # Stamps updated_at/device_id and writes the change log on every flush, so no
        # service can forget either.
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


def make_engine(db_path: Path) -> Engine:
    """An engine with the pragmas every connection needs (foreign keys, WAL, durability)."""
    engine = create_engine(f"sqlite:///{db_path}", connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False})
    event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def check_database_file(db_path: Path) -> None:
    """Refuse a file we must not touch, without writing to it.

    Raises one of the ``Database*Error`` classes with a message saying what to do.
    """
    if not db_path.exists():
        folder = db_path.parent
        if folder.exists() and not os.access(folder, os.W_OK):
            raise DatabaseReadOnlyError(
                f"cannot create the database in {folder}: the folder is not writable",
                hint="Choose a writable data folder with --data-dir or AUDITAPP_DATA_DIR.",
            )
        return
    if db_path.is_dir():
        raise DatabaseCorruptError(f"{db_path} is a folder, not a database file")
    with db_path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if len(header) == 0:
        return  # an empty file is a fresh database to SQLite
    if header != SQLITE_HEADER:
        raise DatabaseCorruptError(
            f"{db_path} is not an auditapp database (not a SQLite file)",
            hint="The file was left unchanged. Restore a backup with 'auditapp backup restore', or move the file away.",
        )
    if not os.access(db_path, os.W_OK) or not os.access(db_path.parent, os.W_OK):
        raise DatabaseReadOnlyError(
            f"{db_path} is read-only (the file or its folder cannot be written)",
            hint="Give yourself write permission, or copy the data folder somewhere writable and use --data-dir.",
        )
    uri = f"file:{db_path}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:  # pragma: no cover - connect rarely fails with a header present
        raise DatabaseCorruptError(f"{db_path} cannot be opened: {exc}") from exc
    try:
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise DatabaseLockedError(
                    f"{db_path} is locked by another program",
                    hint="Close the other copy of auditapp (or the program holding the file) and try again.",
                ) from exc
            raise DatabaseCorruptError(
                f"{db_path} is damaged: {exc}",
                hint="The file was left unchanged. Restore a backup with 'auditapp backup restore'.",
            ) from exc
        problems = [r[0] for r in rows if r[0] != "ok"]
        if problems:
            raise DatabaseCorruptError(
                f"{db_path} failed its integrity check: {'; '.join(problems[:3])}",
                hint="The file was left unchanged. Restore a backup with 'auditapp backup restore'.",
            )
        has_version = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if has_version:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
            if revision and not migrate.is_known_revision(revision):
                raise DatabaseTooNewError(
                    f"{db_path} was written by a newer version of auditapp (schema {revision}); "
                    f"this version knows schemas up to {migrate.head_revision()}",
                    hint="Install the newer version of auditapp. The database was left unchanged.",
                )
        else:
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            if tables:
                raise DatabaseCorruptError(
                    f"{db_path} is a SQLite database but not one of auditapp's (no schema version)",
                    hint="The file was left unchanged. Point --data-dir at an auditapp data folder.",
                )
    finally:
        conn.close()


def _check_writable_lock(engine: Engine, db_path: Path) -> None:
    """Take and release the write lock once, so a locked file fails now, not mid-edit."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            conn.exec_driver_sql("ROLLBACK")
    except Exception as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise DatabaseLockedError(
                f"{db_path} is locked by another program that is writing to it",
                hint="Close the other copy of auditapp (or the program holding the file) and try again.",
            ) from exc
        if "readonly" in text or "read-only" in text:
            raise DatabaseReadOnlyError(f"{db_path} cannot be written: {exc}") from exc
        raise DatabaseError(f"{db_path} cannot be opened for writing: {exc}") from exc


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
    """
    data_dir = Path(data_dir)
    db_path = paths.database_path(data_dir)
    check_database_file(db_path)
    created = not db_path.exists() or db_path.stat().st_size == 0
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseReadOnlyError(
            f"cannot create the data folder {data_dir}: {exc.strerror}",
            hint="Choose a writable data folder with --data-dir or AUDITAPP_DATA_DIR.",
        ) from exc

    engine = make_engine(db_path)
    try:
        _check_writable_lock(engine, db_path)
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
    except BaseException:
        engine.dispose()
        raise
    report = OpenReport(created=created, migrated_from=migrated_from, backup_path=backup_path)
    db = Database(data_dir, engine, device_id, actor or _default_actor(), report)
    if not created:
        # Files left by a crash between storing a photo and committing its row.
        from auditapp.services.photos import clean_orphans

        removed = clean_orphans(db)
        if removed:
            db.open_report = OpenReport(
                created=created, migrated_from=migrated_from, backup_path=backup_path, orphans_removed=removed
            )
    return db


def meta_value(db: Database, key: str) -> str | None:
    with db.session() as session:
        row = session.scalar(select(Meta).where(Meta.key == key))
        return row.value if row else None
