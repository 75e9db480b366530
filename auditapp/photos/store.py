"""The content-addressed photo store: one file per distinct picture, named by its sha256.

Files are written to a temporary name, fsynced and renamed into place before the
database row that references them is committed, so a crash can leave an unreferenced
file but never a row without its file. Writers journal the files they create first
(``auditapp.photos.journal``): only a journalled file of a crashed import is ever
removed again; the store itself never deletes anything.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from auditapp.errors import PhotoError

SUFFIX = ".jpg"


_HEX = frozenset("0123456789abcdef")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_sha256(value: object) -> bool:
    """A lowercase hex sha256 (64 characters): the only thing a store file may be named by."""
    return isinstance(value, str) and len(value) == 64 and _HEX.issuperset(value)


class PhotoStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha: str) -> Path:
        # A "hash" from a damaged database or a forged record could be a path
        # ("../../x"); nothing but a real sha256 ever becomes a file name here.
        if not is_sha256(sha):
            raise PhotoError("photo.bad_hash", value=str(sha)[:80])
        return self.root / sha[:2] / f"{sha}{SUFFIX}"

    def exists(self, sha: str) -> bool:
        return is_sha256(sha) and self.path(sha).is_file()

    def read(self, sha: str) -> bytes:
        try:
            return self.path(sha).read_bytes()
        except FileNotFoundError:
            raise PhotoError("photo.file_missing", sha=sha[:12], folder=str(self.root)) from None
        except OSError as exc:
            raise PhotoError("photo.file_unreadable", sha=sha[:12], folder=str(self.root), reason=exc.strerror or str(exc)) from exc

    def put(self, data: bytes) -> str:
        """Store ``data`` once and return its sha256; durable when this returns."""
        sha = sha256_hex(data)
        target = self.path(sha)
        if target.is_file():
            return sha
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp_name, target)
            except BaseException:
                Path(tmp_name).unlink(missing_ok=True)
                raise
            fsync_dir(target.parent)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise PhotoError("photo.disk_full", folder=str(self.root)) from exc
            raise PhotoError("photo.store_unwritable", folder=str(self.root), reason=exc.strerror or str(exc)) from exc
        return sha

    def hashes(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in self.root.glob(f"??/*{SUFFIX}"):
            yield path.stem

    def verify(self) -> list[str]:
        """Files whose content no longer matches their name (bit rot, tampering)."""
        from auditapp.errors import AuditAppError

        problems = []
        for sha in self.hashes():
            if not is_sha256(sha):
                continue  # not a store file (a stray name): nothing to compare
            actual = sha256_hex(self.path(sha).read_bytes())
            if actual != sha:
                problems.append(AuditAppError("photo.verify_mismatch", path=str(self.path(sha)), actual=actual[:12]).message())
        return problems


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
