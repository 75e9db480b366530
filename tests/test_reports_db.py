"""Reports from the database through the services: demo data, photos of findings and
rectifications, journey timings, floor plans with pins, the ``report`` commands."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from auditapp.db import Database
from auditapp.progress import Cancelled, CancelToken
from auditapp.reports import (
    ReportCancelled,
    render_followup_report,
    render_rectification_list,
    render_summary_report,
    render_visit_report,
)
from test_reports_support import (
    add_floor_plan,
    add_journey,
    add_photo,
    finding_rows,
    loader_for,
    pdf_fonts,
    pdf_images,
    pdf_info,
    pdf_page_texts,
    pdf_text,
)


@pytest.fixture(autouse=True)
def _chinese_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the Chinese reports (the default); English ones are tested in test_reports_english."""
    monkeypatch.setenv("AUDITAPP_LANG", "zh_CN")


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def hospital(db: Database, fixture_library):  # type: ignore[no-untyped-def]
    """A general hospital with one visit: two checklist findings and one free finding."""
    from auditapp.services.institutions import add_institution
    from auditapp.services.visits import add_finding, answer_item, start_visit

    inst = add_institution(db, name="测试区人民医院", kind="general", level=2, departments=["门诊部", "总务科"])
    visit = start_visit(db, institution=inst.id, inspector="李书记", mode="bureau", visit_date=date(2026, 11, 3), library=fixture_library)
    answer_item(db, visit.id, "basics.entrance.floor-plan", result="nonconform", note="大厅未见平面图")
    answer_item(db, visit.id, "basics.toilets.clean", result="nonconform", note="二楼卫生间地面湿滑有异味")
    answer_item(db, visit.id, "basics.toilets.grab-bars", result="conform")
    answer_item(db, visit.id, "basics.waiting.wait-time", value=42)
    add_finding(db, visit.id, text="停车场入口无空余车位提示，车辆排队影响急救通道", area="停车场", severity="major", department="保卫科")
    return inst, visit


def test_rectification_list_has_findings_basis_and_font(db: Database, hospital, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.services.visits import visit_detail

    _inst, visit = hospital
    out = tmp_path / "list.pdf"
    result = render_rectification_list(db, visit.id, out, library=fixture_library, photo_loader=loader_for(db))
    assert result.path == out and result.pages == int(pdf_info(out)["Pages"])
    text = flat(pdf_text(out))
    # What to fix: the inspector's notes and the free finding, never the checklist questions.
    for expected in ("大厅未见平面图", "二楼卫生间地面湿滑有异味", "停车场入口无空余车位提示，车辆排队影响急救通道"):
        assert flat(expected) in text
    questions = [f.question for f in visit_detail(db, visit.id).findings if f.item_id]
    assert [q for q in questions if "是否" in q] and not [q for q in questions if "是否" in q and flat(q) in text]
    assert "是否" not in text
    # the measured wait against its target
    assert flat("实测42分钟（要求≤30分钟）") in text
    # basis: full document title from the library's sources, clause and quoted requirement
    assert flat("中医医疗服务提升工程实施方案（2023-2025年）") in text
    assert "二(二)二" in text and flat("就诊区域设置醒目的建筑平面图、科室分布图") in text
    assert flat("渝北卫健〔2023〕272号") in text  # the waiting-time finding cites yubei-2023
    assert any("WenQuanYi" in f["name"] and f["emb"] == "yes" for f in pdf_fonts(out))
    assert f"第{result.pages}页共{result.pages}页" in text


def test_photos_of_answers_and_free_findings_are_placed(db: Database, hospital, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _inst, visit = hospital
    rows = finding_rows(db, visit.id)
    for i, (fid, answer_id, _rect) in enumerate(rows):
        if answer_id:
            add_photo(db, visit_id=visit.id, answer_id=answer_id, seed=i, width=3000, height=2250)
        else:
            add_photo(db, visit_id=visit.id, finding_id=fid, seed=i, width=2250, height=3000)
    out = tmp_path / "list.pdf"
    render_rectification_list(db, visit.id, out, library=fixture_library, photo_loader=loader_for(db))
    images = pdf_images(out)
    assert len(images) == len(rows)
    assert all(max(int(i["width"]), int(i["height"])) <= 700 for i in images)


def test_open_only_leaves_out_verified(db: Database, hospital, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.services.rectifications import update_rectification

    _inst, visit = hospital
    free = finding_rows(db, visit.id)[-1][0]
    update_rectification(db, free, status="verified", note="复查确认")
    out = tmp_path / "open.pdf"
    render_rectification_list(db, visit.id, out, open_only=True, library=fixture_library, photo_loader=loader_for(db))
    text = flat(pdf_text(out))
    assert "停车场入口无空余车位提示" not in text and "大厅未见平面图" in text


def test_by_department_and_landscape_variants(db: Database, hospital, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _inst, visit = hospital
    out = tmp_path / "dept.pdf"
    result = render_rectification_list(db, visit.id, out, by_department=True, library=fixture_library, photo_loader=loader_for(db))
    pages = [flat(t) for t in pdf_page_texts(out)]
    assert len(pages) == result.pages
    assert any("责任科室：保卫科" in p for p in pages) and any("责任科室：门诊部" in p for p in pages)
    land = tmp_path / "land.pdf"
    render_rectification_list(db, visit.id, land, landscape=True, library=fixture_library, photo_loader=loader_for(db))
    assert pdf_info(land)["Page size"].startswith("841.89 x 595.27")


def test_visit_report_has_scores_answers_timings_and_pins(db: Database, hospital, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inst, visit = hospital
    steps = [("arrival", "到达医院", 0), ("registration", "挂号/签到", 5), ("consultation", "医生接诊", 47), ("leaving", "离院", 80)]
    add_journey(db, visit.id, steps)
    add_floor_plan(db, inst.id, visit.id, [("aed", 0.2, 0.3, "导医台旁 AED"), ("finding", 0.6, 0.5, "大厅未见平面图")])
    out = tmp_path / "visit.pdf"
    result = render_visit_report(db, visit.id, out, library=fixture_library, photo_loader=loader_for(db))
    text = flat(pdf_text(out))
    assert result.pages >= 1
    for expected in ("分项得分", "门诊入口", "卫生间", "候诊", "卫生间蹲位是否安装扶手？", "不符合", "42分钟", "未达标",
                     "≤30分钟", "导医台旁AED", "门诊楼一层", "其中AED1处"):
        assert flat(expected) in text, expected
    assert len(pdf_images(out)) == 1  # the floor plan


def test_followup_puts_overdue_first_with_before_and_after(db: Database, hospital, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.services.rectifications import update_rectification

    inst, visit = hospital
    rows = finding_rows(db, visit.id)
    today = date(2026, 12, 1)
    update_rectification(db, rows[0][0], deadline=today + timedelta(days=10))
    update_rectification(db, rows[-1][0], deadline=today - timedelta(days=5), owner="赵科长")
    update_rectification(db, rows[1][0], status="reported_fixed", measures="已更换防滑垫", note="已更换防滑垫")
    add_photo(db, visit_id=visit.id, finding_id=rows[1][0], seed=1)
    add_photo(db, rectification_id=rows[1][2], kind="after", seed=2)
    out = tmp_path / "followup.pdf"
    render_followup_report(db, inst.id, out, today=today, photo_loader=loader_for(db))
    text = flat(pdf_text(out))
    assert text.index("停车场入口无空余车位提示") < text.index("大厅未见平面图")
    assert "逾期5天" in text and "整改前" in text and "整改后" in text and "已更换防滑垫" in text
    assert len(pdf_images(out)) == 2


def test_summary_compares_institutions(db: Database, hospital, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.services.institutions import add_institution
    from auditapp.services.visits import answer_item, start_visit

    other = add_institution(db, name="测试市中医院", kind="tcm", level=3)
    v = start_visit(db, institution=other.id, inspector="王院长", visit_date=date(2026, 10, 5), library=fixture_library)
    answer_item(db, v.id, "basics.toilets.clean", result="nonconform")
    out = tmp_path / "summary.pdf"
    render_summary_report(db, out, today=date(2026, 12, 1))
    text = flat(pdf_text(out))
    for expected in ("测试区人民医院", "测试市中医院", "排名", "最常见的问题", "卫生间不洁", "月度趋势", "2026-11"):
        assert flat(expected) in text, expected
    assert "卫生间是否干净" not in text  # problems are statements, not questions
    # The TCM visit answered 1 of 9 items: listed as incomplete, left out of the ranking and the trend.
    assert flat("未计入得分和排名的体验") in text and flat("1/9项（11%）") in text
    ranking = text[text.index("二、排名"):text.index("三、最常见的问题")]
    assert "测试市中医院未排名无完整体验" in ranking
    assert "2026-10" not in text[text.index("四、月度趋势"):]
    only = tmp_path / "only.pdf"
    render_summary_report(db, only, institutions=["测试市中医院"], date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
    text = flat(pdf_text(only))
    assert "测试市中医院" in text and "测试区人民医院" not in text


def test_empty_visit_and_demo_data_render(db: Database, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.services.demo import create_demo_data
    from auditapp.services.institutions import add_institution
    from auditapp.services.visits import start_visit

    inst = add_institution(db, name="空白医院", kind="general", level=1)
    empty = start_visit(db, institution=inst.id, inspector="检查员", library=fixture_library)
    for render in (render_rectification_list, render_visit_report):
        out = tmp_path / f"{render.__name__}.pdf"
        assert render(db, empty.id, out, library=fixture_library, photo_loader=loader_for(db)).pages >= 1  # type: ignore[operator]
    demo = create_demo_data(db, library=fixture_library)
    for visit_id in demo.visits:
        assert render_rectification_list(db, visit_id, tmp_path / "d.pdf", library=fixture_library, photo_loader=loader_for(db)).pages >= 1
        assert render_visit_report(db, visit_id, tmp_path / "v.pdf", library=fixture_library, photo_loader=loader_for(db)).pages >= 1
    for inst_id in demo.institutions:
        assert render_followup_report(db, inst_id, tmp_path / "f.pdf", photo_loader=loader_for(db)).pages >= 1
    assert render_summary_report(db, tmp_path / "s.pdf").pages >= 1


def test_progress_and_cancel_through_the_api(db: Database, hospital, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _inst, visit = hospital
    seen: list[tuple[int, int]] = []
    out = tmp_path / "list.pdf"
    render_rectification_list(
        db, visit.id, out, progress=lambda d, t, _text: seen.append((d, t)), library=fixture_library, photo_loader=loader_for(db)
    )
    assert seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)
    target = tmp_path / "cancelled.pdf"
    token = CancelToken()

    def cancel_midway(done: int, total: int, _text: str) -> None:
        if done >= total // 2:
            token.cancel()

    with pytest.raises(ReportCancelled) as cancelled:
        render_rectification_list(db, visit.id, target, progress=cancel_midway, cancel=token,
                                  library=fixture_library, photo_loader=loader_for(db))
    assert isinstance(cancelled.value, Cancelled)  # one exception for every cancelled operation
    assert not target.exists() and not list(tmp_path.glob("*.part"))


def test_report_commands(db: Database, hospital, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from auditapp.cli import main

    _inst, visit = hospital
    for argv in (
        ["report", "rectification", visit.id[:8], "--by-department", "-o", str(tmp_path / "r.pdf")],
        ["report", "visit", visit.id, "-o", str(tmp_path / "v.pdf")],
        ["report", "followup", "测试区人民医院", "-o", str(tmp_path / "f.pdf")],
        ["report", "summary", "--from", "2026-01-01", "--to", "2026-12-31", "-o", str(tmp_path / "s.pdf")],
    ):
        assert main(["--data-dir", str(data_dir), *argv]) == 0
        assert Path(argv[-1]).exists()
    assert "wrote" in capsys.readouterr().out


def test_redaction_set_through_the_service_is_uniform_on_the_printed_page(db: Database, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    from auditapp.services import photos as photo_service
    from auditapp.services.institutions import add_institution
    from auditapp.services.visits import add_finding, start_visit
    from test_reports_support import dark_box, render_page

    inst = add_institution(db, name="隐私测试医院", kind="general", level=2)
    visit = start_visit(db, institution=inst.id, inspector="王", library=fixture_library)
    finding = add_finding(db, visit.id, text="候诊区显示屏显示患者全名")
    coarse = Image.effect_noise((100, 75), 90).point(lambda v: 100 + (v * 155) // 255)
    coarse.resize((2400, 1800), Image.Resampling.NEAREST).convert("RGB").save(tmp_path / "screen.jpg", quality=92)
    [photo] = photo_service.add_photos(db, visit.id, [tmp_path / "screen.jpg"], finding_id=finding.id)
    photo_service.set_annotations(db, photo.id, [{"kind": "redact", "mode": "solid", "x": 0.3, "y": 0.3, "w": 0.4, "h": 0.4}])
    out = tmp_path / "list.pdf"
    render_rectification_list(db, visit.id, out, library=fixture_library)  # the real photo loader
    page = render_page(out, 1, 100, tmp_path)
    px = page.load()
    top, bottom, left, right = dark_box(page)
    inside = [px[x, y] for y in range(top, bottom) for x in range(left, right)]
    assert max(inside) - min(inside) <= 12
    around = [px[x, top - 8] for x in range(left, right)]
    assert max(around) - min(around) > 40


def test_report_data_takes_a_fixed_number_of_queries(db: Database, hospital, fixture_library) -> None:  # type: ignore[no-untyped-def]
    """The visit's details, the rectification list's data and the follow-up's data read their
    answers, findings, photos and histories in batches: 20 more problems with photos, answers
    and status changes add no query per row (before: several queries per answer and finding)."""
    import sqlalchemy as sa

    from auditapp.reports.data import followup_data, rectification_list_data
    from auditapp.services.rectifications import update_rectification
    from auditapp.services.visits import add_finding, answer_item, visit_detail

    inst, visit = hospital
    counted: list[str] = []

    def count(*_args: object) -> None:
        counted.append("q")

    def queries() -> tuple[int, int, int]:
        sizes = []
        for read in (lambda: visit_detail(db, visit.id), lambda: rectification_list_data(db, visit.id, library=fixture_library),
                     lambda: followup_data(db, inst.id, library=fixture_library)):
            counted.clear()
            read()
            sizes.append(len(counted))
        return sizes[0], sizes[1], sizes[2]

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        few = queries()
        for n in range(20):
            finding = add_finding(db, visit.id, text=f"问题{n}", area="门诊", department="总务科")
            add_photo(db, visit_id=visit.id, finding_id=finding.id, seed=n, width=64, height=48)
            update_rectification(db, finding.id, status="in_progress", note=f"第{n}项已派单")
        unanswered = [v.item.id for v in visit_detail(db, visit.id).items if v.answer is None and v.item.response.type == "check"]
        for item_id in unanswered[:3]:
            answer_item(db, visit.id, item_id, result="nonconform", note="现场")
        many = queries()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(visit_detail(db, visit.id).findings) >= 23
    assert all(m <= f + 3 for f, m in zip(few, many, strict=True)), (few, many)
