"""Real hostile inputs through the command line: one clear message on stderr, exit code 1,
no traceback, no hang, and not a byte of the database, the change log or the photo folder
changed. Inputs are files in tests/fixtures/hostile (see make_fixtures.py there) or, where
git cannot hold them (pipes, devices, 4 GB sparse files, 50 MB files), made here."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from auditapp import paths
from auditapp.db import open_database
from auditapp.services import photos
from auditapp.sync import export_package
from conftest import LIBRARY_FIXTURE
from hostile_support import (  # noqa: F401
    HOSTILE,
    assert_clean_error,
    env,
    full_state,
    library_env,
    photo_state,
    read_members,
    run_cli,
    scenario,
    scenario_template,
    write_package,
)

PHOTOS = HOSTILE / "photos"
CHECKLISTS = HOSTILE / "checklists"
LAYERS = HOSTILE / "layers"


def _fifo(tmp: Path, name: str) -> Path:
    path = tmp / name
    os.mkfifo(path)
    return path


def _sparse(tmp: Path, name: str, size: int = 4 * 1024**3) -> Path:
    path = tmp / name
    with path.open("wb") as fh:
        fh.truncate(size)
    return path


def _folder(tmp: Path, name: str) -> Path:
    path = tmp / name
    path.mkdir()
    return path


# ---------------------------------------------------------------------------
# photos

# name -> (the file, words of the message)
BAD_PHOTOS: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "a named pipe": (lambda t: _fifo(t, "pipe.jpg"), ("pipe.jpg", "named pipe")),
    "/dev/zero": (lambda _t: Path("/dev/zero"), ("zero", "device")),
    "a 4 GB sparse file": (lambda t: _sparse(t, "huge.jpg"), ("huge.jpg", "4096 MB", "200 MB")),
    "a folder": (lambda t: _folder(t, "folder.jpg"), ("folder.jpg", "a folder")),
    "a missing file": (lambda t: t / "gone.jpg", ("gone.jpg", "no longer exists")),
    "an empty file": (lambda _t: PHOTOS / "empty.jpg", ("empty.jpg", "0 bytes")),
    "a truncated JPEG": (lambda _t: PHOTOS / "truncated.jpg", ("truncated.jpg", "truncated")),
    "a JPEG header only": (lambda _t: PHOTOS / "header-only.jpg", ("header-only.jpg",)),
    "text named .jpg": (lambda _t: PHOTOS / "text-named-jpg.jpg", ("text-named-jpg.jpg", "the content is text")),
    "a PDF named .jpg": (lambda _t: PHOTOS / "pdf-named-jpg.jpg", ("PDF document",)),
    "a GIF": (lambda _t: PHOTOS / "gif-image.jpg", ("GIF image", "not supported")),
    "a decompression bomb": (lambda _t: PHOTOS / "bomb-claims-100000x100000.png", ("megapixels",)),
}


@pytest.mark.parametrize("case", list(BAD_PHOTOS))
def test_a_bad_photo_is_refused_and_the_batch_stores_nothing(scenario, tmp_path: Path, case: str) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    make, needles = BAD_PHOTOS[case]
    bad = make(tmp_path)
    before = full_state(data)
    # The bad file between good ones, attached to an item not answered yet: nothing of
    # the batch is stored, and no answer row is left behind.
    result = run_cli(
        "--data-dir", str(data), "photo", "add", ids.visit_a2, str(PHOTOS / "good.jpg"), str(bad),
        str(PHOTOS / "exif-year-9999.jpg"), "--item", "basics.entrance.aed-map",
    )
    assert_clean_error(result, *needles)
    assert full_state(data) == before


@pytest.mark.parametrize("name", ["exif-year-9999.jpg", "exif-year-0000.jpg", "exif-garbage-date.jpg"])
def test_a_camera_clock_that_was_never_set_keeps_the_photo_without_a_time(scenario, name: str) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    result = run_cli("--data-dir", str(data), "photo", "add", ids.visit_a2, str(PHOTOS / name), "--json")
    assert result.code == 0, result.err
    [photo] = json.loads(result.out)
    assert photo["taken_at"] is None
    good = run_cli("--data-dir", str(data), "photo", "add", ids.visit_a2, str(PHOTOS / "good.jpg"), "--json")
    assert json.loads(good.out)[0]["taken_at"] is not None  # a real capture time is kept


def test_the_gui_can_check_a_batch_before_it_starts(tmp_path: Path) -> None:
    photos.check_photo_files([PHOTOS / "good.jpg", PHOTOS / "exif-year-9999.jpg"])
    from auditapp.errors import PhotoError

    with pytest.raises(PhotoError) as info:
        photos.check_photo_files([PHOTOS / "good.jpg", _fifo(tmp_path, "camera-pipe.jpg")])
    assert "camera-pipe.jpg" in str(info.value)


def test_a_floor_plan_image_gets_the_same_checks(scenario, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    before = full_state(data)
    result = run_cli("--data-dir", str(data), "plan", "add", ids.inst_a, str(_fifo(tmp_path, "plan.png")), "--name", "一层")
    assert_clean_error(result, "plan.png", "named pipe")
    assert full_state(data) == before


# ---------------------------------------------------------------------------
# checklist files and their sources

BAD_CHECKLISTS: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "a nesting bomb": (lambda _t: CHECKLISTS / "nesting-bomb.yaml", ("nested more than 64 levels",)),
    "an alias bomb": (lambda _t: CHECKLISTS / "alias-bomb.yaml", ("expands to more than",)),
    "GBK instead of UTF-8": (lambda _t: CHECKLISTS / "gbk-encoded.yaml", ("not UTF-8", "save the file as UTF-8")),
    "a surrogate escape": (lambda _t: CHECKLISTS / "surrogate-escape.yaml", ("not valid text",)),
    "a binary file": (lambda _t: CHECKLISTS / "binary-nul.yaml", ("NUL",)),
    "a list at the top": (lambda _t: CHECKLISTS / "list-at-top.yaml", ("expected a mapping",)),
    "block nesting 1500 levels deep": (lambda t: _block_staircase(t), ("nested too deeply",)),
    "a named pipe": (lambda t: _fifo(t, "pipe.yaml"), ("not a regular file",)),
    "a 50 MB file": (lambda t: _big_checklist(t), ("at most 2.0 MB",)),
}


def _block_staircase(tmp: Path) -> Path:
    path = tmp / "staircase.yaml"
    path.write_text("id: x\nsections:\n" + "".join(" " * n + "- \n" for n in range(1, 1500)), encoding="utf-8")
    return path


def _big_checklist(tmp: Path) -> Path:
    path = tmp / "huge.yaml"
    line = "# " + "注释" * 30 + "\n"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("schema: 1\nid: huge\n")
        fh.write(line * (50 * 1024 * 1024 // len(line.encode("utf-8"))))
    return path


@pytest.mark.parametrize("case", list(BAD_CHECKLISTS))
def test_a_bad_checklist_file_is_reported_at_once(tmp_path: Path, case: str) -> None:
    make, needles = BAD_CHECKLISTS[case]
    path = make(tmp_path)
    import time

    started = time.perf_counter()
    result = run_cli("checklists", "validate", str(path))
    assert time.perf_counter() - started < 10  # no hang, no 90-second parse
    assert result.code == 1 and "Traceback" not in result.err
    for needle in needles:
        assert needle in result.err, (needle, result.err)


def _library_copy(tmp: Path) -> Path:
    library = tmp / "library"
    shutil.copytree(LIBRARY_FIXTURE, library)
    return library


def test_a_source_document_that_is_not_utf8_is_reported(scenario, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    library = _library_copy(tmp_path)
    source = next(p for p in (library / "sources").glob("*.txt"))
    shutil.copy2(HOSTILE / "sources" / "gbk-source.txt", source)
    result = run_cli("checklists", "validate", str(library))
    assert result.code == 1 and "not UTF-8" in result.err and source.name in result.err
    before = full_state(data)
    with env(AUDITAPP_CHECKLISTS_DIR=str(library)):
        started = run_cli("--data-dir", str(data), "visit", "new", "--institution", ids.inst_a, "--inspector", "王")
    assert started.code == 1 and "not UTF-8" in started.err and "Traceback" not in started.err
    assert full_state(data) == before


@pytest.mark.parametrize("case", ["a named pipe", "a checklist that is a folder"])
def test_a_library_holding_a_pipe_or_folder_as_checklist_is_reported(tmp_path: Path, case: str) -> None:
    library = _library_copy(tmp_path)
    target = library / "extra.yaml"
    if case == "a named pipe":
        os.mkfifo(target)
    else:
        target.mkdir()
    result = run_cli("checklists", "validate", str(library))
    assert result.code == 1 and "extra.yaml" in result.err and "Traceback" not in result.err


# ---------------------------------------------------------------------------
# annotation layers

BAD_LAYERS: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "a nesting bomb": (lambda _t: LAYERS / "nesting-bomb.json", ("nested",)),
    "GBK text": (lambda _t: LAYERS / "gbk-text.json", ("not UTF-8",)),
    "a lone surrogate in a text layer": (lambda _t: LAYERS / "surrogate-text.json", ("not valid text",)),
    "NaN as a coordinate": (lambda _t: LAYERS / "nan-coordinate.json", ("NaN",)),
    "a box outside the picture": (lambda _t: LAYERS / "outside-picture.json", ("0.x", "less than or equal to 1")),
    "not a list": (lambda _t: LAYERS / "not-a-list.json", ("does not hold a list",)),
    "an unknown kind": (lambda _t: LAYERS / "unknown-kind.json", ("laser",)),
    "501 layers": (lambda _t: LAYERS / "too-many-layers.json", ("more than 500 layers",)),
    "a named pipe": (lambda t: _fifo(t, "layers.json"), ("not a regular file",)),
    "a 4 GB sparse file": (lambda t: _sparse(t, "layers.json"), ("too large",)),
    "a missing file": (lambda t: t / "none.json", ("none.json",)),
}


@pytest.mark.parametrize("case", list(BAD_LAYERS))
def test_bad_annotation_layers_are_refused(scenario, tmp_path: Path, case: str) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    make, needles = BAD_LAYERS[case]
    layers = make(tmp_path)
    before = full_state(data)
    result = run_cli("--data-dir", str(data), "photo", "annotate", ids.photo_a1, "--layers", str(layers))
    assert_clean_error(result, *[n for n in needles if n != "0.x"])
    assert full_state(data) == before


# ---------------------------------------------------------------------------
# packages: compression and the file itself


def _package(data: Path, tmp: Path) -> Path:
    db = open_database(data)
    try:
        path = tmp / "all.auditpkg"
        export_package(db, path)
        return path
    finally:
        db.close()


def _recompressed(method: int) -> Callable[[Path, Path], Path]:
    def make(good: Path, tmp: Path) -> Path:
        manifest, members = read_members(good)
        first = next(n for n in members if n.startswith("records/"))
        return write_package(tmp / "bad.auditpkg", manifest, members, compression=lambda n: method if n == first else zipfile.ZIP_DEFLATED)

    return make


def _damaged_deflate(good: Path, tmp: Path) -> Path:
    """Flip bytes inside the compressed data of a records member (its CRC no longer fits)."""
    bad = tmp / "bad.auditpkg"
    shutil.copy2(good, bad)
    with zipfile.ZipFile(good) as zf:
        info = next(i for i in zf.infolist() if i.filename.startswith("records/") and i.compress_size > 40)
    raw = bytearray(bad.read_bytes())
    name_len = int.from_bytes(raw[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(raw[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    for n in range(start + 5, start + 25):
        raw[n] ^= 0x5A
    bad.write_bytes(bytes(raw))
    return bad


def _nested_records(good: Path, tmp: Path) -> Path:
    manifest, members = read_members(good)
    first = next(n for n in members if n.startswith("records/"))
    members[first] = b'{"table": "institutions", "columns": [], "rows": ' + b"[" * 50_000 + b"]" * 50_000 + b', "changed_at": []}'
    return write_package(tmp / "bad.auditpkg", manifest, members)


def _nested_manifest(good: Path, tmp: Path) -> Path:
    _manifest, members = read_members(good)
    bad = tmp / "bad.auditpkg"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("manifest.json", b'{"format": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", compress_type=zipfile.ZIP_DEFLATED)
        for name, data in members.items():
            zf.writestr(name, data)
    return bad


def _not_utf8_records(good: Path, tmp: Path) -> Path:
    manifest, members = read_members(good)
    first = next(n for n in members if n.startswith("records/"))
    members[first] = members[first].decode("utf-8").encode("gbk", "replace")
    return write_package(tmp / "bad.auditpkg", manifest, members)


BAD_PACKAGES: dict[str, tuple[Callable[[Path, Path], Path], tuple[str, ...]]] = {
    "an LZMA member": (_recompressed(zipfile.ZIP_LZMA), ("unsupported compression method", "lzma")),
    "a BZIP2 member": (_recompressed(zipfile.ZIP_BZIP2), ("unsupported compression method", "bzip2")),
    "damaged deflate data": (_damaged_deflate, ("cannot be read",)),
    "a nesting bomb in records": (_nested_records, ("not valid JSON", "nested")),
    "a nesting bomb in the manifest": (_nested_manifest, ("manifest.json", "nested")),
    "records that are not UTF-8": (_not_utf8_records, ("not UTF-8",)),
    "a named pipe": (lambda _g, t: _fifo(t, "pipe.auditpkg"), ("not a regular file",)),
    "a folder": (lambda _g, t: _folder(t, "folder.auditpkg"), ("not a regular file",)),
    "/dev/zero": (lambda _g, _t: Path("/dev/zero"), ("not a regular file",)),
    "an empty file": (lambda _g, t: (t / "empty.auditpkg").write_bytes(b"") or t / "empty.auditpkg", ("not an auditapp package",)),
    "a 4 GB sparse file": (lambda _g, t: _sparse(t, "huge.auditpkg"), ("not an auditapp package",)),
}


@pytest.mark.parametrize("case", list(BAD_PACKAGES))
def test_a_bad_package_file_is_refused(scenario, tmp_path: Path, case: str, empty_template: Path) -> None:  # type: ignore[no-untyped-def]
    data, _ids = scenario
    make, needles = BAD_PACKAGES[case]
    good = _package(data, tmp_path)
    bad = make(good, tmp_path)
    target = tmp_path / "target"
    shutil.copytree(empty_template, target)  # a new empty database, without running the migrations again
    open_database(target).close()
    before = full_state(target)
    for argv in (["import", str(bad)], ["import", str(bad), "--dry-run", "--json"]):
        result = run_cli("--data-dir", str(target), *argv)
        assert_clean_error(result, *needles)
    assert full_state(target) == before


IMPOSSIBLE_PLACES = {
    "a folder": "this is a folder, not a file",
    "a file in a missing folder that cannot be made": "is a file, not a folder",
    "a named pipe": "not a regular file",
}


@pytest.mark.parametrize("case", list(IMPOSSIBLE_PLACES))
def test_export_to_an_impossible_place_is_refused(scenario, tmp_path: Path, case: str) -> None:  # type: ignore[no-untyped-def]
    # A pipe stands for every special file: the package used to be renamed over it
    # (run as root, that replaced the device node /dev/full with a zip file).
    data, _ids = scenario
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    places = {
        "a folder": lambda: _folder(tmp_path, "out.auditpkg"),
        "a named pipe": lambda: _fifo(tmp_path, "out.auditpkg"),
        "a file in a missing folder that cannot be made": lambda: blocker / "sub" / "x.auditpkg",
    }
    output = places[case]()
    kind = output.lstat().st_mode if output.exists() else None
    before = full_state(data)
    result = run_cli("--data-dir", str(data), "export", "-o", str(output))
    assert_clean_error(result, str(output), IMPOSSIBLE_PLACES[case])
    assert full_state(data) == before
    assert not list(tmp_path.glob(".tmp-*"))
    assert (output.lstat().st_mode if output.exists() else None) == kind


# ---------------------------------------------------------------------------
# the database file


def _replace_db(data: Path, make: Callable[[Path], None]) -> None:
    db_path = paths.database_path(data)
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    make(db_path)


def _newer_schema(db_path: Path, source: Path) -> None:
    shutil.copy2(source, db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()


BAD_DATABASES: dict[str, tuple[Callable[[Path, Path], None], tuple[str, ...]]] = {
    "a zero-byte file": (lambda p, _s: p.write_bytes(b""), ("is empty (0 bytes)", "backup restore")),
    "a named pipe": (lambda p, _s: os.mkfifo(p), ("not a regular file",)),
    "a folder": (lambda p, _s: p.mkdir(), ("is a folder",)),
    "a text file": (lambda p, _s: p.write_text("hello"), ("not a SQLite file",)),
    "a truncated database": (lambda p, s: p.write_bytes(s.read_bytes()[:3000]), ("damaged",)),
    "a newer schema": (_newer_schema, ("newer version", "9999_future")),
}


@pytest.mark.parametrize("case", list(BAD_DATABASES))
@pytest.mark.parametrize("command", [["institution", "list"], ["photo", "verify"], ["backup", "create"]])
def test_a_bad_database_file_is_refused_untouched(scenario, tmp_path: Path, case: str, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    data, _ids = scenario
    make, needles = BAD_DATABASES[case]
    good = tmp_path / "good.sqlite3"
    db = open_database(data)
    from auditapp.db.backup import create_backup

    shutil.copy2(create_backup(db.engine, tmp_path, reason="copy"), good)
    db.close()
    photos_before = photo_state(data)
    _replace_db(data, lambda p: make(p, good))
    db_path = paths.database_path(data)
    kind = db_path.is_file()
    content = db_path.read_bytes() if kind else None
    result = run_cli("--data-dir", str(data), *command)
    assert_clean_error(result, *needles)
    if content is not None:
        assert db_path.read_bytes() == content
    assert photo_state(data) == photos_before
