"""Every report succeeds for every kind of visit, on the real checklists.

All four reports (the rectification list in all its variants: portrait, landscape, by
department, open only; the visit report; the follow-up report; the bureau summary) for
every demo visit, for a fresh visit of each template for institutions of each kind,
for an all-answered visit and a 500-finding visit. Each PDF passes ``check_report``:
pdfinfo, the returned page count and every footer agree, the key text is there, and no
page is blank (rendered with pdftoppm, ink inside the body frame on every page).
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from auditapp.db import Database, open_database
from auditapp.reports import (
    render_followup_report,
    render_rectification_list,
    render_summary_report,
    render_visit_report,
)
from conftest import built_once
from test_reports_support import blank_pages, check_report, loader_for, pdf_text

ZH = "zh_CN"


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)
RECTIFICATION_VARIANTS: dict[str, dict[str, bool]] = {
    "portrait": {},
    "landscape": {"landscape": True},
    "by_department": {"by_department": True},
    "open_only": {"open_only": True},
}


@pytest.fixture
def no_shrinking(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Our layouts split what can grow: the template's last-resort shrink is never needed."""
    with caplog.at_level(logging.WARNING, logger="auditapp.reports"):
        yield
    shrunk = [r.getMessage() for r in caplog.records if "scaled down" in r.getMessage()]
    assert shrunk == []


REPORTS = (*RECTIFICATION_VARIANTS, "visit")  # what render_visit_reports writes for a visit


def render_visit_report_named(db: Database, visit_id: str, out: Path, library: object, name: str, *,
                              language: str = ZH) -> Path:
    """One report of a visit (``name``: a rectification-list variant or "visit"), checked."""
    from auditapp.services.visits import get_visit

    visit = get_visit(db, visit_id)
    if name == "visit":
        path = out / f"{visit.id[:8]}-visit.pdf"
        result = render_visit_report(db, visit_id, path, library=library, photo_loader=loader_for(db), language=language)
        check_report(path, result.pages, "体验检查报告", "一、分项得分", "三、全部检查项", f"{visit.answered_count}")
        return path
    path = out / f"{visit.id[:8]}-rect-{name}.pdf"
    result = render_rectification_list(db, visit_id, path, library=library, photo_loader=loader_for(db),
                                       language=language, **RECTIFICATION_VARIANTS[name])
    texts = check_report(path, result.pages, "整改清单", visit.institution_name, visit.report_number)
    if name == "landscape":
        # The table starts on the first page, right under the visit's facts.
        assert "问题清单" in texts[0]
        assert any(t in texts[0] for t in ("检查依据", "未发现需整改的问题", "不能据此认为没有问题", "没有尚未完成整改"))
    return path


def render_visit_reports(db: Database, visit_id: str, out: Path, library: object, *, language: str = ZH) -> dict[str, Path]:
    """Every report of one visit (the four list variants and the visit report), checked; name -> file."""
    return {name: render_visit_report_named(db, visit_id, out, library, name, language=language) for name in REPORTS}


DEMO_VISITS = 6  # two hospitals (TCM and general), three monthly visits each


@pytest.mark.slow
@pytest.mark.parametrize("index", range(DEMO_VISITS))
def test_every_report_of_each_demo_visit(demo_db: Database, real_library, tmp_path: Path,  # type: ignore[no-untyped-def]
                                         no_shrinking: None, index: int) -> None:
    """The demo data of the session (built once, relative to today; copied for this test).
    One test per visit, so the workers share them out."""
    from auditapp.services.visits import list_visits

    visits = list_visits(demo_db)
    assert len(visits) == DEMO_VISITS
    render_visit_reports(demo_db, visits[index].id, tmp_path, real_library)


@pytest.mark.slow
def test_followup_and_summary_of_the_demo(demo_db: Database, real_library, tmp_path: Path,  # type: ignore[no-untyped-def]
                                          no_shrinking: None) -> None:
    from auditapp.services.institutions import list_institutions

    db = demo_db
    kinds = set()
    for inst in list_institutions(db):
        kinds.add(inst.kind)
        path = tmp_path / f"followup-{inst.id[:8]}.pdf"
        report = render_followup_report(db, inst.id, path, photo_loader=loader_for(db), library=real_library,
                                        language=ZH)
        texts = check_report(path, report.pages, "整改跟踪报告", inst.name, "序号1", "原编号")
        # Rows are numbered through the report, never twice the same number.
        joined = "".join(texts)
        rows = [int(n) for n in re.findall(r"序号(\d+)原编号", joined)]
        assert rows == list(range(1, len(rows) + 1)) and len(rows) > 10
    assert kinds == {"tcm", "general"}
    path = tmp_path / "summary.pdf"
    report = render_summary_report(db, path, library=real_library, language=ZH)
    texts = check_report(path, report.pages, "体验检查汇总报告", "二、排名", "三、最常见的问题", "四、月度趋势")
    assert "一、机构对比" in texts[0] and "机构类型" in texts[0]  # the comparison starts on page 1


@pytest.fixture
def institutions_of_each_kind(db: Database):  # type: ignore[no-untyped-def]
    from auditapp.checklists.schema import INSTITUTION_KINDS
    from auditapp.services.institutions import add_institution

    return [
        add_institution(db, name=f"测试{kind}医院", kind=kind, level=3 if kind in ("tcm", "general") else 2,
                        alliance_lead=kind == "tcm", has_obstetrics=kind == "general")
        for kind in INSTITUTION_KINDS
    ]


@pytest.mark.slow
def test_fresh_visit_of_each_template_and_kind(db: Database, real_library, institutions_of_each_kind, tmp_path: Path,
                                               no_shrinking: None) -> None:  # type: ignore[no-untyped-def]
    from auditapp.reports.data import rectification_list_data
    from auditapp.services.visits import start_visit, visit_detail

    checklists_by_kind = {}
    for inst in institutions_of_each_kind:
        visit = start_visit(db, institution=inst.id, inspector="检查员", visit_date=date(2026, 11, 2), library=real_library)
        checklists_by_kind[inst.kind] = set(visit.checklist_ids)
        files = render_visit_reports(db, visit.id, tmp_path, real_library)
        items = len(visit_detail(db, visit.id).items)
        # An empty visit is incomplete and says so; it never claims that nothing is wrong.
        for path in files.values():
            assert "未发现需整改的问题" not in flat(pdf_text(path))
        visit_text = flat(pdf_text(files["visit"]))
        assert f"0/{items}项（0%）" in visit_text and "本次体验尚未完成" in visit_text
        assert "不能据此认为没有问题" in flat(pdf_text(files["portrait"]))
        assert rectification_list_data(db, visit.id, library=real_library).header.coverage.answered == 0
        path = tmp_path / f"followup-{inst.kind}.pdf"
        report = render_followup_report(db, inst.id, path, photo_loader=loader_for(db), language=ZH)
        check_report(path, report.pages, "整改跟踪报告", inst.name, "一、已逾期（0项）")
    # Both templates were used: TCM and integrated hospitals get the TCM checklist.
    assert "tcm-culture" in checklists_by_kind["tcm"] and "tcm-culture" in checklists_by_kind["integrated"]
    assert "tcm-culture" not in checklists_by_kind["general"]
    path = tmp_path / "summary.pdf"
    report = render_summary_report(db, path, library=real_library, language=ZH)
    texts = check_report(path, report.pages, "未计入得分和排名的体验（未完成）", "无完整体验")
    joined = "".join(texts)
    for inst in institutions_of_each_kind:
        assert joined.count(inst.name) >= 3  # comparison, ranking (unranked) and the incomplete list


def answer_everything(db: Database, visit_id: str) -> int:
    """Answer every item: mostly conforming, every 7th not, every 11th not applicable; values for measured items."""
    from auditapp.services.visits import answer_item, visit_detail

    detail = visit_detail(db, visit_id)
    for n, view in enumerate(detail.items):
        item = view.item
        bad = n % 7 == 3
        if n % 11 == 5:
            answer_item(db, visit_id, item.id, result="na")
        elif item.response.type in ("number", "duration"):
            target = item.response.target
            if target is None:
                answer_item(db, visit_id, item.id, value=12)
            else:
                good = target.value
                off = max(abs(target.value) * 0.5, 1)
                value = good + off if (bad and target.op in ("<=", "<")) else good - off if bad else good
                answer_item(db, visit_id, item.id, value=value)
        elif item.response.type == "choice":
            option = item.response.options[-1 if bad else 0]
            answer_item(db, visit_id, item.id, value=option.value)
        else:
            answer_item(db, visit_id, item.id, result="nonconform" if bad else "conform", note="现场记录：" + item.id if bad else None)
    return len(detail.items)


@pytest.mark.slow
def test_all_answered_tcm_visit(db: Database, real_library, tmp_path: Path, no_shrinking: None) -> None:  # type: ignore[no-untyped-def]
    from auditapp.reports.data import rectification_list_data
    from auditapp.services.institutions import add_institution
    from auditapp.services.visits import get_visit, start_visit

    inst = add_institution(db, name="全答中医院", kind="tcm", level=3, alliance_lead=True)
    visit = start_visit(db, institution=inst.id, inspector="王院长", visit_date=date(2026, 11, 5), library=real_library)
    total = answer_everything(db, visit.id)
    coverage = rectification_list_data(db, visit.id, library=real_library).header.coverage
    assert coverage.complete and coverage.answered == coverage.applicable == total - get_visit(db, visit.id).score.not_applicable
    files = render_visit_reports(db, visit.id, tmp_path, real_library)
    text = flat(pdf_text(files["visit"]))
    assert "本次体验尚未完成" not in text
    assert "现场记录：" in flat(pdf_text(files["portrait"]))
    path = tmp_path / "summary.pdf"
    report = render_summary_report(db, path, library=real_library, language=ZH)
    texts = check_report(path, report.pages, "全答中医院")
    ranking = "".join(texts)
    assert "未计入得分和排名的体验" not in ranking  # a complete visit is ranked, not listed apart


@pytest.fixture(scope="session")
def five_hundred_template(tmp_path_factory: pytest.TempPathFactory, fixture_library) -> Path:  # type: ignore[no-untyped-def]
    """A data folder with one visit of 500 problems, built once per run. Never open it: copy it."""
    from auditapp.services.institutions import add_institution
    from auditapp.services.visits import add_finding, start_visit

    def build(folder: Path) -> None:
        db = open_database(folder, actor="tester")
        try:
            inst = add_institution(db, name="五百问题医院", kind="general", level=2)
            visit = start_visit(db, institution=inst.id, inspector="检查员", visit_date=date(2026, 11, 6),
                                library=fixture_library)
            areas = ("门诊大厅", "二楼候诊区", "住院部电梯", "停车场", "")
            departments = ("门诊部", "总务科", "保卫科", "医务科", None)
            for n in range(1, 501):
                add_finding(db, visit.id, text=f"第{n}号问题：自助机旁无工作人员指导，老年患者排队求助无人回应。",
                            area=areas[n % 5], severity=("minor", "major", "critical")[n % 3],
                            department=departments[n % 5])
        finally:
            db.close()

    return built_once(tmp_path_factory, "five-hundred-findings", build)


@pytest.fixture
def five_hundred(five_hundred_template: Path, tmp_path: Path) -> Iterator[Database]:
    target = tmp_path / "five-hundred"
    shutil.copytree(five_hundred_template, target, ignore=shutil.ignore_patterns("backups"))
    db = open_database(target, actor="tester")
    yield db
    db.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", REPORTS)
def test_500_finding_visit(five_hundred: Database, fixture_library, tmp_path: Path, no_shrinking: None,  # type: ignore[no-untyped-def]
                           name: str) -> None:
    """Each report of a visit with 500 problems (one test per report, so the workers share them out)."""
    from auditapp.services.visits import list_visits

    (visit,) = list_visits(five_hundred)
    path = render_visit_report_named(five_hundred, visit.id, tmp_path, fixture_library, name)
    if name in ("portrait", "landscape", "by_department"):
        text = flat(pdf_text(path))
        assert "第1号问题" in text and "第500号问题" in text


@pytest.mark.slow
def test_500_finding_followup(five_hundred: Database, tmp_path: Path, no_shrinking: None) -> None:
    from auditapp.services.institutions import list_institutions

    (inst,) = list_institutions(five_hundred)
    path = tmp_path / "followup.pdf"
    report = render_followup_report(five_hundred, inst.id, path, photo_loader=loader_for(five_hundred), language=ZH)
    check_report(path, report.pages, "序号500", "第500号问题")
    assert report.pages > 100


def test_blank_page_check_sees_a_blank_page(tmp_path: Path) -> None:
    """The blank-page check is not vacuous: a page with only the header and footer is found."""
    from reportlab.platypus import PageBreak, Paragraph

    from auditapp.reports.layout import PageDecor, build_pdf
    from auditapp.reports.styles import make_styles

    st = make_styles()
    path = tmp_path / "blank.pdf"
    pages = build_pdf(path, [Paragraph("第一页", st.body), PageBreak(), PageBreak(), Paragraph("第三页", st.body)],
                      decor=PageDecor(title="测试", institution="某医院"))
    assert pages == 3 and blank_pages(path) == [2]
