"""A bureau server's password: in the OS keyring when there is one, else in libpq's password file.

The keyring is a fake backend here (a subclass of keyring's own base class); "no keyring"
is keyring's own ``fail`` backend, which is what this test machine has by itself. The
password file is checked the way libpq reads it, and against a real PostgreSQL that asks
for a password.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest
import sqlalchemy as sa
from keyring.backends import fail
from keyring.errors import PasswordDeleteError

from auditapp.server import credentials
from auditapp.sync.replica import open_peer

URL = "postgresql+psycopg://hosp_a@bureau.example:5433/audits?sslmode=verify-full"
TARGET = credentials.Target(host="bureau.example", port="5433", database="audits", user="hosp_a")


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that keeps secrets in a dict: what a desktop's keyring does, without the desktop."""

    # Below zero: keyring's own detection (which sees every subclass) never picks it; tests set it.
    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def pgpass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "secrets" / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(path))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    return path


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


def test_with_a_keyring_the_password_is_stored_read_and_deleted_there(memory_keyring: MemoryKeyring, pgpass: Path) -> None:
    assert credentials.password_source(URL).kind == "none"
    source = credentials.save_password(URL, "s3cret:\\x")
    assert source.kind == "keyring"
    assert memory_keyring.secrets == {(credentials.KEYRING_SERVICE, "hosp_a@bureau.example:5433/audits"): "s3cret:\\x"}
    assert not pgpass.exists()  # nothing written anywhere else
    assert credentials.password_source(URL) == credentials.PasswordSource("keyring")
    # the connection gets it; the address shown and kept does not hold it
    connect = credentials.with_saved_password(sa.engine.make_url(URL))
    assert connect.password == "s3cret:\\x" and connect.query["sslmode"] == "verify-full"
    assert "s3cret" not in connect.render_as_string(hide_password=True)
    # another login or database on the same host is another entry
    assert credentials.password_source(URL.replace("hosp_a@", "hosp_b@")).kind == "none"
    assert credentials.forget_password(URL) is True
    assert memory_keyring.secrets == {}
    assert credentials.password_source(URL).kind == "none"
    assert credentials.forget_password(URL) is False


def test_this_machine_has_no_keyring_backend_and_the_password_goes_to_pgpass(pgpass: Path) -> None:
    """Without a test's fake, keyring here has no backend (no desktop session): the fallback is real."""
    keyring.core.init_backend()  # what keyring finds on this machine by itself
    if credentials.usable_keyring() is not None:
        pytest.skip(f"this machine has a keyring backend: {keyring.get_keyring()!r}")
    source = credentials.save_password(URL, "pw")
    assert source == credentials.PasswordSource("pgpass", str(pgpass))
    assert pgpass.read_text() == "bureau.example:5433:audits:hosp_a:pw\n"


def test_without_a_keyring_the_password_file_is_written_as_libpq_reads_it(no_keyring: None, pgpass: Path) -> None:
    assert credentials.usable_keyring() is None
    password = r"a:b\c:"
    source = credentials.save_password(URL.replace("/audits", "/au:d\\its"), password)
    assert source == credentials.PasswordSource("pgpass", str(pgpass))
    assert pgpass.read_text() == "bureau.example:5433:au\\:d\\\\its:hosp_a:a\\:b\\\\c\\:\n"  # ':' and '\' escaped
    if os.name == "posix":
        assert stat.S_IMODE(pgpass.stat().st_mode) == 0o600  # libpq ignores a file others can read
    target = credentials.Target("bureau.example", "5433", "au:d\\its", "hosp_a")
    assert credentials.pgpass_password(target) == password
    assert credentials.password_source(URL.replace("/audits", "/au:d\\its")) == credentials.PasswordSource("pgpass", str(pgpass))
    # a new password for the same target replaces its line, and only that line
    credentials.save_password(URL.replace("/audits", "/au:d\\its"), "new")
    assert pgpass.read_text() == "bureau.example:5433:au\\:d\\\\its:hosp_a:new\n"


def test_the_users_own_pgpass_lines_stay_as_they_were(no_keyring: None, pgpass: Path) -> None:
    pgpass.parent.mkdir(parents=True)
    theirs = (
        "# my servers\n"
        "otherhost:5432:*:me:mine\r\n"  # a CRLF line stays CRLF
        "*:*:*:hosp_a:wildcard\n"
        "localhost:5432:postgres:postgres:pg"  # no final newline
    )
    pgpass.write_text(theirs, newline="")
    pgpass.chmod(0o600)
    assert credentials.password_source(URL) == credentials.PasswordSource("pgpass", str(pgpass))  # theirs matches
    credentials.save_password(URL, "ours")
    lines = pgpass.read_text(encoding="utf-8", errors="strict").splitlines(keepends=True)
    # ours goes before the first line that matched the target (libpq takes the first match)
    assert lines == [
        "# my servers\n",
        "otherhost:5432:*:me:mine\n",  # read_text translated CRLF; check the bytes below
        "bureau.example:5433:audits:hosp_a:ours\n",
        "*:*:*:hosp_a:wildcard\n",
        "localhost:5432:postgres:postgres:pg\n",
    ]
    assert b"otherhost:5432:*:me:mine\r\n" in pgpass.read_bytes()
    assert credentials.pgpass_password(TARGET) == "ours"
    assert credentials.pgpass_password(credentials.Target("h", "1", "d", "hosp_a")) == "wildcard"  # still works
    assert credentials.pgpass_password(credentials.Target("localhost", "5432", "postgres", "postgres")) == "pg"


def test_a_service_file_or_pgpassword_is_named_and_left_to_libpq(no_keyring: None, pgpass: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert credentials.password_source("postgresql:///?service=bureau") == credentials.PasswordSource("service", "bureau")
    assert credentials.password_source("postgresql://u:typed@h/d") == credentials.PasswordSource("url")
    monkeypatch.setenv("PGPASSWORD", "x")
    assert credentials.password_source(URL).kind == "environment"
    # nothing saved: the address to connect with is the address given
    url = sa.engine.make_url("postgresql+psycopg:///?service=bureau")
    assert credentials.with_saved_password(url) is url


def test_an_address_typed_with_its_password_is_split(no_keyring: None) -> None:
    bare, password = credentials.split_password("postgresql://hosp_a:p%40ss@h:5432/audits?sslmode=require")
    assert password == "p@ss" and bare == "postgresql://hosp_a@h:5432/audits?sslmode=require"
    assert credentials.split_password(URL) == (URL, None)


def test_an_unwritable_password_file_is_a_clear_error_and_changes_nothing(no_keyring: None, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("PGPASSFILE", str(blocker / "pgpass"))
    from auditapp.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as info:
        credentials.save_password(URL, "pw")
    assert info.value.code == "server.pgpass_unwritable"
    assert "password file" in info.value.message("en") and "密码文件" in info.value.message("zh_CN")
    assert blocker.read_text() == "x"


# ---------------------------------------------------------------------------
# a real server that asks for a password


@pytest.fixture
def password_server() -> Iterator[str]:
    """A throwaway cluster with scram-sha-256 on loopback: it asks for a password, unlike the trust cluster."""
    import shutil
    import tempfile

    from test_sync_support import _free_port, _memory_folder, _pg_bin

    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries")
    folder = Path(tempfile.mkdtemp(prefix="auditapp-pgpw-", dir=_memory_folder()))  # deleted at once, unlike on disk
    (folder / "pw").write_text("owner-pw\n")
    as_root = os.geteuid() == 0

    def run(*cmd: str) -> None:
        full = ["runuser", "-u", "postgres", "--", *cmd] if as_root else list(cmd)
        subprocess.run(full, check=True, capture_output=True, timeout=120)

    if as_root:
        for path in (folder, folder / "pw"):
            shutil.chown(path, "postgres", "postgres")
    port = _free_port()
    run(str(bin_dir / "initdb"), "-D", str(folder / "data"), "-U", "owner", "--auth=scram-sha-256",
        f"--pwfile={folder / 'pw'}", "-E", "UTF8", "--no-sync")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off"
    run(str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-o", options, "-l", str(folder / "log"), "-w", "-t", "60", "start")
    try:
        yield f"postgresql+psycopg://owner@127.0.0.1:{port}/postgres"
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
def test_libpq_and_the_app_connect_with_the_password_saved_by_either_mechanism(
    password_server: str, pgpass: Path, tmp_path: Path
) -> None:
    before = keyring.get_keyring()
    try:
        keyring.set_keyring(fail.Keyring())
        with pytest.raises(Exception, match="password"):
            open_peer(password_server)  # no password anywhere: the server refuses
        credentials.save_password(password_server, "owner-pw")  # into the password file
        with open_peer(password_server) as peer:  # libpq found it: the app added nothing
            assert peer.engine.url.password is None
        pgpass.unlink()
        memory = MemoryKeyring()
        keyring.set_keyring(memory)
        assert credentials.save_password(password_server, "owner-pw").kind == "keyring"
        with open_peer(password_server) as peer, peer.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT current_user")).scalar() == "owner"
    finally:
        keyring.set_keyring(before)
