"""Package files (``.auditpkg``): a changeset in a zip, validated whole before anything is written.

Layout::

    manifest.json                       format/schema/app version, device, sha256 of every member
    records/<table>/<n>.json            {"table", "columns", "rows", "changed_at"}
    photos/<aa>/<sha256>.jpg            photo files, named by the hash of their content

A package comes from another computer and may be damaged or hostile. Reading it never
extracts to disk, never follows a member name, bounds every read, and checks, before
the first write: member names (no absolute paths, no ``..``: zip slip), duplicates,
count and sizes (zip bombs), the manifest and its format/schema version, the sha256
of every member, the JSON of every record, and that every reference resolves.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from auditapp import __version__
from auditapp.db import migrate, validation
from auditapp.progress import CancelToken, Progress
from auditapp.safe_json import loads_json
from auditapp.sync.changeset import Changeset, referenced_files
from auditapp.sync.errors import PackageError, SyncError
from auditapp.sync.files import FileStore
from auditapp.sync.progress import checkpoint
from auditapp.sync.tables import SPECS, check_record, parse_datetime, plain_datetime
from auditapp.terms import Term

FORMAT = "auditapp-package"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUFFIX = ".auditpkg"
ROWS_PER_MEMBER = 5000

_RECORDS_RE = re.compile(r"^records/([a-z_]{1,40})/(\d{4,6})\.json$")
_PHOTO_RE = re.compile(r"^photos/([0-9a-f]{2})/([0-9a-f]{64})\.jpg$")



@dataclass(frozen=True)
class PackageLimits:
    """Caps that stop a zip bomb before it fills memory or disk; generous for real packages."""

    max_members: int = 200_000
    max_member_bytes: int = 256 * 1024 * 1024
    max_total_bytes: int = 32 * 1024 * 1024 * 1024
    max_manifest_bytes: int = 64 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed size of one member


@dataclass
class PackageInfo:
    path: Path
    device_id: str
    device_label: str
    app_version: str
    schema_version: str
    created_at: datetime
    complete: bool
    selection: dict[str, Any]
    counts: dict[str, int]
    photo_files: int
    photo_bytes: int


@dataclass
class Package:
    info: PackageInfo
    changeset: Changeset
    photo_members: dict[str, str] = field(default_factory=dict)  # sha -> member name


# ---------------------------------------------------------------------------
# writing


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_package(
    cs: Changeset,
    output: Path,
    *,
    files: FileStore,
    selection: dict[str, Any],
    device_label: str = "",
    sign: Callable[[bytes], bytes] | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> tuple[int, int]:
    """Write ``cs`` to ``output`` atomically; returns (members, bytes).

    The manifest goes first, so a reader checks it before anything else. ``sign``
    turns the manifest's bytes into the zip comment that signs them (``signing``).
    """
    output = Path(output)
    if output.exists() and not output.is_file():
        # A folder, a pipe or a device node: the package is written beside it and
        # renamed over it, which would replace the node itself (as root: /dev/full).
        raise SyncError("sync.export_not_a_file", path=str(output))
    members, blobs = _record_members(cs)
    shas = sorted(referenced_files(cs.tables))
    have = files.has_many(shas)
    missing = [s for s in shas if s not in have]
    if missing:
        raise SyncError("sync.export_photos_missing", count=len(missing), sha=missing[0][:12])
    manifest = _manifest(cs, members, selection=selection, device_label=device_label)
    sizes = files.sizes(shas)
    photo_names = {sha: f"photos/{sha[:2]}/{sha}.jpg" for sha in shas}
    members.update({photo_names[sha]: {"sha256": sha, "size": sizes[sha]} for sha in shas})
    total = len(blobs) + len(shas)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        checkpoint(cancel)
        if progress:
            progress(done, total, "")

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=output.parent)
    except OSError as exc:
        raise SyncError("sync.export_unwritable", path=str(output), reason=exc.strerror or str(exc)) from exc
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp_name, "w", allowZip64=True) as zf:
            manifest_bytes = _json_bytes(manifest)
            zf.writestr(MANIFEST, manifest_bytes, compress_type=zipfile.ZIP_DEFLATED)
            if sign is not None:
                zf.comment = sign(manifest_bytes)
            for name, data in blobs:
                zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
                step()
            _write_photos(zf, files, photo_names, sizes, step)
        with open(tmp_name, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_name, output)
    except OSError as exc:
        Path(tmp_name).unlink(missing_ok=True)
        raise SyncError("sync.export_unwritable", path=str(output), reason=exc.strerror or str(exc)) from exc
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return len(members) + 1, output.stat().st_size


def _record_members(cs: Changeset) -> tuple[dict[str, dict[str, Any]], list[tuple[str, bytes]]]:
    """The records as JSON members of at most ROWS_PER_MEMBER rows each, with their hashes."""
    members: dict[str, dict[str, Any]] = {}
    blobs: list[tuple[str, bytes]] = []
    for table, rows in cs.tables.items():
        spec = SPECS[table]
        columns = [c.name for c in spec.columns]
        changed = cs.changed_at.get(table, {})
        for n, start in enumerate(range(0, len(rows), ROWS_PER_MEMBER), start=1):
            part = rows[start : start + ROWS_PER_MEMBER]
            data = _json_bytes(
                {
                    "table": table,
                    "columns": columns,
                    "rows": [[r[c] for c in columns] for r in part],
                    "changed_at": [changed.get(r["id"], r["updated_at"]) for r in part],
                }
            )
            name = f"records/{table}/{n:04d}.json"
            members[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            blobs.append((name, data))
    return members, blobs


def _manifest(
    cs: Changeset, members: dict[str, dict[str, Any]], *, selection: dict[str, Any], device_label: str,
) -> dict[str, Any]:
    """What the package is (format, versions, origin, selection, counts) and its members by hash.

    ``members`` is the same dictionary the photos are added to afterwards: the manifest
    is serialised only when the zip is written, so it lists them too.
    """
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "schema_version": migrate.head_revision(),
        "device_id": cs.origin,
        "device_label": device_label,
        "created_at": plain_datetime(datetime.now().astimezone()),
        "complete_until": plain_datetime(cs.origin_now) if cs.origin_now else None,
        "known": {k: plain_datetime(v) for k, v in cs.known.items()},
        "selection": selection,
        "counts": {t: len(rows) for t, rows in cs.tables.items()},
        "members": members,
    }


def _write_photos(
    zf: zipfile.ZipFile, files: FileStore, photo_names: dict[str, str], sizes: dict[str, int],
    step: Callable[[], None],
) -> None:
    """The photo files, stored as they are (JPEG does not deflate), each checked against its hash and size."""
    for sha, name in photo_names.items():
        data = files.read(sha)  # verifies the hash: a damaged file is not sent on
        if len(data) != sizes[sha]:
            raise SyncError("sync.export_photo_changed", sha=sha[:12])
        zf.writestr(name, data, compress_type=zipfile.ZIP_STORED)
        step()


# ---------------------------------------------------------------------------
# reading and validating


def _check_name(name: str) -> None:
    """Refuse any member name that could point outside a folder, whatever a reader does with it."""
    parts = name.replace("\\", "/").split("/")
    if (
        name.startswith(("/", "\\"))
        or "\\" in name
        or re.match(r"^[A-Za-z]:", name)
        or any(p in ("..", ".") for p in parts)
        or any(ord(ch) < 32 for ch in name)
    ):
        raise PackageError("package.zip_slip", member=_shown(name))
    if name != MANIFEST and not _RECORDS_RE.match(name) and not _PHOTO_RE.match(name):
        raise PackageError("package.unexpected_member", member=_shown(name))


def _shown(name: str) -> str:
    """A member name fit for a message: quoted, shortened, unprintable characters escaped."""
    text = repr(name)
    return text if len(text) <= 120 else text[:117] + "…"


# What auditapp writes (manifest and records deflated, photos stored). Anything else
# is refused before reading: other methods need other libraries, may be missing
# (NotImplementedError) and add decoder surface (LZMAError, …) for nothing.
_COMPRESSION = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
_METHOD_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "lzma", 9: "deflate64", 93: "zstd", 98: "ppmd"}


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Read at most ``limit`` bytes; a member that inflates beyond its declared size is refused."""
    out = bytearray()
    member = _shown(info.filename)
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(1024 * 1024)
                if not chunk:
                    break
                out.extend(chunk)
                if len(out) > limit or len(out) > info.file_size:
                    raise PackageError("package.oversized_member", member=member, limit=min(limit, info.file_size))
    except PackageError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error, NotImplementedError, RuntimeError) as exc:
        # zlib.error: damaged deflate data; RuntimeError: encryption; the rest: a
        # damaged local header or a CRC that does not match.
        raise PackageError("package.damaged", member=member, detail=str(exc)[:200] or type(exc).__name__) from exc
    except Exception as exc:  # any other decoder failure on hostile bytes (LZMAError …)
        raise PackageError("package.damaged", member=member, detail=str(exc)[:200] or type(exc).__name__) from exc
    return bytes(out)


def _json(data: bytes, name: str) -> Any:
    try:
        return loads_json(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PackageError("package.malformed_json", member=_shown(name), detail=f"not UTF-8 text ({exc.reason})") from exc
    except ValueError as exc:  # JSONDecodeError, nesting bombs, NaN/Infinity
        raise PackageError("package.malformed_json", member=_shown(name), detail=str(exc)[:200]) from exc


def _check_members(zf: zipfile.ZipFile, limits: PackageLimits) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise PackageError("package.too_many_members", count=len(infos), limit=limits.max_members)
    seen: set[str] = set()
    total = 0
    for info in infos:
        _check_name(info.filename)
        if info.filename in seen:
            raise PackageError("package.duplicate_member", member=_shown(info.filename))
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            raise PackageError("package.encrypted", member=_shown(info.filename))
        if info.compress_type not in _COMPRESSION:
            method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
            raise PackageError("package.unsupported_compression", member=_shown(info.filename), method=method)
        cap = limits.max_manifest_bytes if info.filename == MANIFEST else limits.max_member_bytes
        if info.file_size > cap:
            raise PackageError("package.oversized_member", member=_shown(info.filename), limit=cap)
        if info.compress_size and info.file_size / info.compress_size > limits.max_ratio and info.file_size > 1024 * 1024:
            raise PackageError("package.zip_bomb", member=_shown(info.filename))
        total += info.file_size
        if total > limits.max_total_bytes:
            raise PackageError("package.oversized_package", limit=limits.max_total_bytes)
    if not infos or infos[0].filename != MANIFEST:
        if MANIFEST in seen:
            raise PackageError("package.manifest_not_first")
        raise PackageError("package.missing_manifest")
    return infos


def _check_manifest(manifest: Any) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackageError("package.unknown_format")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise PackageError("package.unknown_format_version", version=repr(version)[:40], known=FORMAT_VERSION)
    schema = manifest.get("schema_version")
    if not isinstance(schema, str) or not migrate.is_known_revision(schema):
        raise PackageError("package.newer_schema", schema=repr(schema)[:60], known=migrate.head_revision())
    for key, kind in (("device_id", str), ("members", dict), ("known", dict), ("created_at", str)):
        if not isinstance(manifest.get(key), kind):
            raise PackageError("package.manifest_field_missing", check="bad-manifest", key=key)
    device = manifest["device_id"]
    if not device or len(device) > 36 or not device.isprintable():
        raise PackageError("package.manifest_bad_device", check="bad-manifest", value=repr(device[:40]))
    for key in ("device_label", "app_version"):
        value = manifest.get(key, "")
        if not isinstance(value, str) or len(value) > 300:
            raise PackageError("package.manifest_text_too_long", check="bad-manifest", key=key, limit=300)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise PackageError("package.manifest_text_invalid", check="bad-manifest", key=key) from None
    for name, entry in manifest["members"].items():
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("sha256"), str)
            and isinstance(entry.get("size"), int)
            and not isinstance(entry.get("size"), bool)
        ):
            raise PackageError("package.manifest_bad_member_entry", check="bad-manifest", member=_shown(name))
    return manifest


def _parse_time(value: Any, what: str) -> datetime:
    """A manifest time: ISO with time zone, within the range every stored date must keep to."""
    lo, hi = validation.DATE_MIN, validation.DATE_MAX
    try:
        parsed = parse_datetime(value)
    except (TypeError, ValueError):
        parsed = None
    if parsed is None or not lo <= parsed.date() <= hi:
        raise PackageError(
            "package.bad_manifest_time", check="bad-manifest", what=what, value=repr(value)[:64], lo=lo, hi=hi
        )
    return parsed


def _records(data: Any, name: str) -> tuple[str, list[dict[str, Any]], list[str]]:
    match = _RECORDS_RE.match(name)
    assert match is not None
    table = match.group(1)
    member = _shown(name)
    if table not in SPECS:
        raise PackageError("package.unknown_table", member=member, table=table)
    if not isinstance(data, dict) or data.get("table") != table:
        raise PackageError("package.bad_records", member=member, detail=f"it does not hold {table} records")
    columns, rows, changed = data.get("columns"), data.get("rows"), data.get("changed_at")
    if not (isinstance(columns, list) and all(isinstance(c, str) for c in columns) and len(set(columns)) == len(columns)):
        raise PackageError("package.bad_records", member=member, detail="'columns' must be a list of distinct names")
    if not (isinstance(rows, list) and isinstance(changed, list) and len(rows) == len(changed)):
        raise PackageError(
            "package.bad_records", member=member, detail="'rows' and 'changed_at' must be lists of equal length"
        )
    spec = SPECS[table]
    record = Term("record", validation.rule_for(table, "id").record.value)
    changed_rule = validation.rule_for(table, "updated_at")
    out: list[dict[str, Any]] = []
    stamps: list[str] = []
    for n, (row, at) in enumerate(zip(rows, changed, strict=False), start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            raise PackageError("package.bad_records", member=member, detail=f"row {n}: expected {len(columns)} values")
        try:
            out.append(check_record(spec, dict(zip(columns, row, strict=False))))
            try:
                stamp = parse_datetime(at)
            except (TypeError, ValueError):
                raise changed_rule.error("record.not_datetime", value=str(at)[:64]) from None
            validation.check_value(changed_rule, stamp)
            stamps.append(plain_datetime(stamp))
        except validation.RecordError as exc:
            raise PackageError("package.bad_record", check="bad-records", member=member, row=n, record=record, problem=exc) from exc
    return table, out, stamps


class PackageFiles:
    """The photo members of a validated package, re-read (and re-hashed) on demand."""

    def __init__(self, path: Path, members: dict[str, str], limits: PackageLimits) -> None:
        self.path = path
        self.members = members
        self.limits = limits
        self._zip: zipfile.ZipFile | None = None  # opened once: its directory lists every member

    def _open(self) -> zipfile.ZipFile:
        if self._zip is None:
            self._zip = zipfile.ZipFile(self.path)
        return self._zip

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def has_many(self, shas: Any) -> set[str]:
        return {s for s in shas if s in self.members}

    def sizes(self, shas: Any) -> dict[str, int]:
        zf = self._open()
        return {s: zf.getinfo(self.members[s]).file_size for s in shas}

    def read(self, sha: str) -> bytes:
        zf = self._open()
        data = _read_member(zf, zf.getinfo(self.members[sha]), self.limits.max_member_bytes)
        if hashlib.sha256(data).hexdigest() != sha:
            raise PackageError("package.photo_changed", check="hash-mismatch", sha=sha[:12])
        return data

    def put(self, sha: str, data: bytes, conn: Any) -> None:  # pragma: no cover - read-only
        raise SyncError("package.read_only")

    def flush(self) -> None:  # pragma: no cover - read-only
        pass

    # A package is only ever the source of a merge: nothing is written into it, so
    # there is no import to journal (FileStore's begin/finish).
    def begin(self, conn: Any, replica_id: str, shas: list[str]) -> None:  # pragma: no cover - read-only
        raise SyncError("package.read_only")

    def finish(self, committed: bool, *, crashed: bool = False) -> None:  # pragma: no cover - read-only
        pass


def _precheck(path: Path, limits: PackageLimits) -> None:
    """Count the members from the zip's end record before zipfile parses its whole directory."""
    size = path.stat().st_size
    if size > limits.max_total_bytes:
        raise PackageError("package.oversized_package", limit=limits.max_total_bytes)
    try:
        with path.open("rb") as fh:
            fh.seek(max(0, size - 65536 - 22))
            tail = fh.read(65536 + 22)
    except OSError as exc:
        raise PackageError("package.unreadable", path=str(path), reason=exc.strerror or str(exc)) from exc
    at = tail.rfind(b"PK\x05\x06")
    if at >= 0 and len(tail) >= at + 12:
        entries = int.from_bytes(tail[at + 10 : at + 12], "little")
        if entries != 0xFFFF and entries > limits.max_members:
            raise PackageError("package.too_many_members", count=entries, limit=limits.max_members)


def read_package(
    path: Path,
    *,
    limits: PackageLimits | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> Package:
    """Open and fully validate a package (every check but references, which need the database)."""
    limits = limits or PackageLimits()
    path = Path(path)
    with _open_zip(path, limits) as zf:
        infos = _check_members(zf, limits)
        manifest = _check_manifest(_json(_read_member(zf, infos[0], limits.max_manifest_bytes), MANIFEST))
        listed: dict[str, dict[str, Any]] = manifest["members"]
        _check_listing(listed, {i.filename for i in infos[1:]})
        contents = _read_contents(zf, infos[1:], listed, limits, progress, cancel)
    complete_until = manifest.get("complete_until")
    origin_now = _parse_time(complete_until, "complete_until") if complete_until is not None else None
    known = {str(k): _parse_time(v, f"known[{k!r}]") for k, v in manifest["known"].items()}
    info_obj = PackageInfo(
        path=path,
        device_id=manifest["device_id"],
        device_label=str(manifest.get("device_label", "")),
        app_version=str(manifest.get("app_version", "")),
        schema_version=manifest["schema_version"],
        created_at=_parse_time(manifest["created_at"], "created_at"),
        complete=origin_now is not None,
        selection=selection if isinstance(selection := manifest.get("selection"), dict) else {},
        counts={t: len(r) for t, r in contents.tables.items()},
        photo_files=len(contents.photos),
        photo_bytes=contents.photo_bytes,
    )
    cs = Changeset(
        origin=manifest["device_id"],
        origin_label=info_obj.device_label or f"device {manifest['device_id'][:8]}",
        origin_now=origin_now,
        known=known,
        tables=contents.tables,
        changed_at=contents.changed,
        files=PackageFiles(path, contents.photos, limits),
        source=f"package {path.name}",
        validated=True,
    )
    return Package(info=info_obj, changeset=cs, photo_members=contents.photos)


def _open_zip(path: Path, limits: PackageLimits) -> zipfile.ZipFile:
    """The package as a zip file, once it is known to be a regular file within the limits."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise PackageError("package.not_found", path=str(path)) from None
    except OSError as exc:
        raise PackageError("package.unreadable", path=str(path), reason=exc.strerror or str(exc)) from exc
    if not stat.S_ISREG(mode):
        raise PackageError("package.not_a_file", path=str(path))
    _precheck(path, limits)
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise PackageError("package.not_a_package", path=str(path), detail=str(exc)[:200]) from exc


def _check_listing(listed: dict[str, dict[str, Any]], present: set[str]) -> None:
    """The manifest lists exactly the members the zip holds, under names a package may use."""
    for name in listed:
        _check_name(name)
        if name not in present:
            raise PackageError("package.missing_member", member=_shown(name))
    for name in sorted(present - set(listed)):
        raise PackageError("package.unlisted_member", member=_shown(name))


@dataclass
class _Contents:
    """What a package's members hold: records by table, their change times, photo members."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    changed: dict[str, dict[str, str]] = field(default_factory=dict)
    photos: dict[str, str] = field(default_factory=dict)  # sha -> member name
    photo_bytes: int = 0


def _read_contents(
    zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], listed: dict[str, dict[str, Any]], limits: PackageLimits,
    progress: Progress | None, cancel: CancelToken | None,
) -> _Contents:
    """Every member after the manifest, each checked against its listed hash and size."""
    out = _Contents()
    for done, info in enumerate(infos, start=1):
        checkpoint(cancel)
        entry = listed[info.filename]
        data = _read_member(zf, info, limits.max_member_bytes)
        digest = hashlib.sha256(data).hexdigest()
        if digest != entry["sha256"] or len(data) != entry["size"]:
            raise PackageError("package.hash_mismatch", member=_shown(info.filename))
        photo = _PHOTO_RE.match(info.filename)
        if photo:
            if photo.group(2) != digest or photo.group(1) != digest[:2]:
                raise PackageError("package.photo_misnamed", check="hash-mismatch", member=_shown(info.filename))
            out.photos[digest] = info.filename
            out.photo_bytes += len(data)
        else:
            table, rows, stamps = _records(_json(data, info.filename), info.filename)
            out.tables.setdefault(table, []).extend(rows)
            target = out.changed.setdefault(table, {})
            target.update({r["id"]: at for r, at in zip(rows, stamps, strict=False)})
        if progress:
            progress(done, len(infos), "")
    return out
