"""One set of rules per record: what local entry refuses, with a message naming the field in
words, is exactly what a package or a sync peer may not bring; what can be saved can be
synced. Local writes are checked by a before_flush hook, so no path can skip it."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from auditapp.db import open_database
from auditapp.db.models import Answer, ChecklistSnapshot, Institution, Leader, Photo, Visit, VisitPlan
from auditapp.db.validation import RULES, RecordError
from auditapp.language import set_language
from auditapp.services import institutions, visits
from auditapp.sync import export_package, import_package
from hostile_support import (  # noqa: F401
    assert_clean_error,
    full_state,
    jpeg_file,
    library_env,
    run_cli,
    scenario,
    scenario_template,
)

LONG = "长" * 201
YESNO = "basics.toilets.grab-bars"
DURATION = "basics.waiting.wait-time"
NUMBER = "basics.waiting.mdt"

# name -> (argv after --data-dir, with {a}, {a2}, {f} for ids; words the message must hold)
CASES: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "institution name too long": (
        ["institution", "add", "--name", "院" * 300, "--kind", "tcm", "--level", "3"],
        ("institution name", "at most 200 characters", "has 300"),
    ),
    "region too long": (
        ["institution", "add", "--name", "某医院", "--kind", "tcm", "--level", "3", "--region", LONG],
        ("region", "at most 200"),
    ),
    "department of a new institution too long": (
        ["institution", "add", "--name", "某医院", "--kind", "tcm", "--level", "3", "--department", LONG],
        ("department name", "at most 200"),
    ),
    "department name too long": (["department", "add", "--institution", "{a}", "--name", LONG], ("department name",)),
    "department head too long": (
        ["department", "add", "--institution", "{a}", "--name", "药剂科", "--head", LONG],
        ("department head",),
    ),
    "inspector too long": (["visit", "new", "--institution", "{a}", "--inspector", LONG], ("inspector", "at most 200")),
    "visit title too long": (
        ["visit", "new", "--institution", "{a}", "--inspector", "王", "--title", "题" * 301],
        ("visit title", "at most 300"),
    ),
    "finding area too long": (["visit", "finding", "{a2}", "--text", "地滑", "--area", LONG], ("area", "at most 200")),
    "finding text too long": (["visit", "finding", "{a2}", "--text", "问" * 20_001], ("problem description", "20000")),
    "answer note too long": (
        ["visit", "answer", "{a2}", YESNO, "--result", "nonconform", "--note", "记" * 20_001],
        ("answer note",),
    ),
    "answer department too long": (
        ["visit", "answer", "{a2}", YESNO, "--result", "nonconform", "--department", LONG],
        ("department name",),
    ),
    "a number for a yes/no item": (["visit", "answer", "{a2}", YESNO, "--value", "5"], ("takes no value", YESNO)),
    "a number with a result for a yes/no item": (
        ["visit", "answer", "{a2}", YESNO, "--result", "conform", "--value", "5"],
        ("takes no value",),
    ),
    "a negative duration": (["visit", "answer", "{a2}", DURATION, "--value", "-5"], ("cannot be negative",)),
    "NaN as a duration": (["visit", "answer", "{a2}", DURATION, "--value", "NaN"], ("finite number",)),
    "infinity as a number": (["visit", "answer", "{a2}", NUMBER, "--value", "inf"], ("finite number",)),
    "an overflowing number": (["visit", "answer", "{a2}", NUMBER, "--value", "1e400"], ("finite number",)),
    "words as a number": (["visit", "answer", "{a2}", NUMBER, "--value", "五个"], ("needs a number",)),
    "NaN with a result given": (
        ["visit", "answer", "{a2}", DURATION, "--result", "conform", "--value", "nan"],
        ("finite number",),
    ),
    "rectification owner too long": (["rectification", "update", "{f}", "--owner", LONG], ("rectification owner",)),
    "rectification measures too long": (["rectification", "update", "{f}", "--measures", "措" * 20_001], ("measures",)),
    "journey label too long": (["journey", "step", "{a2}", "myown", "--label", "环" * 101], ("step label", "at most 100")),
    "text that was not UTF-8 (lone surrogate)": (
        ["institution", "add", "--name", "医院\udcff", "--kind", "tcm", "--level", "3"],
        ("not valid UTF-8",),
    ),
    "leader name too long": (
        ["leader", "add", "--institution", "{a}", "--name", LONG, "--role", "president"], ("leader's name", "at most 200"),
    ),
    "leader leaving office before taking it": (
        ["leader", "update", "{l}", "--active-to", "2019-12-31"], ("end of office 2019-12-31 is before its start",),
    ),
    "leader renamed to 300 characters": (["leader", "update", "{l}", "--name", "名" * 300], ("leader's name", "at most 200")),
    "photo caption too long": (["photo", "add", "{a2}", "{jpg}", "--caption", "说" * 20_001], ("photo caption",)),
}


def _argv(template: list[str], data: Path, ids, finding: str, jpg: Path) -> list[str]:  # type: ignore[no-untyped-def]
    subs = {"{a}": ids.inst_a, "{a2}": ids.visit_a2, "{f}": finding, "{jpg}": str(jpg), "{l}": ids.leader_a}
    return ["--data-dir", str(data), *[subs.get(a, a) for a in template]]


@pytest.mark.parametrize("case", list(CASES))
def test_local_entry_refuses_with_the_field_named(scenario, tmp_path: Path, case: str, library_env) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    finding = ids.finding_a1  # found once, when the scenario was built
    template, needles = CASES[case]
    argv = _argv(template, data, ids, finding, jpeg_file(tmp_path, 5))
    before = full_state(data)
    result = run_cli(*argv)
    assert_clean_error(result, *needles)
    assert full_state(data) == before


# Dates the command line's argument types refuse before any record is built (exit code 1,
# the one range of auditapp.rules.dates, which the record rules use too); nothing changes either.
CLI_REFUSED_DATES: dict[str, list[str]] = {
    "visit date in year 9999": ["visit", "new", "--institution", "{a}", "--inspector", "王", "--date", "9999-12-31"],
    "rectification deadline in 1800": ["rectification", "update", "{f}", "--deadline", "1800-01-01"],
    "journey time in year 9999": ["journey", "step", "{a2}", "arrival", "--at", "9999-12-31T23:59:59+00:00"],
    "journey time overflowing its time zone": ["journey", "step", "{a2}", "arrival", "--at", "9999-12-31T23:59:59-05:00"],
    "journey time in year 1": ["journey", "step", "{a2}", "arrival", "--at", "0001-01-01T00:00:00+00:00"],
    "leader leaving office in year 9999": ["leader", "update", "{l}", "--active-to", "9999-12-31"],
    "leader in office from 1800": ["leader", "add", "--institution", "{a}", "--name", "赵", "--role", "president",
                                   "--active-from", "1800-01-01"],
    "visit date before 1970": ["visit", "new", "--institution", "{a}", "--inspector", "王", "--date", "1900-01-01"],
    "visit date in 1950": ["visit", "new", "--institution", "{a}", "--inspector", "王", "--date", "1950-06-01"],
    "rectification deadline in 1969": ["rectification", "update", "{f}", "--deadline", "1969-12-31"],
    "journey time in 1960": ["journey", "step", "{a2}", "arrival", "--at", "1960-01-01T08:00:00+00:00"],
    "leader in office from 1950": ["leader", "add", "--institution", "{a}", "--name", "赵", "--role", "president",
                                   "--active-from", "1950-01-01"],
}


@pytest.mark.parametrize("case", list(CLI_REFUSED_DATES))
def test_dates_out_of_range_are_refused_by_the_command_line(scenario, tmp_path: Path, case: str, library_env) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    finding = ids.finding_a1  # found once, when the scenario was built
    argv = _argv(CLI_REFUSED_DATES[case], data, ids, finding, jpeg_file(tmp_path, 5))
    before = full_state(data)
    result = run_cli(*argv)
    assert result.code == 1 and "Traceback" not in result.err, (result.code, result.err)
    shown = argv[-1]
    assert f"the date '{shown}' is outside the accepted range" in result.err, result.err
    assert full_state(data) == before


def test_the_message_is_in_chinese_for_a_chinese_reader(scenario, monkeypatch, library_env) -> None:  # type: ignore[no-untyped-def]
    data, _ids = scenario
    monkeypatch.setenv("AUDITAPP_LANG", "zh_CN")
    set_language(None)
    result = run_cli("--data-dir", str(data), "institution", "add", "--name", "院" * 300, "--kind", "tcm", "--level", "3")
    assert result.code == 1
    assert "“机构名称”最多 200 个字符，这里有 300 个" in result.err and "错误" in result.err


def test_what_can_be_saved_can_be_synced(scenario, tmp_path: Path, empty_template: Path) -> None:  # type: ignore[no-untyped-def]
    """Values at every limit (200-character names, 20 000-character notes) travel by package."""
    from auditapp.checklists import load_library
    from conftest import LIBRARY_FIXTURE

    data, _ids = scenario
    db = open_database(data)
    try:
        inst = institutions.add_institution(
            db, name="名" * 200, kind="tcm", level=3, alliance_lead=True, region="区" * 200, departments=["科" * 200]
        )
        visit = visits.start_visit(
            db, institution=inst.id, inspector="检" * 200, title="题" * 300, library=load_library(LIBRARY_FIXTURE),
            visit_date=date(1970, 1, 1),
        )
        visits.add_finding(db, visit.id, text="问" * 20_000, area="域" * 200, department="科" * 200)
        visits.answer_item(db, visit.id, DURATION, value="0", note="记" * 20_000)
        visits.answer_item(db, visit.id, NUMBER, value="-3.5")  # a number may be negative, a duration not
        package = tmp_path / "limits.auditpkg"
        export_package(db, package, institutions=[inst.id])
    finally:
        db.close()
    shutil.copytree(empty_template, tmp_path / "fresh")  # a new empty database, without running the migrations again
    fresh = open_database(tmp_path / "fresh")
    try:
        assert import_package(fresh, package).changes > 0
        assert [i.name for i in institutions.list_institutions(fresh)] == ["名" * 200]
    finally:
        fresh.close()


# ---------------------------------------------------------------------------
# the hook itself: no service is needed to be refused


def _write(db, change) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        change(session)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda s: s.add(Institution(name="院", kind="hospital", level=3)), "record.not_allowed"),
        (lambda s: s.add(Institution(name="院", kind="tcm", level=7)), "record.out_of_range"),
        (lambda s: s.add(Institution(name=" ", kind="tcm", level=3)), "record.required"),
        (lambda s: s.add(Institution(name="院\x00", kind="tcm", level=3)), "record.nul_character"),
        (lambda s: s.add(Institution(name="院", kind="tcm", level=True)), "record.not_whole_number"),
        (lambda s: s.add(Institution(kind="tcm", level=3)), "record.required"),
    ],
)
def test_the_hook_refuses_what_no_service_checked(db, change, code: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RecordError) as info:
        _write(db, change)
    assert info.value.code == code
    with db.session() as session:
        assert session.query(Institution).count() == 0


def test_fields_that_never_change_are_refused_locally_too(scenario) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    db = open_database(data)
    try:
        def move_visit(session) -> None:  # type: ignore[no-untyped-def]
            session.get(Visit, ids.visit_a2).institution_id = ids.inst_b

        def rewrite_snapshot(session) -> None:  # type: ignore[no-untyped-def]
            session.query(ChecklistSnapshot).first().content = "{}"

        def swap_photo_file(session) -> None:  # type: ignore[no-untyped-def]
            session.get(Photo, ids.photo_a1).sha256 = "0" * 64

        for change, field in ((move_visit, "institution of the visit"), (rewrite_snapshot, "checklist snapshot content"),
                              (swap_photo_file, "photo file hash")):
            with pytest.raises(RecordError) as info:
                _write(db, change)
            assert info.value.code == "record.immutable" and field in str(info.value)
    finally:
        db.close()


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("annotations", [{"kind": "rect", "x": float("nan"), "y": 0, "w": 1, "h": 1}], "record.bad_json"),
        ("annotations", [{"kind": "laser"}], "record.bad_layers"),
        ("annotations", "not a list", "record.bad_layers"),
        ("taken_at", datetime(1, 1, 1, tzinfo=UTC), "record.date_out_of_range"),
        ("taken_at", datetime(2024, 1, 1), "record.naive_datetime"),
        ("caption", "说\ud800", "record.invalid_characters"),
    ],
)
def test_photo_fields_are_checked_on_every_write(scenario, column: str, value: object, code: str) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    db = open_database(data)
    try:
        with pytest.raises(RecordError) as info:
            _write(db, lambda s: setattr(s.get(Photo, ids.photo_a1), column, value))
        assert info.value.code == code
    finally:
        db.close()


def test_every_synced_column_has_words_for_messages() -> None:
    from auditapp.db.models import SYNCED_MODELS

    missing = [
        f"{m.__tablename__}.{c.name}" for m in SYNCED_MODELS for c in m.__table__.columns if "label" not in c.info  # type: ignore[attr-defined]
    ]
    assert missing == []
    assert RULES["institutions"]["name"].label.zh == "机构名称"


def test_answers_obey_their_choices(scenario) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    db = open_database(data)
    try:
        with pytest.raises(RecordError) as info:
            _write(db, lambda s: setattr(s.query(Answer).filter_by(visit_id=ids.visit_a2).first(), "result", "maybe"))
        assert info.value.code == "record.not_allowed" and "conform, nonconform, na" in str(info.value)
    finally:
        db.close()


# ---------------------------------------------------------------------------
# the roster and the visit plan (dashboard tables) obey the same hook


def _leader_change(ids, column: str, value: object):  # type: ignore[no-untyped-def]
    return lambda s: setattr(s.get(Leader, ids.leader_a), column, value)


def _plan_change(ids, column: str, value: object):  # type: ignore[no-untyped-def]
    return lambda s: setattr(s.get(VisitPlan, ids.plan_a), column, value)


ROSTER_WRITES = {
    "a role outside the roles": ("leader", "role", "emperor", "record.not_allowed"),
    "a blank name": ("leader", "name", "  ", "record.required"),
    "a name of 201 characters": ("leader", "name", LONG, "record.too_long"),
    "an end of office before its start (only the end changes)": ("leader", "active_to", date(2019, 12, 31), "leader.dates_reversed"),
    "a start of office in the year 1": ("leader", "active_from", date(1, 1, 1), "record.date_out_of_range"),
    "a leader moved to another institution": ("leader", "institution_id", "inst_b", "record.immutable"),
    "a plan month of 13": ("plan", "month", "2024-13", "record.bad_month"),
    "a plan month without its year": ("plan", "month", "03", "record.bad_month"),
    "a plan month in the year 9999": ("plan", "month", "9999-01", "record.bad_month"),
    "plan routes with a blank id": ("plan", "areas", ["toilets", " "], "record.bad_checklist_ids"),
    "plan routes that are text": ("plan", "areas", "toilets", "record.bad_checklist_ids"),
    "a plan handed to another leader": ("plan", "leader_id", "other-leader", "record.immutable"),
    "a plan note of 20 001 characters": ("plan", "note", "记" * 20_001, "record.too_long"),
}


@pytest.mark.parametrize("case", list(ROSTER_WRITES))
def test_roster_and_plans_are_checked_on_every_write(scenario, case: str) -> None:  # type: ignore[no-untyped-def]
    data, ids = scenario
    which, column, value, code = ROSTER_WRITES[case]
    if value == "inst_b":
        value = ids.inst_b
    db = open_database(data)
    try:
        if value == "other-leader":
            with db.session() as session:
                value = session.query(Leader).filter(Leader.id != ids.leader_a).first().id
        before = full_state(data)
        change = _leader_change(ids, column, value) if which == "leader" else _plan_change(ids, column, value)
        with pytest.raises(RecordError) as info:
            _write(db, change)
        assert info.value.code == code, str(info.value)
        assert full_state(data) == before
    finally:
        db.close()


def test_a_new_leader_with_reversed_dates_is_refused_by_the_hook(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        inst = Institution(name="院", kind="tcm", level=3)
        session.add(inst)
    with pytest.raises(RecordError) as info, db.session() as session:
        session.add(Leader(institution_id=inst.id, name="王", role="president",
                           active_from=date(2025, 1, 1), active_to=date(2024, 1, 1)))
    assert info.value.code == "leader.dates_reversed"
    assert "2024-01-01" in str(info.value) and "2025-01-01" in str(info.value)
