"""Where the password for a PostgreSQL address comes from — never the settings file.

libpq already has its own places for passwords, and users of a bureau server may have
set them up: a password file (``~/.pgpass``, ``%APPDATA%\\postgresql\\pgpass.conf`` on
Windows, or the file ``PGPASSFILE`` names), a connection service file (``?service=NAME``
in the address), ``PGPASSWORD``. Those keep working untouched: the app connects without a
password and libpq finds it. What the app adds is the OS keyring (the ``keyring``
library): a password the user types in the sync dialog is kept there when a usable
keyring exists, and otherwise as one line in libpq's password file (mode 0600), where
libpq itself finds it next time. :func:`password_source` says which of these supplies
the password for an address, so the GUI can tell the user in words.
"""

from __future__ import annotations

import getpass
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy.engine import URL, make_url

from auditapp.errors import InvalidInputError

KEYRING_SERVICE = "auditapp PostgreSQL"
DEFAULT_PORT = "5432"

SourceKind = Literal["url", "keyring", "service", "environment", "pgpass", "none"]


@dataclass(frozen=True)
class Target:
    """The four things libpq matches a password file line against."""

    host: str
    port: str
    database: str
    user: str

    @property
    def key(self) -> str:
        """The keyring's "username" for this target (one service name, one entry per target)."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


@dataclass(frozen=True)
class PasswordSource:
    """Which mechanism supplies the password for an address; ``detail``: the file's path or the service name."""

    kind: SourceKind
    detail: str = ""


def _url(url: str | URL) -> URL:
    if isinstance(url, URL):
        return url
    try:
        return make_url(url)
    except Exception:
        from auditapp.sync.replica import describe_url

        raise InvalidInputError("server.url_invalid", url=describe_url(url)) from None


def target_of(url: str | URL) -> Target:
    """Host, port, database and user of a PostgreSQL address, with libpq's defaults filled in."""
    u = _url(url)
    query_host = u.query.get("host")
    host = u.host or (query_host if isinstance(query_host, str) else None) or os.environ.get("PGHOST") or "localhost"
    if host.startswith("/"):
        host = "localhost"  # libpq matches a Unix-socket connection as "localhost"
    port = str(u.port) if u.port else os.environ.get("PGPORT") or DEFAULT_PORT
    user = u.username or os.environ.get("PGUSER") or getpass.getuser()
    database = u.database or os.environ.get("PGDATABASE") or user
    return Target(host=host, port=port, database=database, user=user)


def split_password(url: str) -> tuple[str, str | None]:
    """The address without its password (safe to show and keep), and the password it held."""
    u = _url(url)
    if u.password is None:
        return url, None
    return u._replace(password=None).render_as_string(hide_password=False), str(u.password)


# ---------------------------------------------------------------------------
# the OS keyring


def usable_keyring() -> object | None:
    """The keyring backend, or None when this machine has none that can keep a secret."""
    try:
        import keyring
        from keyring.backends import chainer, fail
    except ImportError:  # pragma: no cover - a dependency, but the password file still works
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return None
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return None
    if type(backend).__module__.startswith("keyring.backends.null"):
        return None
    return backend


def keyring_password(target: Target) -> str | None:
    if usable_keyring() is None:
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, target.key)
    except KeyringError:
        return None  # a locked or broken keyring: libpq's own places still apply


# ---------------------------------------------------------------------------
# libpq's password file


def pgpass_path() -> Path:
    """The password file libpq reads: ``PGPASSFILE``, else the platform's default place."""
    named = os.environ.get("PGPASSFILE")
    if named:
        return Path(named).expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def _fields(line: str) -> list[str] | None:
    """A password file line split at unescaped colons, escapes removed (libpq's rules); None for comments."""
    line = line.rstrip("\r\n")
    if not line or line.startswith("#"):
        return None
    fields: list[str] = []
    current: list[str] = []
    escaped = False
    for ch in line:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ":" and len(fields) < 4:
            fields.append("".join(current))
            current = []
        else:
            current.append(ch)
    fields.append("".join(current))
    return fields if len(fields) == 5 else None


def _matches(fields: list[str], target: Target, *, exact: bool = False) -> bool:
    wanted = (target.host, target.port, target.database, target.user)
    if exact:
        return tuple(fields[:4]) == wanted
    return all(f == "*" or f == w for f, w in zip(fields[:4], wanted, strict=True))


def pgpass_password(target: Target, path: Path | None = None) -> str | None:
    """The password of the first matching line of the password file, as libpq would take it."""
    path = path or pgpass_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        fields = _fields(line)
        if fields is not None and _matches(fields, target):
            return fields[4]
    return None


def write_pgpass(target: Target, password: str, path: Path | None = None) -> Path:
    """Put ``password`` for ``target`` into the password file; every other line stays as it was.

    A line for exactly this target is replaced in place; otherwise the new line goes
    before the first line that would match the target (libpq takes the first match),
    or at the end. The file is written whole to a temporary file (mode 0600, which libpq
    requires on Unix) and renamed over the old one.
    """
    path = path or pgpass_path()
    try:
        old = path.read_bytes().decode("utf-8") if path.exists() else ""  # line ends kept as they are
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError("server.pgpass_unwritable", path=path, detail=str(exc).splitlines()[0]) from exc
    new_line = ":".join(_escape(v) for v in (target.host, target.port, target.database, target.user, password)) + "\n"
    lines = old.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    exact = next((i for i, ln in enumerate(lines) if (f := _fields(ln)) and _matches(f, target, exact=True)), None)
    if exact is not None:
        lines[exact] = new_line
    else:
        first = next((i for i, ln in enumerate(lines) if (f := _fields(ln)) and _matches(f, target)), len(lines))
        lines.insert(first, new_line)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".pgpass-", dir=path.parent)  # created with mode 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write("".join(lines))
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise InvalidInputError("server.pgpass_unwritable", path=path, detail=str(exc).splitlines()[0]) from exc
    return path


# ---------------------------------------------------------------------------
# what the rest of the app calls


def password_source(url: str | URL) -> PasswordSource:
    """Which mechanism supplies the password for ``url``, in the order a connection uses them."""
    u = _url(url)
    if u.password is not None:
        return PasswordSource("url")
    target = target_of(u)
    if keyring_password(target) is not None:
        return PasswordSource("keyring")
    service = u.query.get("service")
    if isinstance(service, str) and service:
        return PasswordSource("service", service)
    if os.environ.get("PGPASSWORD"):
        return PasswordSource("environment", "PGPASSWORD")
    if pgpass_password(target) is not None:
        return PasswordSource("pgpass", str(pgpass_path()))
    return PasswordSource("none")


def save_password(url: str | URL, password: str) -> PasswordSource:
    """Keep ``password`` for the address: in the OS keyring when there is one, else in libpq's password file."""
    target = target_of(url)
    if usable_keyring() is not None:
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(KEYRING_SERVICE, target.key, password)
            return PasswordSource("keyring")
        except KeyringError:
            pass  # a keyring that refuses (locked, read-only): the password file still works
    return PasswordSource("pgpass", str(write_pgpass(target, password)))


def forget_password(url: str | URL) -> bool:
    """Remove the keyring's password for the address (libpq's files are the user's); whether there was one."""
    if usable_keyring() is None:
        return False
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, target_of(url).key)
    except (PasswordDeleteError, KeyringError):
        return False
    return True


def with_saved_password(url: URL) -> URL:
    """The address to connect with: the keyring's password added when the address has none.

    Everything else (password file, service file, ``PGPASSWORD``, ``sslmode``) is left
    to libpq, which reads it when it connects.
    """
    if url.password is not None:
        return url
    password = keyring_password(target_of(url))
    return url if password is None else url.set(password=password)
