"""Every selection form of ``export`` imports into a fresh data folder and into one that
already holds other data: parents first (a carried-over finding names the finding it
re-checks), references closed over the selection, and importing again changes nothing."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from auditapp.db import open_database
from auditapp.services import institutions, visits
from auditapp.sync import export_package, import_package
from auditapp.sync.merge import parents_first
from auditapp.sync.tables import SPECS, differing_fields
from conftest import LIBRARY_FIXTURE
from hostile_support import (  # noqa: F401
    library_env,
    read_members,
    run_cli,
    scenario,
    scenario_template,
    write_package,
)
from test_sync_support import clone_data_folder, new_data_folder

TODAY = date.today()

# name -> (visits, institutions, since) as attribute names of the Scenario
SELECTIONS: dict[str, tuple[list[str], list[str], date | None]] = {
    "one finalized visit": (["visit_a1"], [], None),
    "a visit re-checking an earlier one": (["visit_a2"], [], None),
    "visits of two institutions": (["visit_a2", "visit_b1"], [], None),
    "one institution": ([], ["inst_a"], None),
    "the other institution": ([], ["inst_b"], None),
    "both institutions": ([], ["inst_a", "inst_b"], None),
    "changed since today": ([], [], TODAY),
    "an institution, changed since today": ([], ["inst_a"], TODAY),
    "a visit and another institution": (["visit_b1"], ["inst_a"], None),
    "a visit, changed since today": (["visit_a2"], [], TODAY),
}


def _build_target(kind: str, folder: Path) -> None:
    db = open_database(new_data_folder(folder), actor="receiver", backup=False)  # as a new database opens
    try:
        if kind == "holds other data":
            inst = institutions.add_institution(db, name="丙县医院", kind="general", level=1, departments=["门诊部"])
            from auditapp.checklists import load_library
            from auditapp.services import leaders

            library = load_library(LIBRARY_FIXTURE)
            leader = leaders.add_leader(db, institution=inst.id, name="赵院长", role="president")
            leaders.set_plan(db, institution=inst.id, leader=leader.id, month="2024-03",
                             areas=[next(iter(library.checklists))], library=library)
            visits.start_visit(db, institution=inst.id, inspector="赵院长", library=library)
    finally:
        db.close()


@pytest.fixture(scope="session")
def target_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The two receivers, each built once; a test takes a copy (``_target``)."""
    root = tmp_path_factory.mktemp("targets")
    out = {}
    for kind in ("fresh", "holds other data"):
        out[kind] = root / kind.replace(" ", "-")
        _build_target(kind, out[kind])
    return out


def _target(templates: dict[str, Path], kind: str, root: Path) -> Path:
    """This test's receiver: a copy of the one built once, opening as the same device."""
    return clone_data_folder(templates[kind], root / "target")


def _rows(folder: Path) -> dict[str, dict[str, dict[str, Any]]]:
    from hostile_support import db_state

    return {t: {r["id"]: r for r in rows} for t, rows in db_state(folder).items() if t in SPECS}


def _unified(sent: dict[str, list[dict[str, Any]]], got: dict[str, dict[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any], bool]]:
    """The sent records as the receiver must hold them: a record the receiver already had
    under another id (the same checklist snapshot, the same department name) keeps the
    receiver's id, and references to it follow (the merge's unification rule)."""
    renamed: dict[str, dict[str, str]] = {}
    out: list[tuple[str, dict[str, Any], bool]] = []
    for spec in SPECS.values():  # parents first
        for row in sent.get(spec.name, []):
            row = dict(row)
            for col in spec.fks:
                if row.get(col.name) in renamed.get(col.parent or "", {}):
                    row[col.name] = renamed[col.parent or ""][row[col.name]]
            unified = False
            if row["id"] not in got[spec.name]:
                for key in spec.natural_keys:
                    match = next(
                        (r for r in got[spec.name].values() if all(r.get(c) == row.get(c) for c in key)), None
                    )
                    if match is not None:
                        renamed.setdefault(spec.name, {})[row["id"]] = match["id"]
                        row = {**row, "id": match["id"]}
                        unified = True
                        break
            out.append((spec.name, row, unified))
    return out


@pytest.mark.parametrize("target_kind", ["fresh", "holds other data"])
@pytest.mark.parametrize("selection", list(SELECTIONS))
def test_selection_imports_whole(scenario, tmp_path: Path, selection: str, target_kind: str, library_env, target_templates) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    visit_refs, inst_refs, since = SELECTIONS[selection]
    package = tmp_path / "part.auditpkg"
    source = open_database(data)
    try:
        export_package(
            source,
            package,
            visits=[getattr(ids, v) for v in visit_refs],
            institutions=[getattr(ids, i) for i in inst_refs],
            since=since,
        )
    finally:
        source.close()
    target = _target(target_templates, target_kind, tmp_path)
    db = open_database(target)
    try:
        result = import_package(db, package)
        assert result.changes > 0
        again = import_package(db, package)
        assert again.changes == 0, again.report.counts
    finally:
        db.close()
    # Every exported record arrived as it was sent.
    manifest, members = read_members(package)
    sent: dict[str, list[dict[str, Any]]] = {}
    for name, raw in members.items():
        if name.startswith("records/"):
            doc = json.loads(raw)
            sent.setdefault(doc["table"], []).extend(dict(zip(doc["columns"], row, strict=True)) for row in doc["rows"])
    # The roster travels with its institution, and a visit brings the leader who walked it.
    if inst_refs:
        assert sent.get("leaders") and sent.get("visit_plans"), sorted(sent)
    walked = {v["leader_id"] for v in sent.get("visits", []) if v["leader_id"]}
    assert walked <= {r["id"] for r in sent.get("leaders", [])}
    if "visit_a1" in visit_refs:
        assert walked == {ids.leader_a}
    got = _rows(target)
    for table, row, unified in _unified(sent, got):
        have = got[table].get(row["id"])
        assert have is not None, (table, row["id"])
        # The content arrived; the stamps may be the receiver's where it held the same
        # record already (unified snapshot or department: the newer version stays).
        assert differing_fields(have, row) == [], (table, row["id"], unified)
    # And every command works on what arrived.
    for visit in sent.get("visits", []):
        shown = run_cli("--data-dir", str(target), "visit", "show", visit["id"], "--json")
        assert shown.code == 0, shown.err
    assert run_cli("--data-dir", str(target), "rectification", "list", "--json").code == 0
    assert manifest["selection"] is not None


def test_a_carried_finding_before_the_one_it_rechecks_still_imports(scenario, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    package = tmp_path / "a.auditpkg"
    source = open_database(data)
    export_package(source, package, institutions=[ids.inst_a])
    source.close()
    manifest, members = read_members(package)
    name = next(n for n in members if n.startswith("records/findings/"))
    doc = json.loads(members[name])
    carried = [r for r in doc["rows"] if r[doc["columns"].index("carried_from_id")]]
    assert carried, "the scenario carries findings over"
    # Put every re-check before the finding it re-checks.
    doc["rows"].sort(key=lambda r: r[doc["columns"].index("carried_from_id")] is None)
    members[name] = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    reordered = write_package(tmp_path / "reordered.auditpkg", manifest, members)
    db = open_database(new_data_folder(tmp_path / "fresh"))
    try:
        assert import_package(db, reordered).changes > 0
    finally:
        db.close()


def test_parents_first_orders_chains_within_a_table() -> None:
    spec = SPECS["findings"]
    rows = [
        {"id": "c", "carried_from_id": "b"},
        {"id": "b", "carried_from_id": "a"},
        {"id": "x", "carried_from_id": None},
        {"id": "a", "carried_from_id": None},
        {"id": "d", "carried_from_id": "outside"},
    ]
    order = [r["id"] for r in parents_first(spec, rows)]
    assert sorted(order) == sorted(r["id"] for r in rows)
    assert order.index("a") < order.index("b") < order.index("c")


def test_nothing_selected_is_a_clear_error(scenario, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data, _ids = scenario
    # Today when the test runs, not when the module was imported: a run crossing midnight saw its own records.
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    result = run_cli("--data-dir", str(data), "export", "--since", tomorrow, "-o", str(tmp_path / "x.auditpkg"))
    assert result.code == 1 and "nothing to export" in result.err
    assert not (tmp_path / "x.auditpkg").exists()
