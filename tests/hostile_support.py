"""Helpers for the hostile-input tests (no tests here): a small real data folder, the state
that must not change, the command line run in-process, and package rewriting.

"Unchanged" means: the logical content of every table (a dump, not the file's bytes:
SQLite may checkpoint its WAL on open), the change log, and every file under the data
folder's ``photos/`` and ``quarantine/`` with its sha256.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from auditapp import paths
from conftest import FIXTURES, LIBRARY_FIXTURE

HOSTILE = FIXTURES / "hostile"

# Tables beyond the synced ones whose rows must not change either.
_LOCAL_TABLES = ("change_log", "sync_conflicts", "sync_peers", "photo_blobs")


@dataclass(frozen=True)
class Scenario:
    """Ids of the records the scenario data folder holds."""

    inst_a: str
    inst_b: str
    visit_a1: str
    visit_a2: str  # carries over the open findings of visit_a1
    visit_b1: str
    photo_a1: str
    leader_a: str  # 王院长 of A, who walked visit_a1
    plan_a: str  # 王院长's plan for 2024-03
    finding_a1: str = ""  # the first finding of visit_a1, as visit_detail lists them


class _ReadonlyReader:
    """One engine for every read-only dump of this process, pointed at a file per dump.

    A new engine per dump compiled the same 18 table selects and set up the dialect
    again each time (about 0.1 s of every ``full_state``, which every hostile-input
    test takes twice); the engine keeps its compiled statements across files.
    Connections are not pooled: each dump opens ``mode=ro`` on its own file.
    """

    def __init__(self) -> None:
        self._path: Path | None = None
        self._engine: sa.Engine | None = None

    def _connect(self) -> sqlite3.Connection:
        assert self._path is not None
        conn = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, check_same_thread=False)
        conn.text_factory = lambda raw: raw.decode("utf-8", "surrogateescape")
        return conn

    @staticmethod
    def _tolerant_json(text: str) -> Any:
        try:
            return json.loads(text)
        except ValueError:
            return {"<not JSON>": text}

    @contextlib.contextmanager
    def connect(self, db_path: Path) -> Iterator[sa.Connection]:
        """Reads even a damaged file (bytes that are not UTF-8, JSON that is not JSON) as it is."""
        if self._engine is None:
            self._engine = sa.create_engine(
                "sqlite://", creator=self._connect, poolclass=sa.pool.NullPool, json_deserializer=self._tolerant_json
            )
        self._path = db_path
        try:
            with self._engine.connect() as conn:
                yield conn
        finally:
            self._path = None


_reader = _ReadonlyReader()


def db_state(data_dir: Path) -> dict[str, Any]:
    """Every row of every table, read without writing to the file."""
    from auditapp.sync.tables import dump_tables

    db_path = paths.database_path(data_dir)
    if not db_path.is_file():  # missing, or a pipe that a reader would block on for ever
        return {"<no database file>": db_path.exists()}
    with _reader.connect(db_path) as conn:
        out: dict[str, Any] = dict(dump_tables(conn))
        for table in _LOCAL_TABLES:
            out[table] = sorted(tuple(str(v) for v in row) for row in conn.exec_driver_sql(f"SELECT * FROM {table}"))
        out["meta"] = sorted(
            (k, v) for k, v in conn.exec_driver_sql("SELECT key, value FROM meta") if k != "last_backup"
        )
    return out


def photo_state(data_dir: Path) -> dict[str, str]:
    """Every file under photos/ and quarantine/ (pending-import journals included), by content."""
    out: dict[str, str] = {}
    for folder in ("photos", "quarantine"):
        root = data_dir / folder
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    out[str(path.relative_to(data_dir))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def photo_files(data_dir: Path) -> set[str]:
    """The photo store's files by name (``<sha>.jpg``), wherever under the data folder they are."""
    return {p.name for p in data_dir.rglob("*.jpg") if p.is_file() and "backups" not in p.parts}


def full_state(data_dir: Path) -> dict[str, Any]:
    return {"db": db_state(data_dir), "photos": photo_state(data_dir)}


@dataclass
class CliResult:
    code: int
    out: str
    err: str


class HangError(Exception):
    """The command did not finish in time (it blocks on a pipe, parses for minutes …)."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail instead of hanging: SIGALRM interrupts even a blocking open() of a pipe."""
    import signal

    def expire(_signum: int, _frame: object) -> None:
        raise HangError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_cli(*argv: str, timeout: float = 120) -> CliResult:
    """``auditapp ARGV`` in this process (an uncaught exception fails the test with its traceback)."""
    from auditapp.cli import main

    out, err = io.StringIO(), io.StringIO()
    with deadline(timeout), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return CliResult(code=code, out=out.getvalue(), err=err.getvalue())


def assert_clean_error(result: CliResult, *needles: str) -> None:
    """Exit code 1, the message on stderr (no traceback), every needle in it."""
    assert result.code == 1, (result.code, result.out, result.err)
    assert "Traceback" not in result.err, result.err
    assert result.err.startswith(("auditapp: error: ", "auditapp: 错误：")) or ":1:" in result.err or ": " in result.err
    for needle in needles:
        assert needle in result.err, (needle, result.err)


# ---------------------------------------------------------------------------
# a small real data folder


def jpeg_bytes(seed: int, size: tuple[int, int] = (64, 48)) -> bytes:
    from PIL import Image

    img = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, (seed * 13) % 256))
    for x in range(0, size[0], 8):
        img.putpixel((x, seed % size[1]), (255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def jpeg_file(folder: Path, seed: int) -> Path:
    path = folder / f"photo-{seed}.jpg"
    path.write_bytes(jpeg_bytes(seed))
    return path


def build_scenario(data_dir: Path, work: Path) -> Scenario:
    """Two institutions; A has a visit with findings and photos, and a later visit that re-checks them."""
    from auditapp.checklists import load_library
    from auditapp.db import open_database
    from auditapp.services import institutions, leaders, photos, visits

    library = load_library(LIBRARY_FIXTURE)
    work.mkdir(parents=True, exist_ok=True)
    db = open_database(data_dir, actor="场景", backup=False)
    try:
        a = institutions.add_institution(db, name="甲中医院", kind="tcm", level=3, alliance_lead=True, departments=["门诊部"])
        b = institutions.add_institution(db, name="乙人民医院", kind="general", level=2, departments=["总务科"])
        leader = leaders.add_leader(db, institution=a.id, name="王院长", role="president", active_from=date(2020, 1, 1))
        leaders.add_leader(db, institution=a.id, name="李副院长", role="vice_president")
        leader_b = leaders.add_leader(db, institution=b.id, name="张院长", role="president", active_to=date(2030, 12, 31))
        route = next(iter(library.checklists))
        plan = leaders.set_plan(db, institution=a.id, leader=leader.id, month="2024-03", areas=[route], library=library)
        leaders.set_plan(db, institution=b.id, leader=leader_b.id, month="2024-04", areas=[], note="门诊楼一层", library=library)
        v1 = visits.start_visit(db, institution=a.id, inspector="王院长", library=library, visit_date=date(2024, 3, 5))
        items = [v.item for v in visits.visit_detail(db, v1.id).items]
        yesno = [i.id for i in items if i.response.type == "yesno"]
        visits.answer_item(db, v1.id, yesno[0], result="nonconform", note="地面有积水", department="门诊部")
        visits.answer_item(db, v1.id, yesno[1], result="nonconform", note="扶手松动")
        visits.answer_item(db, v1.id, yesno[2], result="conform")
        visits.add_finding(db, v1.id, text="自助机旁无人指导", area="门诊大厅", severity="major")
        [photo] = photos.add_photos(db, v1.id, [jpeg_file(work, 1)], item_id=yesno[0])
        photos.add_photos(db, v1.id, [jpeg_file(work, 2), jpeg_file(work, 3)])
        visits.finalize_visit(db, v1.id)
        finding_a1 = visits.visit_detail(db, v1.id).findings[0].id
        v2 = visits.start_visit(db, institution=a.id, inspector="李副院长", library=library, visit_date=date(2024, 4, 9))
        visits.answer_item(db, v2.id, yesno[0], result="conform")
        vb = visits.start_visit(db, institution=b.id, inspector="张院长", library=library, visit_date=date(2024, 4, 10))
        items_b = [v.item for v in visits.visit_detail(db, vb.id).items if v.item.response.type == "yesno"]
        visits.answer_item(db, vb.id, items_b[0].id, result="nonconform", note="标识不清")
        photos.add_photos(db, vb.id, [jpeg_file(work, 4)])
        return Scenario(
            inst_a=a.id, inst_b=b.id, visit_a1=v1.id, visit_a2=v2.id, visit_b1=vb.id, photo_a1=photo.id,
            leader_a=leader.id, plan_a=plan.id, finding_a1=finding_a1,
        )
    finally:
        db.close()


def copy_folder(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


# ---------------------------------------------------------------------------
# packages


def read_members(path: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    return json.loads(members.pop("manifest.json")), members


def write_package(
    path: Path,
    manifest: dict[str, Any],
    members: dict[str, bytes],
    *,
    compression: Callable[[str], int] | None = None,
    rehash: bool = True,
) -> Path:
    """A package from parts, with the manifest's hashes made to fit (so the deeper checks are reached)."""
    manifest = json.loads(json.dumps(manifest))
    if rehash:
        manifest["members"] = {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} for name, data in members.items()
        }
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False), compress_type=zipfile.ZIP_DEFLATED)
        for name, data in members.items():
            method = compression(name) if compression else zipfile.ZIP_DEFLATED
            zf.writestr(name, data, compress_type=method)
    return path


def edit_records(
    members: dict[str, bytes], table: str, edit: Callable[[dict[str, Any]], None], *, which: int = 0
) -> dict[str, bytes]:
    """Change the ``which``-th record of ``table`` (as a dict) inside the package members."""
    out = dict(members)
    name = next(n for n in members if n.startswith(f"records/{table}/"))
    doc = json.loads(members[name])
    columns = doc["columns"]
    record = dict(zip(columns, doc["rows"][which], strict=True))
    edit(record)
    doc["rows"][which] = [record.get(c) for c in columns]
    out[name] = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    return out


@contextlib.contextmanager
def env(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


# ---------------------------------------------------------------------------
# fixtures (import them into a test module to use them)

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def scenario_template(tmp_path_factory: pytest.TempPathFactory, empty_template: Path) -> tuple[Path, Scenario]:
    """Built on a copy of the migrated empty folder (conftest ``empty_template``): migrating costs 0.5–1 s."""
    root = tmp_path_factory.mktemp("scenario")
    data = copy_folder(empty_template, root / "data")
    return data, build_scenario(data, root / "files")


@pytest.fixture
def scenario(scenario_template: tuple[Path, Scenario], tmp_path: Path) -> tuple[Path, Scenario]:
    """A fresh copy of the scenario data folder, opened once at its new place."""
    from auditapp.db import open_database

    template, ids = scenario_template
    data = copy_folder(template, tmp_path / "data")
    open_database(data, backup=False).close()  # a copied folder takes a device id of its own
    return data, ids


@pytest.fixture
def library_env() -> Iterator[None]:
    """Commands use the small fixture library (fast, stable)."""
    with env(AUDITAPP_CHECKLISTS_DIR=str(LIBRARY_FIXTURE)):
        yield
