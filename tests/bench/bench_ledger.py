"""Benchmark: the rectification ledger of 1,000 problems with 2,000 photos.

Run as a script (not collected by pytest)::

    python tests/bench/bench_ledger.py [--problems 1000] [--photos-per-problem 2] [--changed 500]

Builds a data folder with one visit whose problems all belong to one department (so the
department's workbook holds every row), each with its photos in the photo store, then
measures, each step in a fresh child process so its peak memory is its own:

- the office ledger export (all three sheets, a thumbnail per row),
- the department workbook export,
- the import of that workbook after ``--changed`` rows were filled in (validate, plan,
  apply in one transaction), and importing the same file again (recognised, no change).

Prints time, file size and the peak resident memory each step added. Problems are made
through the services; the photo rows and files are written directly (photo ingest has
its own benchmark), with distinct photo-like thumbnails as the store keeps them.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from PIL import Image, ImageDraw  # noqa: E402

DEPARTMENT = "总务科"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _thumb(seed: int) -> bytes:
    rng = random.Random(seed)
    im = Image.new("RGB", (256, 192), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(im)
    for _ in range(12):
        x, y = rng.randrange(256), rng.randrange(192)
        draw.rectangle([x, y, x + rng.randrange(10, 90), y + rng.randrange(10, 70)], fill=tuple(rng.randrange(256) for _ in range(3)))
    noise = Image.effect_noise((256, 192), 24).convert("RGB")
    buf = io.BytesIO()
    Image.blend(im, noise, 0.15).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def build(data_dir: Path, problems: int, photos_per: int) -> str:
    from sqlalchemy import insert

    from auditapp.db import open_database
    from auditapp.db.models import Photo
    from auditapp.services import institutions, rectifications, visits
    from auditapp.services.photos import photo_store

    db = open_database(data_dir, actor="bench")
    inst = institutions.add_institution(db, name="基准医院", kind="general", level=3, departments=[DEPARTMENT])
    visit = visits.start_visit(db, institution=inst.id, inspector="基准", visit_date=date.today() - timedelta(days=5))
    store = photo_store(db)
    rows: list[dict[str, Any]] = []
    for n in range(problems):
        f = visits.add_finding(db, visit.id, text=f"第{n}个问题：候诊区座椅破损，扶手松动，需要更换或维修。", area=f"{n % 9 + 1}楼候诊区",
                               department=DEPARTMENT, severity=("minor", "major", "critical")[n % 3])
        rectifications.update_rectification(db, f.id, deadline=date.today() + timedelta(days=n % 40 - 5), owner="张主任",
                                            measures="安排维修" if n % 2 else "")
        for k in range(photos_per):
            sha = store.put(_thumb(n * photos_per + k))
            rows.append({"visit_id": visit.id, "finding_id": f.id, "kind": "evidence", "sha256": sha, "thumb_sha256": sha,
                         "width": 256, "height": 192, "byte_size": 0, "annotations": [], "device_id": db.device_id})
    with db.engine.begin() as conn:
        from auditapp.db.models import new_id, utcnow

        now = utcnow()
        conn.execute(insert(Photo), [dict(r, id=new_id(), created_at=now, updated_at=now) for r in rows])
    db.close()
    return visit.id


def _step(name: str, fn_name: str, args: tuple[Any, ...], queue: Any) -> None:
    base = _rss_mb()
    start = time.perf_counter()
    result = globals()[fn_name](*args)
    elapsed = time.perf_counter() - start
    queue.put((name, elapsed, _rss_mb() - base, result))


def export_office(data_dir: Path, visit: str, out: Path) -> str:
    from auditapp.db import open_database
    from auditapp.ledger.export import export_ledger

    with open_database(data_dir, backup=False) as db:
        r = export_ledger(db, out, visit=visit)
    return f"{r.rows} rows, {r.photos} thumbnails, {r.byte_size / 1e6:.1f} MB"


def export_department(data_dir: Path, visit: str, out: Path) -> str:
    from auditapp.db import open_database
    from auditapp.ledger.export import export_ledger

    with open_database(data_dir, backup=False) as db:
        r = export_ledger(db, out, visit=visit, for_department=DEPARTMENT)
    return f"{r.rows} rows, {r.byte_size / 1e6:.1f} MB"


def fill_in(book: Path, out: Path, changed: int) -> str:
    from openpyxl import load_workbook

    from auditapp.ledger import columns as cols

    wb = load_workbook(book)
    ws = wb.worksheets[0]
    done = 0
    for row in range(cols.FIRST_ROW, ws.max_row + 1):
        if done >= changed:
            break
        ws.cell(row=row, column=cols.index_of("measures"), value=f"已更换座椅（第{row}行）")
        ws.cell(row=row, column=cols.index_of("status"), value="已报整改" if row % 2 else "整改中")
        ws.cell(row=row, column=cols.index_of("completed_on"), value=date.today())
        done += 1
    wb.save(out)
    return f"{done} rows filled in"


def import_book(data_dir: Path, book: Path) -> str:
    from auditapp.db import open_database
    from auditapp.ledger.read import import_ledger

    with open_database(data_dir, backup=False) as db:
        r = import_ledger(db, book)
    return f"{r.applied} rows applied, {r.plan.count('already')} already imported"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=1000)
    parser.add_argument("--photos-per-problem", type=int, default=2)
    parser.add_argument("--changed", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help="keep the data folder and workbooks (printed) to look at")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="auditapp-bench-ledger-"))
    try:
        _run(work, args)
    finally:
        if not args.keep:
            import shutil

            shutil.rmtree(work, ignore_errors=True)  # 2,000 photos and three workbooks: ~40 MB


def _run(work: Path, args: argparse.Namespace) -> None:
    data_dir = work / "data"
    t = time.perf_counter()
    visit = build(data_dir, args.problems, args.photos_per_problem)
    print(f"set-up: {args.problems} problems, {args.problems * args.photos_per_problem} photos in {time.perf_counter() - t:.1f} s ({work})")
    ctx = mp.get_context("spawn")  # each step starts from a clean interpreter: its peak memory is its own
    steps = [
        ("office ledger export", "export_office", (data_dir, visit, work / "ledger.xlsx")),
        ("department workbook export", "export_department", (data_dir, visit, work / "dept.xlsx")),
        ("fill in (openpyxl, not the app)", "fill_in", (work / "dept.xlsx", work / "filled.xlsx", args.changed)),
        ("import returned workbook", "import_book", (data_dir, work / "filled.xlsx")),
        ("import the same file again", "import_book", (data_dir, work / "filled.xlsx")),
    ]
    print(f"{'step':34} {'time':>8} {'peak +MB':>9}  result")
    for name, fn, fn_args in steps:
        queue = ctx.Queue()
        proc = ctx.Process(target=_step, args=(name, fn, fn_args, queue))
        proc.start()
        step, elapsed, peak, result = queue.get()
        proc.join()
        print(f"{step:34} {elapsed:7.2f}s {peak:8.0f}  {result}")


if __name__ == "__main__":
    main()
