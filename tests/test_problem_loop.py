"""The problem loop in the services: one department everywhere, problem statements, stale
edits, amendments, editing and deleting mistakes, the rectification lifecycle, timer and
AED problems (issue 12 points 2, 3, 5–10, 16)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from auditapp.db import open_database
from auditapp.db.models import ChangeLogEntry, Finding, Photo, Rectification, RectificationEvent
from auditapp.errors import InvalidInputError, StaleEditError, TransitionError, VisitFinalizedError
from auditapp.rules import rectification as lifecycle
from auditapp.services import floorplans, institutions, journey, rectifications, trash, visits
from test_sync_support import direct_sync, dump, jpeg_file


@pytest.fixture
def inst(db):  # type: ignore[no-untyped-def]
    return institutions.add_institution(db, name="示例中医院", kind="tcm", level=3, alliance_lead=True)


@pytest.fixture
def visit(db, inst, fixture_library):  # type: ignore[no-untyped-def]
    return visits.start_visit(db, institution=inst.id, inspector="王院长", library=fixture_library)


def _finding(db, visit_id: str, item_id: str) -> visits.FindingInfo:  # type: ignore[no-untyped-def]
    return next(f for f in visits.visit_detail(db, visit_id).findings if f.item_id == item_id)


# --- one department, everywhere ------------------------------------------------------


def test_department_chosen_after_nonconform_reaches_problem_and_rectification(db, visit) -> None:  # type: ignore[no-untyped-def]
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform")
    assert _finding(db, visit.id, "basics.toilets.clean").rectification.department == "总务科"  # the item's default
    visits.answer_item(db, visit.id, "basics.toilets.clean", department="后勤保障部")
    finding = _finding(db, visit.id, "basics.toilets.clean")
    assert finding.department == "后勤保障部"
    assert finding.rectification.department == "后勤保障部"
    [row] = rectifications.list_rectifications(db, visit=visit.id)
    assert row.rectification.department == "后勤保障部"
    history = rectifications.rectification_history(db, finding.id)
    assert history[-1].action == "reassign" and history[-1].note == "总务科 → 后勤保障部"


def test_department_changed_on_the_rectification_shows_on_the_answer(db, visit) -> None:  # type: ignore[no-untyped-def]
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform")
    finding = _finding(db, visit.id, "basics.toilets.clean")
    rectifications.update_rectification(db, finding.id, department="保卫科")
    view = visits.item_view(db, visit.id, "basics.toilets.clean")
    assert view.answer.department == "保卫科"
    assert _finding(db, visit.id, "basics.toilets.clean").department == "保卫科"


def test_department_of_a_carried_over_problem_follows_the_original(db, inst, visit, fixture_library) -> None:  # type: ignore[no-untyped-def]
    original = visits.add_finding(db, visit.id, text="走廊堆放杂物", department="门诊部")
    visits.finalize_visit(db, visit.id)
    second = visits.start_visit(db, institution=inst.id, inspector="王院长", library=fixture_library)
    [carried] = visits.visit_detail(db, second.id).findings
    rectifications.update_rectification(db, carried.id, department="总务科")
    detail = {f.id: f for f in visits.visit_detail(db, visit.id).findings}
    assert detail[original.id].department == "总务科"
    assert visits.visit_detail(db, second.id).findings[0].department == "总务科"


# --- what to fix ------------------------------------------------------------------------


def test_problem_statement_is_never_the_question(db, visit, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform")
    finding = _finding(db, visit.id, "basics.toilets.clean")
    item = fixture_library.get("basics").sections[1].items[0]
    # in the reader's language (the suite runs in English; the fixture items state problems in both)
    assert finding.statement == item.problem_statement("en") == item.problem_en
    assert "是否" not in finding.statement and not finding.statement.endswith(("？", "?"))
    assert finding.question == item.question
    visits.answer_item(db, visit.id, "basics.toilets.clean", note="二楼男卫生间地面积水")
    assert _finding(db, visit.id, "basics.toilets.clean").statement == "二楼男卫生间地面积水"


def test_measured_value_is_shown_against_its_target(db, visit) -> None:  # type: ignore[no-untyped-def]
    visits.answer_item(db, visit.id, "basics.waiting.wait-time", value=60)
    finding = _finding(db, visit.id, "basics.waiting.wait-time")
    assert finding.measured is not None
    assert finding.measured.text("zh_CN") == "60 分钟（要求 ≤ 30 分钟）"
    assert finding.measured.text("en") == "60 min (target ≤ 30 min)"


def test_location_names_the_floor_plan_and_pin(db, inst, visit, tmp_path) -> None:  # type: ignore[no-untyped-def]
    plan = floorplans.add_floor_plan(db, inst.id, jpeg_file(tmp_path, 1), name="门诊楼", floor="1F")
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform")
    floorplans.add_pin(db, plan.id, kind="finding", x=0.2, y=0.3, label="东侧卫生间", visit=visit.id,
                       item_id="basics.toilets.clean")
    finding = _finding(db, visit.id, "basics.toilets.clean")
    assert [(p.plan_name, p.floor, p.pin_label) for p in finding.location.plans] == [("门诊楼", "1F", "东侧卫生间")]
    assert finding.location.text("zh_CN").endswith("门诊楼 1F「东侧卫生间」")


def test_finalize_check_names_the_items_to_go_back_to(db, visit) -> None:  # type: ignore[no-untyped-def]
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform")  # photo required, no note
    visits.answer_item(db, visit.id, "basics.toilets.grab-bars", result="nonconform", note="扶手松动")
    check = visits.finalize_check(db, visit.id)
    assert check.missing_photo == ("basics.toilets.clean",)
    assert check.missing_note == ("basics.toilets.clean",)
    assert "basics.entrance.floor-plan" in check.unanswered and "basics.toilets.clean" not in check.unanswered
    result = visits.finalize_visit(db, visit.id)
    assert result.check == check and any("basics.toilets.clean" in w for w in result.warnings)


# --- stale edits ------------------------------------------------------------------------


def test_stale_answer_edit_is_refused_and_changes_nothing(db, visit) -> None:  # type: ignore[no-untyped-def]
    shown = visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform", note="原记录")
    newer = visits.answer_item(db, visit.id, "basics.toilets.clean", note="命令行改过")  # e.g. a CLI write
    before = dump(db)
    with pytest.raises(StaleEditError, match="changed after it was shown"):
        visits.answer_item(db, visit.id, "basics.toilets.clean", note="窗口里的旧内容", expected_updated_at=shown.updated_at)
    assert dump(db) == before
    ok = visits.answer_item(db, visit.id, "basics.toilets.clean", note="核对后再改", expected_updated_at=newer.updated_at)
    assert ok.note == "核对后再改"


def test_stale_rectification_edit_is_refused(db, visit) -> None:  # type: ignore[no-untyped-def]
    finding = visits.add_finding(db, visit.id, text="候诊椅不足")
    shown = finding.rectification
    rectifications.update_rectification(db, finding.id, owner="张主任")
    with pytest.raises(StaleEditError):
        rectifications.update_rectification(db, finding.id, owner="李主任", expected_updated_at=shown.updated_at)
    [row] = rectifications.list_rectifications(db, visit=visit.id)
    assert row.rectification.owner == "张主任"


def test_stale_error_is_worded_for_each_audience_in_chinese() -> None:
    error = StaleEditError("record.changed_elsewhere", what=visits.Term("record", "answer"), at="10:00:00")
    assert "作答" in error.message("zh_CN") and "已被修改" in error.message("zh_CN")
    assert "--" not in error.hint("zh_CN", "gui") and error.hint("zh_CN", "gui") != error.hint("zh_CN", "cli")


# --- amendments -----------------------------------------------------------------------------


def test_amending_a_finalized_visit_needs_a_reason_and_logs_every_change(db, visit) -> None:  # type: ignore[no-untyped-def]
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="conform")
    visits.finalize_visit(db, visit.id)
    with pytest.raises(VisitFinalizedError) as info:
        visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform")
    assert "修改（需说明原因）" in info.value.hint("zh_CN", "gui")
    with pytest.raises(InvalidInputError, match="needs a reason"):
        visits.begin_amendment(db, visit.id, "  ")
    amendment = visits.begin_amendment(db, visit.id, "复核照片后更正")
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform", note="地面积水",
                       department="后勤保障部", amend=True, reason=amendment.reason)
    info2 = visits.get_visit(db, visit.id)
    assert info2.status == "finalized" and info2.amended and info2.amendments[0].reason == "复核照片后更正"
    with db.session() as s:
        entries = s.scalars(select(ChangeLogEntry).where(ChangeLogEntry.entity.in_(("answers", "findings", "rectifications")))
                            .order_by(ChangeLogEntry.at)).all()
        amended = [e for e in entries if e.at >= amendment.at]
    assert amended and all(e.reason == "amendment: 复核照片后更正" for e in amended)
    assert {e.entity for e in amended} >= {"answers", "findings", "rectifications"}


# --- mistakes can be undone ---------------------------------------------------------------


def test_free_problem_can_be_edited_and_deleted_and_restored(db, visit) -> None:  # type: ignore[no-untyped-def]
    finding = visits.add_finding(db, visit.id, text="自助机旁无人指导", area="门诊大厅")
    edited = visits.update_finding(db, finding.id, text="自助机旁无导医", severity="major", department="门诊部")
    assert (edited.text, edited.severity, edited.department) == ("自助机旁无导医", "major", "门诊部")
    assert edited.rectification.department == "门诊部"
    visits.delete_finding(db, finding.id)
    assert visits.visit_detail(db, visit.id).findings == []
    assert rectifications.list_rectifications(db, visit=visit.id) == []
    visits.restore_finding(db, finding.id)
    assert [f.id for f in visits.visit_detail(db, visit.id).findings] == [finding.id]


def test_problem_from_an_answer_is_changed_through_the_answer(db, visit) -> None:  # type: ignore[no-untyped-def]
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform")
    finding = _finding(db, visit.id, "basics.toilets.clean")
    with pytest.raises(InvalidInputError, match="nonconforming answer"):
        visits.update_finding(db, finding.id, text="x")
    with pytest.raises(InvalidInputError, match="nonconforming answer"):
        visits.delete_finding(db, finding.id)


def test_deleted_visit_leaves_lists_and_comes_back_whole(db, inst, visit, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.services import photos

    visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform")
    kept = visits.add_finding(db, visit.id, text="走廊灯不亮")
    gone_before = visits.add_finding(db, visit.id, text="录错的问题")
    visits.delete_finding(db, gone_before.id)
    photos.add_photos(db, visit.id, [jpeg_file(tmp_path, 2)], item_id="basics.toilets.clean")
    photo_files = sorted(p.name for p in (db.data_dir / "photos").rglob("*") if p.is_file())

    entry = trash.delete_visit(db, visit.id)
    assert visits.list_visits(db) == [] and rectifications.list_rectifications(db, institution=inst.id) == []
    assert institutions.list_institutions(db)[0].visit_count == 0
    assert [(e.id, e.kind) for e in trash.list_trash(db)] == [(visit.id, "visit")] and entry.kind == "visit"
    # photo files are evidence: deleting a visit only hides their rows
    assert sorted(p.name for p in (db.data_dir / "photos").rglob("*") if p.is_file()) == photo_files

    trash.restore(db, visit.id)
    detail = visits.visit_detail(db, visit.id)
    assert {f.id for f in detail.findings} == {kept.id, _finding(db, visit.id, "basics.toilets.clean").id}
    assert gone_before.id not in {f.id for f in detail.findings}  # deleted on its own before: stays deleted
    assert trash.list_trash(db) == []
    with db.session() as s:
        assert s.scalar(select(Photo).where(Photo.deleted_at.is_(None))) is not None


def test_deleted_institution_takes_its_visits_and_the_deletion_syncs(db, inst, visit, tmp_path) -> None:  # type: ignore[no-untyped-def]
    other = open_database(tmp_path / "laptop2", actor="李")
    try:
        direct_sync(db, str(other.data_dir))
        assert [i.name for i in institutions.list_institutions(other)] == ["示例中医院"]
        trash.delete_institution(db, inst.id)
        assert institutions.list_institutions(db) == [] and visits.list_visits(db) == []
        assert [e.kind for e in trash.list_trash(db)] == ["institution"]  # its visit is listed under it
        with pytest.raises(InvalidInputError, match="in the trash too"):
            trash.restore(db, visit.id)
        direct_sync(db, str(other.data_dir))
        assert institutions.list_institutions(other) == [] and visits.list_visits(other) == []
        trash.restore(db, inst.id)
        direct_sync(db, str(other.data_dir))
        assert [v.id for v in visits.list_visits(other)] == [visit.id]
    finally:
        other.close()


# --- the rectification lifecycle -----------------------------------------------------------


def test_verification_needs_an_after_photo_or_a_note(db, visit, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.services import photos

    finding = visits.add_finding(db, visit.id, text="候诊区无饮水")
    before = dump(db)
    with pytest.raises(TransitionError, match="after-photo or a verification note"):
        rectifications.apply_action(db, finding.id, "verify")
    assert dump(db) == before
    photos.add_photos(db, visit.id, [jpeg_file(tmp_path, 3)], rectification_id=finding.rectification.id, kind="after")
    rect = rectifications.apply_action(db, finding.id, "verify")
    assert rect.status == "verified" and rect.verified_at is not None


def test_full_lifecycle_with_rejection_extension_and_closing(db, visit) -> None:  # type: ignore[no-untyped-def]
    finding = visits.add_finding(db, visit.id, text="无障碍通道堆放杂物")
    today = date(2026, 12, 1)
    rectifications.update_rectification(db, finding.id, deadline=today + timedelta(days=7))
    rectifications.apply_action(db, finding.id, "start", role="department", actor="总务科（台账回执）")
    with pytest.raises(TransitionError, match="needs the new deadline"):
        rectifications.apply_action(db, finding.id, "request_extension", note="需采购", role="department")
    with pytest.raises(TransitionError, match="after the current one"):
        rectifications.apply_action(db, finding.id, "request_extension", note="需采购", role="department",
                                    new_deadline=today + timedelta(days=3), today=today)
    rect = rectifications.apply_action(db, finding.id, "request_extension", note="需采购货架", role="department",
                                       new_deadline=today + timedelta(days=30), today=today)
    assert rect.status == "extension_requested" and rect.requested_deadline == today + timedelta(days=30)
    with pytest.raises(TransitionError, match="not for the department"):
        rectifications.apply_action(db, finding.id, "accept_extension", role="department")
    rect = rectifications.apply_action(db, finding.id, "accept_extension", today=today)
    assert rect.status == "in_progress" and rect.deadline == today + timedelta(days=30)
    rectifications.apply_action(db, finding.id, "report", measures="已清理并设置货架", role="department")
    rect = rectifications.apply_action(db, finding.id, "reject", note="仍有纸箱")
    assert rect.status == "in_progress" and rect.rounds == 1
    rectifications.apply_action(db, finding.id, "report", role="department")
    rectifications.apply_action(db, finding.id, "verify", note="现场复查通道畅通")
    rect = rectifications.apply_action(db, finding.id, "close")
    assert rect.status == "closed" and rect.closed_at is not None
    with pytest.raises(TransitionError, match="cannot be given"):
        rectifications.apply_action(db, finding.id, "start")
    actions = [e.action for e in rectifications.rectification_history(db, finding.id)]
    assert actions == ["create", "start", "request_extension", "accept_extension", "report", "reject", "report",
                       "verify", "close"]
    assert [a.name for a in rectifications.allowed_actions(db, finding.id)] == ["reopen"]


@pytest.mark.parametrize("status", lifecycle.STATUSES)
def test_every_status_offers_only_actions_the_table_allows(status: str) -> None:
    for role in ("inspector", "department"):
        for action in lifecycle.allowed_actions(status, role):  # type: ignore[arg-type]
            assert status in action.sources and role in action.roles
    if status in lifecycle.DONE_STATUSES:
        assert all(a.roles == ("inspector",) for a in lifecycle.allowed_actions(status, "inspector"))
        assert lifecycle.allowed_actions(status, "department") == []


def test_overdue_uses_the_given_day(db, visit) -> None:  # type: ignore[no-untyped-def]
    finding = visits.add_finding(db, visit.id, text="候诊椅不足")
    rectifications.update_rectification(db, finding.id, deadline=date(2030, 1, 10))
    [row] = rectifications.list_rectifications(db, visit=visit.id, overdue_only=True, today=date(2030, 1, 11))
    assert row.rectification.overdue
    assert rectifications.list_rectifications(db, visit=visit.id, overdue_only=True, today=date(2030, 1, 9)) == []
    [row] = rectifications.list_rectifications(db, visit=visit.id, today=date(2030, 1, 9))
    assert not row.rectification.overdue


# --- timer and AED problems in one step ------------------------------------------------------


def test_long_wait_becomes_the_items_measured_nonconformity(db, inst, real_library) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    visit = visits.start_visit(db, institution=inst.id, inspector="王院长", library=real_library)
    t0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    journey.record_step(db, visit.id, "registration", at=t0)
    journey.record_step(db, visit.id, "consultation", at=t0 + timedelta(minutes=47))
    finding = journey.wait_to_finding(db, visit.id, "registration", "consultation")
    target = next(t for t in journey.JOURNEY_TARGETS if t.first == "registration")
    if target.item_id in {v.item.id for v in visits.visit_detail(db, visit.id).items}:
        assert finding.item_id == target.item_id and finding.measured is not None and finding.measured.value == "47.0"
    else:
        assert finding.source == "journey" and finding.basis[0]["clause"] == "二(二)4"
    again = journey.wait_to_finding(db, visit.id, "registration", "consultation")
    assert again.id == finding.id and len(visits.visit_detail(db, visit.id).findings) == 1


def test_wait_without_an_item_becomes_a_cited_problem_once(db, visit) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    t0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    journey.record_step(db, visit.id, "waiting", at=t0)
    journey.record_step(db, visit.id, "consultation", at=t0 + timedelta(minutes=41))
    finding = journey.wait_to_finding(db, visit.id, "waiting", "consultation")
    assert finding.source == "journey" and "41 分钟" in finding.statement
    assert finding.basis == ({"source": "yubei-2023", "clause": "二(二)4", "quote": "力争患者门诊等候时间控制在30分钟以内"},)
    assert journey.wait_to_finding(db, visit.id, "waiting", "consultation").id == finding.id
    journey.record_step(db, visit.id, "consultation", at=t0 + timedelta(minutes=20))
    with pytest.raises(InvalidInputError, match="within the 30 min target"):
        journey.wait_to_finding(db, visit.id, "waiting", "consultation")


def test_faulty_aed_becomes_a_problem_linked_to_its_pin(db, inst, visit, tmp_path) -> None:  # type: ignore[no-untyped-def]
    plan = floorplans.add_floor_plan(db, inst.id, jpeg_file(tmp_path, 4), name="门诊楼", floor="1F")
    ok = floorplans.add_pin(db, plan.id, kind="aed", x=0.5, y=0.5, label="挂号处", status="ok")
    with pytest.raises(InvalidInputError, match="not a problem"):
        floorplans.aed_to_finding(db, ok.id, visit.id)
    pin = floorplans.add_pin(db, plan.id, kind="aed", x=0.6, y=0.5, label="急诊入口", status="faulty")
    finding = floorplans.aed_to_finding(db, pin.id, visit.id, department="医务科")
    assert finding.source == "aed" and "急诊入口" in finding.statement and finding.rectification.department == "医务科"
    assert finding.basis and finding.basis[0]["source"] == "huaian-2023"
    assert [p.finding_id for p in floorplans.list_pins(db, plan=plan.id) if p.id == pin.id] == [finding.id]
    assert floorplans.aed_to_finding(db, pin.id, visit.id).id == finding.id


def test_pin_can_be_linked_to_any_problem_and_unlinked(db, inst, visit, tmp_path) -> None:  # type: ignore[no-untyped-def]
    plan = floorplans.add_floor_plan(db, inst.id, jpeg_file(tmp_path, 5), name="门诊楼")
    pin = floorplans.add_pin(db, plan.id, kind="finding", x=0.1, y=0.1, visit=visit.id)
    first = visits.add_finding(db, visit.id, text="问题一")
    floorplans.link_pin(db, pin.id, finding_id=first.id)
    floorplans.link_pin(db, pin.id, item_id="basics.toilets.grab-bars")
    linked = floorplans.link_pin(db, pin.id)
    assert linked.finding_id is None and linked.answer_id is None


# --- an old database keeps its rectification history ------------------------------------------


def test_upgrade_turns_reopened_into_a_counted_round(data_dir: Path) -> None:
    old = open_database(data_dir, migrate_to="0003", backup=False)
    now = "2026-03-05 08:00:00.000000"
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO institutions (id, name, kind, level, has_obstetrics, alliance_lead, region, notes,"
            " created_at, updated_at, device_id) VALUES ('i1', '老数据医院', 'tcm', 3, 0, 1, '', '', ?, ?, 'dev')",
            (now, now),
        )
        conn.exec_driver_sql(
            "INSERT INTO visits (id, institution_id, mode, inspector, title, visit_date, started_at, status, notes,"
            " report_number, created_at, updated_at, device_id) VALUES ('v1', 'i1', 'self', '院长', '', '2026-03-05', ?,"
            " 'finalized', '', '2026-03-001', ?, ?, 'dev')",
            (now, now, now),
        )
        conn.exec_driver_sql(
            "INSERT INTO findings (id, visit_id, source, text, area, severity, seq, created_at, updated_at, device_id)"
            " VALUES ('f1', 'v1', 'free', '卫生间无纸巾', '一楼', 'minor', 1, ?, ?, 'dev')",
            (now, now),
        )
        conn.exec_driver_sql(
            "INSERT INTO rectifications (id, finding_id, owner, measures, status, created_at, updated_at, device_id)"
            " VALUES ('r1', 'f1', '', '补充纸巾', 'reopened', ?, ?, 'dev')",
            (now, now),
        )
        for n, (a, b) in enumerate([(None, "open"), ("open", "reported_fixed"), ("reported_fixed", "reopened")]):
            conn.exec_driver_sql(
                "INSERT INTO rectification_events (id, rectification_id, at, status_from, status_to, note, actor,"
                " created_at, updated_at, device_id) VALUES (?, 'r1', ?, ?, ?, '', '', ?, ?, 'dev')",
                (f"e{n}", f"2026-03-0{5 + n} 08:00:00.000000", a, b, now, now),
            )
    old.close()
    db = open_database(data_dir)
    try:
        with db.session() as s:
            rect = s.get(Rectification, "r1")
            assert (rect.status, rect.rounds) == ("in_progress", 1)
            events = s.scalars(select(RectificationEvent).order_by(RectificationEvent.at)).all()
            assert [e.action for e in events] == ["create", "report", "reject"]
            assert s.get(Finding, "f1").basis == []
        assert [a.name for a in rectifications.allowed_actions(db, "f1")][:2] == ["report", "verify"]
    finally:
        db.close()
    conn = sqlite3.connect(db.data_dir / "audit.sqlite3")
    from auditapp.db.migrate import head_revision

    # upgraded through 0004 to whatever the newest revision is
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
    conn.close()
