"""A visit's or a visit plan's roster leader belongs to the record's own institution: one rule
(auditapp.db.validation.check_leader_link) for the command line, the services, a direct
write, a package and a direct sync — and a refusal changes nothing."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from auditapp.db import open_database
from auditapp.db.models import Leader, Visit, VisitPlan
from auditapp.db.validation import RecordError
from auditapp.errors import InvalidInputError
from auditapp.services import leaders as roster
from auditapp.services.institutions import add_institution
from auditapp.services.visits import start_visit
from auditapp.sync import PackageError, SyncError, export_package, import_package, sync_with
from cli_support import InProcessCli, cli  # noqa: F401
from cli_support import folder_state as _folder_state
from conftest import LIBRARY_FIXTURE


def folder_state(folder: Path) -> dict[str, Any]:
    """Every row and every file, except the daily backup opening a folder may add (a copy, not a change)."""
    return {k: v for k, v in _folder_state(folder).items() if not k.startswith("backups/")}


@pytest.fixture
def two_hospitals(data_dir: Path) -> dict[str, Any]:
    """Hospital A with leader 甲院长 and a visit and a plan by him; hospital B with leader 乙院长."""
    from auditapp.checklists import load_library

    db = open_database(data_dir, actor="tester")
    try:
        a = add_institution(db, name="甲医院", kind="tcm", level=3)
        b = add_institution(db, name="乙医院", kind="tcm", level=2)
        la = roster.add_leader(db, institution=a.id, name="甲院长", role="president")
        lb = roster.add_leader(db, institution=b.id, name="乙院长", role="president")
        visit = start_visit(db, institution=a.id, inspector="", leader=la.id, library=load_library(LIBRARY_FIXTURE),
                            visit_date=date(2026, 3, 2))
        roster.set_plan(db, institution=a.id, leader=la.id, month="2026-03", areas=[], note="门诊楼")
    finally:
        db.close()
    return {"a": a.id, "b": b.id, "la": la.id, "lb": lb.id, "visit": visit.id, "data": data_dir}


# --------------------------------------------------------------------------------------
# the command line and the services


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_command_line_refuses_another_institutions_leader(
    cli: InProcessCli, two_hospitals: dict[str, Any], monkeypatch: pytest.MonkeyPatch, language: str  # noqa: F811
) -> None:
    monkeypatch.setenv("AUDITAPP_LANG", language)
    h = two_hospitals
    before = folder_state(cli.data_dir)
    for argv in (
        ["visit", "new", "--institution", "甲医院", "--inspector", "x", "--leader", h["lb"]],
        ["visit", "new", "--institution", "甲医院", "--inspector", "x", "--leader", h["lb"][:8]],  # an id prefix
        ["visit", "new", "--institution", h["a"], "--inspector", "x", "--mode", "bureau", "--leader", h["lb"]],
        ["duty-plan", "set", "--institution", "甲医院", "--leader", h["lb"], "--month", "2026-04", "--note", "x"],
        ["duty-plan", "set", "--institution", h["a"], "--leader", h["lb"][:8], "--month", "2026-04", "--note", "x"],
        ["duty-plan", "delete", "--institution", "甲医院", "--leader", h["lb"], "--month", "2026-03"],
    ):
        err = cli.run(*argv, expect=1).stderr
        lines = err.strip().splitlines()
        assert len(lines) == 2 and "Traceback" not in err, err
        assert "乙院长" in lines[0], err
        assert ("不在该机构的领导班子中" if language == "zh_CN" else "not on this institution's roster") in lines[0], err
    # a leader's name is looked up on the institution's own roster only
    cli.run("visit", "new", "--institution", "甲医院", "--inspector", "x", "--leader", "乙院长", expect=1)
    assert folder_state(cli.data_dir) == before
    ok = cli.json("visit", "new", "--institution", "甲医院", "--inspector", "", "--leader", "甲院长", "--json")
    db = open_database(cli.data_dir)
    try:
        with db.session() as session:
            assert session.get(Visit, ok["id"]).leader_id == h["la"]  # type: ignore[union-attr]
    finally:
        db.close()


def test_the_services_refuse_another_institutions_leader(two_hospitals: dict[str, Any]) -> None:
    h = two_hospitals
    before = folder_state(h["data"])
    db = open_database(h["data"], actor="tester")
    try:
        with pytest.raises(InvalidInputError) as info:
            start_visit(db, institution=h["a"], inspector="x", leader=h["lb"], library=_library())
        assert info.value.code == "leader.other_institution"
        with pytest.raises(InvalidInputError):
            roster.set_visit_leader(db, h["visit"], h["lb"])
        with pytest.raises(InvalidInputError):
            roster.set_plan(db, institution=h["a"], leader=h["lb"], month="2026-05", areas=[])
        assert roster.set_visit_leader(db, h["visit"], h["la"]) == h["la"]
    finally:
        db.close()
    assert folder_state(h["data"]) == before


def _library() -> Any:
    from auditapp.checklists import load_library

    return load_library(LIBRARY_FIXTURE)


# --------------------------------------------------------------------------------------
# the record rule itself: every local write passes it, whatever path wrote it


def test_a_direct_write_cannot_link_another_institutions_leader(two_hospitals: dict[str, Any]) -> None:
    h = two_hospitals
    before = folder_state(h["data"])
    db = open_database(h["data"], actor="tester")
    try:
        cases = [
            lambda s: setattr(s.get(Visit, h["visit"]), "leader_id", h["lb"]),
            lambda s: s.add(VisitPlan(institution_id=h["a"], leader_id=h["lb"], month="2026-06", areas=[])),
            lambda s: s.add(Visit(institution_id=h["a"], inspector="x", visit_date=date(2026, 3, 3), leader_id=h["lb"])),
            # a leader added in the same flush, on the other roster
            lambda s: _pending_leader_and_plan(s, h),
        ]
        for case in cases:
            with pytest.raises(RecordError) as info, db.session() as session:
                case(session)
                session.flush()
            assert info.value.code == "record.leader_other_institution"
            assert "leader" in info.value.message("en") and "institution" in info.value.message("en")
        with db.session() as session:  # the same rule lets the right leader through
            session.add(VisitPlan(institution_id=h["a"], leader_id=h["la"], month="2026-07", areas=[]))
    finally:
        db.close()
    after = folder_state(h["data"])
    assert after["table:visits"] == before["table:visits"] and after["table:leaders"] == before["table:leaders"]
    assert len(after["table:visit_plans"]) == len(before["table:visit_plans"]) + 1


def _pending_leader_and_plan(session: Any, h: dict[str, Any]) -> None:
    newcomer = Leader(id="0" * 8 + "-pending-leader", institution_id=h["b"], name="丙院长", role="other")
    session.add(newcomer)  # not flushed yet: the plan below goes in the same flush
    session.add(VisitPlan(institution_id=h["a"], leader_id=newcomer.id, month="2026-08", areas=[]))


# --------------------------------------------------------------------------------------
# a forged package and a direct sync


def _forge(package: Path, out: Path, table: str, leader_id: str) -> Path:
    from hostile_support import edit_records, read_members, write_package

    manifest, members = read_members(package)

    def change(record: dict[str, Any]) -> None:
        record["leader_id"] = leader_id

    return write_package(out, manifest, edit_records(members, table, change))


@pytest.mark.parametrize("table", ["visits", "visit_plans"])
def test_a_forged_package_naming_another_institutions_leader_is_refused_whole(
    two_hospitals: dict[str, Any], tmp_path: Path, table: str
) -> None:
    h = two_hospitals
    honest = tmp_path / "all.auditpkg"
    db = open_database(h["data"])
    try:
        export_package(db, honest)
    finally:
        db.close()
    forged = _forge(honest, tmp_path / "forged.auditpkg", table, h["lb"])
    target = tmp_path / "target"
    open_database(target).close()
    before = folder_state(target)
    db = open_database(target)
    try:
        with pytest.raises(PackageError) as info:
            import_package(db, forged)
    finally:
        db.close()
    assert info.value.check == "bad-records"
    text = str(info.value)
    assert "is not on the roster of the" in text and h["lb"][:8] in text, text
    assert folder_state(target) == before
    # the command line says the same, exit 1
    from hostile_support import run_cli

    result = run_cli("--data-dir", str(target), "import", str(forged))
    assert result.code == 1 and "is not on the roster of the" in result.err and "Traceback" not in result.err
    assert folder_state(target) == before
    # and the honest package goes in
    db = open_database(target)
    try:
        import_package(db, honest)
    finally:
        db.close()


def test_a_direct_sync_with_a_forged_peer_is_refused(two_hospitals: dict[str, Any], tmp_path: Path) -> None:
    h = two_hospitals
    peer = tmp_path / "peer"
    shutil.copytree(h["data"], peer)
    con = sqlite3.connect(peer / "audit.sqlite3")  # a peer whose rules were bypassed (another program, a forgery)
    with con:
        con.execute("UPDATE visits SET leader_id = ?, updated_at = '2099-01-01 00:00:00.000000' WHERE id = ?",
                    (h["lb"], h["visit"]))
    con.close()
    local = tmp_path / "local"
    open_database(local).close()
    before, peer_before = folder_state(local), folder_state(peer)
    db = open_database(local)
    try:
        with pytest.raises(SyncError) as info:
            sync_with(db, str(peer))
    finally:
        db.close()
    assert "is not on the roster of the" in str(info.value), str(info.value)
    assert folder_state(local) == before and folder_state(peer) == peer_before
