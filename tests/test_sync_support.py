"""Helpers shared by the sync tests (no tests here): devices, photos, a real PostgreSQL server.

A device is a data folder copied from a new, migrated one made once per process
(``empty_data_folder``): running the migrations costs 0.3-0.8 s a database, and the sync
tests make two or three devices each. ``clone_data_folder`` copies a data folder built
once (a scenario) so that it opens as the same device, its id kept.

The PostgreSQL server is a throwaway cluster started from Debian's binaries in a
temporary folder, listening on a free loopback port; each test gets a fresh database
in it (``PgServer.new_database``, optionally a copy of a database built once).
``AUDITAPP_TEST_PG_URL`` points the tests at an existing server instead. Without either,
PostgreSQL tests fail under CI (``CI`` set) and are skipped with the reason locally.
"""

from __future__ import annotations

import atexit
import functools
import glob
import io
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from auditapp import paths
from auditapp.db import Database, open_database
from auditapp.db.engine import DEVICE_PATH_KEY
from auditapp.services import institutions, visits
from auditapp.sync.api import sync_replicas
from auditapp.sync.replica import local_replica, open_peer
from auditapp.sync.tables import dump_tables


@functools.cache
def empty_data_folder() -> Path:
    """A data folder with a new database migrated to head, made once per process. Never open it: copy it."""
    root = Path(tempfile.mkdtemp(prefix="auditapp-empty-"))
    atexit.register(shutil.rmtree, root, True)
    open_database(root / "data", actor="template", backup=False).close()
    return root / "data"


def new_data_folder(folder: Path) -> Path:
    """``folder`` as a new data folder (a copy of the empty one) unless it holds a database already.

    The copy opens at another path, so it gets a device id of its own, as a new database does.
    """
    if not paths.database_path(folder).exists():
        shutil.copytree(empty_data_folder(), folder, dirs_exist_ok=True)
    return folder


def device(root: Path, name: str) -> Database:
    """The data folder ``root/name`` opened as device ``name``; a new one starts as a copy of an empty one."""
    return open_database(new_data_folder(root / name), actor=name, backup=False)


def new_sqlite_peer(path: Path) -> Path:
    """A SQLite file at ``path`` as a sync creates it on a stick: migrated to head, no device id yet.

    For tests where creating the peer is not the point (the first sync would run the
    migrations on it): a copy of the empty database, without the rows that made it a
    data folder's (its device id and location; the first sync gives it an id).
    """
    shutil.copyfile(paths.database_path(empty_data_folder()), path)
    conn = sqlite3.connect(path)
    try:
        conn.execute("DELETE FROM meta")
        conn.commit()
    finally:
        conn.close()
    return path


def clone_data_folder(src: Path, dst: Path) -> Path:
    """A copy of the (closed) data folder ``src`` at ``dst`` that opens as the same device.

    For scenarios built once and copied per test: the copy is told it is where it was
    made (its recorded location), so it keeps its device id, and what the scenario's
    devices and servers know about each other stays true.
    """
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("backups"))
    db_path = paths.database_path(dst)
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("UPDATE meta SET value = ? WHERE key = ?", (str(db_path.resolve()), DEVICE_PATH_KEY))
        conn.commit()
    finally:
        conn.close()
    return dst


def dump(db_or_engine: Any) -> dict[str, list[dict[str, Any]]]:
    engine = db_or_engine.engine if hasattr(db_or_engine, "engine") else db_or_engine
    with engine.connect() as conn:
        return dump_tables(conn)


def assert_same(a: Any, b: Any) -> None:
    da, db_ = dump(a), dump(b)
    for table in da:
        assert da[table] == db_[table], f"table {table} differs"


def item_ids(db: Database, visit_id: str) -> list[str]:
    return [v.item.id for v in visits.visit_detail(db, visit_id).items]


def seed_visit(db: Database, library: Any, name: str = "示例中医院") -> tuple[str, str, list[str]]:
    inst = institutions.add_institution(db, name=name, kind="tcm", level=3, alliance_lead=True, departments=["门诊部"])
    visit = visits.start_visit(db, institution=inst.id, inspector="王院长", library=library)
    return inst.id, visit.id, item_ids(db, visit.id)


def package_sync(src: Database, dst: Database, folder: Path, **kwargs: Any) -> Any:
    from auditapp.sync import export_package, import_package

    path = folder / f"{uuid.uuid4().hex[:8]}.auditpkg"
    export_package(src, path, **kwargs)
    return import_package(dst, path)


def direct_sync(local: Database, target: str) -> Any:
    rep = local_replica(local)
    with open_peer(target, local=rep, local_db_path=local.path) as peer:
        return sync_replicas(rep, peer)


def jpeg_file(folder: Path, seed: int) -> Path:
    from PIL import Image

    img = Image.new("RGB", (64, 48), ((seed * 37) % 256, (seed * 91) % 256, (seed * 13) % 256))
    for x in range(0, 64, 8):
        img.putpixel((x, seed % 48), (255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    path = folder / f"photo-{seed}.jpg"
    path.write_bytes(buf.getvalue())
    return path


# ---------------------------------------------------------------------------
# PostgreSQL


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _memory_folder() -> str | None:
    """Where the throwaway cluster goes: a RAM file system if the machine has one, else the temp folder.

    On disk, deleting the cluster at the end (a few hundred MB of databases, written
    without fsync and still being written back) took 14-19 s of a run on the shared
    machine; in /dev/shm it is instant, and nothing of it needs to outlive the run.
    """
    shm = "/dev/shm"
    if not (os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK)):
        return None
    free = os.statvfs(shm)
    return shm if free.f_bavail * free.f_frsize >= 2 << 30 else None  # a container's 64 MB one is too small


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


class PgServer:
    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")

    def new_database(self, template: str | None = None) -> str:
        """A new database's URL; ``template``: a copy of that database (of a URL of this server).

        Nothing may be connected to the template while it is copied (PostgreSQL's rule).
        """
        name = f"audit_{uuid.uuid4().hex[:12]}"
        copy = f' TEMPLATE "{sa.engine.make_url(template).database}"' if template else ""
        with self.engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"{copy}'))
        return sa.engine.make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    url = os.environ.get("AUDITAPP_TEST_PG_URL")
    if url:
        server = PgServer(url)
        try:
            with server.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except Exception as exc:
            _unavailable(f"AUDITAPP_TEST_PG_URL={url} cannot be reached: {exc}")
        yield server
        server.engine.dispose()
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("the psycopg driver is not installed (pip install 'psycopg[binary]')")
    bindir = _pg_bin()
    if bindir is None:
        _unavailable("no initdb found (apt-get install postgresql)")
    assert bindir is not None
    folder = Path(tempfile.mkdtemp(prefix="auditapp-pg-", dir=_memory_folder()))
    data = folder / "data"
    port = _free_port()
    as_root = os.geteuid() == 0

    def run(*cmd: str) -> subprocess.CompletedProcess[str]:
        full = ["runuser", "-u", "postgres", "--", *cmd] if as_root else list(cmd)
        return subprocess.run(full, capture_output=True, text=True, timeout=120)

    if as_root:
        shutil.chown(folder, "postgres", "postgres")
    init = run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
    if init.returncode != 0:
        _unavailable(f"initdb failed: {init.stderr.strip()[-500:]}")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c full_page_writes=off"
    start = run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "-t", "60", "start")
    if start.returncode != 0:
        log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
        _unavailable(f"pg_ctl start failed: {start.stderr.strip()[-300:]} {log[-500:]}")
    server = PgServer(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")
    try:
        yield server
    finally:
        server.engine.dispose()
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """A new, empty database: the first sync or ``server init`` migrates it."""
    return pg_server.new_database()


@pytest.fixture(scope="session")
def pg_migrated_template(pg_server: PgServer) -> str:
    """A database migrated to head once per process, as a first sync leaves it (no device id yet). Never use it."""
    from auditapp.db import migrate

    url = pg_server.new_database()
    engine = sa.create_engine(url)
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    return url


@pytest.fixture
def pg_migrated_url(pg_server: PgServer, pg_migrated_template: str) -> str:
    """A new database already migrated to head (a copy of ``pg_migrated_template``).

    For tests where migrating an empty server is not the point: the migrations cost
    1-2 s a database on PostgreSQL. ``pg_url`` gives an empty one.
    """
    return pg_server.new_database(template=pg_migrated_template)
