"""Where a replica keeps photo files: a data folder's photo store, or a table in the database.

Both are addressed by sha256 and verify the hash of every file they receive, so a
damaged or tampered file is refused on arrival instead of spreading to every replica.
A folder journals the files a merge is about to create before it writes them
(``auditapp.photos.journal``), so a merge that fails or is killed before its commit
leaves nothing that could later be mistaken for, or deleted as, someone's photo.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, cast

import sqlalchemy as sa

from auditapp.db.models import PhotoBlob, utcnow
from auditapp.photos.journal import PendingImport
from auditapp.photos.store import PhotoStore
from auditapp.sync.errors import SyncError
from auditapp.sync.tables import chunks


class FileStore(Protocol):
    def has_many(self, shas: Iterable[str]) -> set[str]: ...

    def read(self, sha: str) -> bytes: ...

    def sizes(self, shas: Iterable[str]) -> dict[str, int]: ...

    def put(self, sha: str, data: bytes, conn: sa.Connection | None) -> None: ...

    def flush(self) -> None: ...

    def begin(self, conn: sa.Connection, replica_id: str, shas: list[str]) -> None: ...

    def finish(self, committed: bool, *, crashed: bool = False) -> None: ...


def _check(sha: str, data: bytes, where: str) -> None:
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha:
        raise SyncError("sync.photo_damaged", sha=sha[:12], source=where, actual=actual[:12])


class FolderFiles:
    """A data folder's content-addressed photo store (files written before rows commit).

    A sync brings thousands of files at once; syncing each to disk separately (as a
    single photo import does) would take minutes, so files are written to temporary
    names and renamed into place, and ``flush`` makes them all durable in one go
    before the database commits the rows that reference them.
    """

    def __init__(self, store: PhotoStore, label: str) -> None:
        self.store = store
        self.label = label
        self._pending: list[Path] = []
        self._journal: PendingImport | None = None

    def begin(self, conn: sa.Connection, replica_id: str, shas: list[str]) -> None:
        """Journal the files about to be written, before the first one is (``conn``: the replica's)."""
        from auditapp.db.photo_files import lineage

        self._journal = PendingImport(self.store, lineage(conn, replica_id))
        try:
            self._journal.record(shas)
        except OSError as exc:
            raise SyncError("sync.photo_unwritable", folder=str(self.store.root), reason=exc.strerror or str(exc)) from exc

    def finish(self, committed: bool, *, crashed: bool = False) -> None:
        """After the transaction: forget the journal (committed) or remove the files it created.

        ``crashed``: the process is exiting mid-merge; the journal stays for the next open.
        """
        journal, self._journal = self._journal, None
        self._pending.clear()
        if journal is None:
            return
        if committed:
            journal.done()
        elif not crashed:
            journal.discard()

    def has_many(self, shas: Iterable[str]) -> set[str]:
        return {s for s in shas if self.store.exists(s)}

    def sizes(self, shas: Iterable[str]) -> dict[str, int]:
        return {s: self.store.path(s).stat().st_size for s in shas}

    def read(self, sha: str) -> bytes:
        data = self.store.read(sha)
        _check(sha, data, self.label)
        return data

    def put(self, sha: str, data: bytes, conn: sa.Connection | None) -> None:
        _check(sha, data, "the sender")
        target = self.store.path(sha)
        if target.is_file():
            return
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp_name, target)
            except BaseException:
                Path(tmp_name).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise SyncError("sync.photo_unwritable", folder=str(self.store.root), reason=exc.strerror or str(exc)) from exc
        self._pending.append(target)

    def flush(self) -> None:
        """Make every file written by ``put`` durable (one system-wide sync where available)."""
        if not self._pending:
            return
        if hasattr(os, "sync"):
            os.sync()
        else:  # pragma: no cover - Windows
            for path in self._pending:
                with path.open("rb+") as fh:
                    os.fsync(fh.fileno())
        self._pending.clear()


class BlobFiles:
    """Photo files in the ``photo_blobs`` table; written in the same transaction as the rows."""

    def __init__(self, engine: sa.Engine, label: str) -> None:
        self.engine = engine
        self.label = label
        self.table = cast(sa.Table, PhotoBlob.__table__)

    def has_many(self, shas: Iterable[str]) -> set[str]:
        found: set[str] = set()
        with self.engine.connect() as conn:
            for batch in chunks(sorted(set(shas))):
                found.update(conn.execute(sa.select(self.table.c.sha256).where(self.table.c.sha256.in_(batch))).scalars())
        return found

    def sizes(self, shas: Iterable[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        with self.engine.connect() as conn:
            for batch in chunks(sorted(set(shas))):
                query = sa.select(self.table.c.sha256, self.table.c.byte_size).where(self.table.c.sha256.in_(batch))
                out.update({sha: size for sha, size in conn.execute(query)})
        return out

    def read(self, sha: str) -> bytes:
        with self.engine.connect() as conn:
            data = conn.execute(sa.select(self.table.c.data).where(self.table.c.sha256 == sha)).scalar()
        if data is None:
            raise SyncError("sync.photo_missing", sha=sha[:12], source=self.label)
        data = bytes(data)
        _check(sha, data, self.label)
        return data

    def put(self, sha: str, data: bytes, conn: sa.Connection | None) -> None:
        _check(sha, data, "the sender")
        assert conn is not None, "blob files are written inside the sync transaction"
        values = {"sha256": sha, "data": data, "byte_size": len(data), "created_at": utcnow()}
        if conn.dialect.name == "postgresql":
            # On a bureau server a login may not see a file another hospital sent (row-level
            # security), so "is it there?" cannot be asked: insert, and a duplicate is fine.
            # (INSERT … ON CONFLICT would need the file to be visible as well.)
            try:
                with conn.begin_nested():
                    conn.execute(self.table.insert().values(**values))
            except sa.exc.IntegrityError:
                pass
            return
        exists = conn.execute(sa.select(self.table.c.sha256).where(self.table.c.sha256 == sha)).first()
        if exists is None:
            conn.execute(self.table.insert().values(**values))

    def flush(self) -> None:
        """Nothing to do: the files commit with the rows."""

    def begin(self, conn: sa.Connection, replica_id: str, shas: list[str]) -> None:
        """Nothing to journal: the files are rows of the same transaction."""

    def finish(self, committed: bool, *, crashed: bool = False) -> None:
        """Nothing to do: a rollback removes the files with the rows."""
