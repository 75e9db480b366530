"""Opening, refusing, migrating and backing up the database file."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from auditapp import paths
from auditapp.db import backup, open_database
from auditapp.db.migrate import head_revision
from auditapp.db.models import Base
from auditapp.errors import (
    BackupError,
    DatabaseCorruptError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    DatabaseTooNewError,
)


def _sha(path: Path) -> bytes:
    import hashlib

    return hashlib.sha256(path.read_bytes()).digest()


def test_new_database_uses_wal_foreign_keys_and_is_at_head(data_dir: Path) -> None:
    db = open_database(data_dir)
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
        assert db.open_report.created
    finally:
        db.close()


def test_migrated_schema_matches_the_models(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_foreign_keys_are_enforced(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn, pytest.raises(Exception, match="FOREIGN KEY"):
        conn.exec_driver_sql(
            "INSERT INTO departments (id, institution_id, name, head, created_at, updated_at, device_id) "
            "VALUES ('d1', 'missing', 'x', '', '2026-01-01', '2026-01-01', '')"
        )
        conn.commit()


def test_upgrade_from_first_migration_keeps_data_and_backfills_report_numbers(data_dir: Path) -> None:
    old = open_database(data_dir, migrate_to="0001", backup=False)
    now = "2026-03-05 08:00:00.000000"
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO institutions (id, name, kind, level, has_obstetrics, alliance_lead, region, notes,"
            " created_at, updated_at, device_id) VALUES ('i1', '老数据医院', 'tcm', 3, 0, 1, '', '', ?, ?, 'dev')",
            (now, now),
        )
        for n, day in enumerate(["2026-01-10", "2026-02-11", "2026-03-05"], start=1):
            conn.exec_driver_sql(
                "INSERT INTO visits (id, institution_id, mode, inspector, title, visit_date, started_at, status, notes,"
                " created_at, updated_at, device_id) VALUES (?, 'i1', 'self', '院长', '', ?, ?, 'finalized', '', ?, ?, 'dev')",
                (f"v{n}", day, f"{day} 09:00:00.000000", now, now),
            )
        conn.exec_driver_sql(
            "INSERT INTO findings (id, visit_id, source, text, area, severity, seq, created_at, updated_at, device_id)"
            " VALUES ('f1', 'v1', 'free', '卫生间无纸巾', '一楼', 'minor', 1, ?, ?, 'dev')",
            (now, now),
        )
    old.close()

    db = open_database(data_dir)
    try:
        assert db.open_report.migrated_from == "0001"
        assert db.open_report.backup_path is not None and "before-migration-0001" in db.open_report.backup_path.name
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT name FROM institutions").scalar() == "老数据医院"
            numbers = conn.exec_driver_sql("SELECT id, report_number FROM visits ORDER BY id").all()
            assert numbers == [("v1", "2026-01-001"), ("v2", "2026-02-002"), ("v3", "2026-03-003")]
            assert conn.exec_driver_sql("SELECT text FROM findings WHERE id='f1'").scalar() == "卫生间无纸巾"
    finally:
        db.close()
    # The pre-migration backup is the old schema with the old data.
    conn = sqlite3.connect(db.open_report.backup_path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    assert conn.execute("SELECT count(*) FROM visits").fetchone()[0] == 3
    conn.close()


def test_file_that_is_not_sqlite_is_refused_and_left_unchanged(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    db_path = paths.database_path(data_dir)
    db_path.write_bytes(b"%PDF-1.7 this is not a database" * 10)
    before = _sha(db_path)
    with pytest.raises(DatabaseCorruptError, match="not an auditapp database"):
        open_database(data_dir)
    assert _sha(db_path) == before
    assert not (data_dir / "backups").exists()


def test_damaged_database_is_refused_and_left_unchanged(data_dir: Path) -> None:
    db = open_database(data_dir)
    with db.engine.begin() as conn:
        for n in range(300):
            conn.exec_driver_sql(
                "INSERT INTO meta (key, value) VALUES (?, ?)", (f"k{n}", "x" * 500)
            )
    db.close()
    db_path = paths.database_path(data_dir)
    raw = bytearray(db_path.read_bytes())
    # Scribble over the middle pages, keeping the header intact.
    for offset in range(8192, min(len(raw), 8192 * 6), 7):
        raw[offset] = 0xFF
    db_path.write_bytes(bytes(raw))
    before = _sha(db_path)
    with pytest.raises(DatabaseCorruptError):
        open_database(data_dir)
    assert _sha(db_path) == before


def test_database_from_a_newer_version_is_refused(data_dir: Path) -> None:
    db = open_database(data_dir)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    db.close()
    db_path = paths.database_path(data_dir)
    before = _sha(db_path)
    with pytest.raises(DatabaseTooNewError, match="newer version of auditapp"):
        open_database(data_dir)
    assert _sha(db_path) == before


def test_foreign_sqlite_database_is_refused(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(paths.database_path(data_dir))
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseCorruptError, match="not one of auditapp's"):
        open_database(data_dir)


def test_locked_database_is_refused(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_database(data_dir).close()
    # The app waits BUSY_TIMEOUT_S (5 s) for another writer before refusing; how long is not
    # what this test is about (it spent those 5 s waiting), that it refuses is.
    from auditapp.db import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(paths.database_path(data_dir))
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLockedError, match="locked"):
            open_database(data_dir)
    finally:
        holder.rollback()
        holder.close()


def test_read_only_database_is_refused_even_for_root(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_database(data_dir).close()
    db_path = paths.database_path(data_dir)
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == db_path and mode == os.W_OK else real_access(p, mode)
    )
    before = _sha(db_path)
    with pytest.raises(DatabaseReadOnlyError, match="read-only"):
        open_database(data_dir)
    assert _sha(db_path) == before


def test_daily_backup_happens_at_most_once_a_day_and_keeps_the_last_n(data_dir: Path) -> None:
    db = open_database(data_dir)
    try:
        start = datetime(2026, 1, 1, 8, tzinfo=UTC)
        made = []
        for day in range(10):
            for hour in (0, 5):  # two opens on the same day: one backup
                path = backup.daily_backup(db.engine, data_dir, keep=3, now=start + timedelta(days=day, hours=hour))
                if path:
                    # make the file's name reflect the simulated day
                    stamped = path.with_name(
                        f"audit-{(start + timedelta(days=day)).strftime('%Y%m%d-%H%M%S')}-daily.sqlite3"
                    )
                    path.rename(stamped)
                    made.append(stamped)
        assert len(made) == 10
        kept = [b for b in backup.list_backups(data_dir) if b.reason == "daily"]
        assert len(kept) == 3
        assert kept[0].created_at.date().isoformat() == "2026-01-10"
    finally:
        db.close()


def test_restore_brings_back_the_backup_and_saves_the_current_state(data_dir: Path) -> None:
    db = open_database(data_dir)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO meta (key, value) VALUES ('marker', 'before')")
    saved = backup.create_backup(db.engine, data_dir, reason="manual")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE meta SET value='after' WHERE key='marker'")
    db.close()

    safety = backup.restore_backup(data_dir, saved)
    db = open_database(data_dir)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT value FROM meta WHERE key='marker'").scalar() == "before"
    db.close()
    conn2 = sqlite3.connect(safety)
    assert conn2.execute("SELECT value FROM meta WHERE key='marker'").fetchone()[0] == "after"
    conn2.close()


def test_restore_refuses_a_damaged_backup(data_dir: Path, tmp_path: Path) -> None:
    open_database(data_dir).close()
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"garbage" * 100)
    before = _sha(paths.database_path(data_dir))
    with pytest.raises(BackupError, match="not a SQLite database"):
        backup.restore_backup(data_dir, bad)
    assert _sha(paths.database_path(data_dir)) == before


@pytest.mark.parametrize("damaged_first", [True, False])
def test_json_changed_behind_the_apps_back_names_the_database_that_holds_it(  # type: ignore[no-untyped-def]
        tmp_path: Path, fixture_library, damaged_first: bool) -> None:
    """A JSON value that no longer parses is reported as a damaged file, with the path of the
    database holding it — also when another database of the process ran the same query first
    (the compiled statements and their result readers are shared) — and changes nothing."""
    from auditapp.errors import AuditAppError
    from auditapp.services.institutions import add_institution
    from auditapp.services.visits import get_visit, start_visit

    dbs, visits = [], []
    for name in ("good", "damaged"):
        db = open_database(tmp_path / name, actor="tester", backup=False)
        inst = add_institution(db, name=f"{name}医院", kind="general", level=2)
        visits.append(start_visit(db, institution=inst.id, inspector="检查员", library=fixture_library).id)
        dbs.append(db)
    good, damaged = dbs
    with sqlite3.connect(damaged.path) as raw:
        raw.execute("UPDATE visits SET walk = '{\"steps\": [1, 2' WHERE id = ?", (visits[1],))
    raw.close()
    try:
        if not damaged_first:
            assert get_visit(good, visits[0]).id == visits[0]
        with pytest.raises(DatabaseCorruptError) as refused:
            get_visit(damaged, visits[1])
        assert refused.value.code == "database.bad_json"
        assert str(damaged.path) in str(refused.value) and str(good.path) not in str(refused.value)
        assert "damaged" in refused.value.message("en") and "已损坏" in refused.value.message("zh_CN")
        assert get_visit(good, visits[0]).id == visits[0]
        assert isinstance(refused.value, AuditAppError)
    finally:
        for db in dbs:
            db.close()
    with sqlite3.connect(damaged.path) as raw:
        assert raw.execute("SELECT walk FROM visits WHERE id = ?", (visits[1],)).fetchone() == ('{"steps": [1, 2',)
    raw.close()
