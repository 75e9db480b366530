"""Services: institutions, visits with snapshots, answers, findings, rectifications, change log."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from auditapp.checklists import load_library
from auditapp.db.models import ChangeLogEntry, ChecklistSnapshot, Finding
from auditapp.errors import InvalidInputError, NotFoundError, TransitionError, VisitFinalizedError
from auditapp.services import institutions, rectifications, visits


@pytest.fixture
def tcm(db):  # type: ignore[no-untyped-def]
    return institutions.add_institution(db, name="示例中医院", kind="tcm", level=3, alliance_lead=True)


@pytest.fixture
def general(db):  # type: ignore[no-untyped-def]
    return institutions.add_institution(db, name="示例人民医院", kind="general", level=2, has_obstetrics=True)


def _item_ids(db, visit_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [v.item.id for v in visits.visit_detail(db, visit_id).items]


def test_institution_names_are_unique(db, tcm) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInputError, match="already exists"):
        institutions.add_institution(db, name="示例中医院", kind="general", level=1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": " ", "kind": "tcm", "level": 3}, "needs a name"),
        ({"name": "x", "kind": "hospital", "level": 3}, "unknown institution kind 'hospital'"),
        ({"name": "x", "kind": "tcm", "level": 4}, "unknown level 4"),
    ],
)
def test_bad_institution_input_is_refused(db, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInputError, match=message):
        institutions.add_institution(db, **kwargs)
    assert institutions.list_institutions(db) == []


def test_tcm_visit_uses_the_tcm_template_and_its_tcm_items(db, tcm, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visit = visits.start_visit(db, institution=tcm.id, inspector="王院长", library=fixture_library)
    assert visit.checklist_ids == ["basics", "tcm-extra"]
    ids = _item_ids(db, visit.id)
    assert "basics.waiting.tcm-area" in ids
    assert "tcm-extra.culture.boards" in ids
    assert "basics.waiting.mdt" in ids  # alliance lead: ▲ applies
    assert "basics.waiting.labour-analgesia" not in ids  # no obstetrics: ＃ does not
    assert visit.report_number == f"{date.today().year}-{date.today().month:02d}-001"


def test_general_visit_leaves_out_tcm_items_and_follows_level_and_obstetrics(db, general, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visit = visits.start_visit(db, institution="示例人民医院", inspector="李书记", library=fixture_library)
    assert visit.checklist_ids == ["basics"]
    ids = _item_ids(db, visit.id)
    assert "basics.waiting.tcm-area" not in ids
    assert "basics.waiting.mdt" not in ids  # level 2, not a lead hospital
    assert "basics.waiting.labour-analgesia" in ids


def test_a_tcm_checklist_cannot_be_forced_on_a_general_hospital(db, general, fixture_library) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInputError, match="does not apply"):
        visits.start_visit(db, institution=general.id, inspector="x", checklist_ids=["tcm-extra"], library=fixture_library)


def test_later_edits_of_the_checklist_file_never_change_an_old_visit(db, tcm, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from conftest import LIBRARY_FIXTURE

    lib_dir = tmp_path / "lib"
    shutil.copytree(LIBRARY_FIXTURE, lib_dir)
    old = visits.start_visit(db, institution=tcm.id, inspector="a", library=load_library(lib_dir))
    path = lib_dir / "basics.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["version"] = 2
    data["sections"][0]["items"][0]["question"] = "改过的问题？"
    del data["sections"][1]["items"][1]  # grab bars removed from the library
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    new = visits.start_visit(db, institution=tcm.id, inspector="a", library=load_library(lib_dir))

    old_items = {v.item.id: v.item for v in visits.visit_detail(db, old.id).items}
    new_items = {v.item.id: v.item for v in visits.visit_detail(db, new.id).items}
    assert old_items["basics.entrance.floor-plan"].question.startswith("就诊区域是否设置")
    assert new_items["basics.entrance.floor-plan"].question == "改过的问题？"
    assert "basics.toilets.grab-bars" in old_items and "basics.toilets.grab-bars" not in new_items
    with db.session() as s:
        versions = sorted(s.scalars(select(ChecklistSnapshot.version).where(ChecklistSnapshot.checklist_id == "basics")))
    assert versions == [1, 2]


def test_same_checklist_content_is_snapshotted_once(db, tcm, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visits.start_visit(db, institution=tcm.id, inspector="a", library=fixture_library)
    visits.start_visit(db, institution=tcm.id, inspector="b", library=fixture_library)
    with db.session() as s:
        assert len(s.scalars(select(ChecklistSnapshot)).all()) == 2  # basics + tcm-extra


def test_nonconform_answer_opens_a_finding_with_rectification_and_defaults(db, tcm, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visit = visits.start_visit(db, institution=tcm.id, inspector="王", library=fixture_library)
    answer = visits.answer_item(db, visit.id, "basics.entrance.floor-plan", result="nonconform", note="入口无平面图")
    assert answer.department == "门诊部"  # the item's default department
    assert answer.severity == "major"  # the item's default severity
    detail = visits.visit_detail(db, visit.id)
    [finding] = detail.findings
    assert finding.id == answer.finding_id
    assert "入口无平面图" in finding.text and finding.area == "门诊入口"
    assert finding.rectification is not None and finding.rectification.status == "open"
    view = next(v for v in detail.items if v.item.id == "basics.entrance.floor-plan")
    assert view.needs_photo  # photo required when nonconforming, none attached


def test_many_answers_in_one_call_follow_the_same_rules_all_or_none(db, tcm, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visit = visits.start_visit(db, institution=tcm.id, inspector="王", library=fixture_library)
    good = visits.AnswerInput("basics.toilets.clean", result="conform")
    with pytest.raises(InvalidInputError):
        visits.answer_items(db, visit.id, [good, visits.AnswerInput("basics.entrance.floor-plan", result="maybe")])
    with pytest.raises(NotFoundError):
        visits.answer_items(db, visit.id, [good, visits.AnswerInput("no.such.item")])
    assert all(v.answer is None for v in visits.visit_detail(db, visit.id).items)  # nothing of a refused batch is kept
    recorded = visits.answer_items(db, visit.id, [
        visits.AnswerInput("basics.entrance.floor-plan", result="nonconform", note="入口无平面图"),
        visits.AnswerInput("basics.waiting.wait-time", value=60),
        visits.AnswerInput("basics.toilets.clean", result="conform"),
    ])
    assert recorded == 3
    detail = visits.visit_detail(db, visit.id)
    by_item = {v.item.id: v.answer for v in detail.items if v.answer is not None}
    assert by_item["basics.waiting.wait-time"].result == "nonconform"  # 60 min against its target, as answer_item judges
    assert by_item["basics.entrance.floor-plan"].department == "门诊部"  # the item's default department
    assert sorted(f.item_id for f in detail.findings) == ["basics.entrance.floor-plan", "basics.waiting.wait-time"]
    assert all(f.rectification is not None and f.rectification.status == "open" for f in detail.findings)


def test_changing_a_nonconformity_to_conform_withdraws_its_finding(db, tcm, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visit = visits.start_visit(db, institution=tcm.id, inspector="王", library=fixture_library)
    first = visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform")
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="conform")
    assert visits.visit_detail(db, visit.id).findings == []
    again = visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform")
    assert again.finding_id == first.finding_id  # the same finding comes back, not a duplicate
    with db.session() as s:
        assert len(s.scalars(select(Finding)).all()) == 1


def test_duration_value_is_judged_against_its_target(db, tcm, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visit = visits.start_visit(db, institution=tcm.id, inspector="王", library=fixture_library)
    assert visits.answer_item(db, visit.id, "basics.waiting.wait-time", value="25").result == "conform"
    late = visits.answer_item(db, visit.id, "basics.waiting.wait-time", value="47")
    assert late.result == "nonconform" and late.value == "47" and late.finding_id


def test_unknown_item_and_visit_give_clear_errors(db, tcm, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visit = visits.start_visit(db, institution=tcm.id, inspector="王", library=fixture_library)
    with pytest.raises(NotFoundError, match="not part of visit"):
        visits.answer_item(db, visit.id, "basics.nope", result="conform")
    with pytest.raises(NotFoundError, match="no visit"):
        visits.answer_item(db, "ffffffff-0000", "basics.toilets.clean", result="conform")


def test_score_counts_conform_over_judged_and_weights_severity(db, tcm, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visit = visits.start_visit(db, institution=tcm.id, inspector="王", library=fixture_library)
    visits.answer_item(db, visit.id, "basics.entrance.floor-plan", result="nonconform")  # major
    visits.answer_item(db, visit.id, "basics.entrance.aed-map", result="conform")
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="conform")
    visits.answer_item(db, visit.id, "basics.toilets.grab-bars", result="na")
    info = visits.get_visit(db, visit.id)
    assert info.score.conform == 2 and info.score.nonconform == 1 and info.score.not_applicable == 1
    assert info.score.rate == pytest.approx(2 / 3)
    assert info.score.weighted_nonconform == 3
    assert info.answered_count == 4


def test_free_finding_gets_a_rectification_and_department(db, tcm, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visit = visits.start_visit(db, institution=tcm.id, inspector="王", library=fixture_library)
    finding = visits.add_finding(db, visit.id, text="自助机无人指导", area="大厅", severity="major", department="门诊部")
    assert finding.source == "free" and finding.department == "门诊部"
    assert finding.rectification is not None and finding.rectification.status == "open"
    assert [d.name for d in institutions.list_departments(db, tcm.id)] == ["门诊部"]


def test_finalized_visit_is_read_only_and_amendments_are_logged(db, tcm, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visit = visits.start_visit(db, institution=tcm.id, inspector="王", library=fixture_library)
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="conform")
    result = visits.finalize_visit(db, visit.id)
    assert result.visit.status == "finalized"
    assert any("not answered" in w for w in result.warnings)
    with pytest.raises(VisitFinalizedError):
        visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform")
    with pytest.raises(VisitFinalizedError):
        visits.add_finding(db, visit.id, text="x")
    with pytest.raises(InvalidInputError, match="needs a reason"):
        visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform", amend=True)
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform", amend=True, reason="复核照片后更正")
    with db.session() as s:
        reasons = s.scalars(select(ChangeLogEntry.reason).where(ChangeLogEntry.entity == "answers")).all()
    assert "amendment: 复核照片后更正" in reasons


def test_change_log_records_old_and_new_values(db, tcm, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visit = visits.start_visit(db, institution=tcm.id, inspector="王", library=fixture_library)
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="conform")
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform")
    with db.session() as s:
        updates = s.scalars(
            select(ChangeLogEntry).where(ChangeLogEntry.entity == "answers", ChangeLogEntry.action == "update")
        ).all()
        assert any(e.changes.get("result") == ["conform", "nonconform"] for e in updates)
        assert all(e.actor == "tester" and e.device_id == db.device_id for e in updates)


def test_rectification_workflow_and_history(db, tcm, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visit = visits.start_visit(db, institution=tcm.id, inspector="王", library=fixture_library)
    finding = visits.add_finding(db, visit.id, text="候诊椅不足")
    with pytest.raises(TransitionError, match="cannot go from open to closed"):
        rectifications.update_rectification(db, finding.id, status="closed")
    with pytest.raises(TransitionError, match="needs the measures"):
        rectifications.update_rectification(db, finding.id, status="reported_fixed")
    rect = rectifications.update_rectification(
        db, finding.id, owner="张主任", deadline=date.today() - timedelta(days=1), department="总务科"
    )
    assert rect.overdue and rect.department == "总务科"
    rectifications.update_rectification(db, finding.id, status="reported_fixed", measures="已增加座椅")
    with pytest.raises(TransitionError, match="after-photo or a verification note"):
        rectifications.update_rectification(db, finding.id, status="verified")
    rect = rectifications.update_rectification(db, finding.id, status="verified", note="现场复查已增加 6 把座椅")
    assert rect.status == "verified" and rect.verified_at is not None and not rect.overdue
    with db.session() as s:
        from auditapp.db.models import Rectification

        row = s.get(Rectification, rect.id)
        assert [(e.status_from, e.status_to, e.action) for e in row.events] == [
            (None, "open", "create"),
            ("open", "open", "reassign"),
            ("open", "reported_fixed", "report"),
            ("reported_fixed", "verified", "verify"),
        ]


def test_open_rectifications_carry_over_to_the_next_visit(db, tcm, fixture_library) -> None:  # type: ignore[no-untyped-def]
    first = visits.start_visit(db, institution=tcm.id, inspector="王", library=fixture_library)
    open_one = visits.add_finding(db, first.id, text="无障碍通道堆放杂物")
    fixed = visits.add_finding(db, first.id, text="饮水机无水")
    rectifications.update_rectification(db, fixed.id, status="verified", note="现场已加水")
    visits.finalize_visit(db, first.id)

    second = visits.start_visit(db, institution=tcm.id, inspector="王", library=fixture_library)
    assert second.carried_over == 1
    [carried] = visits.visit_detail(db, second.id).findings
    assert carried.source == "carried" and carried.carried_from_id == open_one.id
    assert carried.rectification is not None and carried.rectification.id == open_one.rectification.id
    # The new visit's problem list shows it for re-checking; the institution counts it once.
    assert [r.finding.id for r in rectifications.list_rectifications(db, visit=second.id)] == [carried.id]
    assert len(rectifications.list_rectifications(db, institution=tcm.id, status="open")) == 1
    # Verifying through the carried finding closes the original rectification.
    assert second.open_rectifications == 1  # the carried-over item is still to be fixed
    rectifications.update_rectification(db, carried.id, status="verified", note="通道已清理")
    assert rectifications.list_rectifications(db, institution=tcm.id, status="open") == []
    assert institutions.list_institutions(db)[0].open_rectifications == 0


def test_list_visits_filters_by_institution(db, tcm, general, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visits.start_visit(db, institution=tcm.id, inspector="a", library=fixture_library)
    visits.start_visit(db, institution=general.id, inspector="b", library=fixture_library)
    assert [v.institution_name for v in visits.list_visits(db, institution=tcm.name)] == ["示例中医院"]
    assert len(visits.list_visits(db)) == 2


def test_clear_answer_returns_the_item_to_unanswered(db, tcm, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visit = visits.start_visit(db, institution=tcm.id, inspector="a", library=fixture_library)
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform")
    visits.clear_answer(db, visit.id, "basics.toilets.clean")
    detail = visits.visit_detail(db, visit.id)
    assert detail.findings == []
    assert next(v for v in detail.items if v.item.id == "basics.toilets.clean").answer is None


def test_item_view_matches_the_visit_detail(db, tcm, fixture_library) -> None:  # type: ignore[no-untyped-def]
    visit = visits.start_visit(db, institution=tcm.id, inspector="a", library=fixture_library)
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform", note="无纸巾")
    for view in visits.visit_detail(db, visit.id).items[:4]:
        assert visits.item_view(db, visit.id, view.item.id) == view
