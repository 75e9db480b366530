"""A photo file is never deleted because the open database does not know it.

Opening a data folder settles the journal of pending imports (auditapp.photos.journal):
only files this database recorded as half-imported may be removed; anything else that
is doubtful goes to quarantine; files the database does not know stay where they are.
Each scenario below once deleted every photo of the folder.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from auditapp import paths
from auditapp.db import open_database
from auditapp.db.backup import create_backup, restore_backup
from auditapp.db.engine import CREATING_SUFFIX
from auditapp.errors import BackupError, DatabaseCorruptError, PhotoError
from auditapp.photos import journal
from auditapp.photos.store import PhotoStore
from auditapp.services import photos
from hostile_support import jpeg_file, photo_files, run_cli, scenario, scenario_template  # noqa: F401

HOUR_AGO = time.time() - 2 * 3600


def _age_everything(data_dir: Path) -> None:
    """Make every file old, so no "may still be importing" grace period protects anything."""
    for path in (data_dir / "photos").rglob("*"):
        os.utime(path, (HOUR_AGO, HOUR_AGO))


def _open_twice(data_dir: Path) -> None:
    # The old cleanup ran from the second open on (the first one created the database).
    for _ in range(2):
        open_database(data_dir).close()


def test_a_missing_database_deletes_no_photo(scenario) -> None:  # type: ignore[no-untyped-def]
    data, _ids = scenario
    before = photo_files(data)
    assert len(before) == 8  # 4 photos, 4 thumbnails
    _age_everything(data)
    paths.database_path(data).unlink()
    _open_twice(data)
    assert photo_files(data) == before
    reopened = open_database(data)
    assert reopened.open_report.orphans_removed == 0
    assert reopened.open_report.unknown_photo_files == 8  # reported, left in place
    reopened.close()


def test_a_truncated_database_is_refused_and_changes_nothing(scenario) -> None:  # type: ignore[no-untyped-def]
    data, _ids = scenario
    before = photo_files(data)
    _age_everything(data)
    db_path = paths.database_path(data)
    db_path.write_bytes(b"")
    with pytest.raises(DatabaseCorruptError) as info:
        open_database(data)
    assert info.value.code == "database.empty_file"
    assert db_path.stat().st_size == 0 and photo_files(data) == before
    result = run_cli("--data-dir", str(data), "institution", "list")
    assert result.code == 1 and "is empty (0 bytes)" in result.err and "Traceback" not in result.err
    assert db_path.stat().st_size == 0 and photo_files(data) == before


def test_replacing_the_database_with_another_folders_deletes_no_photo(scenario, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data, _ids = scenario
    before = photo_files(data)
    other = tmp_path / "other"
    open_database(other).close()
    _age_everything(data)
    for suffix in ("", "-wal", "-shm"):
        Path(str(paths.database_path(data)) + suffix).unlink(missing_ok=True)
    shutil.copy2(paths.database_path(other), paths.database_path(data))
    _open_twice(data)
    assert photo_files(data) == before


def test_restoring_an_older_backup_and_going_back_keeps_every_photo(scenario, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    db = open_database(data)
    old_backup = create_backup(db.engine, data, reason="manual")
    newer = photos.add_photos(db, ids.visit_a2, [jpeg_file(tmp_path, 77)])
    db.close()
    before = photo_files(data)
    assert {f"{newer[0].sha256}.jpg", f"{newer[0].thumb_sha256}.jpg"} <= before
    _age_everything(data)
    safety = restore_backup(data, old_backup)
    _open_twice(data)  # the restored database does not know the newest photo
    assert photo_files(data) == before
    restore_backup(data, safety)  # and back
    db = open_database(data)
    assert photos.verify_photos(db) == []
    assert [p.id for p in photos.list_photos(db, ids.visit_a2)] == [newer[0].id]
    db.close()
    assert photo_files(data) == before


def test_a_crashed_import_is_cleaned_only_by_the_database_that_journalled_it(scenario, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    db = open_database(data)
    backup = create_backup(db.engine, data, reason="manual")
    # A crash after the files were placed and before the rows committed.
    monkeypatch.setattr(photos, "Photo", lambda **_kw: (_ for _ in ()).throw(SystemExit("killed")))
    with pytest.raises(SystemExit):
        photos.add_photos(db, ids.visit_a2, [jpeg_file(tmp_path, 91)])
    monkeypatch.undo()
    db.close()
    store = PhotoStore(paths.photos_dir(data))
    [pending] = list(journal.journal_dir(store).iterdir())
    leftovers = photo_files(data)
    _age_everything(data)
    # Another database was put in place meanwhile (an older backup copied over by hand):
    # it did not write that journal, so it may not delete what the journal lists.
    for suffix in ("-wal", "-shm"):
        Path(str(paths.database_path(data)) + suffix).unlink(missing_ok=True)
    current = tmp_path / "current.sqlite3"
    shutil.copy2(paths.database_path(data), current)
    conn = sqlite3.connect(paths.database_path(data))
    conn.execute("DELETE FROM change_log WHERE id = (SELECT id FROM change_log ORDER BY at DESC LIMIT 1)")
    conn.commit()
    conn.close()
    reopened = open_database(data)
    report = reopened.open_report
    reopened.close()
    assert report.orphans_removed == 0 and report.photos_quarantined == 2
    assert report.quarantine_dir is not None and report.quarantine_dir.is_relative_to(data / "quarantine")
    assert photo_files(data) == leftovers  # moved to quarantine, not deleted
    assert not pending.exists()
    del backup


def test_a_crashed_import_of_this_database_is_removed(scenario, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    db = open_database(data)
    before = photo_files(data)
    monkeypatch.setattr(photos, "Photo", lambda **_kw: (_ for _ in ()).throw(SystemExit("killed")))
    with pytest.raises(SystemExit):
        photos.add_photos(db, ids.visit_a2, [jpeg_file(tmp_path, 92)])
    monkeypatch.undo()
    db.close()
    assert len(photo_files(data)) == len(before) + 2
    reopened = open_database(data)  # young: an import may still be running elsewhere
    assert reopened.open_report.orphans_removed == 0
    reopened.close()
    _age_everything(data)
    reopened = open_database(data)
    assert reopened.open_report.orphans_removed == 2 and reopened.open_report.photos_quarantined == 0
    reopened.close()
    assert photo_files(data) == before


def test_a_failed_import_removes_only_what_it_created(scenario, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    db = open_database(data)
    before = photo_files(data)
    existing = jpeg_file(tmp_path, 1)  # the same picture as a photo already stored
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 50)
    with pytest.raises(PhotoError):
        photos.add_photos(db, ids.visit_a2, [existing, jpeg_file(tmp_path, 93), bad])
    db.close()
    assert photo_files(data) == before
    assert not list(journal.journal_dir(PhotoStore(paths.photos_dir(data))).glob("*"))


def test_stale_temporary_files_go_to_quarantine(scenario) -> None:  # type: ignore[no-untyped-def]
    data, _ids = scenario
    tmp = paths.photos_dir(data) / "ab" / ".tmp-crashed"
    tmp.parent.mkdir(exist_ok=True)
    tmp.write_bytes(b"half a photo")
    _age_everything(data)
    db = open_database(data)
    report = db.open_report
    db.close()
    assert report.photos_quarantined == 1 and not tmp.exists()
    assert report.quarantine_dir is not None
    assert (report.quarantine_dir / "ab" / ".tmp-crashed").read_bytes() == b"half a photo"


def test_restore_first_learns_which_journalled_imports_committed(scenario, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A crash after the commit but before the journal was removed, then a restore of an
    older backup: the restored database cannot tell, the replaced one can."""
    data, ids = scenario
    db = open_database(data)
    old = create_backup(db.engine, data, reason="manual")
    [photo] = photos.add_photos(db, ids.visit_a2, [jpeg_file(tmp_path, 94)])
    db.close()
    store = PhotoStore(paths.photos_dir(data))
    stale = journal.journal_dir(store) / "left-after-commit.journal"
    stale.parent.mkdir(exist_ok=True)
    from auditapp.db.photo_files import db_lineage

    db = open_database(data)
    header = db_lineage(db)
    db.close()
    stale.write_text(
        f'{{"device_id": "{header.device_id}", "log_mark": null}}\n{photo.sha256}\n{photo.thumb_sha256}\n', encoding="utf-8"
    )
    _age_everything(data)
    restore_backup(data, old)
    _open_twice(data)
    assert {f"{photo.sha256}.jpg", f"{photo.thumb_sha256}.jpg"} <= photo_files(data)


def test_a_backup_written_by_a_newer_version_is_refused(scenario, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data, _ids = scenario
    db = open_database(data)
    backup = create_backup(db.engine, data, reason="manual")
    db.close()
    newer = tmp_path / "audit-newer.sqlite3"
    shutil.copy2(backup, newer)
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    current = paths.database_path(data).read_bytes()
    with pytest.raises(BackupError) as info:
        restore_backup(data, newer)
    assert info.value.code == "backup.too_new" and "9999_future" in str(info.value)
    result = run_cli("--data-dir", str(data), "backup", "restore", str(newer))
    assert result.code == 1 and "newer version" in result.err and "Traceback" not in result.err
    assert paths.database_path(data).read_bytes() == current


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", "backup.empty"), (b"not a database at all", "backup.not_sqlite"), (b"SQLite format 3\x00" + b"\x00" * 80, "backup.damaged")],
)
def test_a_broken_backup_is_refused(scenario, tmp_path: Path, content: bytes, code: str) -> None:  # type: ignore[no-untyped-def]
    data, _ids = scenario
    bad = tmp_path / "audit-bad.sqlite3"
    bad.write_bytes(content)
    current = paths.database_path(data).read_bytes()
    with pytest.raises(BackupError) as info:
        restore_backup(data, bad)
    assert info.value.code == code, str(info.value)
    assert paths.database_path(data).read_bytes() == current


def test_a_new_database_is_built_whole_before_it_takes_its_name(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A crash while the schema is written leaves no empty audit.sqlite3 (which would be refused)."""
    from auditapp.db import migrate

    data = tmp_path / "data"

    def crash(engine, *_a: object, **_k: object) -> None:  # type: ignore[no-untyped-def]
        with engine.begin() as conn:  # half a schema written
            conn.exec_driver_sql("CREATE TABLE half (x INTEGER)")
        raise SystemExit("killed while migrating")

    monkeypatch.setattr(migrate, "upgrade", crash)
    with pytest.raises(SystemExit):
        open_database(data)
    monkeypatch.undo()
    assert not paths.database_path(data).exists()
    assert (data / (paths.DATABASE_FILENAME + CREATING_SUFFIX)).exists()
    db = open_database(data)  # the leftover is rebuilt
    assert db.open_report.created
    db.close()
    assert not (data / (paths.DATABASE_FILENAME + CREATING_SUFFIX)).exists()
