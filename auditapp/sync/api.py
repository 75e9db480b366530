"""What the CLI and the GUI call: export, preview/import a package, sync with a URL.

Every function takes ``progress(done, total, text)`` and ``cancel`` (a
``auditapp.progress.CancelToken``) so the GUI can run it in a worker with a progress bar
and a Cancel button; cancelling raises ``SyncCancelled`` and rolls everything back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from auditapp.db import Database
from auditapp.db.models import ChangeLogEntry
from auditapp.progress import CancelToken, Progress
from auditapp.sync import selection
from auditapp.sync.changeset import Changeset, read_changeset
from auditapp.sync.conflicts import ConflictInfo
from auditapp.sync.errors import PackageError, SyncError
from auditapp.sync.merge import ConflictItem, IdRule, MergePlan, TableChange, merge_into
from auditapp.sync.package import PackageLimits, read_package, write_package
from auditapp.sync.progress import Phases
from auditapp.sync.replica import (
    Replica,
    advance_known,
    describe_url,
    local_replica,
    open_peer,
    read_known,
    read_transaction,
    replica_now,
    write_transaction,
)
from auditapp.sync.tables import SPECS, TABLE_NAMES, Record, chunks, read_rows


@dataclass(frozen=True)
class ConflictPreview:
    """A conflict a merge would record: both values of every differing field."""

    table: str
    record_id: str
    kind: str
    fields: list[str]
    local: dict[str, Any]
    remote: dict[str, Any]
    applied: str


@dataclass(frozen=True)
class MergeReport:
    """Counts per table and conflicts of one merge direction (what changed, or would)."""

    source: str
    target: str
    counts: dict[str, TableChange]
    conflicts: list[ConflictPreview]
    already_recorded_conflicts: int
    new_photo_files: int
    applied: bool
    already_merged: bool = False  # the same (or an older) complete package was imported before

    @property
    def changes(self) -> int:
        return sum(c.changes for c in self.counts.values())

    def rows(self) -> list[tuple[str, TableChange]]:
        return [(t, self.counts[t]) for t in TABLE_NAMES if t in self.counts]


@dataclass(frozen=True)
class ImportPreview:
    """What importing a package does; ``applied`` says whether it was done or only planned."""

    path: Path
    device_id: str
    device_label: str
    app_version: str
    schema_version: str
    created_at: datetime
    complete: bool
    report: MergeReport
    signer: Any = None  # signing.Signer: who signed it, and whether this data folder trusts them
    encrypted: bool = False

    @property
    def changes(self) -> int:
        return self.report.changes


@dataclass(frozen=True)
class ExportResult:
    path: Path
    counts: dict[str, int]
    photo_files: int
    members: int
    bytes: int
    complete: bool


@dataclass(frozen=True)
class SyncResult:
    target: str
    pulled: MergeReport  # into this computer
    pushed: MergeReport  # into the other database
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)


def _conflict_preview(c: ConflictItem) -> ConflictPreview:
    return ConflictPreview(
        table=c.table,
        record_id=c.record_id,
        kind=c.kind,
        fields=c.fields,
        local={f: c.local.get(f) for f in c.fields} if c.local else {},
        remote={f: c.remote.get(f) for f in c.fields} if c.remote else {},
        applied=c.applied,
    )


def _report(plan: MergePlan, source: str, target: str, applied: bool, new_files: int) -> MergeReport:
    return MergeReport(
        source=source,
        target=target,
        counts=plan.counts,
        conflicts=[_conflict_preview(c) for c in plan.conflicts],
        already_recorded_conflicts=plan.known_conflicts,
        new_photo_files=new_files,
        applied=applied,
        already_merged=plan.already_merged,
    )


def _missing_files(replica: Replica, plan: MergePlan, cs: Changeset) -> int:
    """Photo files to copy; refuses a changeset that needs a file neither side has."""
    if not plan.files_needed:
        return 0
    have = replica.files.has_many(plan.files_needed)
    wanted = [s for s in plan.files_needed if s not in have]
    offered = cs.files.has_many(wanted) if cs.files is not None and wanted else set()
    missing = [s for s in wanted if s not in offered]
    if missing:
        raise PackageError(
            "package.missing_photo", count=len(missing), source=cs.source, target=replica.label, sha=missing[0][:12]
        )
    return len(wanted)


# ---------------------------------------------------------------------------
# package files


def export_package(
    db: Database,
    output: Path,
    *,
    visits: list[str] | None = None,
    institutions: list[str] | None = None,
    since: date | None = None,
    encrypt_to: Path | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> ExportResult:
    """Write a package: everything, or the given visits / institutions / what changed since a date.

    A selection always carries whole visits with everything they refer to, so it can
    be imported into a database that has never seen any of it. ``encrypt_to``: a
    recipient's public key file; the whole package is encrypted for it (``encryption``).
    """
    if encrypt_to is not None:
        from auditapp.sync import encryption

        recipient = encryption.load_public(Path(encrypt_to))  # a bad key file fails before any work
        output = Path(output)
        plain = output.with_name(f".plain-{output.name}")
        try:
            result = export_package(
                db, plain, visits=visits, institutions=institutions, since=since, progress=progress, cancel=cancel
            )
            encryption.encrypt_file(plain, output, recipient)
        finally:
            plain.unlink(missing_ok=True)
        return replace(result, path=output, bytes=output.stat().st_size)
    phases = Phases(progress, [1, 4])
    local = local_replica(db)
    everything = not visits and not institutions and since is None
    chosen: dict[str, Any] = {}
    if everything:
        cs = read_changeset(local, cancel=cancel)
    else:
        since_dt = datetime.combine(since, time.min, tzinfo=UTC) if since else None
        resolved_visits, resolved_insts = selection.resolve_refs(db, visits or [], institutions or [])
        chosen = {
            "visits": resolved_visits,
            "institutions": resolved_insts,
            "since": since.isoformat() if since else None,
        }
        cs = read_changeset(
            local,
            select=lambda conn: selection.select_records(conn, resolved_visits, resolved_insts, since_dt),
            cancel=cancel,
        )
        if not cs.tables:
            raise SyncError("sync.export_nothing")
    part = phases.part(0)
    if part:
        part(1, 1, "")
    from auditapp.sync import signing

    members, size = write_package(
        cs, Path(output), files=local.files, selection=chosen, device_label=db.actor,
        sign=lambda manifest: signing.signature_comment(db.data_dir, manifest, db.actor),
        progress=phases.part(1), cancel=cancel,
    )
    phases.finish()
    from auditapp.sync.changeset import referenced_files

    return ExportResult(
        path=Path(output),
        counts={t: len(rows) for t, rows in cs.tables.items()},
        photo_files=len(referenced_files(cs.tables)),
        members=members,
        bytes=size,
        complete=cs.complete,
    )


def import_package(
    db: Database,
    path: Path,
    *,
    dry_run: bool = False,
    limits: PackageLimits | None = None,
    key: Path | None = None,
    passphrase: bytes | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> ImportPreview:
    """Validate a package whole, plan the merge and (unless ``dry_run``) apply it in one transaction.

    Any problem raises before the first write; the database is then unchanged. An
    encrypted package needs the recipient's private ``key`` file and its ``passphrase``.
    """
    from auditapp.sync import encryption

    if encryption.is_encrypted(Path(path)):
        if key is None:
            raise SyncError("package.encrypted_needs_key", path=str(path))
        private = encryption.load_private(Path(key), passphrase if passphrase is not None else encryption.passphrase())
        with encryption.decrypted(Path(path), private, db.data_dir / "tmp") as plain:
            inner = import_package(db, plain, dry_run=dry_run, limits=limits, progress=progress, cancel=cancel)
        return replace(inner, path=Path(path), encrypted=True)
    phases = Phases(progress, [3, 2, 5])
    package = read_package(Path(path), limits=limits, progress=phases.part(0), cancel=cancel)
    from auditapp.sync import signing

    try:
        signer = signing.check_signature(Path(path), db.data_dir)
    except BaseException:
        close = getattr(package.changeset.files, "close", None)
        if close is not None:
            close()
        raise
    cs = package.changeset
    local = local_replica(db)
    plan = merge_into(local, cs, dry_run=True, cancel=cancel)
    new_files = _missing_files(local, plan, cs)
    part = phases.part(1)
    if part:
        part(1, 1, "")
    try:
        if not dry_run:
            assert cs.files is not None
            plan = merge_into(local, cs, progress=phases.part(2), cancel=cancel, file_data=cs.files.read, plan=plan)
    finally:
        close = getattr(cs.files, "close", None)
        if close is not None:
            close()
    phases.finish()
    info = package.info
    return ImportPreview(
        path=info.path,
        device_id=info.device_id,
        device_label=info.device_label,
        app_version=info.app_version,
        schema_version=info.schema_version,
        created_at=info.created_at,
        complete=info.complete,
        report=_report(plan, cs.source, "this computer", not dry_run, new_files),
        signer=signer,
    )


def preview_package(
    db: Database, path: Path, *, limits: PackageLimits | None = None, progress: Progress | None = None, cancel: CancelToken | None = None
) -> ImportPreview:
    """What importing would change (counts per table, conflicts); writes nothing. For the GUI's dialog."""
    return import_package(db, path, dry_run=True, limits=limits, progress=progress, cancel=cancel)


# ---------------------------------------------------------------------------
# direct sync


def _known_of(replica: Replica, peer_id: str) -> datetime | None:
    with read_transaction(replica.engine) as conn:
        return read_known(conn).get(peer_id)


def _known_after_push(local: Replica, peer: Replica, pull_cs: Changeset) -> None:
    """If nobody else wrote to the peer since we read it, we now know all of it.

    Everything the peer got after our pull came from our push; recording that spares
    the next sync from reading our own push back. A later write by anyone else is
    stamped after this point (the peer's clock never goes back), so it is not skipped.
    """
    if pull_cs.snapshot_at is None:
        return
    log = ChangeLogEntry.__table__
    with read_transaction(peer.engine) as conn:
        others = conn.execute(
            sa.select(sa.func.count())
            .select_from(log)
            .where(log.c.at > pull_cs.snapshot_at, log.c.device_id != local.replica_id)
        ).scalar()
        latest = conn.execute(sa.select(sa.func.max(log.c.at))).scalar()
    if others or latest is None:
        return
    latest = latest if latest.tzinfo else latest.replace(tzinfo=UTC)
    with write_transaction(local.engine) as conn:
        advance_known(
            conn,
            self_id=local.replica_id,
            origin=peer.replica_id,
            origin_now=latest,
            transitive={},
            label=peer.label,
            source=peer.label,
            now=replica_now(conn),
        )


def _id_rules(peer: Replica) -> tuple[IdRule, IdRule]:
    """Which ids win for a record created on both sides (pulling, pushing).

    Peers of equal standing agree on the smaller id. A server whose login may not write
    every row keeps its own: renaming its row would have to rename references from rows
    the login may not touch (a bureau visit's answers naming a hospital's department).
    """
    return ("incoming", "resident") if peer.restricted else ("smaller", "smaller")


def _plan_push(
    local: Replica, peer: Replica, cancel: CancelToken | None
) -> tuple[Changeset, MergePlan, int]:
    """What this computer has for the peer that it has not seen, and what merging it would do.

    Returns the changeset, the plan and how many records a scoped login may not push.
    """
    push_cs = read_changeset(local, since=_known_of(peer, local.replica_id), echo_of=peer.replica_id, cancel=cancel)
    skipped = 0
    if peer.institutions is not None:
        from auditapp.server.scope import writable_slice

        push_cs, skipped = writable_slice(push_cs, peer.institutions, local.engine)
    push_plan = merge_into(peer, push_cs, dry_run=True, cancel=cancel, ids=_id_rules(peer)[1])
    return push_cs, push_plan, skipped


def _adopt_peer_ids(local: Replica, peer: Replica, plan: MergePlan, cancel: CancelToken | None) -> bool:
    """Rename this computer's copies of records the server holds under other ids to the server's ids.

    ``plan`` (a push) found them by their unique key: the push would map them onto the
    server's rows, but this computer would keep its ids, and every later sync would find
    them again. The server's rows are pulled with what they refer to and merged here
    under the "incoming" rule: the local rows and every reference to them take the
    server's ids, in one local transaction (which also records the pull, as any merge).
    Returns whether there was anything to adopt.
    """
    wanted = {table: set(mapping.values()) for table, mapping in plan.replaced.items() if mapping}
    if not wanted:
        return False

    def select(conn: sa.Connection) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = {}
        for table, ids in wanted.items():
            spec = SPECS[table]
            for batch in chunks(sorted(ids)):
                out.setdefault(table, []).extend(read_rows(conn, spec, spec.table.c.id.in_(batch)))
        return out

    cs = read_changeset(peer, select=select, cancel=cancel)
    merge_into(local, cs, cancel=cancel, file_data=peer.files.read, ids="incoming")
    return True


def sync_replicas(
    local: Replica,
    peer: Replica,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> SyncResult:
    """Pull the peer's changes into ``local``, then push ``local``'s into the peer.

    Each direction is one transaction; a sync killed between or inside them leaves
    both sides consistent, and running it again completes it. Only what changed since
    the last sync with this peer is read (the peer's clock, ``sync_peers``).
    """
    phases = Phases(progress, [1, 4, 1, 4])
    pull_ids, _push_ids = _id_rules(peer)
    pull_cs = read_changeset(peer, since=_known_of(local, peer.replica_id), echo_of=local.replica_id, cancel=cancel)
    pull_plan = merge_into(local, pull_cs, dry_run=True, cancel=cancel, ids=pull_ids)
    pull_files = _missing_files(local, pull_plan, pull_cs)
    part = phases.part(0)
    if part:
        part(1, 1, "")
    if not dry_run:
        pull_plan = merge_into(
            local, pull_cs, progress=phases.part(1), cancel=cancel, file_data=peer.files.read, plan=pull_plan, ids=pull_ids
        )
    push_cs, push_plan, skipped = _plan_push(local, peer, cancel)
    if peer.restricted and not dry_run and _adopt_peer_ids(local, peer, push_plan, cancel):
        push_cs, push_plan, skipped = _plan_push(local, peer, cancel)
    notes: list[str] = []
    if skipped:
        notes.append(SyncError("server.push_skipped", count=skipped, url=peer.label).message())
    push_files = _missing_files(peer, push_plan, push_cs)
    part = phases.part(2)
    if part:
        part(1, 1, "")
    if not dry_run:
        push_plan = merge_into(
            peer, push_cs, progress=phases.part(3), cancel=cancel, file_data=local.files.read, plan=push_plan, writer=local,
            ids=_push_ids,
        )
        _known_after_push(local, peer, pull_cs)
    phases.finish()
    return SyncResult(
        target=peer.label,
        pulled=_report(pull_plan, peer.label, local.label, not dry_run, pull_files),
        pushed=_report(push_plan, local.label, peer.label, not dry_run, push_files),
        dry_run=dry_run,
        notes=notes,
    )


def sync_with(
    db: Database, target: str, *, dry_run: bool = False, progress: Progress | None = None, cancel: CancelToken | None = None
) -> SyncResult:
    """Sync with another database: a PostgreSQL URL, a SQLite URL, file or data folder."""
    local = local_replica(db)
    try:
        peer = open_peer(target, local=local, local_db_path=db.path)
    except sa.exc.SQLAlchemyError as exc:
        raise SyncError("sync.peer_open_failed", target=describe_url(target), detail=str(exc).splitlines()[0][:200]) from exc
    with peer:
        return sync_replicas(local, peer, dry_run=dry_run, progress=progress, cancel=cancel)


__all__ = [
    "ConflictInfo",
    "ConflictPreview",
    "ExportResult",
    "ImportPreview",
    "MergeReport",
    "SyncResult",
    "export_package",
    "import_package",
    "preview_package",
    "sync_replicas",
    "sync_with",
]
