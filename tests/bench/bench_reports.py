"""Benchmark: a rectification list of 100 findings with 200 photos.

Run as a script (not collected by pytest)::

    python tests/bench/bench_reports.py [--findings 100] [--photos-per-finding 2] [--stored-side 2000]

Prints the time and file size of the list with photos placed at print resolution
(200 dpi at the placed size) and of the same list embedding the stored photos unscaled,
and the ratio between the two. The photos are distinct photo-like JPEGs (noise over
shapes, so they compress like camera pictures) at the photo store's size, cached in the
temp folder; the loader plays ``photo_export_jpeg`` (decode, downscale, JPEG q85).
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

from auditapp.reports.images import PhotoRef, Placement  # noqa: E402
from auditapp.reports.model import Basis, FindingEntry, RectificationListData, VisitHeader  # noqa: E402
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100)
    parser.add_argument("--photos-per-finding", type=int, default=2)
    parser.add_argument("--stored-side", type=int, default=2000, help="long side of the stored photos in pixels")
    parser.add_argument("--skip-unscaled", action="store_true")
    args = parser.parse_args(argv)

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
    print(f"(python {sys.version.split()[0]}, {os.cpu_count()} cpu)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
