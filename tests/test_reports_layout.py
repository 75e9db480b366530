"""Report layouts on plain report data (no database): fonts, extractable text, page
numbers, photo resolution, redactions, edge cases, progress and cancel."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from auditapp.progress import CancelToken
from auditapp.reports.contents import Basis, FindingEntry, RectificationListData, VisitHeader
from auditapp.reports.images import PhotoRef, Placement, print_jpeg
from auditapp.reports.layout import ReportCancelled, Tracker
from auditapp.reports.rectification import write_rectification_list
from test_reports_support import (
    dark_box,
    make_jpeg,
    pdf_fonts,
    pdf_images,
    pdf_info,
    pdf_page_texts,
    pdf_text,
    render_page,
)


@pytest.fixture(autouse=True)
def _chinese_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the Chinese reports (the default); English ones are tested in test_reports_english."""
    monkeypatch.setenv("AUDITAPP_LANG", "zh_CN")

HEADER = VisitHeader("示例市中医院（测试）", (date(2026, 11, 3),), "bureau", "王院长", "2026-11-001")
BASIS = Basis(
    "淮安市改善就医感受提升患者体验主题活动实施方案（2023—2025年）", "二(二)6 五", "形成门诊区域急救 AED 地图", "淮卫办发〔2023〕88号"
)


class Photos:
    """In-memory photo store whose loader keeps the ``photo_export_jpeg`` contract."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.requests: list[tuple[str, int]] = []

    def add(self, photo_id: str, data: bytes) -> PhotoRef:
        self.data[photo_id] = data
        with Image.open(io.BytesIO(data)) as im:
            return PhotoRef(id=photo_id, width=im.width, height=im.height, caption="现场")

    def __call__(self, photo_id: str, max_side: int) -> bytes:
        self.requests.append((photo_id, max_side))
        with Image.open(io.BytesIO(self.data[photo_id])) as im:
            im = im.convert("RGB")
            im.thumbnail((max_side, max_side))
            buf = io.BytesIO()
            im.save(buf, "JPEG", quality=85)
            return buf.getvalue()


def finding(n: int, **kw: object) -> FindingEntry:
    values: dict[str, object] = dict(
        id=f"f{n}",
        number=n,
        text=f"问题{n}：门诊区域未张贴急救AED地图，导医台工作人员不清楚最近的AED位置。",
        area="门诊大厅",
        basis=(BASIS,),
        severity="major",
        department=("门诊部", "医务科", "总务科")[n % 3],
        owner="张主任",
        deadline=date(2026, 11, 20),
        measures="立即整改，完善制度并安排专人每日巡查。",
        status="open",
    )
    values.update(kw)
    return FindingEntry(**values)  # type: ignore[arg-type]


def write(
    tmp_path: Path, findings: list[FindingEntry], photos: Photos | None = None, name: str = "list.pdf", **kw: object
) -> tuple[Path, int]:
    out = tmp_path / name
    data = RectificationListData(header=HEADER, findings=tuple(findings))
    pages = write_rectification_list(data, out, loader=photos or Photos(), **kw)  # type: ignore[arg-type]
    return out, pages


def flat(text: str) -> str:
    """Text without whitespace: pdftotext may or may not keep the spaces between CJK runs."""
    return re.sub(r"\s+", "", text)


def assert_numbered(path: Path, pages: int) -> None:
    """pdfinfo's page count, the returned count and every "第 X 页 共 Y 页" agree."""
    assert int(pdf_info(path)["Pages"]) == pages
    texts = [flat(t) for t in pdf_page_texts(path)]
    assert len(texts) == pages
    for number, page_text in enumerate(texts, start=1):
        assert f"第{number}页共{pages}页" in page_text



def cancelled_token() -> CancelToken:
    """A token already cancelled: the operation stops at its first check."""
    token = CancelToken()
    token.cancel()
    return token

def test_cjk_font_is_embedded_as_subset(tmp_path: Path) -> None:
    path, _ = write(tmp_path, [finding(1)])
    fonts = pdf_fonts(path)
    cjk = [f for f in fonts if "WenQuanYi" in f["name"]]
    assert cjk and all(f["emb"] == "yes" and f["sub"] == "yes" and f["uni"] == "yes" for f in cjk)
    assert all(f["emb"] == "yes" for f in fonts if f["name"] != "Helvetica")


def test_text_has_every_finding_and_its_basis(tmp_path: Path) -> None:
    findings = [finding(n) for n in range(1, 8)]
    path, _ = write(tmp_path, findings)
    text = flat(pdf_text(path))
    for f in findings:
        assert flat(f.text) in text
    assert flat(BASIS.document) in text and flat(BASIS.number) in text
    assert flat(BASIS.clause) in text and flat(BASIS.quote) in text
    assert "上级督查" in text and "2026-11-001" in text


def test_page_count_matches_footer(tmp_path: Path) -> None:
    path, pages = write(tmp_path, [finding(n) for n in range(1, 30)])
    assert pages > 2
    assert_numbered(path, pages)


def test_empty_list_says_no_problems_only_for_a_complete_visit(tmp_path: Path) -> None:
    from auditapp.scoring import Coverage

    complete = RectificationListData(header=replace(HEADER, coverage=Coverage(210, 217)), findings=())
    write_rectification_list(complete, tmp_path / "complete.pdf", loader=Photos())
    assert "已检查210/217项，未发现需整改的问题" in flat(pdf_text(tmp_path / "complete.pdf"))
    for answered in (0, 19):
        partial = RectificationListData(header=replace(HEADER, coverage=Coverage(answered, 217)), findings=())
        out = tmp_path / f"partial{answered}.pdf"
        pages = write_rectification_list(partial, out, loader=Photos())
        assert_numbered(out, pages)
        text = flat(pdf_text(out))
        assert "未发现需整改的问题" not in text
        assert f"{answered}/217项" in text and "本次体验尚未完成" in text and "不能据此认为没有问题" in text


def test_finding_without_photos_and_optional_fields(tmp_path: Path) -> None:
    bare = FindingEntry(id="x", number=1, text="电梯内就医指引已过期")
    path, pages = write(tmp_path, [bare])
    assert_numbered(path, pages)
    text = flat(pdf_text(path))
    assert "电梯内就医指引已过期" in text and "未指定科室" in text and "其他问题" in text


def test_very_long_notes_break_across_pages(tmp_path: Path) -> None:
    long_text = "候诊区座椅数量不足，多名患者站立等候超过二十分钟，现场无工作人员引导。" * 250
    path, pages = write(tmp_path, [finding(1, text=long_text, measures="整改" * 2000)])
    assert pages >= 3
    assert_numbered(path, pages)
    # A repetition cut by a page break is interrupted by the running header and footer.
    assert flat(pdf_text(path)).count("候诊区座椅数量不足") >= 250 - pages


def test_long_text_in_landscape_cells_breaks_across_pages(tmp_path: Path) -> None:
    long_text = "自助机旁无工作人员指导，老年患者排队求助无人回应。" * 300
    path, pages = write(tmp_path, [finding(1, text=long_text), finding(2)], landscape=True)
    assert_numbered(path, pages)
    assert flat(pdf_text(path)).count("老年患者排队求助无人回应") >= 300 - pages


@pytest.mark.slow
@pytest.mark.parametrize("landscape", [False, True])
def test_500_findings(tmp_path: Path, landscape: bool) -> None:
    findings = [finding(n, area="门诊大厅" if n % 2 else "") for n in range(1, 501)]
    path, pages = write(tmp_path, findings, landscape=landscape)
    assert_numbered(path, pages)
    text = flat(pdf_text(path))
    assert "问题500：" in text and "问题1：" in text


def test_landscape_table_repeats_its_header_on_every_page(tmp_path: Path) -> None:
    path, _pages = write(tmp_path, [finding(n) for n in range(1, 40)], landscape=True)
    info = pdf_info(path)
    width, height = (float(v) for v in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert width > height
    texts = [flat(t) for t in pdf_page_texts(path)]
    tables = [t for t in texts if re.search(r"问题\d+：", t)]
    assert len(tables) >= 2
    for page_text in tables:
        assert "问题描述" in page_text and "检查依据" in page_text


def test_by_department_gives_each_department_its_own_pages(tmp_path: Path) -> None:
    findings = [finding(n) for n in range(1, 13)]
    path, pages = write(tmp_path, findings, by_department=True)
    assert_numbered(path, pages)
    texts = [flat(t) for t in pdf_page_texts(path)]
    assert "汇总本科室第1页共1页" in texts[0]
    for dept in ("门诊部", "医务科", "总务科"):
        own = [t for t in texts if f"{dept}本科室第" in t]
        assert own and f"{dept}本科室第1页共{len(own)}页" in own[0]
        joined = "".join(own)
        numbers = {f.number for f in findings if f.department == dept}
        assert all(f"问题{n}：" in joined for n in numbers)
        assert not any(f"问题{n}：" in joined for n in {f.number for f in findings} - numbers)
        assert "科室负责人（签字）" in own[-1]


def test_open_only_note_and_overdue_marks(tmp_path: Path) -> None:
    out = tmp_path / "open.pdf"
    late = finding(1, overdue=True, deadline=date.today() - timedelta(days=3))
    data = RectificationListData(header=HEADER, findings=(late,), open_only=True)
    write_rectification_list(data, out, loader=Photos())
    text = flat(pdf_text(out))
    assert "仅列出尚未完成整改" in text and "已逾期" in text


def test_photos_are_embedded_at_print_resolution(tmp_path: Path) -> None:
    photos = Photos()
    refs = (photos.add("big-a", make_jpeg(3000, 2250, seed=1)), photos.add("big-b", make_jpeg(2250, 3000, seed=2)))
    path, _ = write(tmp_path, [finding(1, photos=refs)], photos)
    images = pdf_images(path)
    assert len(images) == 2
    for image in images:
        # A block photo is at most about 80 x 50 mm: about 630 px at 200 dpi.
        assert max(int(image["width"]), int(image["height"])) <= 700
        assert image["enc"] == "jpeg"
    # Each photo was loaded once, at the size it is placed at.
    assert sorted(p for p, _ in photos.requests) == ["big-a", "big-b"]


def test_unscaled_placement_embeds_the_given_bytes(tmp_path: Path) -> None:
    photos = Photos()
    ref = photos.add("big", make_jpeg(2000, 1500, seed=3))
    raw = photos.data["big"]
    path, _ = write(tmp_path, [finding(1, photos=(ref,))], lambda pid, side: raw, placement=Placement(dpi=None))  # type: ignore[arg-type]
    assert int(pdf_images(path)[0]["width"]) == 2000


def _noise_photo_with_black_box(width: int, height: int, box: tuple[float, float, float, float]) -> bytes:
    """Bright high-contrast noise (any leak shows) with a black redaction burned in."""
    # Coarse blocks so the texture survives downscaling to print size.
    coarse = Image.effect_noise((width // 24, height // 24), 90).point(lambda v: 100 + (v * 155) // 255)
    noise = coarse.resize((width, height), Image.Resampling.NEAREST).convert("RGB")
    draw = ImageDraw.Draw(noise)
    x, y, w, h = box
    draw.rectangle([x * width, y * height, (x + w) * width, (y + h) * height], fill=(0, 0, 0))
    buf = io.BytesIO()
    noise.save(buf, "JPEG", quality=92)
    return buf.getvalue()


def test_redacted_area_is_uniform_in_the_rendered_page(tmp_path: Path) -> None:
    photos = Photos()
    ref = photos.add("redacted", _noise_photo_with_black_box(2400, 1800, (0.3, 0.3, 0.4, 0.4)))
    path, _ = write(tmp_path, [finding(1, photos=(ref,))], photos)
    page = render_page(path, 1, 100, tmp_path)
    px = page.load()
    top, bottom, left, right = dark_box(page)
    inside = [px[x, y] for y in range(top, bottom) for x in range(left, right)]
    assert max(inside) - min(inside) <= 12, "redaction shows structure"
    # The photo around the box is not uniform (the test would be vacuous otherwise).
    around = [px[x, top - 8] for x in range(left, right)] if top > 8 else []
    assert around and max(around) - min(around) > 40


def test_exif_rotated_photo_is_embedded_upright() -> None:
    im = Image.new("RGB", (400, 200), (255, 255, 255))
    ImageDraw.Draw(im).rectangle([0, 0, 100, 200], fill=(0, 0, 0))  # dark band on the left
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif.tobytes())
    out = print_jpeg(buf.getvalue(), 100, 200, Placement())
    with Image.open(io.BytesIO(out)) as upright:
        assert upright.height > upright.width
        assert upright.getexif().get(0x0112, 1) == 1
        top_row = upright.convert("L").crop((0, 0, upright.width, 5)).getextrema()
        assert top_row[0] < 60  # the band is now at the top


def test_unreadable_photo_gives_a_placeholder(tmp_path: Path) -> None:
    def broken(photo_id: str, max_side: int) -> bytes:
        return b"not a jpeg"

    path, pages = write(tmp_path, [finding(1, photos=(PhotoRef("gone", 1600, 1200),))], broken)  # type: ignore[arg-type]
    assert_numbered(path, pages)
    assert "照片无法读取" in flat(pdf_text(path))


def test_progress_counts_up_to_the_total(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    tracker = Tracker(lambda d, t, _text: seen.append((d, t)), None, total=12)
    write(tmp_path, [finding(n) for n in range(1, 11)], tracker=tracker)
    tracker.finish()
    dones = [d for d, _ in seen]
    assert dones == sorted(dones) and seen[-1] == (12, 12) and len(seen) >= 10


def test_cancel_leaves_no_file(tmp_path: Path) -> None:
    token = CancelToken()

    def progress(done: int, _total: int, _text: str) -> None:
        if done >= 5:
            token.cancel()

    out = tmp_path / "cancelled.pdf"
    with pytest.raises(ReportCancelled):
        write_rectification_list(
            RectificationListData(header=HEADER, findings=tuple(finding(n) for n in range(1, 30))),
            out,
            loader=Photos(),
            tracker=Tracker(progress, token, total=31),
        )
    assert list(tmp_path.iterdir()) == []


def test_existing_file_is_kept_when_cancelled(tmp_path: Path) -> None:
    out = tmp_path / "list.pdf"
    out.write_bytes(b"%PDF old")
    with pytest.raises(ReportCancelled):
        write_rectification_list(
            RectificationListData(header=HEADER, findings=(finding(1),)),
            out,
            loader=Photos(),
            tracker=Tracker(None, cancelled_token(), total=2),
        )
    assert out.read_bytes() == b"%PDF old"
    assert [p.name for p in tmp_path.iterdir()] == ["list.pdf"]


def test_header_shows_visit_facts(tmp_path: Path) -> None:
    header = replace(HEADER, visit_dates=(date(2026, 11, 3), date(2026, 11, 4)))
    out = tmp_path / "h.pdf"
    write_rectification_list(RectificationListData(header=header, findings=(finding(1),)), out, loader=Photos())
    text = flat(pdf_text(out))
    for expected in (
        "整改清单",
        "示例市中医院（测试）",
        "2026-11-03至2026-11-04",
        "王院长",
        "2026-11-001",
        "生成时间",
        "检查人（签字）",
        "科室负责人（签字）",
        "分管院领导（签字）",
    ):
        assert expected in text, expected


# -- paragraphs wrap once per width -------------------------------------------------------


def _lines(paragraph: object) -> list[object]:
    """A paragraph's broken lines as comparable values (simple lines are (space, words) tuples)."""
    lines = paragraph.blPara.lines  # type: ignore[attr-defined]
    return [line if isinstance(line, tuple) else (line.extraSpace, len(line.words)) for line in lines]


def test_a_remembered_wrap_is_the_wrap_reportlab_would_compute() -> None:
    """The report paragraph returns, for a width it was wrapped at before, what a fresh
    ReportLab paragraph computes at that width — also after wraps at other widths and
    after a split (which resets what it remembers)."""
    from reportlab.platypus import Paragraph as PlatypusParagraph

    from auditapp.reports.styles import Paragraph, make_styles

    style = make_styles().cell
    words = "候诊区座椅不足，高峰时段老年患者站立等候超过二十分钟；" * 12
    ours = Paragraph(words, style)
    for width in (180.0, 95.5, 180.0, 40.0, 95.5):
        fresh = PlatypusParagraph(words, style)
        assert ours.wrap(width, 800) == fresh.wrap(width, 800)
        assert _lines(ours) == _lines(fresh)
    ours.wrap(95.5, 800)
    first, rest = ours.split(95.5, 60)
    fresh_first, fresh_rest = PlatypusParagraph(words, style).split(95.5, 60)
    assert first.wrap(95.5, 800) == fresh_first.wrap(95.5, 800) and rest.wrap(95.5, 800) == fresh_rest.wrap(95.5, 800)
    assert ours.wrap(95.5, 800) == PlatypusParagraph(words, style).wrap(95.5, 800)
    assert ours.wrap(0.0, 800) == (0, 0x7FFFFFFF)  # "cannot fit here" is not remembered as a size


def test_a_report_paragraph_wraps_once_per_width() -> None:
    from reportlab.platypus import Paragraph as PlatypusParagraph

    from auditapp.reports.styles import Paragraph, make_styles

    calls: list[float] = []
    original = PlatypusParagraph.wrap

    class Counting(Paragraph):
        pass

    def counting(self: PlatypusParagraph, width: float, height: float) -> tuple[float, float]:
        calls.append(width)
        return original(self, width, height)

    paragraph = Counting("检查依据：" * 40, make_styles().cell)
    PlatypusParagraph.wrap = counting  # type: ignore[method-assign]
    try:
        for _ in range(4):
            paragraph.wrap(120, 500)
        paragraph.wrap(60, 500)
    finally:
        PlatypusParagraph.wrap = original  # type: ignore[method-assign]
    assert calls == [120, 60]


def test_reports_build_paragraphs_from_the_one_paragraph_class() -> None:
    """Every report module takes Paragraph from auditapp.reports.styles (the one that wraps
    once per width), never ReportLab's own — one missed module would make its report slow again."""
    from conftest import REPO_ROOT

    offenders = []
    for path in sorted((REPO_ROOT / "auditapp" / "reports").glob("*.py")):
        if path.name == "styles.py":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"from reportlab\.platypus(\.paragraph)? import[^\n]*\bParagraph\b(?!Style)", source) or re.search(
            r"platypus\.Paragraph\b", source
        ):
            offenders.append(path.name)
    assert offenders == []


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_a_parse_kept_from_an_earlier_paragraph_gives_the_same_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   language: str) -> None:
    """Paragraphs of the same text and style reuse one parse of their markup; the PDF is
    byte for byte what ReportLab's own parse of every paragraph writes — for repeated labels
    and values, coloured severities, enlarged symbols (<sub>), line breaks (<br/>), escaped
    user text, in every layout, and for a second report made after the first."""
    from datetime import datetime

    from reportlab import rl_config
    from reportlab.platypus import Paragraph as PlatypusParagraph

    from auditapp.reports import layout, styles

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: object = None) -> Frozen:  # type: ignore[override]
            return cls(2026, 12, 1, 23, 59, 30)

    monkeypatch.setenv("AUDITAPP_LANG", language)
    monkeypatch.setattr(rl_config, "invariant", 1)  # no dates or random ids in the file ...
    monkeypatch.setattr(layout, "datetime", Frozen)  # ... nor the minute printed in the footer
    findings = [
        finding(n, severity=("critical", "major", "minor")[n % 3],
                text=f"▲ 第{n % 4}号诊室 <门> & “候诊”\n第二行：患者站立等候超过二十分钟", measures="已整改\n复查通过" if n % 2 else "")
        for n in range(1, 16)  # every text and severity repeats; the by-department list has 3 departments
    ]
    variants: list[dict[str, object]] = [{}, {"landscape": True}, {"by_department": True}]

    def files(tag: str) -> list[bytes]:
        return [write(tmp_path, findings, name=f"{tag}{i}.pdf", **kw)[0].read_bytes() for i, kw in enumerate(variants)]

    styles._PARSED.clear()
    kept_first, kept_again = files("a"), files("b")  # the second run takes every parse from the first
    assert len(styles._PARSED) > 10
    monkeypatch.setattr(styles.Paragraph, "_setup", PlatypusParagraph._setup)
    assert files("c") == kept_first == kept_again


def test_a_kept_parse_is_never_shared_between_paragraphs_or_styles() -> None:
    """Line breaking writes into a paragraph's fragments: each paragraph has its own; the
    same text in another style is parsed for that style."""
    from auditapp.reports.styles import Paragraph, make_styles

    st = make_styles()
    made = [Paragraph("急诊 <b>绿色</b> 通道", st.cell) for _ in range(3)]
    assert all([f.text for f in p.frags] == ["急诊 ", "绿色", " 通道"] for p in made)
    assert len({id(f) for p in made for f in p.frags}) == 9
    made[1].wrap(30, 500)
    assert [f.text for f in made[2].frags] == ["急诊 ", "绿色", " 通道"]
    first = made[0]
    other = Paragraph("急诊 <b>绿色</b> 通道", st.h1)
    assert {f.fontSize for f in other.frags} == {st.h1.fontSize} != {f.fontSize for f in first.frags}


def test_the_page_header_clips_a_long_name_to_the_longest_start_that_fits(tmp_path: Path) -> None:
    """The institution's name in the running header: whole when it fits, else the longest
    start that fits with "…" (what taking one character off at a time gave), nothing when
    not even "…" fits."""
    from reportlab.pdfgen.canvas import Canvas

    from auditapp.reports.fonts import register_fonts
    from auditapp.reports.layout import _clip_to_width

    font, canvas = register_fonts(), Canvas(str(tmp_path / "c.pdf"))
    name = "示例市第一人民医院（南京中医药大学附属）Outpatient Building 门诊楼" * 3

    def one_at_a_time(value: str, limit: float) -> str:
        if canvas.stringWidth(value, font, 8.5) <= limit:
            return value
        while value and canvas.stringWidth(value + "…", font, 8.5) > limit:
            value = value[:-1]
        return value + "…" if value else ""

    for limit in (0, 5, 9, 10, 33.3, 100, 250.5, 400, 1000, 2000):
        clipped = _clip_to_width(name, limit, font, 8.5, canvas)
        assert clipped == one_at_a_time(name, limit), limit
        assert clipped == name or canvas.stringWidth(clipped, font, 8.5) <= limit
