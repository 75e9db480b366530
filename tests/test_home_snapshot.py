"""The home screen's snapshot (ui/home_snapshot.py): shown at start-up only when it is the truth.

Written when the window closes, stamped after the database is closed, read back by the
next start. Any change to the database since (by the command line, by another process,
by a raw SQLite write, by a restored backup), or another day, language, data folder,
app version or schema, and it is not used; a damaged or hostile file is ignored
silently. The quick settings read (auditapp/settings_file.py) keeps the model's rules.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import typing
from datetime import date, timedelta
from pathlib import Path

import pytest

from auditapp import paths
from auditapp.db import open_database
from auditapp.services import institutions, visits
from auditapp.settings import Settings, save_settings
from auditapp.settings_file import (
    MODES,
    PHOTO_MAX_SIDE_MAX,
    PHOTO_MAX_SIDE_MIN,
    QUICK_FIELDS,
    QuickSettings,
    quick_settings,
)
from cli_support import run_main
from conftest import drain_background_work
from ui import home_snapshot
from ui.app import create_application, keep_home_snapshot, snapshot_context, usable_snapshot
from ui.main_window import MainWindow
from ui.table_models import InstitutionTableModel, VisitTableModel


def _shown_window(qtbot, folder: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    """The window on ``folder``'s database, shown, its panels' background reads done (as a user closes it)."""
    create_application()
    window = MainWindow(open_database(folder, actor="tester"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(10)  # the panels start their reads on the first turn
    drain_background_work()
    return window


def _services_rows(data_dir: Path) -> home_snapshot.HomeSnapshot:
    """What the services list now, rendered by the table models (the first institution selected)."""
    db = open_database(data_dir, actor="tester")
    try:
        insts = institutions.list_institutions(db)
        inst_model, visit_model = InstitutionTableModel(), VisitTableModel()
        inst_model.set_rows(insts)
        visit_model.set_rows(visits.list_visits(db, institution=insts[0].id))
        return home_snapshot.HomeSnapshot(tuple(inst_model.rendered()), insts[0].id, tuple(visit_model.rendered()))
    finally:
        db.close()


@pytest.fixture
def written(qtbot, demo_data_dir: Path) -> Path:  # type: ignore[no-untyped-def]
    """A demo folder whose window was shown and closed: the snapshot is on disk."""
    window = _shown_window(qtbot, demo_data_dir)
    keep_home_snapshot(window)  # closes its database
    assert home_snapshot.snapshot_path(demo_data_dir).is_file()
    return demo_data_dir


def test_the_snapshot_read_back_equals_the_services_rows(written: Path) -> None:
    shown = usable_snapshot(written)
    assert shown is not None
    assert dataclasses.replace(shown, banner=None) == _services_rows(written)
    assert shown.banner and "yubei-2023" in shown.banner  # the duty banner's text as it was shown
    assert len(shown.institutions) == 2 and len(shown.visits) == 3
    assert all(len(r.cells) == len(InstitutionTableModel.headers) for r in shown.institutions)


def test_opening_and_closing_the_database_keeps_it_valid(written: Path) -> None:
    """Opening writes nothing when nothing needs writing (else every start would be cold)."""
    for _ in range(2):
        open_database(written, actor="someone else").close()
    assert usable_snapshot(written) is not None


def test_the_home_rows_are_read_again_when_the_database_changed_after_the_last_refresh(qtbot, demo_data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """A visit edited in the runner after the home screen was filled: the snapshot shows the edit."""
    window = _shown_window(qtbot, demo_data_dir)
    first = window.institution_model.row_at(0)
    institutions.update_institution(window.db, first.id, name="改过的名字")  # not through the window: no refresh
    assert not window.home_is_current()
    keep_home_snapshot(window)
    shown = usable_snapshot(demo_data_dir)
    assert shown is not None and shown == _services_rows(demo_data_dir)
    assert shown.banner is None  # not read again at close: not kept (the window shows none until its read)
    assert "改过的名字" in [r.cells[0] for r in shown.institutions]


def _cli_edit(folder: Path) -> None:
    """The command line's edit, run in this process (a child process writing is the "another-process" case)."""
    out = run_main(folder, "institution", "edit", "示例市中医院（示例）", "--region", "江苏省淮安市")
    assert out.returncode == 0, out.stderr


def _raw_write(folder: Path) -> None:
    conn = sqlite3.connect(paths.database_path(folder))
    conn.execute("UPDATE institutions SET name = name || '!'")
    conn.commit()
    conn.close()


def _raw_write_keeping_mtime(folder: Path) -> None:
    """Same size, mtime put back: only the ctime (and the header) tells."""
    db_path = paths.database_path(folder)
    before = os.stat(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE institutions SET region = region")
    conn.commit()
    conn.close()
    os.utime(db_path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _other_process_writes(folder: Path) -> None:
    code = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "c.execute(\"UPDATE visits SET inspector = 'x'\")\n"
        "c.commit(); c.close()\n"
    )
    subprocess.run([sys.executable, "-c", code, str(paths.database_path(folder))], check=True, timeout=60)


def _held_open_elsewhere(folder: Path) -> None:
    """Another connection has it open (a command still running): its -wal is there."""
    conn = sqlite3.connect(paths.database_path(folder))
    conn.execute("SELECT count(*) FROM institutions").fetchone()
    _held_open_elsewhere.conn = conn  # type: ignore[attr-defined]  # closed by the test's end


def _restored_backup(folder: Path) -> None:
    """The same bytes and mtime put back by a restore (copy2 + replace): another inode."""
    db_path = paths.database_path(folder)
    copy = db_path.with_name("restore.tmp")
    shutil.copy2(db_path, copy)
    os.replace(copy, db_path)


@pytest.mark.parametrize(
    "change",
    [_cli_edit, _raw_write, _raw_write_keeping_mtime, _other_process_writes, _held_open_elsewhere, _restored_backup],
    ids=["cli", "raw-sqlite", "raw-sqlite-same-mtime", "another-process", "held-open", "restored-backup"],
)
def test_a_database_changed_after_the_snapshot_is_never_shown_from_it(written: Path, change) -> None:  # type: ignore[no-untyped-def]
    assert usable_snapshot(written) is not None  # the control: it was usable before the change
    change(written)
    try:
        assert usable_snapshot(written) is None
    finally:
        conn = getattr(_held_open_elsewhere, "conn", None)
        if conn is not None:
            conn.close()
            del _held_open_elsewhere.conn  # type: ignore[attr-defined]


def _read(folder: Path, **context: str) -> home_snapshot.HomeSnapshot | None:
    base = snapshot_context(folder)
    ctx = home_snapshot.Context(**{**base.__dict__, **context})
    return home_snapshot.read_snapshot(
        folder, ctx, institution_columns=len(InstitutionTableModel.headers), visit_columns=len(VisitTableModel.headers)
    )


def test_another_day_language_version_or_schema_is_not_shown(written_shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _read(written_shared) is not None
    assert _read(written_shared, day=(date.today() + timedelta(days=1)).isoformat()) is None
    other = "en" if snapshot_context(written_shared).language != "en" else "zh_CN"
    assert _read(written_shared, language=other) is None
    assert _read(written_shared, app_version="9.9.9") is None
    assert _read(written_shared, schema=home_snapshot.schema_files() + ",0010_new.py") is None
    from auditapp.language import set_language

    set_language(other)  # the window's language as the next start sets it
    assert usable_snapshot(written_shared) is None


def test_another_data_folder_is_not_shown_the_snapshot(written: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copied-folder"
    shutil.copytree(written, copy)
    assert usable_snapshot(copy) is None
    moved = tmp_path / "moved-folder"
    os.rename(written, moved)
    assert usable_snapshot(moved) is None


def _valid_body(folder: Path) -> dict[str, typing.Any]:
    return dict(json.loads(home_snapshot.snapshot_path(folder).read_text(encoding="utf-8")))


def _hostile(folder: Path, kind: str) -> None:
    path = home_snapshot.snapshot_path(folder)
    body = _valid_body(folder)
    text = path.read_text(encoding="utf-8")
    if kind == "truncated":
        path.write_text(text[: len(text) // 2], encoding="utf-8")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(b"\xff\xfe\x00garbage" * 100)
    elif kind == "huge":
        body["institutions"] = body["institutions"] * 20_000
        path.write_text(json.dumps(body), encoding="utf-8")
    elif kind == "deep":
        path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    elif kind == "not-an-object":
        path.write_text(json.dumps([body]), encoding="utf-8")
    elif kind == "cells-not-strings":
        body["institutions"][0]["cells"] = [1, 2, 3, 4, 5, 6]
        path.write_text(json.dumps(body), encoding="utf-8")
    elif kind == "wrong-column-count":
        body["visits"][0]["cells"] = body["visits"][0]["cells"][:-1]
        path.write_text(json.dumps(body), encoding="utf-8")
    elif kind == "id-not-a-string":
        body["visits"][0]["id"] = {"$ne": 1}
        path.write_text(json.dumps(body), encoding="utf-8")
    elif kind == "selected-unknown":
        body["selected_institution"] = "no-such-id"
        path.write_text(json.dumps(body), encoding="utf-8")
    elif kind == "rows-a-dict":
        body["institutions"] = {"a": 1}
        path.write_text(json.dumps(body), encoding="utf-8")
    elif kind == "missing-key":
        del body["visits"]
        path.write_text(json.dumps(body), encoding="utf-8")
    elif kind == "extra-row-key":
        body["visits"][0]["html"] = "<img src=x>"
        path.write_text(json.dumps(body), encoding="utf-8")
    elif kind == "stamp-forged":
        body["stamp"] = [0]
        path.write_text(json.dumps(body), encoding="utf-8")
    elif kind == "banner-not-a-string":
        body["banner"] = ["<b>x</b>"]
        path.write_text(json.dumps(body), encoding="utf-8")
    elif kind == "a-folder":
        path.unlink()
        path.mkdir()
    else:  # pragma: no cover
        raise AssertionError(kind)


HOSTILE = [
    "truncated", "empty", "binary", "huge", "deep", "not-an-object", "cells-not-strings", "wrong-column-count",
    "id-not-a-string", "selected-unknown", "rows-a-dict", "missing-key", "extra-row-key", "stamp-forged", "banner-not-a-string", "a-folder",
]


@pytest.fixture(scope="module")
def _written_once() -> dict[str, tuple[Path, bytes, str]]:
    return {}


@pytest.fixture
def written_shared(qtbot, demo_template: Path, tmp_path_factory: pytest.TempPathFactory, _written_once) -> Path:  # type: ignore[no-untyped-def]
    """``written``, made once per module for the tests that change nothing but the snapshot file.

    Showing and closing the window on a fresh copy of the demo data is most of such a test's
    time; the folder cannot be copied instead (the snapshot is bound to the folder it was
    written in), so each test gets the same folder with the valid snapshot put back — and
    checked usable, as the first test found it. The language is the one the window set (its
    translator's), as in a test that showed the window itself.
    """
    from auditapp.language import current_language, set_language

    if "folder" not in _written_once:
        folder = tmp_path_factory.mktemp("written-shared") / "demo-data"
        shutil.copytree(demo_template, folder, ignore=shutil.ignore_patterns("backups"))
        keep_home_snapshot(_shown_window(qtbot, folder))  # closes its database
        _written_once["folder"] = (folder, home_snapshot.snapshot_path(folder).read_bytes(), current_language())
    folder, body, language = _written_once["folder"]
    set_language(language)  # as the window left it; the next test's autouse fixture resets it
    path = home_snapshot.snapshot_path(folder)
    if path.is_dir():
        path.rmdir()
    path.write_bytes(body)
    assert usable_snapshot(folder) is not None
    return folder


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_damaged_or_hostile_snapshot_is_ignored(written_shared: Path, kind: str) -> None:
    _hostile(written_shared, kind)
    assert usable_snapshot(written_shared) is None


def test_the_snapshot_is_written_atomically_and_leaves_no_temporary_file(written: Path) -> None:
    assert sorted(p.name for p in home_snapshot.snapshot_path(written).parent.iterdir()) == [home_snapshot.FILENAME]


def test_no_snapshot_is_kept_when_the_database_is_not_at_rest(qtbot, demo_data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Another connection still open at close (its -wal stays): the old snapshot goes, none is written."""
    window = _shown_window(qtbot, demo_data_dir)
    other = sqlite3.connect(paths.database_path(demo_data_dir))
    try:
        other.execute("SELECT 1 FROM institutions").fetchone()
        keep_home_snapshot(window)
    finally:
        other.close()
    assert not home_snapshot.snapshot_path(demo_data_dir).exists()


# -- the quick settings read keeps the model's rules --------------------------------


def test_the_quick_read_knows_the_models_fields_choices_and_bounds() -> None:
    fields = Settings.model_fields
    assert tuple(fields) == QUICK_FIELDS
    assert typing.get_args(fields["language"].annotation) == ("zh_CN", "en")
    from auditapp.language import LANGUAGES

    assert typing.get_args(fields["language"].annotation) == LANGUAGES
    assert typing.get_args(fields["default_mode"].annotation) == MODES
    bounds = {type(m).__name__: m for m in fields["photo_max_side"].metadata}
    assert (bounds["Ge"].ge, bounds["Le"].le) == (PHOTO_MAX_SIDE_MIN, PHOTO_MAX_SIDE_MAX)


def test_the_quick_read_takes_what_save_settings_writes(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert quick_settings(path) == QuickSettings()  # no file: the defaults
    save_settings(Settings(language="en", inspector="张三", data_dir=str(tmp_path / "d"), photo_max_side=1024), path)
    assert quick_settings(path) == QuickSettings(language="en", data_dir=str(tmp_path / "d"))


@pytest.mark.parametrize(
    "content",
    [
        '{"language": "fr"}',
        '{"photo_max_side": "2048"}',  # the model coerces it: let it decide
        '{"photo_max_side": 5}',
        '{"photo_max_side": true}',
        '{"inspector": 3}',
        '{"data_dir": ["a"]}',
        '{"default_mode": "other"}',
        '["zh_CN"]',
        '{"language": "en"',
        "\xff",
    ],
)
def test_an_unusual_settings_file_goes_to_the_validated_load(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8", errors="surrogateescape")
    assert quick_settings(path) is None


@pytest.mark.parametrize(
    "raw",
    [{}, {"language": "en"}, {"language": "zh_CN", "data_dir": None, "unknown": 1}, {"photo_max_side": 800, "inspector": ""}],
)
def test_what_the_quick_read_takes_the_model_takes_alike(tmp_path: Path, raw: dict[str, object]) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    quick = quick_settings(path)
    full = Settings.model_validate(raw)
    assert quick == QuickSettings(language=full.language, data_dir=full.data_dir)
