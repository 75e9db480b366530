"""Engines share compiled statements: on one file, on two files; a damaged value still names its file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from auditapp import paths
from auditapp.db import statement_cache
from auditapp.db.engine import make_engine
from auditapp.db.models import VisitChecklist
from auditapp.errors import DatabaseCorruptError
from test_sync_support import device, seed_visit

QUERY = sa.select(VisitChecklist.__table__)


def _read(db_path: Path) -> tuple[object, list[object]]:
    engine = make_engine(db_path)
    try:
        with engine.connect() as conn:
            result = conn.execute(QUERY)
            rows = list(result)
            return result.context.compiled, rows
    finally:
        engine.dispose()


def test_a_new_engine_on_the_same_file_reuses_what_the_last_one_compiled(tmp_path: Path, fixture_library) -> None:  # type: ignore[no-untyped-def]
    a = device(tmp_path, "a")
    seed_visit(a, fixture_library)
    a.close()
    first, rows = _read(a.path)
    again, rows_again = _read(a.path)
    assert rows and rows_again == rows
    assert again is first  # not compiled a second time


def test_engines_on_two_files_share_what_one_compiled(tmp_path: Path, fixture_library) -> None:  # type: ignore[no-untyped-def]
    """Every SQLite file is opened alike (make_engine), so what one compiled the other uses —
    and reads its own rows with it."""
    a, b = device(tmp_path, "a"), device(tmp_path, "b")
    for db in (a, b):
        seed_visit(db, fixture_library)
        db.close()
    in_a, rows_a = _read(a.path)
    in_b, rows_b = _read(b.path)
    assert in_b is in_a
    assert rows_a and rows_b and {r.visit_id for r in rows_a}.isdisjoint({r.visit_id for r in rows_b})


def test_a_damaged_value_names_its_own_file_after_another_file_was_read(tmp_path: Path, fixture_library) -> None:  # type: ignore[no-untyped-def]
    """The JSON reader kept with a shared statement is one for every file: it names the file whose
    statement ran (read here through bare engines, as sync and the figures do)."""
    good, bad = device(tmp_path, "good"), device(tmp_path, "bad")
    for db in (good, bad):
        seed_visit(db, fixture_library)
        db.close()
    conn = sqlite3.connect(paths.database_path(bad.data_dir))
    conn.execute("UPDATE visit_checklists SET applicable_item_ids = '[1,'")
    conn.commit()
    conn.close()
    _read(good.path)
    with pytest.raises(DatabaseCorruptError) as info:
        _read(bad.path)
    assert str(bad.path) in str(info.value) and str(good.path) not in str(info.value)


def test_a_key_of_another_shape_is_kept_as_it_is() -> None:
    cache = statement_cache.for_database("somewhere")
    cache[("not", "a", "dialect")] = "compiled"
    assert cache.get(("not", "a", "dialect")) == "compiled"
    assert statement_cache.for_database("elsewhere").get(("not", "a", "dialect")) == "compiled"
    assert statement_cache.for_database("elsewhere").get(("something", "else")) is None
