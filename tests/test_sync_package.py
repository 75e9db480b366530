"""Package files: round trip with photos, preview, and every malformed package refused untouched."""

from __future__ import annotations

import hashlib
import json
import subprocess
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from auditapp.db.models import ChangeLogEntry
from auditapp.services import photos, visits
from auditapp.sync import PackageError, export_package, import_package, preview_package
from auditapp.sync.package import MANIFEST, PackageLimits
from cli_support import run_main
from test_sync_support import assert_same, clone_data_folder, device, dump, jpeg_file, seed_visit


@pytest.fixture(scope="session")
def pair_template(tmp_path_factory: pytest.TempPathFactory, fixture_library):  # type: ignore[no-untyped-def]
    """Devices a (a visit, an answer, two photos) and b (empty), built once; ``pair`` copies them."""
    root = tmp_path_factory.mktemp("pair")
    a, b = device(root, "a"), device(root, "b")
    try:
        _inst, visit, items = seed_visit(a, fixture_library)
        visits.answer_item(a, visit, items[0], result="nonconform", note="无障碍通道堵塞")
        photos.add_photos(a, visit, [jpeg_file(root, 1), jpeg_file(root, 2)], item_id=items[0])
    finally:
        a.close()
        b.close()
    return root, visit, items


@pytest.fixture
def pair(pair_template, tmp_path: Path):  # type: ignore[no-untyped-def]
    """This test's copy of the two devices, opening as the same devices (``clone_data_folder``)."""
    root, visit, items = pair_template
    a, b = (device(clone_data_folder(root / name, tmp_path / name).parent, name) for name in ("a", "b"))
    yield a, b, visit, items
    a.close()
    b.close()


def test_round_trip_with_photos_then_reimport_changes_nothing(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b, _visit, _items = pair
    path = tmp_path / "visits.auditpkg"
    result = export_package(a, path)
    assert result.complete and result.photo_files == 4  # two photos and their thumbnails
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert names[0] == MANIFEST
        manifest = json.loads(zf.read(MANIFEST))
        for name in names[1:]:
            assert hashlib.sha256(zf.read(name)).hexdigest() == manifest["members"][name]["sha256"]
    assert manifest["format_version"] == 1 and manifest["device_id"] == a.device_id
    preview = preview_package(b, path)
    assert not preview.report.applied and preview.report.counts["answers"].new == 1
    assert preview.report.new_photo_files == 4
    assert dump(b)["answers"] == []  # a preview writes nothing
    done = import_package(b, path)
    assert done.report.applied and done.changes == preview.changes
    assert_same(a, b)
    assert photos.verify_photos(b) == []
    again = import_package(b, path)
    assert again.changes == 0 and again.report.new_photo_files == 0


def test_selection_carries_whole_visits_and_their_parents(pair, tmp_path: Path, fixture_library) -> None:  # type: ignore[no-untyped-def]
    a, b, visit, _items = pair
    other_inst, other_visit, _ = seed_visit(a, fixture_library, name="另一家医院")
    path = tmp_path / "one.auditpkg"
    result = export_package(a, path, visits=[visit[:8]])
    assert not result.complete
    import_package(b, path)
    ids = {r["id"] for r in dump(b)["visits"]}
    assert ids == {visit}
    export_package(a, tmp_path / "inst.auditpkg", institutions=["另一家医院"])
    import_package(b, tmp_path / "inst.auditpkg")
    assert {r["id"] for r in dump(b)["visits"]} == {visit, other_visit}
    assert {r["id"] for r in dump(b)["institutions"]} >= {other_inst}


# ---------------------------------------------------------------------------
# malformed packages


def _members(path: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    return json.loads(members.pop(MANIFEST)), members


def _write(path: Path, manifest: Any, members: list[tuple[str, bytes]], *, rehash: bool = True, first: bytes | None = None) -> Path:
    if rehash and isinstance(manifest, dict):
        manifest["members"] = {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in members}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names some cases need
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, first if first is not None else json.dumps(manifest))
            for name, data in members:
                zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _records_name(members: dict[str, bytes], table: str) -> str:
    return next(n for n in members if n.startswith(f"records/{table}/"))


Mutation = Callable[[Path, dict[str, Any], dict[str, bytes]], Path]


def _wrong_hash(p: Path, m: dict[str, Any], mem: dict[str, bytes]) -> Path:
    name = _records_name(mem, "answers")
    mem[name] = mem[name].replace("无障碍".encode(), "有障碍".encode())
    return _write(p, m, list(mem.items()), rehash=False)


def _missing_member(p: Path, m: dict[str, Any], mem: dict[str, bytes]) -> Path:
    name = _records_name(mem, "answers")
    kept = [(n, d) for n, d in mem.items() if n != name]
    return _write(p, m, kept, rehash=False)


def _unlisted(p: Path, m: dict[str, Any], mem: dict[str, bytes]) -> Path:
    return _write(p, m, [*mem.items(), ("records/answers/9999.json", b"{}")], rehash=False)


def _unknown_format(p: Path, m: dict[str, Any], mem: dict[str, bytes]) -> Path:
    m["format_version"] = 99
    return _write(p, m, list(mem.items()))


def _newer_schema(p: Path, m: dict[str, Any], mem: dict[str, bytes]) -> Path:
    m["schema_version"] = "9999_future"
    return _write(p, m, list(mem.items()))


def _zip_slip(p: Path, m: dict[str, Any], mem: dict[str, bytes]) -> Path:
    return _write(p, m, [*mem.items(), ("../../escape.json", b"{}")])


def _absolute(p: Path, m: dict[str, Any], mem: dict[str, bytes]) -> Path:
    return _write(p, m, [*mem.items(), ("/etc/cron.d/evil", b"x")])


def _duplicate(p: Path, m: dict[str, Any], mem: dict[str, bytes]) -> Path:
    name = _records_name(mem, "answers")
    return _write(p, m, [*mem.items(), (name, mem[name])])


def _malformed_records(p: Path, m: dict[str, Any], mem: dict[str, bytes]) -> Path:
    mem[_records_name(mem, "answers")] = b'{"table": "answers", "columns": ["id",'
    return _write(p, m, list(mem.items()))


def _malformed_manifest(p: Path, m: dict[str, Any], mem: dict[str, bytes]) -> Path:
    return _write(p, m, list(mem.items()), first=b'{"format": "auditapp-package", ')


def _missing_parent(p: Path, m: dict[str, Any], mem: dict[str, bytes]) -> Path:
    # a visit neither in the package nor in the database: its answers dangle
    name = _records_name(mem, "answers")
    data = json.loads(mem[name])
    for row in data["rows"]:
        row[data["columns"].index("visit_id")] = "00000000-0000-4000-8000-000000000000"
    mem[name] = json.dumps(data).encode()
    return _write(p, m, list(mem.items()))


def _bad_value(p: Path, m: dict[str, Any], mem: dict[str, bytes]) -> Path:
    name = _records_name(mem, "answers")
    data = json.loads(mem[name])
    data["rows"][0][data["columns"].index("updated_at")] = "yesterday"
    mem[name] = json.dumps(data).encode()
    return _write(p, m, list(mem.items()))


def _tampered_photo(p: Path, m: dict[str, Any], mem: dict[str, bytes]) -> Path:
    name = next(n for n in mem if n.startswith("photos/"))
    mem[name] = mem[name][:-10] + b"0123456789"
    return _write(p, m, list(mem.items()))  # manifest agrees, but the name is not the content's hash


def _zip_bomb(p: Path, m: dict[str, Any], mem: dict[str, bytes]) -> Path:
    return _write(p, m, [*mem.items(), ("records/notes/0001.json", b"0" * (40 * 1024 * 1024))])


def _no_manifest(p: Path, m: dict[str, Any], mem: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(p, "w") as zf:
        for name, data in mem.items():
            zf.writestr(name, data)
    return p


def _not_a_zip(p: Path, m: dict[str, Any], mem: dict[str, bytes]) -> Path:
    p.write_bytes(b"PK\x03\x04 truncated nonsense")
    return p


CASES: dict[str, tuple[Mutation, str]] = {
    "wrong hash": (_wrong_hash, "hash-mismatch"),
    "missing member": (_missing_member, "missing-member"),
    "unlisted member": (_unlisted, "unlisted-member"),
    "unknown format version": (_unknown_format, "unknown-format-version"),
    "newer schema": (_newer_schema, "newer-schema"),
    "zip slip ..": (_zip_slip, "zip-slip"),
    "zip slip absolute": (_absolute, "zip-slip"),
    "duplicate member": (_duplicate, "duplicate-member"),
    "malformed record JSON": (_malformed_records, "malformed-json"),
    "malformed manifest JSON": (_malformed_manifest, "malformed-json"),
    "missing parent": (_missing_parent, "missing-parent"),
    "bad value": (_bad_value, "bad-records"),
    "tampered photo": (_tampered_photo, "hash-mismatch"),
    "zip bomb": (_zip_bomb, "zip-bomb"),
    "no manifest": (_no_manifest, "missing-manifest"),
    "not a zip": (_not_a_zip, "not-a-package"),
}


@pytest.fixture(scope="session")
def refused_world(pair_template, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    """b after importing a's package, and a's next package (one newer answer): built once, never changed.

    Each malformed case copies b (``clone_data_folder``: it opens as the same device) and
    forges its package from this one, instead of exporting and importing the pair again.
    """
    root, visit, items = pair_template
    world = tmp_path_factory.mktemp("refused")
    a, b = (device(clone_data_folder(root / name, world / name).parent, name) for name in ("a", "b"))
    try:
        good = world / "good.auditpkg"
        export_package(a, good)
        import_package(b, good)  # b already holds something, so "unchanged" is not just "empty"
        visits.answer_item(a, visit, items[1], result="conform", note="newer")
        export_package(a, good)
    finally:
        a.close()
        b.close()
    return world


@pytest.mark.parametrize("case", list(CASES))
def test_malformed_package_is_refused_and_the_database_left_unchanged(refused_world: Path, tmp_path: Path, case: str) -> None:
    b = device(clone_data_folder(refused_world / "b", tmp_path / "b").parent, "b")
    try:
        manifest, members = _members(refused_world / "good.auditpkg")
        mutate, code = CASES[case]
        bad = mutate(tmp_path / "bad.auditpkg", manifest, members)
        before = dump(b)
        with b.engine.connect() as conn:
            log_before = conn.execute(sa.select(sa.func.count()).select_from(ChangeLogEntry.__table__)).scalar()
        photo_files = sorted((b.data_dir / "photos").rglob("*"))
        with pytest.raises(PackageError) as info:
            import_package(b, bad)
        assert info.value.check == code, str(info.value)
        assert "Nothing was imported" in str(info.value) or info.value.hint
        assert dump(b) == before
        with b.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(ChangeLogEntry.__table__)).scalar() == log_before
        assert sorted((b.data_dir / "photos").rglob("*")) == photo_files
    finally:
        b.close()


def test_size_and_count_limits(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b, _visit, _items = pair
    path = tmp_path / "p.auditpkg"
    export_package(a, path)
    with pytest.raises(PackageError) as info:
        import_package(b, path, limits=PackageLimits(max_members=3))
    assert info.value.check == "too-many-members"
    with pytest.raises(PackageError) as info:
        import_package(b, path, limits=PackageLimits(max_member_bytes=200))
    assert info.value.check == "oversized-member"
    with pytest.raises(PackageError) as info:
        import_package(b, path, limits=PackageLimits(max_total_bytes=1000))
    assert info.value.check in ("oversized-package", "oversized-member")
    assert dump(b)["answers"] == []


def test_cancelling_an_import_leaves_the_database_unchanged(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.progress import CancelToken
    from auditapp.sync import SyncCancelled

    a, b, _visit, _items = pair
    path = tmp_path / "p.auditpkg"
    export_package(a, path)
    stop = CancelToken()

    def progress(done: int, total: int, _text: str) -> None:
        if done > total // 2:
            stop.cancel()

    with pytest.raises(SyncCancelled):
        import_package(b, path, progress=progress, cancel=stop)
    assert dump(b)["answers"] == []


# ---------------------------------------------------------------------------
# command line


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_main(data, *args)  # in-process: the entry point and exit codes in a shell are test_cli_runner's


def test_cli_export_import_dry_run_json_and_conflicts(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b, visit, items = pair
    a_dir, b_dir = a.data_dir, b.data_dir
    a.close()
    b.close()
    pkg = tmp_path / "cli.auditpkg"
    out = _cli(a_dir, "export", "-o", str(pkg), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["counts"]["answers"] == 1
    dry = _cli(b_dir, "import", str(pkg), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would change" in dry.stdout and "answers" in dry.stdout and "dry run: nothing was changed" in dry.stdout
    done = _cli(b_dir, "import", str(pkg), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)["report"]
    assert report["applied"] and report["counts"]["answers"]["new"] == 1
    again = _cli(b_dir, "import", str(pkg))
    assert "nothing new" in again.stdout
    # a conflict, listed with both values and resolved from the command line
    assert _cli(a_dir, "visit", "answer", visit, items[0], "--result", "conform", "--note", "A").returncode == 0
    assert _cli(b_dir, "visit", "answer", visit, items[0], "--result", "na", "--note", "B").returncode == 0
    assert _cli(a_dir, "export", "-o", str(pkg)).returncode == 0
    assert _cli(b_dir, "import", str(pkg)).returncode == 0
    listed = _cli(b_dir, "conflicts", "list", "--json")
    rows = [c for c in json.loads(listed.stdout) if c["table"] == "answers"]
    assert len(rows) == 1 and rows[0]["local_values"]["note"] == "B" and rows[0]["remote_values"]["note"] == "A"
    text = _cli(b_dir, "conflicts", "list")
    assert "local 'B'" in text.stdout and "remote 'A'" in text.stdout
    resolved = _cli(b_dir, "conflicts", "resolve", rows[0]["id"][:8], "--keep", "local")
    assert resolved.returncode == 0, resolved.stderr
    # a bad package: clear message, exit code 1
    bad = tmp_path / "bad.auditpkg"
    bad.write_bytes(b"not a zip")
    failed = _cli(b_dir, "import", str(bad))
    assert failed.returncode == 1
    assert "is not an auditapp package" in failed.stderr and "Nothing was imported" in failed.stderr


def test_since_selects_what_changed_from_that_day_on(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from datetime import date, timedelta

    from auditapp.sync import SyncError

    a, b, visit, _items = pair
    with pytest.raises(SyncError, match="nothing to export"):
        export_package(a, tmp_path / "none.auditpkg", since=date.today() + timedelta(days=2))
    result = export_package(a, tmp_path / "today.auditpkg", since=date.today() - timedelta(days=1))
    assert not result.complete and result.counts["visits"] == 1
    import_package(b, tmp_path / "today.auditpkg")
    assert {r["id"] for r in dump(b)["visits"]} == {visit}
