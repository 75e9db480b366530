"""The sync dialog's security parts: the server password (kept in the keyring or libpq's
password file, never in a settings file, and the dialog says which), and importing signed,
unsigned and encrypted packages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from auditapp.server import credentials
from test_server_credentials import MemoryKeyring
from test_sync_support import (  # noqa: F401 (fixtures)
    device,
    pg_server,
    pg_url,
    seed_visit,
)
from ui.app import create_application
from ui.sync_dialogs import SyncDialog

PASSWORD = "Pa:ss\\wörd-7"


@pytest.fixture
def pgpass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(path))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    return path


@pytest.fixture
def keyring_backend(request: pytest.FixtureRequest) -> Iterator[object]:
    before = keyring.get_keyring()
    backend = MemoryKeyring() if request.param == "keyring" else fail.Keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


def _files_holding(root: Path, secret: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and secret in p.read_bytes()]


@pytest.mark.slow
@pytest.mark.parametrize("keyring_backend", ["keyring", "none"], indirect=True)
def test_a_typed_server_password_is_saved_where_the_dialog_says_and_nowhere_else(
    qtbot, tmp_path: Path, fixture_library, pg_url: str, pgpass: Path, keyring_backend: object  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    create_application(language="en")
    laptop = device(tmp_path, "laptop")
    seed_visit(laptop, fixture_library)
    dialog = SyncDialog(laptop)
    qtbot.addWidget(dialog)
    dialog.url_edit.setText(pg_url)
    dialog._target_edited()
    assert not dialog.password_box.isHidden()
    assert dialog.password_source_label.text() == "Password: not saved, asked every time (type it above)."
    # a password typed into the address moves to the password field
    with_password = pg_url.replace("postgres@", "postgres:" + PASSWORD.replace(":", "%3A").replace("\\", "%5C") + "@")
    dialog.url_edit.setText(with_password)
    dialog._target_edited()
    assert dialog.url_edit.text() == pg_url and dialog.password_edit.text() == PASSWORD
    assert "after a successful sync it is saved" in dialog.password_source_label.text()
    with qtbot.waitSignal(dialog.dataChanged, timeout=120000):
        dialog.sync(dry_run=False)
    assert dialog.password_edit.text() == ""
    if isinstance(keyring_backend, MemoryKeyring):
        assert list(keyring_backend.secrets.values()) == [PASSWORD]
        assert dialog.password_source_label.text() == "Password: saved in the system keyring."
        assert not pgpass.exists()
    else:
        target = credentials.target_of(pg_url)
        assert credentials.pgpass_password(target) == PASSWORD
        assert dialog.password_source_label.text() == f"Password: from the .pgpass file {pgpass}."
    # no settings file, database, log or other file of the user's holds it
    secret = PASSWORD.encode()
    home = Path(str(Path.home()))
    assert _files_holding(home, secret) == [] and _files_holding(tmp_path / "laptop", secret) == []
    from auditapp.settings import settings_path

    assert not settings_path().exists() or secret not in settings_path().read_bytes()
    # a fresh dialog for the same address says where the saved password is
    again = SyncDialog(laptop)
    qtbot.addWidget(again)
    again.url_edit.setText(pg_url)
    again._target_edited()
    assert again.password_source_label.text() == dialog.password_source_label.text()
    laptop.close()


def test_the_password_row_is_only_for_server_addresses_and_names_a_service(qtbot, tmp_path: Path, pgpass: Path) -> None:  # type: ignore[no-untyped-def]
    create_application(language="en")
    laptop = device(tmp_path, "laptop")
    dialog = SyncDialog(laptop)
    qtbot.addWidget(dialog)
    dialog.url_edit.setText(str(tmp_path / "usb"))
    dialog._target_edited()
    assert dialog.password_box.isHidden()
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        dialog.url_edit.setText("postgresql:///?service=bureau")
        dialog._target_edited()
        assert not dialog.password_box.isHidden()
        assert dialog.password_source_label.text() == "Password: from the service file entry bureau."
        # the same words in Chinese
        create_application(language="zh_CN")
        zh = SyncDialog(laptop)
        qtbot.addWidget(zh)
        for url, words in (("postgresql:///?service=bureau", "密码来自服务文件 bureau。"),
                           ("postgresql://nobody@h/d", "密码未保存，每次询问（请在上方输入）。")):
            zh.url_edit.setText(url)
            zh._target_edited()
            assert zh.password_source_label.text() == words
        credentials.save_password("postgresql://nobody@h/d", "x")
        zh._target_edited()
        assert zh.password_source_label.text() == f"密码来自 .pgpass 文件 {pgpass}。"
    finally:
        keyring.set_keyring(before)
        create_application(language="en")
    laptop.close()


# ---------------------------------------------------------------------------
# importing signed, unsigned and encrypted packages


class _Boxes:
    """What the dialog would have shown in message boxes (through ui.messages), answered as a user would."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from ui import messages

        self.shown: list[tuple[str, str]] = []
        self.passwords: list[str] = []
        self.key: Path | None = None
        self.yes = True
        monkeypatch.setattr(messages, "show_info", lambda _p, title, text: self.shown.append(("info", text)))
        monkeypatch.setattr(messages, "show_error", lambda _p, title, err: self.shown.append(("error", str(getattr(err, "code", err)))))
        monkeypatch.setattr(messages, "show_failure", lambda _p, title, exc: self.shown.append(("error", str(getattr(exc, "code", exc)))))
        monkeypatch.setattr(messages, "ask_password", lambda _p, title, label: self.passwords.pop(0) if self.passwords else None)
        self.key_dialogs = 0

        def choose(*_a: object, **_k: object) -> Path | None:
            self.key_dialogs += 1
            return self.key

        monkeypatch.setattr(messages, "choose_open_file", choose)
        monkeypatch.setattr(messages, "ask_yes_no", lambda _p, title, text, **k: self.shown.append(("ask", text)) or self.yes)

    def errors(self) -> list[str]:
        return [text for kind, text in self.shown if kind == "error"]


@pytest.fixture
def two(tmp_path: Path, fixture_library) -> Iterator[tuple]:  # type: ignore[no-untyped-def]
    from auditapp.services import visits

    a, b = device(tmp_path, "a"), device(tmp_path, "b")
    _inst, visit, items = seed_visit(a, fixture_library)
    visits.answer_item(a, visit, items[0], result="nonconform", note="地面湿滑")
    yield a, b
    a.close()
    b.close()


def test_import_names_the_signer_warns_on_a_new_one_and_can_trust_it(qtbot, tmp_path: Path, two, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from auditapp.sync import export_package, signing
    from test_sync_support import dump

    a, b = two
    create_application(language="en")
    boxes = _Boxes(monkeypatch)
    path = tmp_path / "a.auditpkg"
    export_package(a, path)
    dialog = SyncDialog(b)
    qtbot.addWidget(dialog)
    dialog.import_path.setText(str(path))
    dialog.check_package()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=60000)
    fp = dialog.preview.signer.fingerprint
    assert fp and fp in dialog.signer_label.text() and "a (fingerprint" in dialog.signer_label.text()
    assert "not seen before" in dialog.signer_label.text() and not dialog.trust_button.isHidden()
    # importing from a signer not seen before asks first; "no" changes nothing
    boxes.yes = False
    before = dump(b)
    assert dialog.import_now() is None and dump(b) == before
    assert boxes.shown[-1][0] == "ask" and "not in your trust list" in boxes.shown[-1][1]
    dialog.trust_button.click()
    assert "in your trust list" in dialog.signer_label.text() and dialog.trust_button.isHidden()
    assert fp in {k.fingerprint for k in signing.trusted_keys(b.data_dir)}
    asked = len([s for s in boxes.shown if s[0] == "ask"])
    with qtbot.waitSignal(dialog.dataChanged, timeout=60000):
        dialog.import_now()
    assert len([s for s in boxes.shown if s[0] == "ask"]) == asked  # trusted now: no question
    assert dump(b)["answers"] == dump(a)["answers"] and boxes.errors() == []


def test_a_package_whose_signature_does_not_verify_is_refused_and_an_unsigned_one_warns(
    qtbot, tmp_path: Path, two, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    import base64
    import json
    import zipfile

    from auditapp.sync import export_package
    from test_signing import _rewrite
    from test_sync_support import dump

    a, b = two
    create_application(language="en")
    boxes = _Boxes(monkeypatch)
    path = tmp_path / "a.auditpkg"
    export_package(a, path)
    with zipfile.ZipFile(path) as zf:
        comment = json.loads(zf.comment)
    sig = bytearray(base64.b64decode(comment["signature"]))
    sig[0] ^= 1
    comment["signature"] = base64.b64encode(bytes(sig)).decode()
    forged = tmp_path / "forged.auditpkg"
    _rewrite(path, forged, comment=json.dumps(comment).encode())
    dialog = SyncDialog(b)
    qtbot.addWidget(dialog)
    before = dump(b)
    dialog.import_path.setText(str(forged))
    dialog.check_package()
    qtbot.waitUntil(lambda: bool(boxes.errors()), timeout=60000)
    assert boxes.errors() == ["package.bad_signature"]
    assert dialog.preview is None and not dialog.import_button.isEnabled() and dump(b) == before
    # an old, unsigned package: a warning, and a question before importing
    old = tmp_path / "old.auditpkg"
    _rewrite(path, old, comment=b"")
    dialog.import_path.setText(str(old))
    dialog.check_package()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=60000)
    assert "Not signed" in dialog.signer_label.text() and dialog.trust_button.isHidden()
    with qtbot.waitSignal(dialog.dataChanged, timeout=60000):
        dialog.import_now()
    assert boxes.shown[-1][0] == "ask" and "not signed" in boxes.shown[-1][1]
    assert dump(b)["answers"] == dump(a)["answers"]


def test_an_encrypted_package_asks_for_the_passphrase_again_when_it_is_wrong(
    qtbot, tmp_path: Path, two, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    from auditapp.sync import encryption, export_package
    from test_sync_support import dump

    a, b = two
    create_application(language="en")
    boxes = _Boxes(monkeypatch)
    key, pub = tmp_path / "bureau.key", tmp_path / "bureau.pub"
    encryption.create_key(key, b"right horse")
    encryption.export_public(encryption.load_private(key, b"right horse"), pub)
    path = tmp_path / "secret.auditpkg"
    export_package(a, path, encrypt_to=pub)
    dialog = SyncDialog(b)
    qtbot.addWidget(dialog)
    before = dump(b)
    # cancelled at the passphrase: nothing happens
    boxes.key = key
    dialog.import_path.setText(str(path))
    assert dialog.check_package() is None and dialog.preview is None
    # a wrong passphrase is a clear error, then it is asked again
    boxes.passwords = ["wrong", "right horse"]
    dialog.check_package()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=60000)
    assert boxes.errors() == ["keys.wrong_passphrase"] and boxes.passwords == []
    assert boxes.key_dialogs == 2  # once for the cancelled try, once for this one: not again after the wrong passphrase
    assert dump(b) == before  # checking wrote nothing
    assert "encrypted for your key" in dialog.signer_label.text() and dialog.preview.encrypted
    boxes.yes = True
    with qtbot.waitSignal(dialog.dataChanged, timeout=60000):
        dialog.import_now()  # with the key and passphrase that opened it: not asked a third time
    assert dump(b)["answers"] == dump(a)["answers"] and boxes.errors() == ["keys.wrong_passphrase"]
