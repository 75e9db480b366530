"""The merge engine: devices editing, deleting and finalizing in overlapping sessions converge.

Every scenario checks the same four things the issue asks for: newer wins with a
deterministic tie-break, deletions propagate and do not come back, a finalized visit
keeps its answers, and genuine conflicts are recorded with both values - never lost.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from auditapp.db import open_database
from auditapp.db.models import Answer, ChecklistSnapshot, Department, Finding, SyncConflict, Visit
from auditapp.services import leaders, photos, visits
from auditapp.sync import list_conflicts, resolve_conflict
from auditapp.sync.tables import content_hash, version_key
from test_sync_support import (
    assert_same,
    device,
    direct_sync,
    dump,
    jpeg_file,
    new_sqlite_peer,
    package_sync,
    seed_visit,
)


def _answer(db, visit_id: str, item: str) -> Answer | None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return s.scalar(sa.select(Answer).where(Answer.visit_id == visit_id, Answer.item_id == item))


def _conflicts(db) -> list[SyncConflict]:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return list(s.scalars(sa.select(SyncConflict)))


def test_two_devices_edit_the_same_answer_conflict_recorded_both_ways_equal(tmp_path: Path, fixture_library) -> None:  # type: ignore[no-untyped-def]
    a, b = device(tmp_path, "a"), device(tmp_path, "b")
    _inst, visit, items = seed_visit(a, fixture_library)
    visits.answer_item(a, visit, items[0], result="conform")
    package_sync(a, b, tmp_path)
    assert_same(a, b)
    # overlapping sessions: both change item 0, each changes one item of its own
    visits.answer_item(b, visit, items[0], result="nonconform", note="B: 地面湿滑")
    visits.answer_item(a, visit, items[0], result="na", note="A: 不适用")
    visits.answer_item(a, visit, items[1], result="conform")
    visits.answer_item(b, visit, items[2], result="conform")
    # A→B, then B→A: both databases end equal row by row
    into_b = package_sync(a, b, tmp_path)
    into_a = package_sync(b, a, tmp_path)
    assert_same(a, b)
    assert _answer(a, visit, items[0]).note == "A: 不适用"  # newer wins
    assert _answer(a, visit, items[1]).result == "conform" and _answer(a, visit, items[2]).result == "conform"
    # the conflict is recorded with both values, on the side that met it
    [conflict] = [c for c in into_b.report.conflicts if c.table == "answers"]
    assert conflict.kind == "edit" and conflict.applied == "remote"
    assert conflict.local["note"] == "B: 地面湿滑" and conflict.remote["note"] == "A: 不适用"
    assert {"note", "result"} <= set(conflict.fields)
    open_b = list_conflicts(b)
    assert [(c.table, c.values("local")["result"], c.values("remote")["result"]) for c in open_b if c.table == "answers"] == [
        ("answers", "nonconform", "na")
    ]
    # idempotent: the same exchange again changes nothing and records nothing new
    assert package_sync(a, b, tmp_path).changes == 0
    assert package_sync(b, a, tmp_path).changes == 0
    assert len(_conflicts(b)) == len(open_b)
    assert into_a.changes > 0
    a.close()
    b.close()


def test_resolving_a_conflict_with_the_losing_value_wins_everywhere(tmp_path: Path, fixture_library) -> None:  # type: ignore[no-untyped-def]
    a, b = device(tmp_path, "a"), device(tmp_path, "b")
    _inst, visit, items = seed_visit(a, fixture_library)
    visits.answer_item(a, visit, items[0], result="conform")
    package_sync(a, b, tmp_path)
    visits.answer_item(b, visit, items[0], result="conform", note="B")
    visits.answer_item(a, visit, items[0], result="conform", note="A (newer)")
    package_sync(a, b, tmp_path)
    [conflict] = [c for c in list_conflicts(b) if c.table == "answers"]
    resolved = resolve_conflict(b, conflict.id[:8], "local")
    assert resolved.resolved and resolved.resolution == "local"
    assert _answer(b, visit, items[0]).note == "B"
    package_sync(b, a, tmp_path)
    assert _answer(a, visit, items[0]).note == "B"
    package_sync(a, b, tmp_path)
    assert_same(a, b)
    assert [c for c in list_conflicts(b) if c.table == "answers"] == []
    with pytest.raises(Exception, match="already resolved"):
        resolve_conflict(b, conflict.id, "remote")
    a.close()
    b.close()


def test_deletion_propagates_and_a_stale_copy_never_brings_it_back(tmp_path: Path, fixture_library) -> None:  # type: ignore[no-untyped-def]
    a, b, c = device(tmp_path, "a"), device(tmp_path, "b"), device(tmp_path, "c")
    _inst, visit, items = seed_visit(a, fixture_library)
    visits.answer_item(a, visit, items[0], result="conform")
    photos.add_photos(a, visit, [jpeg_file(tmp_path, 7)], item_id=items[0])
    package_sync(a, b, tmp_path)
    package_sync(a, c, tmp_path)  # c keeps an old copy
    visits.clear_answer(b, visit, items[0])
    photos.delete_photo(b, photos.list_photos(b, visit)[0].id)
    for src, dst in [(b, a), (c, a), (a, c), (c, b), (a, b), (b, c)]:
        package_sync(src, dst, tmp_path)
    for db in (a, b, c):
        answer = _answer(db, visit, items[0])
        assert answer is not None and answer.deleted_at is not None
        assert photos.list_photos(db, visit) == []
    assert_same(a, b)
    assert_same(a, c)
    for db in (a, b, c):
        db.close()


def test_records_created_twice_under_different_ids_are_unified(tmp_path: Path, fixture_library) -> None:  # type: ignore[no-untyped-def]
    """Two leaders answer the same items, add the same department and snapshot the same checklist offline."""
    a, b = device(tmp_path, "a"), device(tmp_path, "b")
    inst, visit, items = seed_visit(a, fixture_library)
    package_sync(a, b, tmp_path)
    visits.answer_item(a, visit, items[0], result="nonconform", note="A", department="总务科")
    visits.answer_item(b, visit, items[0], result="nonconform", note="B", department="总务科")
    photos.add_photos(b, visit, [jpeg_file(tmp_path, 3)], item_id=items[0])
    # both start a second visit with the same checklists: two snapshot rows with one content
    visits.start_visit(a, institution=inst, inspector="A", library=fixture_library)
    visits.start_visit(b, institution=inst, inspector="B", library=fixture_library)
    package_sync(a, b, tmp_path)
    package_sync(b, a, tmp_path)
    assert_same(a, b)
    with b.session() as s:
        assert len(s.scalars(sa.select(Answer).where(Answer.visit_id == visit, Answer.item_id == items[0])).all()) == 1
        assert len(s.scalars(sa.select(Department).where(Department.name == "总务科")).all()) == 1
        assert len(s.scalars(sa.select(Finding).where(Finding.visit_id == visit, Finding.deleted_at.is_(None))).all()) == 1
        snaps = s.scalars(sa.select(ChecklistSnapshot)).all()
        assert len(snaps) == len({x.sha256 for x in snaps})
        answer = s.scalar(sa.select(Answer).where(Answer.visit_id == visit, Answer.item_id == items[0]))
    # the photo B attached follows the unified answer
    [photo] = photos.list_photos(a, visit)
    assert photo.answer_id == answer.id
    assert any(c.table == "answers" for c in list_conflicts(a) + list_conflicts(b))
    a.close()
    b.close()


@pytest.mark.parametrize("rule", ["peers", "server"])
def test_a_record_created_twice_keeps_the_id_its_rule_says_in_every_keyed_table(tmp_path: Path, fixture_library, rule: str) -> None:  # type: ignore[no-untyped-def]
    """Between peers the smaller id wins; against a server its login may not rewrite, the server's id
    wins (the laptop renames its own rows, the server renames nothing), whichever id is smaller."""
    from auditapp.sync.changeset import read_changeset
    from auditapp.sync.merge import merge_into
    from auditapp.sync.replica import local_replica

    a, b = device(tmp_path, "laptop"), device(tmp_path, "server")
    inst, visit, items = seed_visit(a, fixture_library)
    package_sync(a, b, tmp_path)
    for db, note in ((a, "A"), (b, "B")):  # the same answer, department, finding, leader on both
        visits.answer_item(db, visit, items[0], result="nonconform", note=note, department="总务科")
        leaders.add_leader(db, institution=inst, name="王院长", role="president")
    server_ids = {t: {r["id"] for r in rows} for t, rows in dump(b).items()}
    pull, push = ("incoming", "resident") if rule == "server" else ("smaller", "smaller")
    laptop, server = local_replica(a), local_replica(b)
    down = read_changeset(server)
    plan = merge_into(laptop, down, file_data=down.files.read, ids=pull)  # type: ignore[union-attr]
    up = read_changeset(laptop)
    pushed = merge_into(server, up, file_data=up.files.read, ids=push)  # type: ignore[union-attr]
    assert_same(a, b)
    final = {t: {r["id"] for r in rows} for t, rows in dump(b).items()}
    twice = {t for t in final if plan.renames.get(t) or plan.replaced.get(t)}
    assert {"departments", "answers", "findings", "rectifications", "leaders"} <= twice  # the one rule, in every table
    for table in twice:
        # (laptop's id, server's id) of each record created on both
        pairs = [(old, new) for old, new in plan.renames[table].items()]
        pairs += [(kept, theirs) for theirs, kept in plan.replaced[table].items()]
        for mine, theirs in pairs:
            survivor = theirs if rule == "server" else min(mine, theirs)
            assert survivor in final[table] and ({mine, theirs} - {survivor}).isdisjoint(final[table]), table
        if rule == "server":
            assert not plan.replaced[table], table  # the server's ids are never replaced ...
            assert server_ids[table] <= final[table], table  # ... nor renamed on the server
    if rule == "server":
        assert not any(pushed.renames.values()) and not any(pushed.replaced.values())
    a.close()
    b.close()


def test_finalized_visit_keeps_its_answers_against_a_device_that_edited_after(tmp_path: Path, fixture_library) -> None:  # type: ignore[no-untyped-def]
    a, b = device(tmp_path, "a"), device(tmp_path, "b")
    _inst, visit, items = seed_visit(a, fixture_library)
    visits.answer_item(a, visit, items[0], result="conform", note="before")
    package_sync(a, b, tmp_path)
    visits.finalize_visit(a, visit)
    # b has not seen the finalization: it edits an answer and adds one
    visits.answer_item(b, visit, items[0], result="nonconform", note="after finalization")
    visits.answer_item(b, visit, items[1], result="conform", note="new after finalization")
    # a amends another item the proper way
    visits.answer_item(a, visit, items[2], result="na", amend=True, reason="补录")
    for order in ([(b, a), (a, b)],):
        for src, dst in order:
            package_sync(src, dst, tmp_path)
    assert_same(a, b)
    for db in (a, b):
        with db.session() as s:
            v = s.get(Visit, visit)
            assert v.status == "finalized"
        kept = _answer(db, visit, items[0])
        assert (kept.result, kept.note, kept.deleted_at) == ("conform", "before", None)
        added = _answer(db, visit, items[1])
        assert added is not None and added.deleted_at is not None  # kept only as a tombstone
        assert _answer(db, visit, items[2]).result == "na"  # the amendment stands
    kinds = {(c.table_name, c.kind) for c in _conflicts(a)}
    assert ("answers", "finalized") in kinds
    rejected = [
        c for c in _conflicts(a) if c.table_name == "answers" and c.remote_values and c.remote_values["note"] == "after finalization"
    ]
    assert rejected and rejected[0].applied == "local"
    a.close()
    b.close()


# ---------------------------------------------------------------------------
# three devices, many orders


def _scenario(root: Path, library) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Three devices with overlapping sessions; returns the ids the assertions need."""
    a, b, c = device(root, "a"), device(root, "b"), device(root, "c")
    inst, v1, items = seed_visit(a, library)
    v2 = visits.start_visit(a, institution=inst, inspector="王院长", library=library).id
    for item in items[:4]:
        visits.answer_item(a, v1, item, result="conform", note="initial")
    for item in items[:3]:
        visits.answer_item(a, v2, item, result="conform", note="initial")
    [photo] = photos.add_photos(a, v2, [jpeg_file(root, 11)], item_id=items[0])
    package_sync(a, b, root)
    package_sync(a, c, root)
    # overlapping sessions, in this time order
    visits.answer_item(b, v2, items[1], note="B1")
    visits.answer_item(c, v2, items[1], note="C1")
    visits.finalize_visit(a, v1)
    visits.answer_item(b, v1, items[0], result="nonconform", note="B after F")
    photos.set_caption(b, photo.id, "B caption")
    photos.delete_photo(c, photo.id)
    visits.clear_answer(a, v2, items[2])
    visits.answer_item(c, v1, items[3], note="C after F")
    visits.answer_item(a, v1, items[1], result="na", amend=True, reason="补录")
    visits.add_finding(b, v2, text="B 的其他问题")
    for db in (a, b, c):
        db.close()
    return {"v1": v1, "v2": v2, "items": items, "photo": photo.id}


ORDERS = {
    "chain": ["ab", "bc", "ca", "ab", "bc"],
    "reverse": ["cb", "ba", "ac", "ca"],
    "star-a": ["ba", "ca", "ab", "ac"],
    "pairs": ["ab", "ba", "bc", "cb", "ca", "ac"],
}


def _run_order(scenario_root: Path, root: Path, order: list[str], carrier: str) -> dict[str, object]:
    shutil.copytree(scenario_root, root)
    dbs = {n: open_database(root / n, actor=n, backup=False) for n in "abc"}
    hub = new_sqlite_peer(root / "hub.sqlite3")  # the shared file of the direct carrier, migrated, never synced
    for step in order:
        src, dst = dbs[step[0]], dbs[step[1]]
        if carrier == "package":
            package_sync(src, dst, root)
        else:  # direct: each device syncs with a shared file, in the given order
            direct_sync(src, str(hub))
            direct_sync(dst, str(hub))
    for _ in range(2):  # then everyone exchanges with everyone until nothing is left
        for x in "abc":
            for y in "abc":
                if x != y:
                    if carrier == "package":
                        package_sync(dbs[x], dbs[y], root)
                    else:
                        direct_sync(dbs[x], str(hub))
    dumps = [dump(dbs[n]) for n in "abc"]
    conflicts = [c for n in "abc" for c in _conflicts(dbs[n])]
    for db in dbs.values():
        db.close()
    assert dumps[0] == dumps[1] == dumps[2], "devices did not converge"
    return {"dump": dumps[0], "conflicts": conflicts}


@pytest.fixture(scope="module")
def three_devices(tmp_path_factory: pytest.TempPathFactory, fixture_library):  # type: ignore[no-untyped-def]
    """The scenario, built once for both carriers: each order starts from its own copy (``_run_order``)."""
    scenario = tmp_path_factory.mktemp("three-devices") / "scenario"
    return scenario, _scenario(scenario, fixture_library)


@pytest.mark.slow
@pytest.mark.parametrize("carrier", ["package", "direct"])
def test_three_devices_converge_to_the_same_data_whatever_the_order(three_devices, tmp_path: Path, carrier: str) -> None:  # type: ignore[no-untyped-def]
    scenario, ids = three_devices
    results = {name: _run_order(scenario, tmp_path / name, order, carrier) for name, order in ORDERS.items()}
    final = results["chain"]["dump"]
    for name, result in results.items():
        assert result["dump"] == final, f"order {name} ended with different data"
    answers = {(r["visit_id"], r["item_id"]): r for r in final["answers"]}  # type: ignore[index]
    v1, v2, items = ids["v1"], ids["v2"], ids["items"]
    [visit1] = [r for r in final["visits"] if r["id"] == v1]  # type: ignore[index]
    assert visit1["status"] == "finalized"
    assert answers[(v1, items[0])]["note"] == "initial"  # B edited after finalization: refused
    assert answers[(v1, items[3])]["note"] == "initial"  # C too
    assert answers[(v1, items[1])]["result"] == "na"  # A's amendment stands
    assert answers[(v2, items[1])]["note"] == "C1"  # newer wins
    assert answers[(v2, items[2])]["deleted_at"] is not None  # deletion propagated
    [photo] = [r for r in final["photos"] if r["id"] == ids["photo"]]  # type: ignore[index]
    assert photo["deleted_at"] is not None  # deleted after B's edit: stays deleted
    assert any(r["text"] == "B 的其他问题" and r["deleted_at"] is None for r in final["findings"])  # type: ignore[index]
    kinds = {(c.table_name, c.kind) for c in results["chain"]["conflicts"]}  # type: ignore[union-attr]
    assert ("answers", "finalized") in kinds and ("answers", "edit") in kinds and ("photos", "delete") in kinds


def test_version_order_is_total_and_deterministic() -> None:
    base = {"id": "x", "updated_at": "2026-01-01T00:00:00.000000+00:00", "device_id": "d1", "deleted_at": None, "note": "a"}
    newer = dict(base, updated_at="2026-01-01T00:00:00.000001+00:00")
    tomb = dict(base, deleted_at=base["updated_at"])
    other_device = dict(base, device_id="d2")
    other_content = dict(base, note="b")
    assert version_key(newer) > version_key(base)
    assert version_key(tomb) > version_key(base)  # a tie goes to the deletion
    assert version_key(other_device) > version_key(base)
    assert (version_key(other_content) > version_key(base)) == (content_hash(other_content) > content_hash(base))


def test_a_copied_data_folder_gets_its_own_device_id(tmp_path: Path) -> None:
    first = open_database(tmp_path / "one", backup=False)
    original = first.device_id
    first.close()
    shutil.copytree(tmp_path / "one", tmp_path / "two")
    copy = open_database(tmp_path / "two", backup=False)
    again = open_database(tmp_path / "one", backup=False)
    try:
        assert copy.device_id != original
        assert again.device_id == original
        # a database from before the rule (no recorded location) keeps its id, then records where it is
        with again.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM meta WHERE key = 'device_path'")
    finally:
        copy.close()
        again.close()
    shutil.move(tmp_path / "one", tmp_path / "moved")
    legacy = open_database(tmp_path / "moved", backup=False)
    try:
        assert legacy.device_id == original
    finally:
        legacy.close()


def test_keeping_an_answer_brings_its_finding_along(tmp_path: Path, fixture_library) -> None:  # type: ignore[no-untyped-def]
    a, b = device(tmp_path, "a"), device(tmp_path, "b")
    _inst, visit, items = seed_visit(a, fixture_library)
    visits.answer_item(a, visit, items[0], result="conform")
    package_sync(a, b, tmp_path)
    visits.answer_item(b, visit, items[0], result="conform", note="B: 合格")
    visits.answer_item(a, visit, items[0], result="nonconform", note="A: 不合格")  # newer: opens a finding
    package_sync(a, b, tmp_path)
    open_findings = lambda db: [f for f in visits.visit_detail(db, visit).findings]  # noqa: E731
    assert len(open_findings(b)) == 1
    [conflict] = [c for c in list_conflicts(b) if c.table == "answers"]
    resolve_conflict(b, conflict.id, "local")
    assert _answer(b, visit, items[0]).result == "conform"
    assert open_findings(b) == []  # withdrawn with the nonconformity
    package_sync(b, a, tmp_path)
    assert open_findings(a) == []
    assert_same(a, b)
    a.close()
    b.close()


def test_a_changeset_stamps_each_record_with_its_latest_change_log_entry(tmp_path: Path, fixture_library) -> None:  # type: ignore[no-untyped-def]
    """All tables' stamps come from one change-log query; each record gets its own table's latest entry."""
    from datetime import UTC, datetime

    from auditapp.db.models import ChangeLogEntry
    from auditapp.sync.changeset import read_changeset
    from auditapp.sync.replica import local_replica
    from auditapp.sync.tables import plain_datetime

    a = device(tmp_path, "a")
    try:
        inst, visit, items = seed_visit(a, fixture_library)
        for note in ("一", "二", "三"):  # several entries for one answer: the latest counts
            visits.answer_item(a, visit, items[0], result="nonconform", note=note, department="总务科")
        visits.answer_item(a, visit, items[1], result="conform")
        log = ChangeLogEntry.__table__
        with a.engine.connect() as conn:
            latest = {
                (entity, entity_id): plain_datetime(at)
                for entity, entity_id, at in conn.execute(
                    sa.select(log.c.entity, log.c.entity_id, sa.func.max(log.c.at)).group_by(log.c.entity, log.c.entity_id)
                )
            }
        everything = read_changeset(local_replica(a))
        since = read_changeset(local_replica(a), since=datetime(2000, 1, 1, tzinfo=UTC))
        for cs in (everything, since):
            assert {"answers", "findings", "departments", "visits", "institutions"} <= set(cs.changed_at)
            for table, rows in cs.tables.items():
                for row in rows:
                    assert cs.changed_at[table][row["id"]] == latest.get((table, row["id"]), row["updated_at"]), (table, row)
        answer = _answer(a, visit, items[0])
        assert answer is not None and everything.changed_at["answers"][answer.id] == latest[("answers", answer.id)]
        assert inst in everything.changed_at["institutions"]
    finally:
        a.close()
