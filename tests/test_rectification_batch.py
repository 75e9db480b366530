"""Rectification edits in one transaction (``rectifications.update_rectifications``), used by the demo data.

The batch runs every edit through the one rule ``update_rectification`` uses, in order,
all or none; the demo data made with it equals the demo data made one call (one
transaction) at a time.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from auditapp.db import open_database
from auditapp.errors import TransitionError
from auditapp.services import rectifications
from auditapp.services.demo import create_demo_data
from auditapp.services.rectifications import RectificationUpdate
from test_dashboard import TODAY
from test_sync_support import new_data_folder
from world_support import world_db_fixture, world_fixture, world_parts_fixture, world_template_fixture  # noqa: F401 (fixtures)


@pytest.fixture
def db(world_db):  # type: ignore[no-untyped-def]
    """The test's database, holding test_dashboard's world: a copy of it built once (tests/world_support.py)."""
    return world_db

_COUNTS = {
    "rectifications by status": "SELECT status, count(*) FROM rectifications GROUP BY status ORDER BY status",
    "events by step": "SELECT coalesce(status_from, ''), status_to, action, note, count(*) FROM rectification_events"
                      " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    "fields": "SELECT owner, deadline, measures, rounds, count(*) FROM rectifications GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    "findings": "SELECT severity, department_id IS NULL, count(*) FROM findings GROUP BY 1, 2 ORDER BY 1, 2",
    "answers": "SELECT result, count(*) FROM answers GROUP BY 1 ORDER BY 1",
}


def _counts(db) -> dict[str, list[tuple[object, ...]]]:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        return {name: [tuple(r) for r in conn.exec_driver_sql(sql)] for name, sql in _COUNTS.items()}


@pytest.mark.timeout(600)
def test_demo_data_in_batches_equals_one_call_at_a_time(tmp_path: Path, fixture_library, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    today = date(2026, 11, 20)
    batched = open_database(new_data_folder(tmp_path / "batched"), backup=False)
    calls: list[int] = []
    real = rectifications.update_rectifications

    def counting(db, updates, **kw):  # type: ignore[no-untyped-def]
        calls.append(len(updates))
        return real(db, updates, **kw)

    monkeypatch.setattr(rectifications, "update_rectifications", counting)
    try:
        create_demo_data(batched, library=fixture_library, today=today)
        got = _counts(batched)
    finally:
        batched.close()
    assert calls and max(calls) > 1  # batches, one per visit

    def one_at_a_time(db, updates, **kw):  # type: ignore[no-untyped-def]
        return [real(db, [u], **kw)[0] for u in updates]

    monkeypatch.setattr(rectifications, "update_rectifications", one_at_a_time)
    single = open_database(new_data_folder(tmp_path / "single"), backup=False)
    try:
        create_demo_data(single, library=fixture_library, today=today)
        expected = _counts(single)
    finally:
        single.close()
    assert got == expected
    # The demo walks rectifications through the lifecycle: the comparison covers every step.
    assert {"verified", "in_progress", "open"} <= {row[0] for row in got["rectifications by status"]}
    assert {"in_progress", "reported_fixed", "verified"} <= {row[1] for row in got["events by step"]}


def test_a_refused_edit_in_a_batch_changes_nothing(db, world) -> None:  # type: ignore[no-untyped-def]
    rows = rectifications.list_rectifications(db, today=TODAY)
    first, second = rows[0].finding.id, rows[1].finding.id
    before = _counts(db)
    with pytest.raises(TransitionError):
        rectifications.update_rectifications(db, [
            RectificationUpdate(first, owner="张主任", deadline=TODAY + timedelta(days=7), status="in_progress"),
            RectificationUpdate(second, status="verified"),  # open -> verified skips the report: refused
        ])
    assert _counts(db) == before
    # The same edits that the rule allows go through in order: start, then report.
    infos = rectifications.update_rectifications(db, [
        RectificationUpdate(first, owner="张主任", status="in_progress"),
        RectificationUpdate(first, measures="更换扶手", status="reported_fixed", note="已整改"),
    ])
    assert [i.status for i in infos] == ["in_progress", "reported_fixed"]
    assert rectifications.list_rectifications(db, today=TODAY)[0].rectification.owner == "张主任"
