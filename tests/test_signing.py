"""Signed packages: the signer is shown, a bad signature is refused, unknown and unsigned ones warn."""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from auditapp.services import visits
from auditapp.sync import SyncError, export_package, import_package, signing
from cli_support import cli  # noqa: F401 (fixture)
from test_sync_support import device, dump, seed_visit


def _rewrite(src: Path, dst: Path, *, comment: bytes | None = None, edit: Any = None) -> None:
    """Copy a package member by member; ``edit(name, data)`` may change a member (the manifest follows)."""
    with zipfile.ZipFile(src) as zin:
        members = [(i.filename, zin.read(i)) for i in zin.infolist()]
        old_comment = zin.comment
    manifest = json.loads(members[0][1])
    out = []
    for name, data in members[1:]:
        if edit is not None:
            data = edit(name, data)
        manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        out.append((name, data))
    with zipfile.ZipFile(dst, "w") as zout:
        # the manifest is rewritten only when a member changed (as a tamperer must)
        zout.writestr("manifest.json", json.dumps(manifest).encode() if edit else members[0][1])
        for name, data in out:
            zout.writestr(name, data)
        zout.comment = old_comment if comment is None else comment


@pytest.fixture
def two(tmp_path: Path, fixture_library: Any) -> Any:  # type: ignore[no-untyped-def]
    a, b = device(tmp_path, "a"), device(tmp_path, "b")
    _inst, visit, items = seed_visit(a, fixture_library)
    visits.answer_item(a, visit, items[0], result="nonconform", note="地面湿滑")
    path = tmp_path / "a.auditpkg"
    export_package(a, path)
    yield a, b, path
    a.close()
    b.close()


def test_import_names_the_signer_and_the_trust_list_remembers_it(two: Any) -> None:
    a, b, path = two
    preview = import_package(b, path, dry_run=True)
    signer = preview.signer
    assert signer.status == "unknown" and signer.needs_warning
    assert signer.label == "a"
    own_a = signing.trusted_keys(a.data_dir)[0]
    assert own_a.own and signer.fingerprint == own_a.fingerprint and len(signer.fingerprint) == 19
    signing.trust(b.data_dir, signer, "甲医院的笔记本")
    assert import_package(b, path).signer.status == "trusted"
    assert import_package(a, path, dry_run=True).signer.status == "own"
    [_own, entry] = signing.trusted_keys(b.data_dir)
    assert (entry.label, entry.fingerprint) == ("甲医院的笔记本", signer.fingerprint)
    signing.untrust(b.data_dir, signer.fingerprint.replace(" ", ""))
    assert import_package(b, path, dry_run=True).signer.status == "unknown"
    with pytest.raises(SyncError) as info:
        signing.untrust(b.data_dir, signer.fingerprint)
    assert info.value.code == "keys.not_trusted"


def test_the_signing_key_is_made_once_and_private(tmp_path: Path) -> None:
    key = signing.signing_key(tmp_path)
    path = tmp_path / "keys" / signing.SIGNING_KEY
    assert path.stat().st_mode & 0o077 == 0
    assert signing.own_public(tmp_path) == signing.own_public(tmp_path)
    assert key.public_key().public_bytes_raw() == signing.own_public(tmp_path)


@pytest.mark.parametrize("how", ["member changed and manifest rehashed", "signature bytes altered", "other key's signature"])
def test_a_package_whose_signature_does_not_verify_is_refused(two: Any, tmp_path: Path, how: str) -> None:
    _a, b, path = two
    bad = tmp_path / "bad.auditpkg"
    with zipfile.ZipFile(path) as zf:
        comment = json.loads(zf.comment)
        manifest = zf.read("manifest.json")
    if how == "member changed and manifest rehashed":
        _rewrite(path, bad, edit=lambda name, data: data.replace("地面湿滑".encode(), "一切正常".encode()))
    elif how == "signature bytes altered":
        sig = bytearray(base64.b64decode(comment["signature"]))
        sig[0] ^= 1
        comment["signature"] = base64.b64encode(bytes(sig)).decode()
        _rewrite(path, bad, comment=json.dumps(comment).encode())
    else:  # a valid signature by another key, but over another manifest
        other = json.loads(signing.signature_comment(tmp_path / "other", manifest + b" ", "a"))
        comment["signature"] = other["signature"]
        comment["public_key"] = other["public_key"]
        _rewrite(path, bad, comment=json.dumps(comment).encode())
    before = dump(b)
    with pytest.raises(SyncError) as info:
        import_package(b, bad)
    assert info.value.code == "package.bad_signature"
    assert "does not verify" in info.value.message("en") and "签名无效" in info.value.message("zh_CN")
    assert dump(b) == before


def test_an_old_unsigned_package_imports_with_a_warning(two: Any, tmp_path: Path, cli: Any) -> None:  # noqa: F811
    _a, b, path = two
    old = tmp_path / "old.auditpkg"
    _rewrite(path, old, comment=b"")
    result = import_package(b, old)
    assert result.signer.status == "unsigned" and result.changes > 0
    # and on the command line: the signer line or the warning
    out = cli.run("import", str(path), "--dry-run")
    assert "signed by a (fingerprint" in out.stdout and "not seen before" in out.stderr
    out = cli.run("import", str(old), "--dry-run")
    assert "not signed" in out.stderr
    trusted = cli.json("keys", "trust", str(path), "--label", "laptop a")
    assert trusted["label"] == "laptop a"
    listed = cli.json("keys", "list")
    assert [k["label"] for k in listed] == ["this computer", "laptop a"]
    assert "trusted)" in cli.run("import", str(path), "--dry-run").stdout
    bad = cli.run("keys", "trust", str(old), expect=1)
    assert "not signed" in bad.stderr
