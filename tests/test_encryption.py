"""Packages encrypted for a recipient: nothing readable without the key, and intact with it."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from auditapp.db import open_database
from auditapp.services import photos, visits
from auditapp.sync import SyncError, encryption, export_package, import_package
from cli_support import cli  # noqa: F401 (fixture)
from test_sync_support import assert_same, device, dump, jpeg_file, new_data_folder, seed_visit

SECRET = b"correct horse battery staple"


@pytest.fixture
def sent(tmp_path: Path, fixture_library: Any) -> Any:  # type: ignore[no-untyped-def]
    a, b = device(tmp_path, "a"), device(tmp_path, "bureau")
    _inst, visit, items = seed_visit(a, fixture_library, "机密中医院")
    visits.answer_item(a, visit, items[0], result="nonconform", note="消防通道堵塞")
    photos.add_photos(a, visit, [jpeg_file(tmp_path, 5)], item_id=items[0])
    key = tmp_path / "bureau.pem"
    encryption.create_key(key, SECRET)
    public = tmp_path / "bureau.pub"
    encryption.export_public(encryption.load_private(key, SECRET), public)
    path = tmp_path / "stick.auditpkg"
    export_package(a, path, encrypt_to=public)
    yield a, b, path, key
    a.close()
    b.close()


def test_a_lost_stick_reveals_no_name_count_or_content(sent: Any, tmp_path: Path) -> None:
    a, _b, path, _key = sent
    data = path.read_bytes()
    assert not zipfile.is_zipfile(path)
    plain = tmp_path / "plain.auditpkg"
    export_package(a, plain)
    with zipfile.ZipFile(plain) as zf:
        names = zf.namelist()
        photo_sha = next(n for n in names if n.startswith("photos/")).split("/")[-1][:-4]
    for secret in (b"manifest.json", b"records/", b"photos/", b"answers", photo_sha.encode(),
                   "机密中医院".encode(), "消防通道堵塞".encode(), b"PK\x03\x04", a.device_id.encode()):
        assert secret not in data, secret
    assert data.startswith(encryption.MAGIC)
    # the size shows, roughly, nothing else: same length as the plain package plus framing
    assert abs(len(data) - plain.stat().st_size) < 2048


def test_the_recipient_imports_it_with_the_key(sent: Any) -> None:
    a, b, path, key = sent
    result = import_package(b, path, key=key, passphrase=SECRET)
    assert result.encrypted and result.changes > 0 and result.signer.label == "a"
    assert_same(a, b)
    assert not list((b.data_dir / "tmp").iterdir())  # the decrypted copy is gone


def test_without_the_right_key_nothing_is_imported(sent: Any, tmp_path: Path) -> None:
    _a, b, path, key = sent
    before = dump(b)
    other = tmp_path / "other.pem"
    encryption.create_key(other, SECRET)
    cut = tmp_path / "cut.auditpkg"
    cut.write_bytes(path.read_bytes()[:-100])
    flipped = tmp_path / "flipped.auditpkg"
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x40
    flipped.write_bytes(bytes(raw))
    for pkg, k, secret, code in (
        (path, None, SECRET, "package.encrypted_needs_key"),
        (path, key, b"wrong", "keys.wrong_passphrase"),
        (path, other, SECRET, "package.decrypt_failed"),
        (cut, key, SECRET, "package.decrypt_failed"),
        (flipped, key, SECRET, "package.decrypt_failed"),
    ):
        with pytest.raises(SyncError) as info:
            import_package(b, pkg, key=k, passphrase=secret)
        assert info.value.code == code, (pkg.name, code)
        assert info.value.message("zh_CN") != info.value.message("en")
    assert dump(b) == before
    assert not list((b.data_dir / "tmp").iterdir())


def test_keys_on_the_command_line(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixture_library: Any) -> None:  # noqa: F811
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, "pw for scripts")
    made = cli.json("keys", "create", "-o", str(tmp_path / "k.pem"))
    pub = cli.json("keys", "export-public", str(tmp_path / "k.pem"), "-o", str(tmp_path / "k.pub"))
    assert made["fingerprint"] == pub["fingerprint"]
    assert (tmp_path / "k.pem").stat().st_mode & 0o077 == 0
    # Data to export: a visit with a nonconformity and a photo (building the demo here took seconds; it is test_cli's).
    db = open_database(new_data_folder(cli.data_dir), actor="tester", backup=False)
    _inst, visit, items = seed_visit(db, fixture_library, "机密中医院")
    visits.answer_item(db, visit, items[0], result="nonconform", note="消防通道堵塞")
    photos.add_photos(db, visit, [jpeg_file(tmp_path, 5)], item_id=items[0])
    db.close()
    cli.run("export", "-o", str(tmp_path / "e.auditpkg"), "--encrypt-to", str(tmp_path / "k.pub"))
    bad = cli.run("import", str(tmp_path / "e.auditpkg"), expect=1)
    assert "--key" in bad.stderr
    cli.run("import", str(tmp_path / "e.auditpkg"), "--key", str(tmp_path / "k.pem"), "--dry-run")
    wrong = cli.run("export", "-o", str(tmp_path / "x.auditpkg"), "--encrypt-to", str(tmp_path / "k.pem"), expect=1)
    assert "not a recipient's public key" in wrong.stderr and not (tmp_path / "x.auditpkg").exists()
