"""Records from a package or a sync peer pass the rules of local entry; a newer copy that
changes what never changes is refused and recorded as a conflict, never applied; and
afterwards every command still works."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from auditapp import paths
from auditapp.db import open_database
from auditapp.sync import PackageError, export_package, import_package
from hostile_support import (  # noqa: F401
    assert_clean_error,
    edit_records,
    full_state,
    read_members,
    run_cli,
    scenario,
    scenario_template,
    write_package,
)
from test_sync_support import clone_data_folder

NEWER = "2099-01-01T00:00:00.000000+00:00"
Members = dict[str, bytes]


Mutation = Callable[[dict[str, Any], Members], Members]


def _edit(table: str, change: Callable[[dict[str, Any]], None], *, newer: bool = True, which: int = 0) -> Mutation:
    def mutate(_manifest: dict[str, Any], members: Members) -> Members:
        def apply(record: dict[str, Any]) -> None:
            change(record)
            if newer:
                record["updated_at"] = NEWER

        return edit_records(members, table, apply, which=which)

    return mutate


def _snapshot_rewrite(record: dict[str, Any]) -> None:
    content = json.loads(record["content"])
    content["title"] = record["title"] = "改过的检查表"
    record["content"] = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    record["sha256"] = hashlib.sha256(record["content"].encode("utf-8")).hexdigest()


def _snapshot_unhashed(record: dict[str, Any]) -> None:
    record["content"] = record["content"].replace('"title":"', '"title":"伪', 1)


def _raw_json(table: str, column: str, raw: str) -> Callable[[dict[str, Any], Members], Members]:
    """Put ``raw`` JSON text as the value of ``column`` (NaN, nesting bombs: not expressible in Python)."""

    def mutate(_manifest: dict[str, Any], members: Members) -> Members:
        out = dict(members)
        name = next(n for n in members if n.startswith(f"records/{table}/"))
        doc = json.loads(members[name])
        index = doc["columns"].index(column)
        doc["rows"][0][index] = "@@RAW@@"
        out[name] = json.dumps(doc, ensure_ascii=False).replace('"@@RAW@@"', raw, 1).encode("utf-8")
        return out

    return mutate


def _manifest(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any], Members], Members]:
    def mutate(manifest: dict[str, Any], members: Members) -> Members:
        change(manifest)
        return members

    return mutate


def _first_visit_other_institution(ids: Any) -> Callable[[dict[str, Any]], None]:
    def change(record: dict[str, Any]) -> None:
        record["institution_id"] = ids.inst_b if record["institution_id"] == ids.inst_a else ids.inst_a

    return change


# name -> (mutation, PackageError check, words of the message)
REFUSED: dict[str, tuple[Callable[[dict[str, Any], Members], Members], str, tuple[str, ...]]] = {
    "snapshot content not matching its hash": (
        _edit("checklist_snapshots", _snapshot_unhashed), "bad-records", ("does not match its checklist snapshot hash",),
    ),
    "a photo whose hash is a path": (
        _edit("photos", lambda r: r.update(sha256="../../../etc/passwd")), "bad-records", ("photo file hash", "not a SHA-256"),
    ),
    "a thumbnail hash that is a path": (
        _edit("photos", lambda r: r.update(thumb_sha256="/etc/shadow")), "bad-records", ("thumbnail hash",),
    ),
    "an answer result outside the allowed values": (
        _edit("answers", lambda r: r.update(result="maybe")), "bad-records", ("result", "maybe", "conform, nonconform, na"),
    ),
    "a severity outside the allowed values": (
        _edit("findings", lambda r: r.update(severity="apocalyptic")), "bad-records", ("severity",),
    ),
    "a finding source outside the allowed values": (
        _edit("findings", lambda r: r.update(source="rumour")), "bad-records", ("source of the problem",),
    ),
    "a rectification status outside the allowed values": (
        _edit("rectifications", lambda r: r.update(status="forgotten")), "bad-records", ("rectification status",),
    ),
    "an institution level of 9": (
        _edit("institutions", lambda r: r.update(level=9)), "bad-records", ("institution level", "between 1 and 3"),
    ),
    "a 300-character area": (_edit("findings", lambda r: r.update(area="区" * 300)), "bad-records", ("area", "at most 200")),
    "a lone surrogate in a finding's text": (
        _raw_json("findings", "text", '"\\ud800\\u95ee\\u9898"'), "bad-records", ("problem description", "invalid characters"),
    ),
    "a NUL in an institution name": (_edit("institutions", lambda r: r.update(name="院\x00")), "bad-records", ("NUL",)),
    "applicable items that are not a list": (
        _edit("visit_checklists", lambda r: r.update(applicable_item_ids="all of them")), "bad-records", ("applicable items",),
    ),
    "applicable items holding numbers": (
        _edit("visit_checklists", lambda r: r.update(applicable_item_ids=[1, 2, 3])), "bad-records", ("applicable items",),
    ),
    "annotations of an unknown kind": (
        _edit("photos", lambda r: r.update(annotations=[{"kind": "laser", "x": 0.5}])), "bad-records", ("photo annotations",),
    ),
    "annotations outside the picture": (
        _edit("photos", lambda r: r.update(annotations=[{"kind": "rect", "x": 7, "y": 0, "w": 1, "h": 1}])),
        "bad-records",
        ("photo annotations",),
    ),
    "NaN as a pin position": (_raw_json("photos", "width", "NaN"), "malformed-json", ("NaN",)),
    "a nesting bomb in annotations": (
        _raw_json("photos", "annotations", "[" * 5000 + "]" * 5000), "malformed-json", ("nested",),
    ),
    "a visit date in the year 9999": (
        _edit("visits", lambda r: r.update(visit_date="9999-12-31")), "bad-records", ("visit date", "not between"),
    ),
    "an update time overflowing its time zone": (
        _edit("visits", lambda r: r.update(updated_at="9999-12-31T23:59:59-05:00"), newer=False),
        "bad-records",
        ("time of the last change",),
    ),
    "a photo taken in the year 1": (
        _edit("photos", lambda r: r.update(taken_at="0001-01-01T00:00:00+00:00")), "bad-records", ("time taken",),
    ),
    "a leader role outside the allowed values": (
        _edit("leaders", lambda r: r.update(role="emperor")), "bad-records", ("leader role", "emperor", "president"),
    ),
    "a 300-character leader name": (
        _edit("leaders", lambda r: r.update(name="名" * 300)), "bad-records", ("leader's name", "at most 200"),
    ),
    "a leader leaving office before taking it": (
        _edit("leaders", lambda r: r.update(active_from="2025-01-01", active_to="2024-01-01")),
        "bad-records",
        ("end of office 2024-01-01 is before its start 2025-01-01",),
    ),
    "a leader in office from the year 9999": (
        _edit("leaders", lambda r: r.update(active_from="9999-01-01")), "bad-records", ("start of office", "not between"),
    ),
    "a plan month that is no month": (
        _edit("visit_plans", lambda r: r.update(month="2024-13")), "bad-records", ("month of the plan", "2024-13"),
    ),
    "plan routes that are not a list": (
        _edit("visit_plans", lambda r: r.update(areas="every route")), "bad-records", ("routes of the plan",),
    ),
    "plan routes holding numbers": (
        _edit("visit_plans", lambda r: r.update(areas=[1, 2])), "bad-records", ("routes of the plan",),
    ),
    "a nesting bomb as plan routes": (
        _raw_json("visit_plans", "areas", "[" * 5000 + "]" * 5000), "malformed-json", ("nested",),
    ),
    "a record with a text where a number belongs": (
        _edit("photos", lambda r: r.update(width="wide")), "bad-records", ("photo width", "whole number"),
    ),
    "a deadline that is no date": (
        _edit("rectifications", lambda r: r.update(deadline="next week")), "bad-records", ("deadline",),
    ),
    "a manifest created in the year 9999": (
        _manifest(lambda m: m.update(created_at="9999-12-31T23:59:59-05:00")), "bad-manifest", ("created_at",),
    ),
    "a manifest knowing a peer at year 0": (
        _manifest(lambda m: m["known"].update({"x": "0000-01-01T00:00:00+00:00"})), "bad-manifest", ("known",),
    ),
    "a manifest complete until the year 1": (
        _manifest(lambda m: m.update(complete_until="0001-01-01T00:00:00+00:00")), "bad-manifest", ("complete_until",),
    ),
    "a device id that is a sentence": (
        _manifest(lambda m: m.update(device_id="x" * 500)), "bad-manifest", ("device_id",),
    ),
}


@pytest.fixture(scope="session")
def honest_world(scenario_template, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The scenario's full package, and a second data folder that has imported it: built once, never changed."""
    template, ids = scenario_template
    root = tmp_path_factory.mktemp("honest")
    data = shutil.copytree(template, root / "data")
    package = root / "all.auditpkg"
    source = open_database(data)
    export_package(source, package)
    source.close()
    target = root / "target"
    db = open_database(target)
    import_package(db, package)
    db.close()
    return package, target, ids


@pytest.fixture
def honest(honest_world, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The honest package (read only), and a copy of the data folder that imported it, for this test.

    The copy opens as the same device (``clone_data_folder``): the world is the one the
    fixture would build for the test, without building it again.
    """
    package, target, ids = honest_world
    return package, clone_data_folder(target, tmp_path / "target"), ids


def _forged(package: Path, tmp_path: Path, mutate: Callable[[dict[str, Any], Members], Members]) -> Path:
    manifest, members = read_members(package)
    members = mutate(manifest, members)
    return write_package(tmp_path / "forged.auditpkg", manifest, members)


def _commands_still_work(target: Path) -> None:
    listed = run_cli("--data-dir", str(target), "visit", "list", "--json")
    assert listed.code == 0, listed.err
    for visit in json.loads(listed.out):
        shown = run_cli("--data-dir", str(target), "visit", "show", visit["id"])
        assert shown.code == 0, shown.err
    for command in (["rectification", "list"], ["institution", "list"], ["conflicts", "list"], ["photo", "verify"]):
        result = run_cli("--data-dir", str(target), *command)
        assert result.code == 0, (command, result.err)


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_forged_package_is_refused_whole(honest, tmp_path: Path, case: str) -> None:  # type: ignore[no-untyped-def]
    package, target, _ids = honest
    mutate, check, needles = REFUSED[case]
    forged = _forged(package, tmp_path, mutate)
    before = full_state(target)
    db = open_database(target)
    try:
        with pytest.raises(PackageError) as info:
            import_package(db, forged)
    finally:
        db.close()
    assert info.value.check == check, str(info.value)
    for needle in needles:
        assert needle in str(info.value), (needle, str(info.value))
    result = run_cli("--data-dir", str(target), "import", str(forged))
    assert_clean_error(result, *needles)
    assert full_state(target) == before
    _commands_still_work(target)


IMMUTABLE = {
    "a visit moved to another institution": ("visits", "institution_id"),
    "a frozen checklist snapshot rewritten": ("checklist_snapshots", "content"),
    "a photo pointed at another file": ("photos", "sha256"),
    "the applicable items of a visit changed": ("visit_checklists", "applicable_item_ids"),
    "a status change rewritten in the history": ("rectification_events", "status_to"),
    "a leader moved to another institution": ("leaders", "institution_id"),
    "a visit plan handed to another leader": ("visit_plans", "leader_id"),
}


def _immutable_mutation(case: str, ids: Any, package: Path) -> Callable[[dict[str, Any], Members], Members]:
    if case == "a visit moved to another institution":
        return _edit("visits", _first_visit_other_institution(ids))
    if case == "a frozen checklist snapshot rewritten":
        return _edit("checklist_snapshots", _snapshot_rewrite)
    if case == "a photo pointed at another file":
        _unused, members = read_members(package)
        other = next(n for n in members if n.startswith("photos/"))
        sha = other.rsplit("/", 1)[1][:-4]

        def point(record: dict[str, Any]) -> None:
            record["sha256"] = sha if record["sha256"] != sha else record["thumb_sha256"]

        return _edit("photos", point)
    if case == "a leader moved to another institution":
        return _edit("leaders", _first_visit_other_institution(ids))
    if case == "a visit plan handed to another leader":
        _unused, members = read_members(package)
        doc = json.loads(next(v for n, v in members.items() if n.startswith("records/leaders/")))
        others = [row[doc["columns"].index("id")] for row in doc["rows"] if row[doc["columns"].index("id")] != ids.leader_a]
        return _edit("visit_plans", lambda r: r.update(leader_id=others[0]))
    if case == "the applicable items of a visit changed":
        return _edit("visit_checklists", lambda r: r.update(applicable_item_ids=r["applicable_item_ids"][:1]))
    return _edit("rectification_events", lambda r: r.update(status_to="verified"))


@pytest.mark.parametrize("case", list(IMMUTABLE))
def test_a_newer_copy_changing_what_never_changes_becomes_a_conflict(honest, tmp_path: Path, case: str) -> None:  # type: ignore[no-untyped-def]
    package, target, ids = honest
    table, column = IMMUTABLE[case]
    mutation = _immutable_mutation(case, ids, package)

    def newer_package(manifest: dict[str, Any], members: Members) -> Members:
        manifest["complete_until"] = NEWER  # not the package imported before
        return mutation(manifest, members)

    forged = _forged(package, tmp_path, newer_package)
    before = full_state(target)
    result = run_cli("--data-dir", str(target), "import", str(forged), "--json")
    assert result.code == 0, result.err
    after = full_state(target)
    assert after["db"][table] == before["db"][table]  # never applied
    conflicts = json.loads(run_cli("--data-dir", str(target), "conflicts", "list", "--json").out)
    [conflict] = [c for c in conflicts if c["table"] == table]
    assert conflict["kind"] == "immutable" and column in conflict["fields"] and conflict["applied"] == "local"
    # Keeping the other side's value is refused with a clear message, and changes nothing.
    kept = run_cli("--data-dir", str(target), "conflicts", "resolve", conflict["id"], "--keep", "remote")
    assert_clean_error(kept, "never changes")
    assert full_state(target)["db"][table] == before["db"][table]
    assert run_cli("--data-dir", str(target), "conflicts", "resolve", conflict["id"], "--keep", "local").code == 0
    _commands_still_work(target)


# ---------------------------------------------------------------------------
# direct sync with a tampered peer


def _peer(scenario_folder: Path, tmp_path: Path, sql: str, params: tuple[Any, ...] = ()) -> Path:
    peer = tmp_path / "peer"
    shutil.copytree(scenario_folder, peer)
    open_database(peer, backup=False).close()
    conn = sqlite3.connect(paths.database_path(peer))
    conn.execute(sql, params)
    conn.commit()
    conn.close()
    return peer


def _local(scenario_folder: Path, tmp_path: Path) -> Path:
    local = tmp_path / "local"
    shutil.copytree(scenario_folder, local)
    open_database(local, backup=False).close()
    return local


PEER_REFUSED = {
    "an answer result outside the allowed values": ("UPDATE answers SET result = 'maybe'", (), ("result", "maybe")),
    "a photo hash that is a path": ("UPDATE photos SET sha256 = '../../x'", (), ("photo file hash",)),
    "applicable items that are not JSON": (
        "UPDATE visit_checklists SET applicable_item_ids = '[1,'", (), ("JSON data that cannot be read",),
    ),
    "a visit date in the year 9999": ("UPDATE visits SET visit_date = '9999-12-31'", (), ("visit date",)),
    "an area of 300 characters": ("UPDATE findings SET area = ?", ("区" * 300,), ("area", "at most 200")),
    "text that is not UTF-8": ("UPDATE institutions SET name = CAST(x'e58cbbff' AS TEXT)", (), ("not valid UTF-8",)),
    "a leader role outside the allowed values": ("UPDATE leaders SET role = 'emperor'", (), ("leader role", "emperor")),
    "a plan month that is no month": ("UPDATE visit_plans SET month = '24-3'", (), ("month of the plan", "24-3")),
    "plan routes that are not JSON": ("UPDATE visit_plans SET areas = '[\"toilets\",'", (), ("JSON data that cannot be read",)),
    "a leader leaving office before taking it": (
        "UPDATE leaders SET active_from = '2025-01-01', active_to = '2024-01-01'", (), ("before its start",),
    ),
}


@pytest.mark.parametrize("case", list(PEER_REFUSED))
def test_a_tampered_peer_is_refused(scenario, tmp_path: Path, case: str) -> None:  # type: ignore[no-untyped-def]
    data, _ids = scenario
    sql, params, needles = PEER_REFUSED[case]
    peer = _peer(data, tmp_path, sql, params)
    local = _local(data, tmp_path)
    before_local, before_peer = full_state(local), full_state(peer)
    result = run_cli("--data-dir", str(local), "sync", str(peer))
    assert_clean_error(result, *needles)
    assert full_state(local) == before_local
    assert full_state(peer) == before_peer
    _commands_still_work(local)


def test_a_peer_moving_a_visit_to_another_institution_is_a_conflict(scenario, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    peer = _peer(
        data, tmp_path, "UPDATE visits SET institution_id = ?, updated_at = '2099-01-01 00:00:00.000000' WHERE id = ?",
        (ids.inst_b, ids.visit_a2),
    )
    local = _local(data, tmp_path)
    before = full_state(local)["db"]["visits"]
    result = run_cli("--data-dir", str(local), "sync", str(peer), "--json")
    assert result.code == 0, result.err
    assert full_state(local)["db"]["visits"] == before
    conflicts = json.loads(run_cli("--data-dir", str(local), "conflicts", "list", "--json").out)
    assert [(c["table"], c["kind"]) for c in conflicts] == [("visits", "immutable")]
    _commands_still_work(local)


def test_a_damaged_local_row_gives_a_message_not_a_traceback(scenario) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    conn = sqlite3.connect(paths.database_path(data))
    conn.execute("UPDATE institutions SET name = CAST(x'e58cbbff' AS TEXT) WHERE id = ?", (ids.inst_a,))
    conn.commit()
    conn.close()
    before = full_state(data)
    for command in (["institution", "list"], ["visit", "show", ids.visit_a1], ["visit", "list", "--json"]):
        result = run_cli("--data-dir", str(data), *command)
        assert_clean_error(result, "not valid UTF-8", "backup restore")
    assert full_state(data) == before
