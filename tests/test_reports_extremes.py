"""Report layouts at their limits, on plain report data: 100 sections, 100 themes across
12 institutions, texts of thousands of characters in every field, floor plans of odd
shapes, many pins. Every report lays out without the last-resort shrink, with no blank
page; a flowable that cannot fit is shrunk (and logged) rather than failing the report.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from auditapp.reports.contents import (
    AnswerRow,
    Basis,
    FindingEntry,
    FloorPlanData,
    FollowUpData,
    FollowUpEntry,
    InstitutionSummary,
    JourneyRow,
    Measured,
    PinRow,
    Place,
    ProblemCount,
    RectificationListData,
    SectionScoreRow,
    StatusEvent,
    SummaryData,
    TimingRow,
    VisitCoverage,
    VisitHeader,
    VisitReportData,
)
from auditapp.reports.followup import write_followup_report
from auditapp.reports.images import PhotoRef
from auditapp.reports.rectification import write_rectification_list
from auditapp.reports.summary import write_summary_report
from auditapp.reports.visit import write_visit_report
from auditapp.scoring import Coverage
from test_reports_support import check_report, make_jpeg

LONG = "候诊区座椅数量不足，多名患者站立等候超过二十分钟，现场无工作人员引导。" * 120  # about 4000 characters
NAME = "示例省示例市示例区第一人民医院（示例市中医药大学附属医院、示例医联体牵头医院）" * 4


@pytest.fixture(autouse=True)
def _chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITAPP_LANG", "zh_CN")


@pytest.fixture
def no_shrinking(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    with caplog.at_level(logging.WARNING, logger="auditapp.reports"):
        yield
    assert [r.getMessage() for r in caplog.records if "scaled down" in r.getMessage()] == []


class Photos:
    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def add(self, photo_id: str, width: int, height: int, caption: str = "") -> PhotoRef:
        self.data[photo_id] = make_jpeg(width, height, seed=len(self.data))
        return PhotoRef(id=photo_id, width=width, height=height, caption=caption,
                        taken_at=datetime(2026, 11, 3, 9, 30, tzinfo=UTC))

    def __call__(self, photo_id: str, max_side: int) -> bytes:
        with Image.open(io.BytesIO(self.data[photo_id])) as im:
            im = im.convert("RGB")
            im.thumbnail((max_side, max_side))
            buf = io.BytesIO()
            im.save(buf, "JPEG", quality=80)
            return buf.getvalue()


def header(**kw: object) -> VisitHeader:
    values: dict[str, object] = dict(institution="示例市中医院", visit_dates=(date(2026, 11, 3),), mode="bureau",
                                     inspector="王院长", report_number="2026-11-001", coverage=Coverage(180, 200))
    values.update(kw)
    return VisitHeader(**values)  # type: ignore[arg-type]


BASIS = Basis("淮安市改善就医感受提升患者体验主题活动实施方案（2023—2025年）", "二(二)6 五", "形成门诊区域急救 AED 地图", "淮卫办发〔2023〕88号")  # noqa: E501 - Chinese text, a sentence kept whole


def long_finding(n: int, photos: tuple[PhotoRef, ...] = ()) -> FindingEntry:
    return FindingEntry(
        id=f"f{n}", number=n, text=LONG, observed=LONG, area=LONG[:300],
        measured=Measured(value="60", unit="min", target="≤ 30"),
        places=tuple(Place(plan=f"门诊楼{k}层" + LONG[:80], floor=f"{k}F", pin=LONG[:60]) for k in range(1, 6)),
        basis=(Basis(LONG[:200], LONG[:50], LONG, LONG[:30]),) * 3,
        severity="critical", department=LONG[:120], owner=LONG[:80], deadline=date(2026, 11, 20),
        measures=LONG, status="extension_requested", is_open=True, overdue=True, photos=photos,
    )


@pytest.mark.parametrize("variant", ["portrait", "landscape", "by_department"])
def test_rectification_list_with_huge_texts_everywhere(tmp_path: Path, variant: str, no_shrinking: None) -> None:
    photos = Photos()
    refs = (photos.add("tall", 300, 6000, caption=LONG), photos.add("wide", 6000, 300, caption=LONG),
            photos.add("normal", 1600, 1200, caption="现场"))
    findings = [long_finding(1, refs), long_finding(2), long_finding(3, refs[2:])]
    data = RectificationListData(header=header(institution=NAME, inspector=LONG[:200]), findings=tuple(findings))
    out = tmp_path / "list.pdf"
    pages = write_rectification_list(data, out, loader=photos, landscape=variant == "landscape",
                                     by_department=variant == "by_department")
    texts = check_report(out, pages, "实测60分钟（要求≤30分钟）", "门诊楼1层", "申请延期")
    # The long statement is printed whole (pages break inside it), not cut.
    assert "".join(texts).count("现场无工作人员引导") >= 3 * 2 * 120 - 10 * pages


def visit_data(sections: int, items_per_section: int, *, long: bool = False, plans: tuple[FloorPlanData, ...] = ()) -> VisitReportData:
    rows = []
    answers = []
    for s in range(1, sections + 1):
        title = f"第{s}区域" + (LONG[:150] if long else "")
        rows.append(SectionScoreRow(title=title, conform=s % 5, nonconform=s % 3, not_applicable=s % 2, weighted=s % 7,
                                    coverage=Coverage(s % 5 + s % 3, items_per_section)))
        for i in range(items_per_section):
            answers.append(AnswerRow(section=title, item_id=f"s{s}.i{i}", question=(LONG if long else f"第{s}-{i}项是否符合？"),
                                     result=("conform", "nonconform", "na", None)[i % 4], value="45" if i % 2 else "",
                                     unit="min", target="≤ 30" if i % 2 else "", note=LONG if long else "备注",
                                     severity="major", department=LONG[:100] if long else "门诊部", photo_count=i,
                                     basis=(BASIS,) * (5 if long else 1)))
    start = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
    journey = tuple(JourneyRow(step=f"s{k}", label=(LONG[:200] if long else f"环节{k}"), at=start + timedelta(minutes=7 * k),
                               note=LONG if long else "") for k in range(30))
    timings = tuple(TimingRow(label=LONG[:300] if long else f"区间{k}", minutes=(k - 10) * 3.3, target="≤ 30",
                              met=k % 2 == 0, source=LONG[:200] if long else "依据") for k in range(30))
    total = SectionScoreRow("", sum(r.conform for r in rows), sum(r.nonconform for r in rows), 0, 0, Coverage(150, 200))
    return VisitReportData(header=header(institution=NAME if long else "示例市中医院"), overall=total, sections=tuple(rows),
                           answers=tuple(answers), journey=journey, timings=timings, floor_plans=plans,
                           findings_count=9, open_rectifications=3, coverage=Coverage(150, 200))


@pytest.mark.slow
def test_visit_report_with_100_sections(tmp_path: Path, no_shrinking: None) -> None:
    out = tmp_path / "visit.pdf"
    pages = write_visit_report(visit_data(100, 2), out, loader=Photos())
    texts = check_report(out, pages, "第1区域", "第100区域", "提前33分钟")
    joined = "".join(texts)
    # The chart runs over several pages: every section has its bar label and its table row.
    assert joined.count("第100区域") >= 3  # bar label, score table, answers band


def test_visit_report_with_huge_texts_and_odd_floor_plans(tmp_path: Path, no_shrinking: None) -> None:
    photos = Photos()
    pins = tuple(PinRow(number=n, kind=("aed", "finding", "facility")[n % 3], x=(n % 10) / 9, y=(n % 7) / 6,
                        label=LONG[:200], status=("", "ok", "faulty", "missing", "blocked")[n % 5] if n % 3 == 0 else "")
                 for n in range(1, 61))
    plans = (
        FloorPlanData(name=LONG[:400], floor="1F", image=photos.add("tall-plan", 400, 8000), pins=pins),
        FloorPlanData(name="门诊楼二层", floor="2F", image=photos.add("wide-plan", 8000, 400), pins=pins[:5]),
        FloorPlanData(name="无图平面图", floor="", image=None, pins=pins[:3]),
    )
    out = tmp_path / "visit.pdf"
    pages = write_visit_report(visit_data(12, 3, long=True, plans=plans), out, loader=photos)
    check_report(out, pages, "门诊楼二层", "无图平面图", "被遮挡/无法取用", "未检查")


def summary_data(institutions: int, themes: int, *, incomplete: int = 0) -> SummaryData:
    months = tuple(f"2026-{m:02d}" for m in range(1, 13))
    theme_names = tuple(f"主题{t}" for t in range(1, themes + 1))
    insts = []
    for i in range(institutions):
        row = SectionScoreRow("", 80 + i, 20 - i % 10, 3, 30 + i)
        insts.append(InstitutionSummary(
            name=f"示例第{i + 1}医院", kind=("tcm", "general", "integrated", "specialist", "primary")[i % 5], visits=12,
            overall=row if i % 4 else SectionScoreRow("", 0, 0, 0, 0),
            themes={t: SectionScoreRow(t, 5, i % 4, 0, 1) for t in theme_names}, open_rectifications=i,
            overdue_rectifications=i % 3, verified_rectifications=2 * i, findings=10 + i,
            monthly={m: 0.6 + 0.03 * ((i + k) % 12) for k, m in enumerate(months)},
            complete_visits=12 if i % 4 else 0, coverage=Coverage(1000 + i, 1200)))
    problems = tuple(ProblemCount(text=f"问题{k}：" + LONG[:100], count=50 - k, institutions=k % 12 + 1, basis=(BASIS,) * 2)
                     for k in range(40))
    missing = tuple(VisitCoverage(institution=f"示例第{k % institutions + 1}医院", visit_date=date(2026, 5, 1 + k % 28),
                                  report_number=f"2026-05-{k:03d}", coverage=Coverage(19, 217), rate=0.5)
                    for k in range(incomplete))
    return SummaryData(institutions=tuple(insts), themes=theme_names, problems=problems, months=months,
                       date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), incomplete=missing)


@pytest.mark.slow
@pytest.mark.parametrize(("institutions", "themes"), [(3, 100), (12, 100), (40, 10)])
def test_summary_with_many_institutions_and_themes(tmp_path: Path, institutions: int, themes: int, no_shrinking: None) -> None:
    out = tmp_path / "summary.pdf"
    pages = write_summary_report(summary_data(institutions, themes, incomplete=30), out)
    texts = check_report(out, pages, "主题100" if themes == 100 else "主题10", f"示例第{institutions}医院", "未计入得分和排名的体验")
    assert "一、机构对比" in texts[0] and "机构类型" in texts[0]
    # Institutions without a complete visit are named but not ranked; the others are numbered 1..n.
    ranking = "".join(texts)[("".join(texts)).index("二、排名"):]
    assert "无完整体验" in ranking
    if institutions > 8:
        assert "图中只画出排名前8家机构" in "".join(texts)


def test_followup_with_huge_texts_and_long_history(tmp_path: Path, no_shrinking: None) -> None:
    photos = Photos()
    before = tuple(photos.add(f"b{k}", 1600, 1200, caption=LONG) for k in range(5))
    after = tuple(photos.add(f"a{k}", 1200, 1600) for k in range(3))
    history = tuple(StatusEvent(at=datetime(2026, 11, 3, 1, k, tzinfo=UTC), status_from="open", status_to="in_progress",
                                note=LONG[:500], actor=LONG[:40]) for k in range(60))
    entries = tuple(FollowUpEntry(finding=long_finding(n, before if n == 1 else ()), visit_date=date(2026, 10, n),
                                  report_number=f"2026-10-00{n}", after_photos=after if n == 2 else (), history=history)
                    for n in range(1, 4))
    out = tmp_path / "followup.pdf"
    pages = write_followup_report(FollowUpData(institution=NAME, entries=entries, as_of=date(2026, 12, 1)), out, loader=photos)
    check_report(out, pages, "序号1", "序号3", "原编号2026-10-003-3", "逾期11天")


def test_a_flowable_too_large_for_any_page_is_shrunk_not_fatal(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The last resort: a flowable that cannot split and does not fit an empty page is scaled to fit."""
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.platypus import Paragraph

    from auditapp.reports.layout import PageDecor, build_pdf
    from auditapp.reports.styles import make_styles

    giant = Drawing(2000, 5000)
    giant.add(Rect(0, 0, 2000, 5000, fillColor=None, strokeColor=None))
    giant.add(Rect(100, 100, 1800, 4800, strokeWidth=20))
    out = tmp_path / "giant.pdf"
    with caplog.at_level(logging.WARNING, logger="auditapp.reports"):
        pages = build_pdf(out, [Paragraph("前文", make_styles().body), giant, Paragraph("后文", make_styles().body)],
                          decor=PageDecor(title="测试"))
    texts = check_report(out, pages, "前文", "后文")
    assert pages == 3 and len(texts) == 3
    assert any("scaled down" in r.getMessage() and "Drawing" in r.getMessage() for r in caplog.records)


def test_glyphs_the_font_draws_small_are_enlarged() -> None:
    """▲ (items for tertiary and lead hospitals) is drawn larger, so it reads at text size."""
    from auditapp.reports.styles import text

    assert text("医联体牵头医院（适用▲项目）") == '医联体牵头医院（适用<sub rise="30%" size="200%">▲</sub>项目）'
    assert text("a<b>") == "a&lt;b&gt;"  # still escaped


def test_enlarged_triangle_is_as_tall_as_the_text_on_the_page(tmp_path: Path) -> None:
    """Measured on the page: the printed ▲ is at least 80 % of a Chinese character's height."""
    import subprocess

    from reportlab.platypus import Paragraph

    from auditapp.reports.layout import PageDecor, build_pdf
    from auditapp.reports.styles import make_styles, text

    out = tmp_path / "glyph.pdf"
    build_pdf(out, [Paragraph(text("中 ▲"), make_styles(20).body)], decor=PageDecor(title=""))
    subprocess.run(["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-gray", "-singlefile", str(out), str(tmp_path / "p")],
                          check=True)
    with Image.open(tmp_path / "p.pgm") as im:
        from auditapp.reports.layout import MARGIN_TOP

        scale = 300 / 72
        top = int(MARGIN_TOP * scale) + 5
        band = im.crop((0, top, im.width, top + int(60 * scale)))
        px = band.load()
        columns = [x for x in range(band.width) if any(px[x, y] < 128 for y in range(band.height))]
        groups: list[list[int]] = []
        for x in columns:
            if groups and x - groups[-1][-1] <= 3:
                groups[-1].append(x)
            else:
                groups.append([x])
        heights = []
        for g in groups[:2]:
            rows = [y for y in range(band.height) for x in range(g[0], g[-1] + 1) if px[x, y] < 128]
            heights.append(max(rows) - min(rows))
    assert len(groups) >= 2
    chinese, triangle = heights
    assert triangle >= 0.8 * chinese, (chinese, triangle)
