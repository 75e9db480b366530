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
    create_application()
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
    create_application()
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
    finally:
        keyring.set_keyring(before)
    laptop.close()
