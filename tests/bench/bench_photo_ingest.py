"""Benchmark: photo ingest of realistic 12-megapixel camera JPEGs.

Run: python tests/bench/bench_photo_ingest.py [--count 200]
Prints the median time per photo and peak memory of the app's ingest (draft-mode
decode, downscale, EXIF orientation, metadata stripped, thumbnail), the same for a
naive full decode + resize, their ratio, and memory across a long run of imports.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PIL import Image, ImageDraw, ImageFilter, ImageOps

from auditapp.photos.ingest import process_image


def camera_photo(path: Path, seed: int) -> None:
    """4000×3000, photo-like content (gradients, shapes, grain), q92, EXIF orientation 6 and GPS."""
    rng = random.Random(seed)
    base = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    draw = ImageDraw.Draw(base)
    for _ in range(60):
        x, y = rng.randrange(4000), rng.randrange(3000)
        draw.ellipse((x, y, x + rng.randrange(50, 900), y + rng.randrange(50, 700)), fill=tuple(rng.randrange(256) for _ in range(3)))
    grain = Image.effect_noise((4000, 3000), 25).convert("RGB")
    image = Image.blend(base.filter(ImageFilter.GaussianBlur(2)), grain, 0.15)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Camera"
    exif.get_ifd(0x8769)[0x9003] = "2026:11:03 09:15:30"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (31.0, 14.0, 5.0)
    image.save(path, format="JPEG", quality=92, exif=exif)


def naive(path: Path, max_side: int = 2048) -> bytes:
    """What one would write without care: full decode, transpose, resize, save, thumbnail."""
    image = ImageOps.exif_transpose(Image.open(path))
    image = image.convert("RGB")
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    thumb = image.copy()
    thumb.thumbnail((256, 256))
    thumb.save(io.BytesIO(), format="JPEG", quality=80)
    return out.getvalue()


def _max_rss_mb(field: str = "VmHWM") -> float:
    """Peak (VmHWM) or current (VmRSS) resident memory; ru_maxrss survives exec on Linux."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(mode: str, files: list[Path]) -> tuple[float, float, float]:
    """Median seconds per photo, and peak RSS (MB) above the interpreter's baseline.

    Each mode runs in its own process so one mode's peak memory cannot hide the other's.
    """
    import json
    import subprocess

    code = (
        "import sys, json, time, statistics; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2]);"
        "import bench_photo_ingest as b; from pathlib import Path;"
        "fn = b.process_image if sys.argv[3] == 'fast' else b.naive;"
        "base = b._max_rss_mb(); times = [];"
        "[times.append((lambda s: (fn(Path(f)), time.perf_counter() - s)[1])(time.perf_counter())) for f in sys.argv[4:]];"
        "print(json.dumps([statistics.median(times), b._max_rss_mb() - base, b._max_rss_mb()]))"
    )
    repo = str(Path(__file__).resolve().parents[2])
    out = subprocess.run(
        [sys.executable, "-c", code, repo, str(Path(__file__).parent), mode, *map(str, files)],
        capture_output=True, text=True, check=True,
    )
    return tuple(json.loads(out.stdout))  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200, help="photos in the long run (memory)")
    parser.add_argument("--distinct", type=int, default=8, help="distinct source photos generated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for n in range(args.distinct):
            path = Path(tmp) / f"IMG_{n:04d}.jpg"
            camera_photo(path, n)
            files.append(path)
        size_mb = statistics.mean(f.stat().st_size for f in files) / 2**20
        print(f"source: {len(files)} photos, 4000×3000, q92, EXIF orientation 6, {size_mb:.1f} MB each")
        fast, fast_peak, fast_rss = measure("fast", files)
        slow, slow_peak, slow_rss = measure("naive", files)
        print(f"app ingest : median {fast * 1000:.0f} ms/photo, peak memory +{fast_peak:.0f} MB (max RSS {fast_rss:.0f} MB)")
        print(f"naive      : median {slow * 1000:.0f} ms/photo, peak memory +{slow_peak:.0f} MB (max RSS {slow_rss:.0f} MB)")
        print(f"ratio      : {slow / fast:.1f}× faster")

        import gc

        gc.collect()
        process_image(files[0])
        rss_before = _max_rss_mb("VmRSS")
        start = time.perf_counter()
        for n in range(args.count):
            process_image(files[n % len(files)])
            if n == 9:
                rss_10 = _max_rss_mb("VmRSS")
        total = time.perf_counter() - start
        rss_after = _max_rss_mb("VmRSS")
        print(
            f"{args.count} photos in a row: {total:.1f} s ({total / args.count * 1000:.0f} ms each); "
            f"resident memory {rss_before:.0f} MB before, {rss_10:.0f} MB after 10, {rss_after:.0f} MB after {args.count}"
        )


if __name__ == "__main__":
    main()
