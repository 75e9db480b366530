"""The per-visit × section answer sums the dashboard keeps (auditapp.stats.sections, migration 0009).

Every figure computed from the cache must equal the same figure computed from the
answers directly (the temporary-table path PostgreSQL uses), after every way an answer
can change: the services (answer, clear, amend, trash and restore), rows written below
the ORM (as sync and purge write them), a package import over existing rows, a new item
→ section mapping, and a write that lands between the refresh and the read.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from auditapp.db import open_database
from auditapp.services import institutions, trash, visits
from auditapp.stats import sections
from auditapp.stats.figures import Dashboard, compute_dashboard
from auditapp.stats.scope import Scope
from test_dashboard import BASICS, TODAY, _answer
from test_sync_support import new_data_folder
from world_support import world_db_fixture, world_fixture, world_parts_fixture, world_template_fixture  # noqa: F401 (fixtures)


@pytest.fixture
def db(world_db):  # type: ignore[no-untyped-def]
    """The test's database, holding test_dashboard's world: a copy of it built once (tests/world_support.py)."""
    return world_db


def _compute(db, scope: Scope | None = None) -> Dashboard:  # type: ignore[no-untyped-def]
    return compute_dashboard(db, scope or Scope(), today=TODAY, language="zh_CN", by_institution=True)


def _direct(db, monkeypatch: pytest.MonkeyPatch, scope: Scope | None = None) -> Dashboard:  # type: ignore[no-untyped-def]
    with monkeypatch.context() as m:
        m.setattr(sections, "_cache_usable", lambda conn: False)
        return _compute(db, scope)


def _check(db, monkeypatch: pytest.MonkeyPatch) -> Dashboard:  # type: ignore[no-untyped-def]
    """Cached figures equal direct ones, for all visits and a dated scope with a previous period."""
    for scope in (Scope(), Scope(date_from=date(2026, 2, 1), date_to=date(2026, 3, 31))):
        cached = _compute(db, scope)
        assert _state_count(db) > 0  # the figures came from the cache
        assert cached == _direct(db, monkeypatch, scope)
    return _compute(db)


def _state_count(db) -> int:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM stats_visit_state").scalar_one())


def test_cache_is_filled_once_and_matches_the_answers(db, world, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    assert _state_count(db) == 0
    first = _check(db, monkeypatch)
    assert _state_count(db) == 5  # every visit, cached
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT section_key, conform, nonconform, answered FROM stats_visit_sections WHERE visit_id = ?"
            " ORDER BY section_key", (world["v"][0].id,)
        ).all()
    # V1: floor NC, aed C (entrance); clean NC, grab C (toilets); wait C (waiting, a measured value).
    assert [tuple(r) for r in rows] == [
        ("basics/entrance", 1, 1, 2), ("basics/toilets", 1, 1, 2), ("basics/waiting", 1, 0, 1),
    ]
    calls: list[int] = []
    monkeypatch.setattr(sections, "_refresh", lambda *a: calls.append(1))
    assert _compute(db) == first and calls == []  # nothing changed: nothing recomputed


def test_every_way_an_answer_changes_reaches_the_figures(db, world, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    v1, _v2, v3 = world["v"]
    before = _check(db, monkeypatch)
    seen = [before]

    def changed() -> None:
        now = _check(db, monkeypatch)
        assert now != seen[-1], "the change did not reach the figures"
        seen.append(now)

    _answer(db, v3.id, BASICS[1], "conform")  # the GUI / CLI path
    changed()
    visits.clear_answer(db, v3.id, BASICS[1])  # undo: a tombstone
    changed()
    visits.finalize_visit(db, v1.id)
    visits.begin_amendment(db, v1.id, "复核更正")
    visits.answer_item(db, v1.id, BASICS[0], result="conform", amend=True, reason="复核更正")
    changed()
    trash.delete_visit(db, v1.id)
    changed()
    trash.restore(db, v1.id)
    changed()
    # Below the ORM, as sync applies and the purge deletes rows.
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE answers SET result = 'nonconform', severity = 'critical' WHERE visit_id = ? AND item_id = ?",
            (v1.id, BASICS[3]),
        )
    changed()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM answers WHERE visit_id = ? AND item_id = ?", (v1.id, BASICS[3]))
    changed()
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO answers (id, visit_id, item_id, checklist_id, result, value, note, severity, created_at,"
            " updated_at, device_id) VALUES ('a-new', ?, ?, 'basics', 'nonconform', '', '', 'major',"
            " '2026-03-01 00:00:00', '2026-03-01 00:00:00', 'other')",
            (v3.id, BASICS[2]),
        )
    changed()


def test_a_package_import_over_cached_rows_reaches_the_figures(db, world, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from auditapp.sync.api import export_package, import_package

    other = open_database(new_data_folder(tmp_path / "other"), backup=False)
    try:
        export_package(db, tmp_path / "one.auditpkg")
        import_package(other, tmp_path / "one.auditpkg")
        before = _check(other, monkeypatch)
        assert _state_count(other) == 5
        _answer(db, world["v"][1].id, BASICS[1], "conform")  # aed of V2: NC -> C
        export_package(db, tmp_path / "two.auditpkg")
        import_package(other, tmp_path / "two.auditpkg")
        after = _check(other, monkeypatch)
        assert after != before
        assert after == _compute(db)
    finally:
        other.close()


def test_a_new_section_mapping_recomputes_every_visit(db, world, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from auditapp.stats.items import item_labels

    _check(db, monkeypatch)
    with db.engine.connect() as conn:
        labels = item_labels(conn)
        moved = dict(labels)
        moved[BASICS[0]] = replace(labels[BASICS[0]], section_id="moved")
        assert sections.rules_key(moved) != sections.rules_key(labels)
        sections.section_sums(conn, sa.MetaData(), moved, [sa.true()])
        conn.rollback()
        keys = set(conn.exec_driver_sql("SELECT DISTINCT rules_key FROM stats_visit_state").scalars())
        moved_rows = conn.exec_driver_sql(
            "SELECT nonconform FROM stats_visit_sections WHERE visit_id = ? AND section_key = 'basics/moved'",
            (world["v"][0].id,),
        ).scalars().all()
    assert keys == {sections.rules_key(moved)}
    assert moved_rows == [1]  # V1's floor-plan nonconformity, now in its new section
    _check(db, monkeypatch)  # and back with the real mapping


def test_a_write_between_refresh_and_read_is_refreshed_too(db, world, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    real = sections._refresh
    wrote: list[int] = []

    def refresh_then_someone_writes(*args):  # type: ignore[no-untyped-def]
        real(*args)
        if not wrote:
            wrote.append(1)
            with db.engine.begin() as conn:  # another connection, after our commit
                conn.exec_driver_sql(
                    "UPDATE answers SET result = 'conform' WHERE visit_id = ? AND item_id = ?",
                    (world["v"][0].id, BASICS[0]),
                )

    monkeypatch.setattr(sections, "_refresh", refresh_then_someone_writes)
    cached = _compute(db)
    monkeypatch.setattr(sections, "_refresh", real)
    assert wrote and cached == _direct(db, monkeypatch)
    v1 = next(v for v in cached.visits if v.id == world["v"][0].id)
    assert (v1.score.conform, v1.score.nonconform) == (4, 1)


def test_a_database_of_0008_upgrades_keeping_every_row(data_dir: Path, fixture_library, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    old = open_database(data_dir, migrate_to="0008", backup=False)
    inst = institutions.add_institution(old, name="老医院", kind="general", level=2)
    visit = visits.start_visit(old, institution=inst.id, inspector="院长", visit_date=date(2026, 2, 1), library=fixture_library)
    for item, result in zip(BASICS, ["nonconform", "conform", "conform", "na", "conform"], strict=True):
        _answer(old, visit.id, item, result)
    with old.engine.connect() as conn:
        tables = [t for t in sa.inspect(conn).get_table_names() if t != "alembic_version"]
        counts = {t: conn.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar() for t in tables}
        dumped = conn.exec_driver_sql("SELECT * FROM answers ORDER BY id").all()
        assert "stats_visit_state" not in tables
    old.close()

    new = open_database(data_dir, backup=False)
    try:
        with new.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0009"
            assert {t: conn.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar() for t in tables} == counts
            assert conn.exec_driver_sql("SELECT * FROM answers ORDER BY id").all() == dumped
            triggers = set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars())
        assert set(sections.TRIGGERS) <= triggers
        figures = _compute(new)
        assert figures == _direct(new, monkeypatch)
        assert (figures.visits[0].score.conform, figures.visits[0].score.nonconform) == (3, 1)
    finally:
        new.close()
