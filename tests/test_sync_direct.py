"""Direct sync with another database: a SQLite file (USB stick) and a real PostgreSQL server."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from auditapp.db import migrate
from auditapp.db.models import SyncPeer
from auditapp.services import photos, visits
from auditapp.sync import SyncError
from test_sync_support import (  # noqa: F401 (fixtures)
    assert_same,
    device,
    direct_sync,
    dump,
    jpeg_file,
    new_sqlite_peer,
    pg_migrated_template,
    pg_migrated_url,
    pg_server,
    pg_url,
    seed_visit,
)


def _two_laptops_via(target: str, tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    a, b = device(tmp_path, "a"), device(tmp_path, "b")
    try:
        _inst, visit, items = seed_visit(a, library)
        visits.answer_item(a, visit, items[0], result="nonconform", note="地面湿滑")
        photos.add_photos(a, visit, [jpeg_file(tmp_path, 1)], item_id=items[0])
        first = direct_sync(a, target)
        assert first.pushed.counts["answers"].new == 1
        assert first.pushed.new_photo_files == 2  # photo and thumbnail
        direct_sync(b, target)
        assert_same(a, b)
        assert [p.sha256 for p in photos.list_photos(b, visit)] == [p.sha256 for p in photos.list_photos(a, visit)]
        assert photos.verify_photos(b) == []
        # both edit different items, one deletes a photo; then sync in both orders
        visits.answer_item(b, visit, items[1], result="conform")
        photos.delete_photo(a, photos.list_photos(a, visit)[0].id)
        direct_sync(b, target)
        direct_sync(a, target)
        direct_sync(b, target)
        assert_same(a, b)
        assert photos.list_photos(b, visit) == []
        # nothing new: a sync changes nothing
        again = direct_sync(a, target)
        assert again.pulled.changes == 0 and again.pushed.changes == 0
    finally:
        a.close()
        b.close()


def test_two_laptops_converge_through_a_sqlite_file_on_a_stick(tmp_path: Path, fixture_library) -> None:  # type: ignore[no-untyped-def]
    stick = tmp_path / "stick"
    stick.mkdir()
    _two_laptops_via(str(stick / "shared.sqlite3"), tmp_path, fixture_library)
    # the stick holds a migrated database and the photo files beside it
    engine = sa.create_engine(f"sqlite:///{stick / 'shared.sqlite3'}")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == migrate.head_revision()
    engine.dispose()
    assert list((stick / "photos").glob("??/*.jpg"))


def test_two_laptops_converge_through_postgresql(tmp_path: Path, fixture_library, pg_url: str) -> None:  # type: ignore[no-untyped-def]
    _two_laptops_via(pg_url, tmp_path, fixture_library)
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        assert conn.dialect.name == "postgresql"
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == migrate.head_revision()
        assert conn.execute(sa.text("SELECT count(*) FROM photo_blobs")).scalar() == 2
    engine.dispose()


def test_postgresql_schema_matches_the_models(pg_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from auditapp.db.models import Base

    engine = sa.create_engine(pg_url)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    # Foreign keys are deferrable on PostgreSQL only (migration 0003); nothing else may differ.
    assert [d for d in diff if not (isinstance(d, tuple) and d[0] in ("remove_fk", "add_fk"))] == []


# ---------------------------------------------------------------------------
# interrupted sync

def _sync_killed_at(data_dir: Path, target: str, lo: int, hi: int, report: Path) -> int:
    """Sync ``data_dir`` with ``target`` in a child process that SIGKILLs itself when progress reaches lo…hi.

    The child is a fork of this process (it has every module imported already: a new
    interpreter importing the app took about a second of each test); it opens the
    database itself and dies without any cleanup, as a sync killed by the user or a
    power cut does. What it says if it is not killed goes to ``report``. Returns the
    child's wait status.
    """
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 3
        try:
            from auditapp.db import open_database
            from auditapp.sync.api import sync_with

            def progress(done: int, total: int, text: str = "") -> None:
                if lo <= done <= hi:
                    os.kill(os.getpid(), signal.SIGKILL)

            db = open_database(data_dir, backup=False)
            sync_with(db, target, progress=progress)
            report.write_text("finished without being killed")
        except BaseException:  # reported to the parent through the file
            import traceback

            report.write_text(traceback.format_exc())
        finally:
            os._exit(code)
    deadline = time.monotonic() + 120  # as the subprocess this replaced: a hung child fails, never lingers
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("the syncing child neither finished nor was killed by its progress within 120 s")
        time.sleep(0.02)


def _consistent(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def _peer_engine(target: str) -> sa.Engine:
    return sa.create_engine(target if "://" in target else f"sqlite:///{target}")


# Progress runs 0…1000: pull read 0-100, pull write 100-500, push read 500-600, push write 600-1000.
KILL_POINTS = {"while pulling": (101, 499), "between pull and push": (550, 600), "while pushing": (601, 999)}


def _interrupted(tmp_path: Path, library, target: str, where: str) -> None:  # type: ignore[no-untyped-def]
    a, c = device(tmp_path, "a"), device(tmp_path, "c")
    _i, visit_c, items = seed_visit(c, library, name="丙医院")
    visits.answer_item(c, visit_c, items[0], result="nonconform", note="C")
    photos.add_photos(c, visit_c, [jpeg_file(tmp_path, n) for n in range(3)], item_id=items[0])
    direct_sync(c, target)
    _i, visit_a, items = seed_visit(a, library, name="甲医院")
    photos.add_photos(a, visit_a, [jpeg_file(tmp_path, n) for n in range(10, 13)])
    a_before, peer = dump(a), _peer_engine(target)
    peer_before = dump(peer)
    a.close()
    lo, hi = KILL_POINTS[where]
    peer.dispose()  # nothing of this process's connections goes into the child
    report = tmp_path / "child.txt"
    status = _sync_killed_at(tmp_path / "a", target, lo, hi, report)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, report.read_text() if report.exists() else status
    a = device(tmp_path, "a")
    _consistent(a.engine)
    _consistent(peer)
    a_mid, peer_mid = dump(a), dump(peer)
    if where == "while pulling":
        assert a_mid == a_before
    else:
        assert {r["id"] for r in a_mid["visits"]} == {visit_a, visit_c}  # the pull was committed
    assert peer_mid == peer_before  # the push never half-happened
    # a rerun completes; the third device catches up; everyone is equal
    direct_sync(a, target)
    direct_sync(c, target)
    assert_same(a, peer)
    assert_same(a, c)
    assert photos.verify_photos(a) == [] and len(photos.list_photos(a, visit_c)) == 3
    peer.dispose()
    a.close()
    c.close()


@pytest.mark.parametrize("where", list(KILL_POINTS))
def test_sync_killed_midway_leaves_both_sides_consistent_and_a_rerun_completes(tmp_path: Path, fixture_library, where: str) -> None:  # type: ignore[no-untyped-def]
    stick = new_sqlite_peer(tmp_path / "stick.sqlite3")  # created (and migrated) by a sync in the stick test above
    _interrupted(tmp_path, fixture_library, str(stick), where)


def test_sync_with_postgresql_killed_midway_recovers(tmp_path: Path, fixture_library, pg_migrated_url: str) -> None:  # type: ignore[no-untyped-def]
    _interrupted(tmp_path, fixture_library, pg_migrated_url, "while pushing")


# ---------------------------------------------------------------------------
# refusals


def test_sync_refuses_a_newer_target_its_own_database_and_unknown_urls(tmp_path: Path, fixture_library) -> None:  # type: ignore[no-untyped-def]
    a = device(tmp_path, "a")
    other = device(tmp_path, "other")
    with other.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    other.close()
    try:
        with pytest.raises(Exception, match="newer version of auditapp"):
            direct_sync(a, str(tmp_path / "other"))
        with pytest.raises(SyncError, match="this computer's own database"):
            direct_sync(a, str(tmp_path / "a"))
        with pytest.raises(SyncError, match="cannot sync with mysql"):
            direct_sync(a, "mysql://u:secret@host/db")
        with pytest.raises(SyncError) as info:
            direct_sync(a, "postgresql+psycopg://u:secret@127.0.0.1:1/none")
        assert "secret" not in str(info.value) and "cannot connect" in str(info.value)
    finally:
        a.close()


def test_a_stick_that_is_a_copy_of_this_database_gets_its_own_id(tmp_path: Path, fixture_library) -> None:  # type: ignore[no-untyped-def]
    import shutil

    a = device(tmp_path, "a")
    seed_visit(a, fixture_library)
    a.close()
    shutil.copytree(tmp_path / "a", tmp_path / "stick")
    a = device(tmp_path, "a")
    try:
        result = direct_sync(a, str(tmp_path / "stick"))
        assert result.pulled.changes == 0 and result.pushed.changes == 0
        with a.session() as s:
            peers = s.scalars(sa.select(SyncPeer)).all()
        assert [p.peer_id for p in peers] != [a.device_id] and all(p.peer_id != a.device_id for p in peers)
    finally:
        a.close()


def test_cli_sync_with_postgresql(tmp_path: Path, fixture_library, pg_migrated_url: str) -> None:  # type: ignore[no-untyped-def]
    """``auditapp sync`` in-process (cli_support.run_main): the entry point in a shell is test_cli_runner's."""
    import json

    from cli_support import run_main

    pg_url = pg_migrated_url
    a = device(tmp_path, "a")
    seed_visit(a, fixture_library)
    a.close()
    run = run_main(tmp_path / "a", "sync", pg_url, "--json")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["pushed"]["counts"]["visits"]["new"] == 1
    text = run_main(tmp_path / "a", "sync", pg_url, "--dry-run")
    assert text.returncode == 0 and "dry run" in text.stdout
    assert "conflicts" not in text.stdout


def test_the_same_answer_made_offline_on_two_laptops_is_unified_on_postgresql(
    tmp_path: Path, fixture_library, pg_migrated_url: str
) -> None:  # type: ignore[no-untyped-def]
    """Renaming an id and its references needs deferred foreign keys, which only the server enforces differently."""
    pg_url = pg_migrated_url
    a, b = device(tmp_path, "a"), device(tmp_path, "b")
    try:
        _inst, visit, items = seed_visit(a, fixture_library)
        direct_sync(a, pg_url)
        direct_sync(b, pg_url)
        visits.answer_item(a, visit, items[0], result="nonconform", note="A", department="总务科")
        visits.answer_item(b, visit, items[0], result="nonconform", note="B", department="总务科")
        photos.add_photos(b, visit, [jpeg_file(tmp_path, 5)], item_id=items[0])
        direct_sync(a, pg_url)
        direct_sync(b, pg_url)
        direct_sync(a, pg_url)
        assert_same(a, b)
        engine = sa.create_engine(pg_url)
        assert_same(a, engine)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM answers WHERE item_id = :i"), {"i": items[0]}).scalar() == 1
            assert conn.execute(sa.text("SELECT count(*) FROM departments WHERE name = '总务科'")).scalar() == 1
        engine.dispose()
        # nothing new: the next sync reads nothing from the server and changes nothing
        quiet = direct_sync(a, pg_url)
        assert sum(c.unchanged + c.changes for c in quiet.pulled.counts.values()) == 0
        assert quiet.pushed.changes == 0
    finally:
        a.close()
        b.close()
