"""Where a replica keeps photo files: a data folder's photo store, or a table in the database.

Both are addressed by sha256 and verify the hash of every file they receive, so a
damaged or tampered file is refused on arrival instead of spreading to every replica.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa

from auditapp.db.models import PhotoBlob, utcnow
from auditapp.photos.store import PhotoStore
from auditapp.sync.errors import SyncError
from auditapp.sync.tables import chunks


class FileStore(Protocol):
    def has_many(self, shas: Iterable[str]) -> set[str]: ...

    def read(self, sha: str) -> bytes: ...

    def sizes(self, shas: Iterable[str]) -> dict[str, int]: ...

    def put(self, sha: str, data: bytes, conn: sa.Connection | None) -> None: ...

    def flush(self) -> None: ...


def _check(sha: str, data: bytes, where: str) -> None:
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha:
        raise SyncError(
            f"photo file {sha[:12]}… from {where} is damaged (its content hashes to {actual[:12]}…)",
            hint="Nothing was changed. Run 'auditapp photo verify' on the device that sent it.",
        )


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
            raise SyncError(
                f"cannot write photo files to {self.store.root}: {exc.strerror}",
                hint="Free some disk space (or check the folder's permissions) and sync again. Nothing was changed.",
            ) from exc
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
        self.table = PhotoBlob.__table__

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
            raise SyncError(f"photo file {sha[:12]}… is missing from {self.label}")
        data = bytes(data)
        _check(sha, data, self.label)
        return data

    def put(self, sha: str, data: bytes, conn: sa.Connection | None) -> None:
        _check(sha, data, "the sender")
        assert conn is not None, "blob files are written inside the sync transaction"
        exists = conn.execute(sa.select(self.table.c.sha256).where(self.table.c.sha256 == sha)).first()
        if exists is None:
            conn.execute(self.table.insert().values(sha256=sha, data=data, byte_size=len(data), created_at=utcnow()))

    def flush(self) -> None:
        """Nothing to do: the files commit with the rows."""
