"""Edits in one transaction, used by the demo data: rectification edits
(``rectifications.update_rectifications``) and answers (``visits.answer_items``).

Each batch runs every edit through the one rule its single-edit call uses, in order, all
or none; the demo data made with them equals the demo data made one call (one
transaction) at a time — every table's rows, the change log's entries included, apart
from timestamps (the batches read what they need once and must not change what is
written, nor the steps the change log records it in).
"""

from __future__ import annotations

import itertools
import json
import re
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest

from auditapp.db import open_database
from auditapp.errors import TransitionError
from auditapp.services import rectifications, visits
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


_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(\+00:00)?")


def _content(db) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Every table's rows (sorted), timestamps and the data folder's path blanked."""
    folder = str(db.data_dir)
    out: dict[str, list[str]] = {}
    with db.engine.connect() as conn:
        tables = [row[0] for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            result = conn.exec_driver_sql(f'SELECT * FROM "{table}"')
            rows = [
                {k: _TIMESTAMP.sub("<at>", v.replace(folder, "<folder>")) if isinstance(v, str) else v
                 for k, v in row._mapping.items()}
                for row in result
            ]
            out[table] = sorted(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) for r in rows)
    return out


def _numbered_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids by creation order (uuid4 → 1, 2, …), so two builds that create the same records
    in the same order give them the same ids and their rows can be compared whole."""
    counter = itertools.count(1)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(counter)))


@pytest.mark.timeout(600)
def test_demo_data_in_batches_equals_one_call_at_a_time(tmp_path: Path, fixture_library, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    today = date(2026, 11, 20)
    batched_folder, single_folder = new_data_folder(tmp_path / "batched"), new_data_folder(tmp_path / "single")
    _numbered_ids(monkeypatch)
    batched = open_database(batched_folder, backup=False)
    calls: list[int] = []
    real = rectifications.update_rectifications

    def counting(db, updates, **kw):  # type: ignore[no-untyped-def]
        calls.append(len(updates))
        return real(db, updates, **kw)

    monkeypatch.setattr(rectifications, "update_rectifications", counting)
    answered: list[int] = []
    real_answers = visits.answer_items

    def counting_answers(db, visit_ref, answers, **kw):  # type: ignore[no-untyped-def]
        answered.append(len(answers))
        return real_answers(db, visit_ref, answers, **kw)

    monkeypatch.setattr(visits, "answer_items", counting_answers)
    try:
        create_demo_data(batched, library=fixture_library, today=today)
        got = _counts(batched)
        got_rows = _content(batched)
    finally:
        batched.close()
    assert calls and max(calls) > 1  # batches, one per visit
    assert answered and max(answered) > 1

    def one_at_a_time(db, updates, **kw):  # type: ignore[no-untyped-def]
        return [real(db, [u], **kw)[0] for u in updates]

    def answers_one_at_a_time(db, visit_ref, answers, **kw):  # type: ignore[no-untyped-def]
        for a in answers:
            visits.answer_item(db, visit_ref, a.item_id, result=a.result, value=a.value, note=a.note,
                               severity=a.severity, department=a.department, **kw)
        return len(answers)

    monkeypatch.setattr(rectifications, "update_rectifications", one_at_a_time)
    monkeypatch.setattr(visits, "answer_items", answers_one_at_a_time)
    _numbered_ids(monkeypatch)
    single = open_database(single_folder, backup=False)
    try:
        create_demo_data(single, library=fixture_library, today=today)
        expected = _counts(single)
        expected_rows = _content(single)
    finally:
        single.close()
    assert got == expected
    assert len(got_rows["change_log"]) > 100 and got_rows["findings"] and got_rows["rectification_events"]
    assert {t: len(r) for t, r in got_rows.items()} == {t: len(r) for t, r in expected_rows.items()}
    for table in expected_rows:  # one table at a time, so a failure names the table
        assert got_rows[table] == expected_rows[table], table
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
