"""Replicas: this computer's database and the other databases it syncs with.

A replica is an engine, an id (the device id in its meta table), a photo file store
and a clock. The other side of a direct sync is another SQLite file (USB stick,
network share) or a PostgreSQL server; both are created and migrated with the same
Alembic migrations as the local database.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from auditapp import paths
from auditapp.db import Database, migrate, statement_cache
from auditapp.db import backup as backup_mod
from auditapp.db.models import ChangeLogEntry, Meta, SyncPeer, utcnow
from auditapp.photos.store import PhotoStore
from auditapp.sync.errors import SyncError
from auditapp.sync.files import BlobFiles, FileStore, FolderFiles

log = logging.getLogger(__name__)

# A write stamped just before another transaction's snapshot may commit just after it
# (SQLite writers stamp, then wait up to the busy timeout for the lock). What a replica
# claims to have sent is therefore backdated by this much; the cost is only that an edit
# made in the last seconds before a sync is looked at again next time.
CLOCK_MARGIN = timedelta(seconds=5)

_PG_LOCK_KEY = 0x617564_73796E63  # "aud" "sync": serialises syncs into one server


@dataclass
class Replica:
    engine: sa.Engine
    replica_id: str
    label: str
    files: FileStore
    actor: str = ""
    owns_engine: bool = False
    # A login that sees only part of the replica (a hospital login on a bureau server):
    # it is a peer of its own (``replica_id`` is derived from the server's id and what
    # the login may see) and what it tells about other peers is not passed on.
    scoped: bool = False
    institutions: frozenset[str] | None = None  # a scoped login's institutions
    # The server's policies keep this login from writing some rows (a hospital or bureau
    # login): the server's ids win over the laptop's for a record created twice.
    restricted: bool = False

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        if self.owns_engine:
            self.engine.dispose()

    def __enter__(self) -> Replica:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def local_replica(db: Database) -> Replica:
    return Replica(
        engine=db.engine,
        replica_id=db.device_id,
        label="this computer",
        files=FolderFiles(PhotoStore(paths.photos_dir(db.data_dir)), "this computer's photo store"),
        actor=db.actor,
    )


# ---------------------------------------------------------------------------
# transactions and clocks


@contextmanager
def write_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One transaction holding the replica's write lock from its first statement.

    The merge reads what it is about to overwrite inside it, so nothing another program
    writes in between is lost. On a server, syncs from several laptops take turns.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        try:
            yield conn
            conn.commit()
        except BaseException:
            conn.rollback()
            raise


@contextmanager
def read_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A consistent snapshot for reading a changeset (a server waits for running syncs).

    On PostgreSQL the lock is taken before the snapshot: a REPEATABLE READ transaction
    takes its snapshot at its first statement, so locking inside it would read the
    database as it was before the sync it waited for, while the clock read afterwards
    claims that sync's changes as seen (found by tests/bench/bench_server_load.py).
    """
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_lock_shared(:k)"), {"k": _PG_LOCK_KEY})
            conn.commit()
            try:
                snap = conn.execution_options(isolation_level="REPEATABLE READ")
                try:
                    yield snap
                finally:
                    snap.rollback()
            finally:
                conn.execution_options(isolation_level="READ COMMITTED")
                conn.execute(sa.text("SELECT pg_advisory_unlock_shared(:k)"), {"k": _PG_LOCK_KEY})
                conn.commit()
            return
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()


def defer_foreign_keys(conn: sa.Connection) -> None:
    """Check foreign keys at commit: renaming an id and its references is one step."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    elif conn.dialect.name == "postgresql":
        conn.execute(sa.text("SET CONSTRAINTS ALL DEFERRED"))


def replica_now(conn: sa.Connection) -> datetime:
    """The replica's clock: never behind its own change log.

    A shared replica is written by many laptops; taking the latest change-log time into
    account keeps its clock monotonic even when their clocks disagree. A server's own
    clock is used where there is one.
    """
    now = utcnow()
    if conn.dialect.name == "postgresql":
        server = conn.execute(sa.text("SELECT clock_timestamp()")).scalar()
        if isinstance(server, datetime):
            now = server.astimezone(UTC) if server.tzinfo else server.replace(tzinfo=UTC)
    latest = conn.execute(sa.select(sa.func.max(ChangeLogEntry.__table__.c.at))).scalar()
    if latest is not None:
        latest = latest.replace(tzinfo=UTC) if latest.tzinfo is None else latest
        if latest >= now:
            now = latest + timedelta(microseconds=1)
    return now


def read_known(conn: sa.Connection) -> dict[str, datetime]:
    table = cast(sa.Table, SyncPeer.__table__)
    rows = conn.execute(sa.select(table.c.peer_id, table.c.known_at).where(table.c.known_at.is_not(None)))
    return {peer: at for peer, at in rows}


def merged_until(conn: sa.Connection, peer_id: str) -> datetime | None:
    table = cast(sa.Table, SyncPeer.__table__)
    return conn.execute(sa.select(table.c.merged_until).where(table.c.peer_id == peer_id)).scalar()


def advance_known(
    conn: sa.Connection,
    *,
    self_id: str,
    origin: str,
    origin_now: datetime | None,
    transitive: dict[str, datetime],
    label: str,
    source: str,
    now: datetime,
    merged: datetime | None = None,
) -> None:
    """Record what this replica now holds of ``origin`` (and what ``origin`` held of others).

    ``merged``: the ``origin_now`` of the complete changeset just merged (see
    ``SyncPeer.merged_until``); not given when only ``known_at`` is advanced.

    Only called after merging a complete changeset: a partial package proves nothing
    about the records it left out.
    """
    table = cast(sa.Table, SyncPeer.__table__)
    updates = dict(transitive)
    if origin_now is not None:
        updates[origin] = max(origin_now, updates.get(origin, origin_now))
    updates.pop(self_id, None)
    existing = {r.peer_id: r for r in conn.execute(sa.select(table)).all()}
    for peer, known in updates.items():
        row = existing.get(peer)
        if row is None:
            conn.execute(
                sa.insert(table).values(
                    peer_id=peer,
                    label=label if peer == origin else "",
                    known_at=known,
                    merged_until=merged if peer == origin else None,
                    last_sync_at=now if peer == origin else None,
                    last_source=source if peer == origin else "",
                )
            )
            continue
        values: dict[str, object] = {}
        current = row.known_at
        if current is None or known > current:
            values["known_at"] = known
        if peer == origin:
            values.update(last_sync_at=now, last_source=source, label=label or row.label)
            if merged is not None and (row.merged_until is None or merged > row.merged_until):
                values["merged_until"] = merged
        if values:
            conn.execute(sa.update(table).where(table.c.peer_id == peer).values(**values))
    if origin not in updates and origin != self_id:
        row = existing.get(origin)
        if row is None:
            conn.execute(
                sa.insert(table).values(peer_id=origin, label=label, known_at=None, last_sync_at=now, last_source=source)
            )
        else:
            conn.execute(sa.update(table).where(table.c.peer_id == origin).values(last_sync_at=now, last_source=source))


# ---------------------------------------------------------------------------
# opening the other side


# What make_url raises for an address it cannot read ("::::", a port that is not a number).
URL_ERRORS = (sa.exc.ArgumentError, ValueError)


def describe_url(target: str) -> str:
    """A target for messages, with any password hidden."""
    if "://" in target:
        try:
            return make_url(target).render_as_string(hide_password=True)
        except URL_ERRORS:
            return target.split("@")[-1]
    return target


def peer_device_id(engine: sa.Engine, local_id: str) -> str:
    """The peer's id; a peer that is a file copy of this database gets its own now."""
    with sa.orm.Session(engine) as session:
        row = session.get(Meta, "device_id")
        if row is None:
            row = Meta(key="device_id", value=str(uuid.uuid4()))
            session.add(row)
        elif row.value == local_id:
            log.info("the sync target is a copy of this database: giving it a device id of its own")
            row.value = str(uuid.uuid4())
        if session.new or session.dirty:
            session.commit()
        return row.value


def migrate_peer(engine: sa.Engine, label: str, backup_dir: Path | None) -> None:
    try:
        current = migrate.current_revision(engine)
    except sa.exc.DBAPIError as exc:
        raise SyncError("sync.peer_unreadable", target=label, detail=str(exc.orig).strip().splitlines()[0][:200]) from exc
    if current is not None and not migrate.is_known_revision(current):
        raise SyncError("sync.peer_too_new", target=label, schema=current, known=migrate.head_revision())
    if current != migrate.head_revision():
        if current is not None and backup_dir is not None:
            backup_mod.create_backup(engine, backup_dir, reason=f"before-migration-{current}")
        try:
            migrate.upgrade(engine)
        except sa.exc.ProgrammingError as exc:  # a login without the right to change the schema
            if getattr(exc.orig, "sqlstate", None) != "42501":
                raise
            raise SyncError(
                "server.schema_not_migrated", url=label, current=current or "-", head=migrate.head_revision()
            ) from exc


def _open_sqlite(path: Path, local_db_path: Path | None, local_id: str) -> Replica:
    from auditapp.db.engine import check_database_file, check_writable_lock, make_engine

    if path.is_dir():
        path = paths.database_path(path)
    if local_db_path is not None and path.resolve() == local_db_path.resolve():
        raise SyncError("sync.peer_is_self", path=str(path))
    if not path.parent.is_dir():
        raise SyncError("sync.peer_folder_missing", folder=str(path.parent))
    check_database_file(path)
    engine = make_engine(path)
    try:
        check_writable_lock(engine, path)
        migrate_peer(engine, str(path), path.parent if path.name == paths.DATABASE_FILENAME else None)
        replica_id = peer_device_id(engine, local_id)
    except BaseException:
        engine.dispose()
        raise
    files = FolderFiles(PhotoStore(path.parent / "photos"), f"the photo store beside {path}")
    return Replica(engine=engine, replica_id=replica_id, label=str(path), files=files, owns_engine=True)


def _open_postgresql(url: str, local_id: str) -> Replica:
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    label = parsed.render_as_string(hide_password=True)
    from auditapp.server.credentials import with_saved_password  # the keyring's; libpq finds its own

    parsed = with_saved_password(parsed)
    try:
        engine = sa.create_engine(
            parsed,
            pool_pre_ping=True,
            # A sync opens the server anew each time: reuse what earlier syncs compiled (auditapp.db.statement_cache).
            execution_options={"compiled_cache": statement_cache.for_database(label)},
        )
    except (ImportError, sa.exc.ArgumentError) as exc:  # driver not installed, unknown dialect or option
        raise SyncError("sync.peer_driver", target=label, detail=str(exc).splitlines()[0][:200]) from exc
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise SyncError("sync.peer_unreachable", target=label, detail=detail[:200]) from exc
    try:
        migrate_peer(engine, label, None)
        replica_id = peer_device_id(engine, local_id)
        scope, restricted = _login_scope(engine)
    except BaseException:
        engine.dispose()
        raise
    if scope is not None:
        replica_id = str(uuid.uuid5(uuid.UUID(replica_id), scope))
    return Replica(
        engine=engine,
        replica_id=replica_id,
        label=label,
        files=BlobFiles(engine, label),
        owns_engine=True,
        scoped=scope is not None,
        institutions=parse_scope(scope),
        restricted=restricted,
    )


def parse_scope(scope: str | None) -> frozenset[str] | None:
    from auditapp.server.scope import parse_scope as parse

    return parse(scope)


def _login_scope(engine: sa.Engine) -> tuple[str | None, bool]:
    """What this login may see of a bureau server (None: all of it), and whether it may write
    only some rows; see auditapp.server.admin."""
    from auditapp.server.admin import login_restricted, login_scope

    with engine.connect() as conn:
        return login_scope(conn), login_restricted(conn)


def open_peer(target: str, *, local: Replica | None = None, local_db_path: Path | None = None) -> Replica:
    """Open (creating and migrating if needed) the database at ``target``.

    ``target``: a PostgreSQL URL, a ``sqlite:///`` URL, a path to a SQLite file or a
    data folder.
    """
    local_id = local.replica_id if local is not None else ""
    if "://" in target:
        try:
            url = make_url(target)
        except URL_ERRORS as exc:
            raise SyncError("sync.peer_bad_url", target=describe_url(target), detail=str(exc)[:200]) from exc
        backend = url.get_backend_name()
        if backend == "postgresql":
            return _open_postgresql(target, local_id)
        if backend == "sqlite":
            if not url.database:
                raise SyncError("sync.peer_in_memory")
            return _open_sqlite(Path(url.database).expanduser(), local_db_path, local_id)
        raise SyncError("sync.peer_unsupported", backend=backend, target=describe_url(target))
    return _open_sqlite(Path(target).expanduser(), local_db_path, local_id)
