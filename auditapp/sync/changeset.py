"""A changeset: records of one replica, as plain dicts, with what the merge needs to judge them.

Both carriers produce one: a package file is a changeset written to a zip; a direct
sync reads one from each side. The unit of exchange is the visit: whenever a
changeset holds anything of a visit, it holds the visit row and all of its frozen
children (answers, findings …), so the receiver can tell an answer the sender does not
have from one it merely did not send (needed by the finalization rule in merge).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from auditapp.db.models import ChangeLogEntry, FloorPlan, Photo
from auditapp.progress import CancelToken
from auditapp.sync import replica as replica_mod
from auditapp.sync.files import FileStore
from auditapp.sync.progress import checkpoint
from auditapp.sync.replica import Replica
from auditapp.sync.tables import LOCKED_BY_VISIT, SPECS, TABLE_NAMES, TABLES, Record, chunks, plain_datetime, read_rows


@dataclass
class Changeset:
    origin: str
    origin_label: str
    # Time on the origin's clock up to which this changeset holds all of its changes
    # (None for a partial export, which proves nothing about what it left out).
    origin_now: datetime | None
    known: dict[str, datetime]
    tables: dict[str, list[Record]]
    changed_at: dict[str, dict[str, str]] = field(default_factory=dict)
    files: FileStore | None = None
    source: str = ""
    # The origin's clock when it was read (not backdated): see api.sync_replicas.
    snapshot_at: datetime | None = None
    # Every record already passed tables.check_record (a package does while it is
    # read); otherwise merge.check_changeset does before planning.
    validated: bool = False

    @property
    def complete(self) -> bool:
        return self.origin_now is not None

    def count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


def referenced_files(tables: dict[str, list[Record]]) -> set[str]:
    """Photo files the records need: photos and their thumbnails, floor-plan images."""
    shas: set[str] = set()
    for row in tables.get(Photo.__tablename__, []):
        shas.update(s for s in (row.get("sha256"), row.get("thumb_sha256")) if s)
    for row in tables.get(FloorPlan.__tablename__, []):
        if row.get("image_sha256"):
            shas.add(row["image_sha256"])
    return shas


def _changed_at(conn: sa.Connection, wanted: dict[str, list[str]] | None) -> dict[str, dict[str, str]]:
    """When each record last changed (its latest change-log entry), per table.

    ``wanted``: table → ids of the records asked about; None: every record of every
    synced table. One query for all tables (per 500 records), not one per table: on a
    server, every query on the change log is checked against the login's policies.
    """
    log = ChangeLogEntry.__table__
    query = sa.select(log.c.entity, log.c.entity_id, sa.func.max(log.c.at)).group_by(log.c.entity, log.c.entity_id)
    out: dict[str, dict[str, str]] = {}
    if wanted is None:
        for entity, entity_id, at in conn.execute(query.where(log.c.entity.in_(TABLE_NAMES))):
            out.setdefault(entity, {})[entity_id] = plain_datetime(at)
        return out
    asked = {table: set(ids) for table, ids in wanted.items() if ids}
    for batch in chunks((table, record_id) for table, ids in asked.items() for record_id in ids):
        tables = sorted({table for table, _id in batch})
        ids = sorted({record_id for _table, record_id in batch})
        for entity, entity_id, at in conn.execute(query.where(log.c.entity.in_(tables), log.c.entity_id.in_(ids))):
            if entity_id in asked.get(entity, ()):  # the ids of one table, not another's that shares the batch
                out.setdefault(entity, {})[entity_id] = plain_datetime(at)
    return out


def _rows_by(conn: sa.Connection, table: str, column: str, values: set[str]) -> list[Record]:
    spec = SPECS[table]
    out: list[Record] = []
    for batch in chunks(sorted(values)):
        out.extend(read_rows(conn, spec, spec.table.c[column].in_(batch)))
    return out


def _changed_since(conn: sa.Connection, since: datetime, echo_of: str | None) -> dict[str, dict[str, str]]:
    """Records changed after ``since``, leaving out those whose last change was a plain copy
    of ``echo_of``'s version (received from that peer, so it has them already)."""
    log = ChangeLogEntry.__table__
    rows = conn.execute(
        sa.select(log.c.entity, log.c.entity_id, log.c.at, log.c.changes).where(log.c.at > since).order_by(log.c.at)
    )
    last: dict[tuple[str, str], tuple[Any, Any]] = {}
    for entity, entity_id, at, changes in rows:
        if entity in SPECS:
            last[(entity, entity_id)] = (at, changes)
    out: dict[str, dict[str, str]] = {}
    for (entity, entity_id), (at, changes) in last.items():
        sync = changes.get("sync") if isinstance(changes, dict) else None
        if echo_of and isinstance(sync, dict) and sync.get("copy") and sync.get("from") == echo_of:
            continue
        out.setdefault(entity, {})[entity_id] = plain_datetime(at)
    return out


def _visit_of(table: str, row: Record) -> str | None:
    if table == "visits":
        return str(row["id"])
    if table in LOCKED_BY_VISIT:
        visit_id = row.get("visit_id")
        return None if visit_id is None else str(visit_id)
    return None


def complete_visits(conn: sa.Connection, tables: dict[str, list[Record]]) -> dict[str, list[Record]]:
    """Add, for every visit the records touch, the visit row and all its frozen children."""
    visit_ids: set[str] = set()
    for table in ("visits", *LOCKED_BY_VISIT):
        for row in tables.get(table, []):
            vid = _visit_of(table, row)
            if vid:
                visit_ids.add(vid)
    if not visit_ids:
        return tables
    out = {name: list(rows) for name, rows in tables.items()}
    for table, column in (("visits", "id"), *((t, "visit_id") for t in LOCKED_BY_VISIT)):
        have = {r["id"] for r in out.get(table, [])}
        extra = [r for r in _rows_by(conn, table, column, visit_ids) if r["id"] not in have]
        if extra:
            out.setdefault(table, []).extend(extra)
    return out


def add_parents(conn: sa.Connection, tables: dict[str, list[Record]]) -> dict[str, list[Record]]:
    """Add every referenced parent missing from the changeset (institutions, snapshots …)."""
    out = {name: list(rows) for name, rows in tables.items()}
    changed = True
    while changed:
        changed = False
        for spec in reversed(TABLES):
            for col in spec.fks:
                have = {r["id"] for r in out.get(col.parent, [])}  # type: ignore[arg-type]
                want = {r[col.name] for r in out.get(spec.name, []) if r.get(col.name)} - have
                if want:
                    rows = _rows_by(conn, col.parent, "id", want)  # type: ignore[arg-type]
                    if rows:
                        out.setdefault(col.parent, []).extend(rows)  # type: ignore[arg-type]
                        changed = True
        if changed:
            out = complete_visits(conn, out)
    return out


def read_changeset(
    replica: Replica,
    *,
    since: datetime | None = None,
    select: Callable[[sa.Connection], dict[str, list[Record]]] | None = None,
    echo_of: str | None = None,
    cancel: CancelToken | None = None,
) -> Changeset:
    """Read a replica's records: all of them, those changed after ``since`` (its clock), or a selection.

    All and since-changesets are complete (they carry ``origin_now``); a selection is not.
    """
    try:
        return _read_changeset(replica, since=since, select=select, echo_of=echo_of, cancel=cancel)
    except sa.exc.DBAPIError as exc:  # a damaged replica (text that is not UTF-8 …)
        from auditapp.db.engine import translate_error

        raise translate_error(exc, replica.label) from exc


def _read_changeset(
    replica: Replica,
    *,
    since: datetime | None,
    select: Callable[[sa.Connection], dict[str, list[Record]]] | None,
    echo_of: str | None,
    cancel: CancelToken | None,
) -> Changeset:
    with replica_mod.read_transaction(replica.engine) as conn:
        snapshot_at = replica_mod.replica_now(conn)
        now = snapshot_at - replica_mod.CLOCK_MARGIN
        known = {} if replica.scoped else replica_mod.read_known(conn)
        tables: dict[str, list[Record]] = {}
        changed: dict[str, dict[str, str]] = {}
        if select is not None:
            tables = select(conn)
        elif since is None:
            for spec in TABLES:
                checkpoint(cancel)
                tables[spec.name] = read_rows(conn, spec)
        else:
            changed = _changed_since(conn, since, echo_of)
            for table, ids in changed.items():
                tables[table] = _rows_by(conn, table, "id", set(ids))
        if select is not None or since is not None:
            tables = add_parents(conn, complete_visits(conn, tables))
        checkpoint(cancel)
        full = select is None and since is None
        stamps = _changed_at(conn, None if full else {name: [r["id"] for r in rows] for name, rows in tables.items()})
        for spec in TABLES:
            checkpoint(cancel)
            rows = tables.get(spec.name, [])
            if not rows:
                continue
            stamped = stamps.get(spec.name, {})
            # Plain records carry times as ISO text (tables.plain_datetime).
            changed[spec.name] = {r["id"]: str(stamped.get(r["id"], r["updated_at"])) for r in rows}
    return Changeset(
        origin=replica.replica_id,
        origin_label=replica.label,
        origin_now=None if select is not None else now,
        known=known,
        tables={k: v for k, v in tables.items() if v},
        changed_at=changed,
        files=replica.files,
        source=replica.label,
        snapshot_at=snapshot_at,
    )
