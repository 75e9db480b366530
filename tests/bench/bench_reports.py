"""Benchmark: a rectification list of 100 findings with 200 photos, and the layouts that
grow with a visit (a TCM-sized visit report, a 500-finding list, a wide summary).

Run as a script (not collected by pytest)::

    python tests/bench/bench_reports.py [--findings 100] [--photos-per-finding 2] [--stored-side 2000]
    python tests/bench/bench_reports.py --layouts-only

Prints the time and file size of the list with photos placed at print resolution
(200 dpi at the placed size) and of the same list embedding the stored photos unscaled,
and the ratio between the two. The photos are distinct photo-like JPEGs (noise over
shapes, so they compress like camera pictures) at the photo store's size, cached in the
temp folder; the loader plays ``photo_export_jpeg`` (decode, downscale, JPEG q85).

Then, without photos: the visit report of a TCM-sized visit (46 sections, 217 items,
the shape that failed with "Drawing … too large" before the chart could split), the
same with 100 sections, a 500-finding rectification list (portrait and landscape), and
a summary of 12 institutions with 46 themes.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from PIL import Image, ImageDraw  # noqa: E402

from auditapp.reports.contents import Basis, FindingEntry, RectificationListData, VisitHeader  # noqa: E402
from auditapp.reports.images import PhotoRef, Placement  # noqa: E402
from auditapp.reports.rectification import write_rectification_list  # noqa: E402


def photo_like_jpeg(width: int, height: int, seed: int) -> bytes:
    rng = random.Random(seed)
    im = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(im)
    for y in range(0, height, 8):
        draw.rectangle([0, y, width, y + 8], fill=(40 + 180 * y // height, 80 + seed % 150, 210 - 140 * y // height))
    for _ in range(60):
        x, y = rng.randrange(width), rng.randrange(height)
        draw.rectangle([x, y, x + rng.randrange(40, width // 3), y + rng.randrange(40, height // 3)],
                       fill=tuple(rng.randrange(256) for _ in range(3)))
    noise = Image.effect_noise((width, height), 28).convert("RGB")
    im = Image.blend(im, noise, 0.18)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def stored_photos(count: int, side: int) -> list[Path]:
    cache = Path(tempfile.gettempdir()) / f"auditapp-bench-photos-{side}"
    cache.mkdir(exist_ok=True)
    out = []
    for i in range(count):
        path = cache / f"{i:04d}.jpg"
        if not path.exists():
            w, h = (side, side * 3 // 4) if i % 4 else (side * 3 // 4, side)
            path.write_bytes(photo_like_jpeg(w, h, i))
        out.append(path)
    return out


def export_loader(files: dict[str, Path]):  # type: ignore[no-untyped-def]
    """What ``photo_export_jpeg(db, id, max_side=…)`` does: decode with draft, downscale, JPEG q85."""

    def load(photo_id: str, max_side: int) -> bytes:
        with Image.open(files[photo_id]) as im:
            im.draft("RGB", (max_side, max_side))
            im = im.convert("RGB")
            im.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            buf = io.BytesIO()
            im.save(buf, "JPEG", quality=85)
            return buf.getvalue()

    return load


def raw_loader(files: dict[str, Path]):  # type: ignore[no-untyped-def]
    return lambda photo_id, max_side: files[photo_id].read_bytes()


def rectification_data(findings: int, per_finding: int, photos: list[Path]) -> tuple[RectificationListData, dict[str, Path]]:
    files: dict[str, Path] = {}
    entries = []
    basis = (Basis("淮安市改善就医感受提升患者体验主题活动实施方案（2023—2025年）", "二(二)6 五", "形成门诊区域急救 AED 地图", "淮卫办发〔2023〕88号"),)
    for n in range(1, findings + 1):
        refs = []
        for k in range(per_finding):
            path = photos[(n - 1) * per_finding + k]
            with Image.open(path) as im:
                size = im.size
            pid = f"photo-{n}-{k}"
            files[pid] = path
            refs.append(PhotoRef(id=pid, width=size[0], height=size[1], caption="门诊大厅"))
        entries.append(
            FindingEntry(
                id=f"f{n}", number=n, area="门诊大厅", text=f"第 {n} 项：门诊区域未张贴急救 AED 地图，导医台工作人员不清楚最近的 AED 位置。",
                basis=basis, severity=("minor", "major", "critical")[n % 3], department=("门诊部", "医务科", "总务科", "保卫科")[n % 4],
                owner="张主任", deadline=date.today() + timedelta(days=14), measures="立即整改，完善制度并安排专人每日巡查。",
                status="open", photos=tuple(refs),
            )
        )
    header = VisitHeader("示例市中医院", (date.today(),), "self", "王院长", "2026-11-001")
    return RectificationListData(header=header, findings=tuple(entries)), files


def run(label: str, data: RectificationListData, out: Path, **kwargs) -> tuple[float, int, int]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    pages = write_rectification_list(data, out, **kwargs)
    seconds = time.perf_counter() - start
    size = out.stat().st_size
    print(f"{label:<44} {seconds:7.2f} s  {size / 1e6:8.1f} MB  {pages:4d} pages")
    return seconds, size, pages


def visit_report_data(sections: int, items: int):  # type: ignore[no-untyped-def]
    from auditapp.reports.contents import AnswerRow, SectionScoreRow, VisitReportData
    from auditapp.scoring import Coverage

    per_section = max(1, items // sections)
    rows, answers = [], []
    basis = (Basis("中医医疗服务提升工程实施方案（2023-2025年）", "二(二)二", "就诊区域设置醒目的建筑平面图、科室分布图"),)
    for n in range(sections):
        title = f"第{n + 1}区域（门诊楼）"
        rows.append(SectionScoreRow(title, n % 5 + 1, n % 3, n % 2, n % 7, Coverage(n % 5 + n % 3 + 1, per_section)))
        for k in range(per_section):
            answers.append(AnswerRow(section=title, item_id=f"i{n}.{k}", question=f"第{n + 1}-{k + 1}项：就诊区域是否设置醒目的建筑平面图、科室分布图？",
                                     result=("conform", "nonconform", "na", None)[k % 4], note="现场未见相关标识，询问导医后才找到。" if k % 4 == 1 else "",
                                     department="门诊部", basis=basis))
    overall = SectionScoreRow("", sum(r.conform for r in rows), sum(r.nonconform for r in rows), 0, 0, Coverage(150, 200))
    header = VisitHeader("示例市中医院", (date.today(),), "self", "王院长", "2026-11-001", coverage=Coverage(150, 200))
    return VisitReportData(header=header, overall=overall, sections=tuple(rows), answers=tuple(answers), coverage=Coverage(150, 200))


def summary_data(institutions: int, themes: int):  # type: ignore[no-untyped-def]
    from auditapp.reports.contents import InstitutionSummary, ProblemCount, SectionScoreRow, SummaryData
    from auditapp.scoring import Coverage

    months = tuple(f"2026-{m:02d}" for m in range(1, 13))
    names = tuple(f"主题{t}" for t in range(1, themes + 1))
    insts = tuple(
        InstitutionSummary(name=f"示例第{i + 1}医院", kind="tcm", visits=12, overall=SectionScoreRow("", 80 + i, 20, 3, 30 + i),
                           themes={t: SectionScoreRow(t, 5, i % 4, 0, 1) for t in names}, open_rectifications=i,
                           overdue_rectifications=i % 3, verified_rectifications=i, findings=10 + i,
                           monthly={m: 0.6 + 0.03 * ((i + k) % 12) for k, m in enumerate(months)}, complete_visits=12,
                           coverage=Coverage(2000, 2400), coverage_all=Coverage(2000, 2400))
        for i in range(institutions))
    problems = tuple(ProblemCount(text=f"问题{k}：候诊区座椅数量不足", count=50 - k, institutions=k % 12 + 1) for k in range(15))
    return SummaryData(institutions=insts, themes=names, problems=problems, months=months)


def layouts(out: Path) -> None:
    """Layouts that grow with a visit, without photos (the photo path is measured above)."""
    from auditapp.reports.summary import write_summary_report
    from auditapp.reports.visit import write_visit_report

    def timed(label: str, write, path: Path) -> None:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        pages = write(path)
        print(f"{label:<44} {time.perf_counter() - start:7.2f} s  {path.stat().st_size / 1e6:8.1f} MB  {pages:4d} pages")

    no_photos = lambda photo_id, side: b""  # noqa: E731
    timed("visit report, 46 sections, 217 items", lambda p: write_visit_report(visit_report_data(46, 217), p, loader=no_photos), out / "v46.pdf")
    timed("visit report, 100 sections, 400 items", lambda p: write_visit_report(visit_report_data(100, 400), p, loader=no_photos), out / "v100.pdf")
    big, _files = rectification_data(500, 0, [])
    timed("rectification list, 500 findings", lambda p: write_rectification_list(big, p, loader=no_photos), out / "r500.pdf")
    timed("rectification list, 500 findings, landscape", lambda p: write_rectification_list(big, p, loader=no_photos, landscape=True),
          out / "r500l.pdf")
    timed("summary, 12 institutions, 46 themes", lambda p: write_summary_report(summary_data(12, 46), p), out / "s12.pdf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100)
    parser.add_argument("--photos-per-finding", type=int, default=2)
    parser.add_argument("--stored-side", type=int, default=2000, help="long side of the stored photos in pixels")
    parser.add_argument("--skip-unscaled", action="store_true")
    parser.add_argument("--layouts-only", action="store_true", help="only the layouts without photos")
    args = parser.parse_args(argv)
    if args.layouts_only:
        with tempfile.TemporaryDirectory() as tmp:
            layouts(Path(tmp))
        print(f"(python {sys.version.split()[0]}, {os.cpu_count()} cpu)")
        return 0

    total = args.findings * args.photos_per_finding
    t0 = time.perf_counter()
    photos = stored_photos(total, args.stored_side)
    stored_mb = sum(p.stat().st_size for p in photos) / 1e6
    print(f"{total} distinct stored photos, long side {args.stored_side} px, {stored_mb:.1f} MB in all "
          f"(prepared in {time.perf_counter() - t0:.1f} s)")
    data, files = rectification_data(args.findings, args.photos_per_finding, photos)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        s_time, s_size, _ = run("print resolution (200 dpi), portrait blocks", data, out / "a.pdf", loader=export_loader(files))
        run("print resolution (200 dpi), landscape table", data, out / "b.pdf", loader=export_loader(files), landscape=True)
        run("print resolution (200 dpi), by department", data, out / "c.pdf", loader=export_loader(files), by_department=True)
        if not args.skip_unscaled:
            u_time, u_size, _ = run("stored photos embedded unscaled", data, out / "d.pdf", loader=raw_loader(files),
                                    placement=Placement(dpi=None))
            print(f"unscaled / print resolution: time x{u_time / s_time:.1f}, size x{u_size / s_size:.1f}")
        layouts(out)
    print(f"(python {sys.version.split()[0]}, {os.cpu_count()} cpu)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
