"""Journey timing against the seeds' targets; floor plans, pins and the AED map (service and CLI)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from auditapp.errors import InvalidInputError, PhotoError, VisitFinalizedError
from auditapp.reports.data import visit_report_data
from auditapp.services import floorplans, institutions, journey, visits
from cli_support import InProcessCli
from test_sync_support import new_data_folder

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def visit(db, fixture_library):  # type: ignore[no-untyped-def]
    inst = institutions.add_institution(db, name="计时医院", kind="general", level=3)
    return visits.start_visit(db, institution=inst.id, inspector="王", library=fixture_library)


@pytest.fixture
def plan_image(tmp_path: Path) -> Path:
    path = tmp_path / "plan.png"
    Image.new("RGB", (1600, 900), (240, 240, 240)).save(path)
    return path


def test_waiting_over_thirty_minutes_is_flagged_with_its_clause(db, visit) -> None:  # type: ignore[no-untyped-def]
    for step, minutes in (("arrival", 0), ("registration", 4), ("waiting", 6), ("consultation", 41), ("pharmacy", 60)):
        journey.record_step(db, visit.id, step, at=T0 + timedelta(minutes=minutes))
    spans = {(i.first, i.second): i for i in journey.intervals(journey.list_steps(db, visit.id))}
    wait = spans[("waiting", "consultation")]
    assert wait.minutes == pytest.approx(35) and wait.met is False and "yubei-2023 二(二)4" in wait.basis
    # Registration → doctor is not consecutive but has a target, so it is measured too.
    assert spans[("registration", "consultation")].minutes == pytest.approx(37)
    assert spans[("arrival", "registration")].met is None
    total = [i for i in journey.intervals(journey.list_steps(db, visit.id)) if i.label.startswith("全程")]
    assert total and total[0].minutes == pytest.approx(60)


def test_booked_time_is_measured_only_against_its_target(db, visit) -> None:  # type: ignore[no-untyped-def]
    journey.record_step(db, visit.id, "arrival", at=T0)
    journey.record_step(db, visit.id, "booked", at=T0 + timedelta(minutes=10))
    journey.record_step(db, visit.id, "consultation", at=T0 + timedelta(minutes=35))
    spans = journey.intervals(journey.list_steps(db, visit.id))
    labels = [i.label for i in spans]
    assert "到达医院 → 医生接诊" in labels  # the chain skips the planned time
    booked = next(i for i in spans if i.first == "booked")
    assert booked.minutes == pytest.approx(25) and booked.met is True


def test_restamping_a_step_moves_it_and_custom_steps_need_a_label(db, visit) -> None:  # type: ignore[no-untyped-def]
    journey.record_step(db, visit.id, "arrival", at=T0)
    journey.record_step(db, visit.id, "arrival", at=T0 + timedelta(minutes=3))
    steps = journey.list_steps(db, visit.id)
    assert len(steps) == 1 and steps[0].at == T0 + timedelta(minutes=3)
    with pytest.raises(InvalidInputError, match="unknown journey step"):
        journey.record_step(db, visit.id, "xray")
    journey.record_step(db, visit.id, "xray", label="放射科排队")
    journey.delete_step(db, steps[0].id)
    assert [s.label for s in journey.list_steps(db, visit.id)] == ["放射科排队"]


def test_finalized_visit_takes_no_timing(db, visit) -> None:  # type: ignore[no-untyped-def]
    visits.finalize_visit(db, visit.id)
    with pytest.raises(VisitFinalizedError):
        journey.record_step(db, visit.id, "arrival")


def test_plans_pins_and_the_aed_map_reach_the_report(db, visit, plan_image) -> None:  # type: ignore[no-untyped-def]
    plan = floorplans.add_floor_plan(db, visit.institution_id, plan_image, name="门诊楼一层", floor="1F")
    assert (plan.width, plan.height) == (1600, 900)
    aed = floorplans.add_pin(db, plan.id, kind="aed", x=0.2, y=0.3, label="大厅挂号处旁", status="ok")
    floorplans.add_pin(db, plan.id, kind="finding", x=0.5, y=0.5, label="地面积水", visit=visit.id)
    moved = floorplans.update_pin(db, aed.id, x=0.25, status="faulty")
    assert (moved.x, moved.y, moved.status) == (0.25, 0.3, "faulty")
    (only_plan, aeds), = floorplans.aed_map(db, visit.institution_id)
    assert only_plan.pin_count == 2 and [p.label for p in aeds] == ["大厅挂号处旁"]

    data = visit_report_data(db, visit.id)
    (printed,) = data.floor_plans
    assert printed.image is not None, "the plan image must be placeable in the PDF"
    assert {p.status for p in printed.pins if p.kind == "aed"} == {"faulty"}  # the stored state; the layout words and colours it

    floorplans.delete_pin(db, aed.id)
    assert [p.kind for p in floorplans.list_pins(db, plan=plan.id)] == ["finding"]
    floorplans.delete_floor_plan(db, plan.id)
    assert floorplans.list_floor_plans(db, visit.institution_id) == []


def test_bad_pins_and_plans_are_refused(db, visit, plan_image, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = floorplans.add_floor_plan(db, visit.institution_id, plan_image, name="二层")
    with pytest.raises(InvalidInputError, match="outside the plan"):
        floorplans.add_pin(db, plan.id, kind="aed", x=1.2, y=0.5)
    with pytest.raises(InvalidInputError, match="pin kind"):
        floorplans.add_pin(db, plan.id, kind="toilet", x=0.2, y=0.5)
    with pytest.raises(InvalidInputError, match="linking a pin to an item needs the visit"):
        floorplans.add_pin(db, plan.id, kind="facility", x=0.2, y=0.5, item_id="anything")
    broken = tmp_path / "plan.jpg"
    broken.write_text("not an image")
    with pytest.raises(PhotoError):
        floorplans.add_floor_plan(db, visit.institution_id, broken, name="坏图")
    with pytest.raises(InvalidInputError, match="needs a name"):
        floorplans.add_floor_plan(db, visit.institution_id, plan_image, name=" ")
    assert [p.name for p in floorplans.list_floor_plans(db, visit.institution_id)] == ["二层"]


def test_cli_journey_plan_and_pin(
    data_dir: Path, plan_image: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    new_data_folder(data_dir)  # a copy of a migrated one: creating the database is not what is tested here
    cli = InProcessCli(data_dir, monkeypatch, capsys)
    cli.run("institution", "add", "--name", "命令行医院", "--kind", "general", "--level", "2")
    visit = cli.run("visit", "new", "--institution", "命令行医院", "--inspector", "李").stdout.strip()
    cli.run("journey", "step", visit, "registration", "--at", "2026-11-02T09:00")
    step = cli.json("journey", "step", visit, "consultation", "--at", "2026-11-02T09:45")
    assert step["step"] == "consultation"  # type: ignore[index]
    listing = cli.json("journey", "list", visit)
    over = [i for i in listing["intervals"] if i["target_minutes"] is not None]  # type: ignore[index]
    assert over and over[0]["minutes"] == pytest.approx(45) and over[0]["met"] is False
    assert "OVER" in cli.run("journey", "list", visit).stdout

    plan = cli.json("plan", "add", "命令行医院", str(plan_image), "--name", "门诊一层")
    pin = cli.json("pin", "add", plan["id"], "--kind", "aed", "--x", "0.4", "--y", "0.6", "--status", "ok")  # type: ignore[index]
    cli.run("pin", "update", pin["id"], "--status", "missing")  # type: ignore[index]
    pins = cli.json("pin", "list", "--institution", "命令行医院", "--kind", "aed")
    assert [(p["x"], p["status"]) for p in pins] == [(0.4, "missing")]  # type: ignore[index, union-attr]
    assert "未找到" in cli.run("pin", "list", "--plan", plan["id"]).stdout  # type: ignore[index]
    plans = cli.json("plan", "list", "--institution", "命令行医院")
    assert plans[0]["pin_count"] == 1  # type: ignore[index]
    err = cli.run("pin", "add", plan["id"], "--kind", "aed", "--x", "2", "--y", "0", expect=1)  # type: ignore[index]
    assert "outside the plan" in err.stderr
    err = cli.run("journey", "step", visit, "arrival", "--at", "nine", expect=1)  # a malformed time is bad usage
    assert "is not a time" in err.stderr
