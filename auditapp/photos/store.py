"""The content-addressed photo store: one file per distinct picture, named by its sha256.

Files are written to a temporary name, fsynced and renamed into place before the
database row that references them is committed, so a crash can leave an unreferenced
file (removed on the next open) but never a row without its file.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from auditapp.errors import PhotoError

SUFFIX = ".jpg"
# An unreferenced file younger than this may belong to an import still running in
# another process (file written, row about to commit), so it is left alone.
ORPHAN_MIN_AGE_S = 3600


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class PhotoStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha: str) -> Path:
        return self.root / sha[:2] / f"{sha}{SUFFIX}"

    def exists(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def read(self, sha: str) -> bytes:
        try:
            return self.path(sha).read_bytes()
        except FileNotFoundError:
            raise PhotoError(
                f"photo file {sha[:12]}… is missing from {self.root}",
                hint="Run 'auditapp photo verify'; restore the photos folder from a backup copy.",
            ) from None

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
            _fsync_dir(target.parent)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise PhotoError(
                    f"the disk holding {self.root} is full; the photo was not stored",
                    hint="Free some space (or move the data folder) and import again.",
                ) from exc
            raise PhotoError(f"cannot write to the photo store {self.root}: {exc.strerror}") from exc
        return sha

    def hashes(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in self.root.glob(f"??/*{SUFFIX}"):
            yield path.stem

    def verify(self) -> list[str]:
        """Files whose content no longer matches their name (bit rot, tampering)."""
        problems = []
        for sha in self.hashes():
            actual = sha256_hex(self.path(sha).read_bytes())
            if actual != sha:
                problems.append(f"{self.path(sha)}: content hash {actual[:12]}… does not match its name")
        return problems

    def remove_orphans(self, referenced: set[str], *, min_age_s: float = ORPHAN_MIN_AGE_S) -> int:
        """Delete stored files no row references (left by a crash between file and row)."""
        now = time.time()
        removed = 0
        if not self.root.is_dir():
            return 0
        for path in list(self.root.glob("??/*")):
            is_tmp = path.name.startswith(".tmp-")
            if not is_tmp and (path.suffix != SUFFIX or path.stem in referenced):
                continue
            if now - path.stat().st_mtime < min_age_s:
                continue
            path.unlink(missing_ok=True)
            removed += 1
        return removed


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
