"""The roster, the monthly duty and the dashboard's figures, checked against values worked out by hand.

Fixture (tests/fixtures/library, 2026): 甲医院 (general, level 2: five items — entrance
floor-plan [major], aed-map; toilets clean, grab-bars; waiting wait-time) and 乙医院
(TCM, level 2: the same five plus TCM-only items, which a ranking must leave out).

甲: V1 2026-01-10  floor NC, aed C,  clean NC, grab C, wait C   -> 3 C / 2 NC, 5/5 answered
    V2 2026-02-10  floor NC, aed NC, clean C,  grab C, wait NA  -> 2 C / 2 NC, 4/4
    V3 2026-03-10  floor NC only                                -> 0 C / 1 NC, 1/5: incomplete
乙: W1 2026-02-15  everything answered; grab NC and tcm-area NC, the rest C
    W2 2026-03-15  everything answered; grab NC and clean NC, the rest C
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from auditapp.db import open_database
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.rules.duty import DUTY_BASIS, RANKING_BASIS, in_office
from auditapp.rules.rectification import is_overdue
from auditapp.services import duty, institutions, leaders, rectifications, visits
from auditapp.services.dashboard import dashboard, make_scope, problems_behind
from auditapp.stats.export import dashboard_json, write_workbook
from cli_support import run_main
from conftest import drain_background_work
from test_sync_support import pg_server, pg_url  # noqa: F401 (fixtures)
from world_support import world_db_fixture, world_fixture, world_parts_fixture, world_template_fixture  # noqa: F401 (fixtures)

TODAY = date(2026, 3, 20)
BASICS = ["basics.entrance.floor-plan", "basics.entrance.aed-map", "basics.toilets.clean",
          "basics.toilets.grab-bars", "basics.waiting.wait-time"]
DEPT = {"basics.entrance.floor-plan": "门诊部", "basics.entrance.aed-map": "医务科",
        "basics.toilets.clean": "总务科", "basics.toilets.grab-bars": "总务科", "basics.waiting.wait-time": "门诊部"}


def _answer(db, visit_id: str, item: str, result: str) -> None:  # type: ignore[no-untyped-def]
    if item == "basics.waiting.wait-time" and result != "na":
        visits.answer_item(db, visit_id, item, value="20" if result == "conform" else "50")
    else:
        visits.answer_item(db, visit_id, item, result=result, department=DEPT.get(item) if result == "nonconform" else None)


def seed_world(db, lib):  # type: ignore[no-untyped-def]
    """The two hospitals of the module docstring, with their leaders and visits (built once per
    run by tests/world_support.py; test_visit_list and test_rectification_list seed their own)."""
    a = institutions.add_institution(db, name="甲医院", kind="general", level=2)
    b = institutions.add_institution(db, name="乙医院", kind="tcm", level=2)
    zhang = leaders.add_leader(db, institution=a.id, name="张院长", role="院长")
    li = leaders.add_leader(db, institution=a.id, name="李副院长", role="vice_president", active_from=date(2026, 2, 15))

    v1 = visits.start_visit(db, institution=a.id, inspector="张院长", visit_date=date(2026, 1, 10), library=lib)
    for item, result in zip(BASICS, ["nonconform", "conform", "nonconform", "conform", "conform"], strict=True):
        _answer(db, v1.id, item, result)
    v2 = visits.start_visit(db, institution=a.id, inspector="", leader="李副院长", visit_date=date(2026, 2, 10), library=lib)
    for item, result in zip(BASICS, ["nonconform", "nonconform", "conform", "conform", "na"], strict=True):
        _answer(db, v2.id, item, result)
    v3 = visits.start_visit(db, institution=a.id, inspector="外来督导", visit_date=date(2026, 3, 10), library=lib)
    _answer(db, v3.id, BASICS[0], "nonconform")

    ws = []
    for day, bad in ((date(2026, 2, 15), {"basics.toilets.grab-bars", "basics.waiting.tcm-area"}),
                     (date(2026, 3, 15), {"basics.toilets.grab-bars", "basics.toilets.clean"})):
        w = visits.start_visit(db, institution=b.id, inspector="王督导", mode="bureau", visit_date=day, library=lib)
        for view in visits.visit_detail(db, w.id).items:
            item = view.item.id
            if view.item.response.type in ("number", "duration") and item != "basics.waiting.wait-time":
                visits.answer_item(db, w.id, item, value="3")
            else:
                _answer(db, w.id, item, "nonconform" if item in bad else "conform")
        ws.append(w)
    return {"a": a, "b": b, "zhang": zhang, "li": li, "v": [v1, v2, v3], "w": ws}


@pytest.fixture
def db(world_db):  # type: ignore[no-untyped-def]
    """This module's database holds the seeded hospitals (a copy of the template), except where a test asks for
    ``empty_db``."""
    return world_db


@pytest.fixture
def empty_db(tmp_path, empty_template):  # type: ignore[no-untyped-def]
    """A new, empty database (what conftest's ``db`` is elsewhere)."""
    shutil.copytree(empty_template, tmp_path / "empty")
    database = open_database(tmp_path / "empty", actor="tester", backup=False)
    yield database
    drain_background_work()
    database.close()


def _figures(db, world, **kw):  # type: ignore[no-untyped-def]
    return dashboard(db, date_from=date(2026, 1, 1), date_to=date(2026, 3, 31), today=TODAY, language="zh_CN", **kw)


# -- the duty ---------------------------------------------------------------------


def test_the_duty_cites_the_clauses_verbatim() -> None:
    from auditapp import paths
    from auditapp.checklists.sources import load_sources

    sources, problems = load_sources(paths.checklists_dir() / "sources")
    assert not problems
    for citation in (*DUTY_BASIS, RANKING_BASIS):
        assert sources[citation.source].contains(citation.quote), citation
    assert [(c.source, c.clause) for c in DUTY_BASIS] == [("yubei-2023", "四(四)"), ("huaian-2023", "四(一)")]


def test_duty_matrix_by_hand(db, world) -> None:  # type: ignore[no-untyped-def]
    v1, v2, _v3 = world["v"]
    matrix = duty.duty_matrix(db, institution="甲医院", month="2026-01", months=3, today=TODAY)
    states = {(c.leader, c.month): c.state for c in matrix.cells}
    assert states == {
        ("张院长", "2026-01"): "done", ("张院长", "2026-02"): "missing", ("张院长", "2026-03"): "due",
        ("李副院长", "2026-01"): "inactive", ("李副院长", "2026-02"): "done", ("李副院长", "2026-03"): "due",
    }
    zhang_jan = matrix.cell(world["zhang"].id, "2026-01")
    assert zhang_jan is not None and [v.id for v in zhang_jan.visits] == [v1.id]
    assert zhang_jan.walked_areas == ("basics",)
    # the free-text inspector of V3 fulfils nobody's duty; V2 was picked from the roster
    assert matrix.cell(world["li"].id, "2026-02").visits[0].id == v2.id  # type: ignore[union-attr]
    assert (matrix.done_owed, matrix.owed) == (2, 5)
    missing = duty.missing_this_month(db, institution="甲医院", today=TODAY)
    assert [c.leader for c in missing] == ["张院长", "李副院长"]


def test_plan_beside_what_was_done(db, world) -> None:  # type: ignore[no-untyped-def]
    lib = world["lib"]
    leaders.set_plan(db, institution="甲医院", leader="李副院长", month="2026-02", areas=["basics"], library=lib)
    leaders.set_plan(db, institution="甲医院", leader="张院长", month="2026-02", areas=["tcm-extra"], library=lib)
    matrix = duty.duty_matrix(db, institution="甲医院", month="2026-02", months=1, today=TODAY)
    li = matrix.cell(world["li"].id, "2026-02")
    zhang = matrix.cell(world["zhang"].id, "2026-02")
    assert li is not None and li.planned_areas == ("basics",) and li.plan_met is True
    assert zhang is not None and zhang.planned_areas == ("tcm-extra",) and zhang.plan_met is False
    with pytest.raises(InvalidInputError) as err:
        leaders.set_plan(db, institution="甲医院", leader="张院长", month="2026-02", areas=["nowhere"], library=lib)
    assert err.value.code == "duty.unknown_area"


def test_rotation_covers_every_route_and_leaders_differ(db, world) -> None:  # type: ignore[no-untyped-def]
    lib = world["lib"]
    leaders.rotate_plan(db, institution="甲医院", first_month="2026-04", months=2, areas=["basics", "tcm-extra"], library=lib)
    plans = leaders.list_plans(db, institution="甲医院")
    by_month: dict[str, list[str]] = {}
    for p in plans:
        by_month.setdefault(p.month, []).extend(p.areas)
    # two leaders, two routes: they walk different routes each month and swap the next
    assert sorted(by_month) == ["2026-04", "2026-05"]
    assert all(sorted(areas) == ["basics", "tcm-extra"] for areas in by_month.values())
    april = {p.leader_name: p.areas for p in plans if p.month == "2026-04"}
    may = {p.leader_name: p.areas for p in plans if p.month == "2026-05"}
    assert april == {"张院长": ("basics",), "李副院长": ("tcm-extra",)}
    assert may == april  # (n + m·L) mod R with L = R = 2 gives the same split again


def test_in_office_months_are_inclusive() -> None:
    assert in_office("2026-02", date(2026, 2, 28), None)
    assert not in_office("2026-02", date(2026, 3, 1), None)
    assert in_office("2026-02", None, date(2026, 2, 1))
    assert not in_office("2026-02", None, date(2026, 1, 31))


def test_roster_refuses_bad_input_and_changes_nothing(db, world) -> None:  # type: ignore[no-untyped-def]
    before = leaders.list_leaders(db, institution="甲医院")
    for kwargs, code in (
        ({"name": "张院长", "role": "院长"}, "leader.name_taken"),
        ({"name": " ", "role": "院长"}, "leader.name_missing"),
        ({"name": "钱", "role": "国王"}, "input.unknown_choice"),
        ({"name": "钱", "role": "院长", "active_from": date(2026, 5, 1), "active_to": date(2026, 4, 1)}, "leader.dates_reversed"),
    ):
        with pytest.raises(InvalidInputError) as err:
            leaders.add_leader(db, institution="甲医院", **kwargs)
        assert err.value.code == code
    assert leaders.list_leaders(db, institution="甲医院") == before
    with pytest.raises(NotFoundError) as err2:  # not on 乙医院's roster
        visits.start_visit(db, institution="乙医院", inspector="", leader="张院长", library=world["lib"])
    assert err2.value.code == "leader.not_found"
    with pytest.raises(InvalidInputError) as err3:  # by id, but of another institution
        visits.start_visit(db, institution="乙医院", inspector="", leader=world["zhang"].id, library=world["lib"])
    assert err3.value.code == "leader.other_institution"
    assert len(visits.list_visits(db, institution="乙医院")) == 2
    with pytest.raises(NotFoundError):
        leaders.set_visit_leader(db, world["v"][2].id, "无此人")


def test_removed_leader_comes_back_with_the_same_name(db, world) -> None:  # type: ignore[no-untyped-def]
    leaders.remove_leader(db, world["li"].id)
    assert [x.name for x in leaders.list_leaders(db, institution="甲医院")] == ["张院长"]
    again = leaders.add_leader(db, institution="甲医院", name="李副院长", role="副院长")
    assert again.id == world["li"].id and again.active_from is None


# -- the dashboard ------------------------------------------------------------------


def test_visit_scores_coverage_and_incomplete_flag(db, world) -> None:  # type: ignore[no-untyped-def]
    d = _figures(db, world, institutions=["甲医院"])
    got = [(v.score.conform, v.score.nonconform, v.coverage.answered, v.coverage.applicable, v.complete) for v in d.visits]
    assert got == [(3, 2, 5, 5, True), (2, 2, 4, 4, True), (0, 1, 1, 5, False)]
    assert [v.id for v in d.incomplete_visits] == [world["v"][2].id]
    # the trend counts complete visits only; March has only the incomplete one
    assert [(m.month, m.score.conform, m.score.nonconform, m.incomplete_visits) for m in d.months] == [
        ("2026-01", 3, 2, 0), ("2026-02", 2, 2, 0), ("2026-03", 0, 0, 1)]
    assert d.months[2].rate is None and d.months[2].coverage.answered == 1
    assert d.overall.rate == pytest.approx(5 / 9)
    # weights: V1 floor-plan major (3) + clean minor (1)
    assert d.visits[0].score.weighted_nonconform == 4


def test_recurring_problems_are_runs_of_consecutive_visits(db, world) -> None:  # type: ignore[no-untyped-def]
    d = _figures(db, world)
    runs = {(r.institution_name, r.item_id): (r.visits, r.ongoing) for r in d.recurring}
    assert runs == {("甲医院", "basics.entrance.floor-plan"): (3, True), ("乙医院", "basics.toilets.grab-bars"): (2, True)}
    floor = next(r for r in d.recurring if r.item_id == "basics.entrance.floor-plan")
    assert floor.visit_ids == tuple(v.id for v in world["v"])
    assert (floor.first_date, floor.last_date) == (date(2026, 1, 10), date(2026, 3, 10))
    # aed-map failed once (V2), clean failed in V1 and not V2: neither recurs
    assert ("甲医院", "basics.toilets.clean") not in runs


def test_a_conforming_visit_between_breaks_the_run(db, world) -> None:  # type: ignore[no-untyped-def]
    v4 = visits.start_visit(db, institution="甲医院", inspector="张院长", visit_date=date(2026, 3, 25), library=world["lib"])
    _answer(db, v4.id, BASICS[0], "conform")
    v5 = visits.start_visit(db, institution="甲医院", inspector="张院长", visit_date=date(2026, 3, 28), library=world["lib"])
    _answer(db, v5.id, BASICS[0], "nonconform")
    d = _figures(db, world, institutions=["甲医院"])
    floor = [r for r in d.recurring if r.item_id == "basics.entrance.floor-plan"]
    assert [(r.visits, r.ongoing) for r in floor] == [(3, False)]


def test_most_frequent_problems(db, world) -> None:  # type: ignore[no-untyped-def]
    d = _figures(db, world)
    top = [(p.item_id, p.findings, p.visits, p.institutions) for p in d.frequent[:3]]
    # floor-plan: V1, V2, V3; clean: V1 and W2 (two institutions, so before grab-bars: W1, W2)
    assert top == [("basics.entrance.floor-plan", 3, 3, 1), ("basics.toilets.clean", 2, 2, 2),
                   ("basics.toilets.grab-bars", 2, 2, 1)]


def test_heat_map_by_section_and_month(db, world) -> None:  # type: ignore[no-untyped-def]
    heat = _figures(db, world).heatmap
    assert heat.months == ("2026-01", "2026-02", "2026-03")
    cell = lambda s, m: (heat.cells[(s, m)].conform, heat.cells[(s, m)].nonconform)  # noqa: E731
    assert cell("basics/entrance", "2026-01") == (1, 1)  # V1
    assert cell("basics/entrance", "2026-02") == (2, 2)  # V2 both NC, W1 both C
    assert cell("basics/toilets", "2026-02") == (3, 1)
    assert cell("basics/waiting", "2026-02") == (1, 1)  # V2 wait N/A; W1 wait C, tcm-area NC
    assert cell("basics/entrance", "2026-03") == (2, 0)  # W2 only: V3 is incomplete


def test_ranking_uses_the_same_items_and_flags_incomplete_visits(db, world) -> None:  # type: ignore[no-untyped-def]
    ranking = _figures(db, world).ranking
    assert set(ranking.common_items) == set(BASICS)
    rows = {r.name: r for r in ranking.rows}
    assert rows["乙医院"].rank == 1 and rows["乙医院"].rate == pytest.approx(7 / 10)
    assert rows["甲医院"].rank == 2 and rows["甲医院"].rate == pytest.approx(5 / 9)
    assert rows["甲医院"].incomplete_visit_ids == (world["v"][2].id,)
    assert rows["乙医院"].previous_rate is None  # nothing in the previous quarter


def test_change_since_the_previous_period(db, world) -> None:  # type: ignore[no-untyped-def]
    d = dashboard(db, date_from=date(2026, 2, 1), date_to=date(2026, 2, 28), today=TODAY)
    rows = {r.name: r for r in d.ranking.rows}
    # previous period = the 28 days before February: V1 (3 C / 2 NC)
    assert rows["甲医院"].rate == pytest.approx(2 / 4)
    assert rows["甲医院"].previous_rate == pytest.approx(3 / 5)
    assert rows["甲医院"].change == pytest.approx(2 / 4 - 3 / 5)


def test_rectification_figures_by_department(db, world) -> None:  # type: ignore[no-untyped-def]
    v1 = world["v"][0]
    detail = visits.visit_detail(db, v1.id)
    floor = next(f for f in detail.findings if f.item_id == "basics.entrance.floor-plan")
    clean = next(f for f in detail.findings if f.item_id == "basics.toilets.clean")
    rectifications.apply_action(db, floor.id, "verify", note="已整改，现场复核")
    rectifications.update_rectification(db, clean.id, deadline=date(2026, 2, 1))
    d = _figures(db, world, institutions=["甲医院"])
    r = d.rectifications
    # 甲: V1 floor (门诊部, verified), V1 clean (总务科, overdue), V2 floor (门诊部), V2 aed (医务科), V3 floor (门诊部)
    assert (r.total, r.open, r.done, r.overdue) == (5, 4, 1, 1)
    by = {x.department: (x.total, x.open, x.overdue, x.done) for x in r.by_department}
    assert by == {"门诊部": (3, 2, 0, 1), "总务科": (1, 1, 1, 0), "医务科": (1, 1, 0, 0)}
    days = (datetime.now(UTC).date() - v1.visit_date).days
    assert r.median_days_to_close == days
    assert r.closure_rate == pytest.approx(1 / 5)
    # the SQL overdue rule is the core's rule
    rows = rectifications.list_rectifications(db, institution="甲医院", today=TODAY)
    assert sum(is_overdue(x.rectification, TODAY) for x in rows) == r.overdue
    behind = problems_behind(db, make_scope(db, institutions=["甲医院"]), department="总务科", overdue_only=True, today=TODAY)
    assert [p.finding_id for p in behind] == [clean.id]


def test_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    from auditapp.stats.figures import _median

    assert _median([(2, 1), (10, 1)]) == 6
    assert _median([(1, 2), (5, 1)]) == 1
    assert _median([(1, 1), (4, 2), (9, 1)]) == 4
    assert _median([]) is None


def test_one_computation_two_outputs_json_and_xlsx(db, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = _figures(db, world)
    data = dashboard_json(d)
    assert data["overall"]["conform"] == d.overall.conform
    assert [row["institution"] for row in data["ranking"]["rows"]] == ["乙医院", "甲医院"]
    path = write_workbook(d, tmp_path / "figures.xlsx")
    book = load_workbook(path)
    ranking = book["机构排名"]
    assert [c.value for c in ranking[2]][:3] == [1, "乙医院", pytest.approx(0.7)]
    trend = book["月度趋势"]
    assert trend.max_row == 1 + len(d.months)


def test_bad_range_is_refused(empty_db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInputError) as err:
        dashboard(empty_db, date_from=date(2026, 5, 1), date_to=date(2026, 1, 1))
    assert err.value.code == "stats.bad_range"


# -- sync, old databases, the command line ------------------------------------------


def test_roster_and_plan_travel_in_a_package(db, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.sync.api import export_package, import_package

    leaders.set_plan(db, institution="甲医院", leader="张院长", month="2026-04", areas=["basics"], library=world["lib"])
    package = tmp_path / "a.auditpkg"
    # A whole-database package: a partial one (institutions=[…]) with carried-over problems is
    # refused by the importer on main too (FOREIGN KEY constraint failed), reported to sync.
    export_package(db, package)
    other = open_database(tmp_path / "other")
    try:
        import_package(other, package)
        assert [x.name for x in leaders.list_leaders(other, institution="甲医院")] == ["张院长", "李副院长"]
        assert [(p.leader_name, p.month) for p in leaders.list_plans(other)] == [("张院长", "2026-04")]
        matrix = duty.duty_matrix(other, institution="甲医院", month="2026-02", months=1, today=TODAY)
        assert matrix.cell(world["li"].id, "2026-02").done  # type: ignore[union-attr]
    finally:
        other.close()


def test_old_database_upgrades_and_typed_names_count_for_the_duty(data_dir: Path) -> None:
    old = open_database(data_dir, migrate_to="0004", backup=False)
    now = "2026-03-05 08:00:00.000000"
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO institutions (id, name, kind, level, has_obstetrics, alliance_lead, region, notes,"
            " created_at, updated_at, device_id) VALUES ('i1', '老医院', 'tcm', 3, 0, 0, '', '', ?, ?, 'dev')", (now, now))
        conn.exec_driver_sql(
            "INSERT INTO visits (id, institution_id, mode, inspector, title, visit_date, started_at, status, notes,"
            " report_number, created_at, updated_at, device_id) VALUES"
            " ('v1', 'i1', 'self', '周院长', '', '2026-02-11', ?, 'finalized', '', '2026-02-001', ?, ?, 'dev')",
            (now, now, now))
        conn.exec_driver_sql(
            "INSERT INTO findings (id, visit_id, source, text, area, severity, seq, basis, created_at, updated_at,"
            " device_id) VALUES ('f1', 'v1', 'free', '卫生间无纸巾', '一楼', 'minor', 1, '[]', ?, ?, 'dev')", (now, now))
    old.close()
    db = open_database(data_dir)
    try:
        assert db.open_report.migrated_from == "0004"
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT leader_id FROM visits WHERE id='v1'").scalar() is None
            assert conn.exec_driver_sql("SELECT text FROM findings WHERE id='f1'").scalar() == "卫生间无纸巾"
        leaders.add_leader(db, institution="老医院", name="周院长", role="院长")
        matrix = duty.duty_matrix(db, institution="老医院", month="2026-02", months=1, today=TODAY)
        assert [c.state for c in matrix.cells] == ["done"]
    finally:
        db.close()


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # In-process (cli_support): same exit code, stdout and stderr; messages in English (conftest).
    return run_main(data_dir, "--data-dir", str(data_dir), *args)


def test_cli_leader_duty_and_stats(data_dir: Path) -> None:
    db = open_database(data_dir)
    institutions.add_institution(db, name="丙医院", kind="general", level=2)
    db.close()
    added = _cli(data_dir, "leader", "add", "--institution", "丙医院", "--name", "吴院长", "--role", "院长", "--json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["role"] == "president"
    listed = json.loads(_cli(data_dir, "leader", "list", "--institution", "丙医院", "--json").stdout)
    assert [r["name"] for r in listed] == ["吴院长"]
    cells = json.loads(_cli(data_dir, "duty", "--institution", "丙医院", "--months", "2", "--json").stdout)["cells"]
    assert len(cells) == 2 and all({"leader", "month", "done", "visit_ids"} <= set(c) for c in cells)
    assert [c["done"] for c in cells] == [False, False]
    bad = _cli(data_dir, "duty", "--month", "2026-13")
    assert bad.returncode == 1 and "not a month" in bad.stderr and "Traceback" not in bad.stderr
    stats = _cli(data_dir, "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["rectifications"]["total"] == 0
    refused = _cli(data_dir, "leader", "add", "--institution", "丙医院", "--name", "吴院长", "--role", "院长")
    assert refused.returncode == 1 and "already has" in refused.stderr
    assert len(json.loads(_cli(data_dir, "leader", "list", "--json").stdout)) == 1


def test_visit_new_with_leader_from_the_command_line(data_dir: Path) -> None:
    db = open_database(data_dir)
    institutions.add_institution(db, name="丁医院", kind="general", level=2)
    leaders.add_leader(db, institution="丁医院", name="郑书记", role="党委书记")
    db.close()
    made = _cli(data_dir, "visit", "new", "--institution", "丁医院", "--leader", "郑书记", "--json")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["inspector"] == "郑书记"
    cells = json.loads(_cli(data_dir, "duty", "--institution", "丁医院", "--months", "1", "--json").stdout)["cells"]
    # started but nothing recorded yet: not done
    assert cells[0]["done"] is False


def test_the_same_figures_on_postgresql(db, world, pg_url: str) -> None:  # noqa: F811 (fixture)  # type: ignore[no-untyped-def]
    """A bureau's shared server computes what a laptop does (month, days and FILTER differ by dialect)."""
    import sqlalchemy as sa

    from auditapp.stats.duty import duty_cells
    from auditapp.stats.figures import compute_dashboard
    from auditapp.sync.api import sync_with

    sync_with(db, pg_url)
    scope = make_scope(db, date_from=date(2026, 1, 1), date_to=date(2026, 3, 31))
    local = compute_dashboard(db, scope, today=TODAY, language="zh_CN")
    engine = sa.create_engine(pg_url)
    try:
        remote = compute_dashboard(engine, scope, today=TODAY, language="zh_CN")
        with engine.connect() as conn:
            cells = duty_cells(conn, institution_ids=(world["a"].id,), months=["2026-01", "2026-02"], today=TODAY)
    finally:
        engine.dispose()
    assert dashboard_json(remote) == dashboard_json(local)
    assert [c.state for c in cells] == ["done", "missing", "inactive", "done"]


def test_the_bureau_summary_takes_its_figures_from_the_same_computation(db, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.reports.summary import write_summary_report
    from auditapp.reports.summary_data import summary_data

    data = summary_data(db, date_from=date(2026, 1, 1), date_to=date(2026, 3, 31), today=TODAY, language="zh_CN")
    a = next(i for i in data.institutions if i.name == "甲医院")
    # complete visits V1 + V2 only; V3 (1 of 5 answered) is left out of the scores
    assert (a.visits, a.overall.conform, a.overall.nonconform) == (3, 5, 4)
    assert a.monthly == {"2026-01": pytest.approx(3 / 5), "2026-02": pytest.approx(2 / 4)}
    themes = {t: (r.conform, r.nonconform, r.not_applicable) for t, r in a.themes.items()}
    assert themes == {"门诊入口": (1, 3, 0), "卫生间": (3, 1, 0), "候诊": (1, 0, 1)}
    assert (a.findings, a.open_rectifications, a.verified_rectifications) == (5, 5, 0)
    figures = dashboard(db, date_from=date(2026, 1, 1), date_to=date(2026, 3, 31), today=TODAY, language="zh_CN")
    assert [(p.text, p.count) for p in data.problems] == [(p.text, p.findings) for p in figures.frequent]
    pdf = tmp_path / "summary.pdf"
    write_summary_report(data, pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "甲医院" in text and "乙医院" in text
