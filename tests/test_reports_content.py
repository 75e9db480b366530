"""What the reports say: what to fix and where (statement, measured value against its
target, floor plan and pin), whose job it is (the rectification's department), coverage
instead of "no problems" for partial visits, targets written "≤ 30", early steps read
"提前", rows of the follow-up numbered once, AED states in colours that mean them,
stored values worded by auditapp.terms, English reports, and coded errors.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from auditapp.db import Database
from auditapp.errors import AuditAppError
from auditapp.progress import CancelToken
from auditapp.reports import (
    ReportCancelled,
    render_followup_report,
    render_rectification_list,
    render_summary_report,
    render_visit_report,
)
from test_reports_support import add_journey, check_report, loader_for, pdf_text


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(autouse=True)
def _chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITAPP_LANG", "zh_CN")


@pytest.fixture
def visit(db: Database, fixture_library, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A general hospital's visit: a long wait, an unclean toilet pinned on the plan, a free problem."""
    from auditapp.services.floorplans import add_floor_plan, add_pin
    from auditapp.services.institutions import add_institution
    from auditapp.services.visits import add_finding, answer_item, start_visit
    from test_reports_support import make_jpeg

    inst = add_institution(db, name="内容测试医院", kind="general", level=2, departments=["门诊部", "总务科", "后勤保障部"])
    v = start_visit(db, institution=inst.id, inspector="李书记", visit_date=date(2026, 11, 3), library=fixture_library)
    answer_item(db, v.id, "basics.waiting.wait-time", value=60)
    answer_item(db, v.id, "basics.toilets.clean", result="nonconform", note="二楼卫生间地面湿滑有异味")
    add_finding(db, v.id, text="停车场入口无空余车位提示", area="停车场", severity="major", department="保卫科")
    image = tmp_path / "plan.jpg"
    image.write_bytes(make_jpeg(1400, 900, seed=7))
    plan = add_floor_plan(db, inst.id, image, name="门诊楼二层", floor="2F")
    add_pin(db, plan.id, kind="finding", x=0.4, y=0.5, label="男卫生间门口", visit=v.id, item_id="basics.toilets.clean")
    add_pin(db, plan.id, kind="aed", x=0.1, y=0.1, label="挂号处旁 AED", status="")
    return inst, v, plan



def cancelled_token() -> CancelToken:
    """A token already cancelled: the operation stops at its first check."""
    token = CancelToken()
    token.cancel()
    return token

def test_rectification_list_says_what_to_fix_how_much_and_where(db: Database, visit, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _inst, v, _plan = visit
    for landscape in (False, True):
        out = tmp_path / f"list-{landscape}.pdf"
        result = render_rectification_list(db, v.id, out, landscape=landscape, library=fixture_library, photo_loader=loader_for(db))
        text = "".join(check_report(out, result.pages, "整改清单"))
        # the item's problem statement (basics.yaml: problem 卫生间不洁), never the question "…是否…？"
        assert "卫生间不洁" in text and "卫生间是否干净" not in text and "是否" not in text
        assert "二楼卫生间地面湿滑有异味" in text  # the inspector's note beside it
        # the measured value against its target, in minutes, with ≤ (never <=)
        assert "实测60分钟（要求≤30分钟）" in text and "<=" not in text
        # where: the area and the floor plan, floor and pin the answer is pinned at
        assert "卫生间" in text and "门诊楼二层（2F）·图钉男卫生间门口" in text
        assert "停车场入口无空余车位提示" in text


def test_the_rectifications_department_is_printed(db: Database, visit, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.services.rectifications import update_rectification
    from auditapp.services.visits import visit_detail

    _inst, v, _plan = visit
    toilet = next(f for f in visit_detail(db, v.id).findings if f.item_id == "basics.toilets.clean")
    update_rectification(db, toilet.id, department="后勤保障部", owner="赵科长")
    out = tmp_path / "dept.pdf"
    render_rectification_list(db, v.id, out, by_department=True, library=fixture_library, photo_loader=loader_for(db))
    pages = [flat(p) for p in pdf_text(out).split("\f")]
    toilet_pages = [p for p in pages if "二楼卫生间地面湿滑有异味" in p]
    assert toilet_pages and all("责任科室：后勤保障部" in p for p in toilet_pages)
    assert not any("责任科室：总务科" in p and "二楼卫生间地面湿滑有异味" in p for p in pages)


def test_the_visit_report_says_a_finalized_visit_was_amended_and_why(db: Database, visit, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.services.visits import answer_item, begin_amendment, finalize_visit

    _inst, v, _plan = visit
    finalize_visit(db, v.id)
    out = tmp_path / "final.pdf"
    render_visit_report(db, v.id, out, library=fixture_library, photo_loader=loader_for(db))
    assert "状态已完成" in flat(pdf_text(out)) and "定稿后修改" not in flat(pdf_text(out))
    amendment = begin_amendment(db, v.id, "第2项误判<复核>")
    answer_item(db, v.id, "basics.toilets.clean", result="conform", amend=True, reason=amendment.reason)
    render_visit_report(db, v.id, out, library=fixture_library, photo_loader=loader_for(db))
    assert "已完成，定稿后修改：第2项误判<复核>" in flat(pdf_text(out))


def test_partial_visits_show_coverage_never_no_problems(db: Database, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.services.institutions import add_institution
    from auditapp.services.visits import answer_item, start_visit, visit_detail

    inst = add_institution(db, name="覆盖测试医院", kind="general", level=2)
    v = start_visit(db, institution=inst.id, inspector="检查员", library=fixture_library)
    total = len(visit_detail(db, v.id).items)
    for report in ("list", "visit"):
        out = tmp_path / f"{report}-0.pdf"
        render = render_rectification_list if report == "list" else render_visit_report
        render(db, v.id, out, library=fixture_library, photo_loader=loader_for(db))  # type: ignore[operator]
        text = flat(pdf_text(out))
        assert "未发现需整改的问题" not in text and f"0/{total}项（0%）" in text and "本次体验尚未完成" in text
    # All answered, all conforming: now (and only now) the list may say nothing needs fixing.
    for view in visit_detail(db, v.id).items:
        if view.item.response.type in ("number", "duration"):
            answer_item(db, v.id, view.item.id, value=10)
        else:
            answer_item(db, v.id, view.item.id, result="conform")
    out = tmp_path / "list-all.pdf"
    render_rectification_list(db, v.id, out, library=fixture_library, photo_loader=loader_for(db))
    text = flat(pdf_text(out))
    assert f"已检查{total}/{total}项，未发现需整改的问题" in text and "本次体验尚未完成" not in text


def test_completeness_is_one_rule() -> None:
    from auditapp.scoring import COMPLETE_COVERAGE, Coverage, coverage_of

    assert Coverage(19, 217).complete is False and Coverage(174, 217).complete is True
    assert Coverage(0, 0).complete is False and Coverage(0, 0).rate is None
    assert pytest.approx(174 / 217, abs=0.01) == COMPLETE_COVERAGE
    # 不适用 counts in neither figure; a recorded value without a target counts as answered.
    assert coverage_of([("conform", ""), ("na", ""), (None, "12"), (None, "")], 4) == Coverage(2, 3)


def test_targets_read_with_math_signs_everywhere(db: Database, visit, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.checklists.schema import Target

    assert Target(op="<=", value=30).text() == "≤ 30" and Target(op=">=", value=0.2).text() == "≥ 0.2"
    _inst, v, _plan = visit
    out = tmp_path / "visit.pdf"
    render_visit_report(db, v.id, out, library=fixture_library, photo_loader=loader_for(db))
    text = flat(pdf_text(out))
    assert "60分钟（≤30分钟）" in text and "<=" not in text and ">=" not in text


def test_a_step_before_the_booked_time_reads_early(db: Database, visit, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _inst, v, _plan = visit
    # booked 09:30, seen by the doctor 09:03: 27 minutes early, never "-27"
    add_journey(db, v.id, [("arrival", "到达医院", 0), ("booked", "预约就诊时间", 60), ("consultation", "医生接诊", 33)])
    out = tmp_path / "visit.pdf"
    render_visit_report(db, v.id, out, library=fixture_library, photo_loader=loader_for(db))
    text = flat(pdf_text(out))
    assert "提前27分钟" in text and "-27" not in text and "“提前”表示后一环节早于前一环节" in text


def test_followup_rows_are_numbered_once_across_visits(db: Database, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.services.institutions import add_institution
    from auditapp.services.visits import add_finding, start_visit

    inst = add_institution(db, name="跟踪测试医院", kind="general", level=2)
    for month in (9, 10, 11):
        v = start_visit(db, institution=inst.id, inspector="检查员", visit_date=date(2026, month, 5), library=fixture_library)
        for n in range(1, 4):
            add_finding(db, v.id, text=f"{month}月第{n}个问题")
    out = tmp_path / "followup.pdf"
    result = render_followup_report(db, inst.id, out, today=date(2026, 12, 1), photo_loader=loader_for(db))
    text = "".join(check_report(out, result.pages, "序号在本报告内连续编排"))
    rows = [int(n) for n in re.findall(r"序号(\d+)原编号", text)]
    refs = re.findall(r"原编号(\d{4}-\d{2}-\d{3}-\d+)", text)
    # Each visit numbers its problems 1, 2, 3 …; the report's rows are 1 … N, once each,
    # and every row names its own problem's reference.
    assert rows == list(range(1, len(rows) + 1)) and len(rows) >= 9
    assert len(set(refs)) == len(refs) == len(rows)


def test_aed_states_have_colours_that_mean_them(tmp_path: Path) -> None:
    from reportlab.lib import colors

    from auditapp.reports.contents import FloorPlanData, PinRow, SectionScoreRow, VisitHeader, VisitReportData
    from auditapp.reports.styles import AED_STATUS_COLOURS, OK_GREEN
    from auditapp.reports.visit import pin_colour, write_visit_report
    from auditapp.scoring import Coverage
    from auditapp.terms import label

    assert pin_colour("aed", "") != OK_GREEN and pin_colour("aed", "ok") == OK_GREEN
    assert pin_colour("aed", "faulty") == pin_colour("aed", "missing") == colors.HexColor("#b00020")
    assert len({AED_STATUS_COLOURS[s].hexval() for s in ("", "ok", "faulty", "blocked")}) == 4
    # On the page: an unchecked AED pin is neither green (working) nor red (faulty); a faulty one is red.
    counts = {}
    for status in ("", "faulty", "ok"):
        plan = FloorPlanData(name="门诊楼一层", floor="1F", image=None,
                             pins=(PinRow(number=1, kind="aed", x=0.5, y=0.5, label="导医台旁", status=status),))
        data = VisitReportData(header=VisitHeader("某医院", (date(2026, 11, 3),)), overall=SectionScoreRow("", 0, 0, 0, 0),
                               sections=(), answers=(), floor_plans=(plan,), coverage=Coverage(0, 0))
        out = tmp_path / f"aed-{status}.pdf"
        pages = write_visit_report(data, out, loader=lambda pid, side: b"")
        raw = render_page_rgb(out, pages, tmp_path).tobytes()
        pixels = list(zip(raw[0::3], raw[1::3], raw[2::3], strict=False))
        counts[status] = (sum(1 for r, g, b in pixels if g > 80 and r < 80 and b < 60),  # green
                          sum(1 for r, g, b in pixels if r > 150 and g < 60 and b < 70))  # red
        assert flat(label("aed_status", status, "zh_CN")) in flat(pdf_text(out))
    assert counts[""] == (0, 0)
    assert counts["faulty"][1] > 20 and counts["ok"][0] > 20


def render_page_rgb(path: Path, page: int, tmp_path: Path):  # type: ignore[no-untyped-def]
    import subprocess

    from PIL import Image

    prefix = tmp_path / f"rgb{page}"
    subprocess.run(["pdftoppm", "-r", "60", "-f", str(page), "-l", str(page), "-png", "-singlefile", str(path), str(prefix)], check=True)
    with Image.open(f"{prefix}.png") as im:
        return im.convert("RGB").copy()


def test_statuses_and_other_stored_values_use_the_vocabulary(tmp_path: Path) -> None:
    """Every rectification status (the lead's new ones too) prints as auditapp.terms words it."""
    from auditapp.reports.contents import FindingEntry, RectificationListData, VisitHeader
    from auditapp.reports.rectification import write_rectification_list
    from auditapp.terms import VOCABULARY, label

    statuses = list(VOCABULARY["rectification_status"])
    findings = tuple(FindingEntry(id=s, number=n, text=f"问题{n}", status=s, severity=("minor", "major", "critical")[n % 3])
                     for n, s in enumerate(statuses, start=1))
    out = tmp_path / "statuses.pdf"
    write_rectification_list(RectificationListData(VisitHeader("某医院", (date(2026, 11, 3),), mode="bureau"), findings), out,
                             loader=lambda pid, side: b"", language="zh_CN")
    text = flat(pdf_text(out))
    for s in statuses:
        assert flat(label("rectification_status", s, "zh_CN")) in text
    assert label("visit_mode", "bureau", "zh_CN") in text and "较重" in text and "严重" in text
    import auditapp.reports.styles as styles

    assert not [n for n in dir(styles) if n.endswith("_LABELS")]  # no second vocabulary in the reports


def test_reports_in_english(db: Database, visit, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inst, v, _plan = visit
    add_journey(db, v.id, [("arrival", "", 0), ("booked", "", 60), ("consultation", "", 33)])
    out = tmp_path / "list-en.pdf"
    result = render_rectification_list(db, v.id, out, library=fixture_library, photo_loader=loader_for(db), language="en")
    text = "".join(check_report(out, result.pages, "Rectification list", "Problem", "Basis", "Department", "Deadline",
                                "open", "minor", "self experience", "measured 60 min (target ≤ 30 min)", "pin"))
    assert "问题描述" not in text and "整改清单" not in text and "第1页" not in text
    out = tmp_path / "visit-en.pdf"
    result = render_visit_report(db, v.id, out, library=fixture_library, photo_loader=loader_for(db), language="en")
    text = "".join(check_report(out, result.pages, "Visit report", "1. Scores by area", "Items answered", "27 min early",
                                "Conformity", "nonconforming"))
    assert "一、分项得分" not in text and "提前" not in text
    out = tmp_path / "followup-en.pdf"
    result = render_followup_report(db, inst.id, out, photo_loader=loader_for(db), language="en")
    check_report(out, result.pages, "Rectification follow-up report", "Row 1", "Ref.")
    out = tmp_path / "summary-en.pdf"
    result = render_summary_report(db, out, language="en")
    check_report(out, result.pages, "Summary report", "2. Ranking", "not ranked", "Visits left out of scores and ranking")


def test_report_language_follows_the_users_language(db: Database, visit, fixture_library, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _inst, v, _plan = visit
    monkeypatch.setenv("AUDITAPP_LANG", "en")
    out = tmp_path / "list.pdf"
    render_rectification_list(db, v.id, out, library=fixture_library, photo_loader=loader_for(db))
    assert "Rectificationlist" in flat(pdf_text(out))


def test_a_layout_failure_is_a_coded_error_naming_the_report_and_visit(  # type: ignore[no-untyped-def]
    db: Database, visit, fixture_library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from reportlab.platypus.doctemplate import LayoutError

    from auditapp.reports import layout
    from auditapp.reports.layout import ReportLayoutError

    _inst, v, _plan = visit

    def broken(*args: object, **kwargs: object) -> int:
        raise LayoutError("Flowable <Drawing> too large on page 3")

    monkeypatch.setattr("auditapp.reports.visit.build_pdf", broken)
    out = tmp_path / "visit.pdf"
    with pytest.raises(ReportLayoutError) as caught:
        render_visit_report(db, v.id, out, library=fixture_library, photo_loader=loader_for(db))
    error = caught.value
    assert isinstance(error, AuditAppError) and error.code == "report.layout_failed"
    zh, en = error.message("zh_CN"), error.message("en")
    assert "体验检查报告" in zh and "内容测试医院" in zh and "2026-11-03" in zh and v.report_number in zh
    assert "visit report" in en and "内容测试医院" in en and "LayoutError" not in zh + en
    assert error.hint("zh_CN") and error.hint("en")
    assert any(r.exc_info for r in caplog.records if r.name == "auditapp.reports")  # logged with its traceback
    assert not out.exists() and layout is not None


def test_an_unwritable_folder_is_a_coded_error(db: Database, visit, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.errors import FileAccessError

    _inst, v, _plan = visit
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(FileAccessError) as caught:
        render_rectification_list(db, v.id, blocker / "list.pdf", library=fixture_library, photo_loader=loader_for(db))
    assert caught.value.code == "report.output_unwritable"
    assert str(blocker / "list.pdf") in caught.value.message("zh_CN")
    assert "-o" in caught.value.hint("zh_CN", "cli") and "保存位置" in caught.value.hint("zh_CN", "gui")


def test_cancel_and_reversed_dates_are_coded(db: Database, visit, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.errors import InvalidInputError

    _inst, v, _plan = visit
    with pytest.raises(ReportCancelled) as cancelled:
        render_rectification_list(db, v.id, tmp_path / "c.pdf", cancel=cancelled_token(), library=fixture_library)
    assert cancelled.value.code == "report.cancelled" and "取消" in cancelled.value.message("zh_CN")
    with pytest.raises(InvalidInputError) as reversed_dates:
        render_summary_report(db, tmp_path / "s.pdf", date_from=date(2026, 12, 1), date_to=date(2026, 1, 1))
    assert reversed_dates.value.code == "report.date_range_reversed"
    assert "--from" in reversed_dates.value.hint("en", "cli")


def test_every_raise_in_the_reports_names_a_catalog_code() -> None:
    import ast

    from auditapp.messages import has_code

    root = Path(__file__).resolve().parent.parent / "auditapp" / "reports"
    codes = []
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                first = node.exc.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    codes.append((path.name, first.value))
    assert codes and all(has_code(code) for _name, code in codes if _name != "__init__.py"), codes
