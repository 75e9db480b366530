"""The photo store's journal of pending imports, and the only cleanup that may delete a file.

Photos are the evidence of a visit, so a file is never deleted because the open
database does not know it: that database may be a restored older backup, a fresh
file after the old one was lost, or somebody else's. A file may only be deleted when
this database itself wrote down, before the file was placed, that an import was about
to create it, and the import never committed.

Every writer (photo import, floor plan, sync) opens a :class:`PendingImport`: a small
journal file ``photos/.pending/<token>.journal`` listing each file it is about to
create, fsynced *before* the file is placed, and removed once the rows referencing
the files have committed. A crash in between leaves the journal behind;
:func:`recover` (run when a data folder is opened) then deletes the files it lists
that no row references — but only when the journal was written by this database (same
device id, and the change-log entry that was newest when the import started still
exists). Anything it cannot prove half-imported goes to a quarantine folder beside
the store, reported, never deleted. Files the database merely does not know are left
where they are and counted.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from auditapp.photos.store import PhotoStore, fsync_dir

log = logging.getLogger(__name__)

JOURNAL_DIR = ".pending"
JOURNAL_SUFFIX = ".journal"
QUARANTINE_DIR = "quarantine"
# A journal younger than this may belong to an import still running in another
# process (file placed, row about to commit), so it is left alone.
MIN_AGE_S = 3600


@dataclass(frozen=True)
class Lineage:
    """Which database writes a journal: its device id and its newest change-log entry then."""

    device_id: str
    log_mark: str | None


@dataclass
class RecoveryReport:
    """What :func:`recover` did, for the open report and the log."""

    removed: int = 0
    quarantined: int = 0
    unknown: int = 0
    quarantine_dir: Path | None = None
    journals: int = 0
    quarantined_files: list[Path] = field(default_factory=list)


def journal_dir(store: PhotoStore) -> Path:
    return store.root / JOURNAL_DIR


def quarantine_root(store: PhotoStore) -> Path:
    """``<data folder>/quarantine/photos``: beside the store, never inside it."""
    return store.root.parent / QUARANTINE_DIR / "photos"


class PendingImport:
    """One import's journal: record each file before it is placed, forget them after commit.

    Use as ``with PendingImport(store, lineage) as pending: sha = pending.put(data); …commit…``
    then ``pending.done()``; leaving the block without ``done()`` (an error, a refused
    commit) removes the files this import created, since no row can reference them.
    """

    def __init__(self, store: PhotoStore, lineage: Lineage) -> None:
        self.store = store
        self.lineage = lineage
        self.token = uuid.uuid4().hex
        self.path = journal_dir(store) / f"{self.token}{JOURNAL_SUFFIX}"
        self.created: list[str] = []
        self._fh: object | None = None
        self._finished = False

    # -- journal file ------------------------------------------------------

    def _open(self) -> None:
        if self._fh is not None:
            return
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True)
        header = {
            "device_id": self.lineage.device_id,
            "log_mark": self.lineage.log_mark,
            "started_at": datetime.now(UTC).isoformat(),
            "pid": os.getpid(),
        }
        fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - kept open for appends
        fh.write(json.dumps(header) + "\n")
        self._fh = fh
        self._sync()
        fsync_dir(folder)

    def _sync(self) -> None:
        fh = self._fh
        assert fh is not None
        fh.flush()  # type: ignore[attr-defined]
        os.fsync(fh.fileno())  # type: ignore[attr-defined]

    def record(self, shas: Iterable[str]) -> list[str]:
        """Write down files about to be created (those not in the store yet); durable on return."""
        new = [s for s in dict.fromkeys(shas) if not self.store.exists(s) and s not in self.created]
        if not new:
            return []
        self._open()
        fh = self._fh
        assert fh is not None
        for sha in new:
            fh.write(sha + "\n")  # type: ignore[attr-defined]
        self._sync()
        self.created.extend(new)
        return new

    # -- writing -----------------------------------------------------------

    def put(self, data: bytes) -> str:
        """Store ``data`` durably (journalled first if it is a new file) and return its sha256."""
        from auditapp.photos.store import sha256_hex

        sha = sha256_hex(data)
        self.record([sha])
        self.store.put(data)
        return sha

    def done(self) -> None:
        """The rows referencing the files have committed: the journal is no longer needed."""
        self._finished = True
        self._close()
        self.path.unlink(missing_ok=True)

    def discard(self) -> None:
        """The import failed before its rows committed: remove the files it created."""
        self._finished = True
        for sha in self.created:
            self.store.path(sha).unlink(missing_ok=True)
        self._close()
        self.path.unlink(missing_ok=True)

    def _close(self) -> None:
        if self._fh is not None:
            self._fh.close()  # type: ignore[attr-defined]
            self._fh = None

    def __enter__(self) -> PendingImport:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_exc: object) -> None:
        if self._finished:
            return
        if exc_type is None:
            self.done()
        elif issubclass(exc_type, Exception):
            self.discard()
        else:
            # Killed or exiting (SystemExit, KeyboardInterrupt): like a crash, the journal
            # stays for recover() to settle on the next open.
            self._close()


# ---------------------------------------------------------------------------
# recovery on open


@dataclass(frozen=True)
class _Journal:
    path: Path
    lineage: Lineage | None  # None: the header is unreadable
    shas: list[str]


def _read_journal(path: Path) -> _Journal:
    lineage: Lineage | None = None
    shas: list[str] = []
    try:
        raw = path.read_bytes()[: 16 * 1024 * 1024]
    except OSError:
        return _Journal(path, None, [])
    lines = raw.decode("utf-8", "replace").splitlines()
    if lines:
        try:
            header = json.loads(lines[0])
            if isinstance(header, dict) and isinstance(header.get("device_id"), str):
                mark = header.get("log_mark")
                lineage = Lineage(header["device_id"], mark if isinstance(mark, str) else None)
        except ValueError:
            lineage = None
    for line in lines[1:]:
        line = line.strip()
        if len(line) == 64 and all(c in "0123456789abcdef" for c in line):
            shas.append(line)
    return _Journal(path, lineage, shas)


def _journals(store: PhotoStore) -> list[Path]:
    folder = journal_dir(store)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.endswith(JOURNAL_SUFFIX) and p.is_file())


def _quarantine(store: PhotoStore, path: Path, report: RecoveryReport) -> None:
    if report.quarantine_dir is None:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        report.quarantine_dir = quarantine_root(store) / stamp
    target = report.quarantine_dir / path.parent.name / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    counter = 1
    while target.exists():
        counter += 1
        target = target.with_name(f"{path.stem}-{counter}{path.suffix}")
    os.replace(path, target)
    report.quarantined += 1
    report.quarantined_files.append(target)


def recover(
    store: PhotoStore,
    referenced: set[str],
    belongs_here: Callable[[Lineage], bool],
    *,
    min_age_s: float = MIN_AGE_S,
) -> RecoveryReport:
    """Settle the journals left by crashed imports; never delete a file it cannot prove half-imported.

    ``referenced``: every file the open database's rows name. ``belongs_here``: whether a
    journal was written by this database (see the module docstring).
    """
    report = RecoveryReport()
    if not store.root.is_dir():
        return report
    now = time.time()
    for path in _journals(store):
        try:
            if now - path.stat().st_mtime < min_age_s:
                continue
        except OSError:
            continue
        journal = _read_journal(path)
        own = journal.lineage is not None and belongs_here(journal.lineage)
        for sha in journal.shas:
            file = store.path(sha)
            if sha in referenced or not file.is_file():
                continue
            if own:
                file.unlink(missing_ok=True)
                report.removed += 1
            else:
                _quarantine(store, file, report)
        path.unlink(missing_ok=True)
        report.journals += 1
    # Half-written temporary files of a crashed write: never a whole photo, but not ours
    # to judge either, so they go to quarantine too.
    for path in list(store.root.glob("??/.tmp-*")):
        try:
            if now - path.stat().st_mtime < min_age_s:
                continue
        except OSError:
            continue
        _quarantine(store, path, report)
    report.unknown = sum(1 for sha in store.hashes() if sha not in referenced)
    return report


def forget_committed(store: PhotoStore, referenced: set[str]) -> int:
    """Drop from every journal the files ``referenced`` (rows committed, journal not yet removed).

    Called before a database is replaced by a backup: the database being replaced is
    the only one that can tell a committed import from a crashed one.
    """
    dropped = 0
    for path in _journals(store):
        journal = _read_journal(path)
        if not journal.shas:
            continue
        keep = [s for s in journal.shas if s not in referenced]
        if len(keep) == len(journal.shas):
            continue
        dropped += len(journal.shas) - len(keep)
        if not keep:
            path.unlink(missing_ok=True)
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[:1] + keep
        tmp = path.with_suffix(".rewrite")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        stat = path.stat()
        os.replace(tmp, path)
        os.utime(path, (stat.st_atime, stat.st_mtime))  # its age still says when the import ran
    return dropped


__all__ = [
    "Lineage",
    "PendingImport",
    "RecoveryReport",
    "forget_committed",
    "journal_dir",
    "quarantine_root",
    "recover",
]
