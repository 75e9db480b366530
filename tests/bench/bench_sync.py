"""Benchmark: export and import 1,000 visits into a database holding 3,000; re-import; PostgreSQL sync.

Run: python tests/bench/bench_sync.py [--visits 1000] [--existing 3000] [--answers 150] [--photos 5] [--no-pg]

Each visit has ``--answers`` answers (one in ten nonconforming, with a finding, a
rectification and its history) and ``--photos`` photos (distinct small JPEGs, each with
a thumbnail). The databases are filled with bulk inserts (services would take hours
for 600,000 answers); every record also gets its change-log entry, as the app writes.
PostgreSQL: ``AUDITAPP_TEST_PG_URL`` or a throwaway cluster started like the tests do.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from auditapp import paths  # noqa: E402
from auditapp.db import Database, open_database  # noqa: E402
from auditapp.db.models import (  # noqa: E402
    Answer,
    ChangeLogEntry,
    ChecklistSnapshot,
    Department,
    Finding,
    Institution,
    Photo,
    Rectification,
    RectificationEvent,
    Visit,
    VisitChecklist,
)
from auditapp.photos.store import PhotoStore  # noqa: E402


def _id() -> str:
    return str(uuid.uuid4())


def _jpeg(seed: int) -> bytes:
    from PIL import Image

    img = Image.new("RGB", (96, 72), (seed % 251, (seed // 251) % 251, (seed * 7) % 251))
    img.putpixel((seed % 96, (seed // 96) % 72), (255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85, comment=f"bench {seed}".encode())  # distinct bytes, distinct hash
    return buf.getvalue()


def fill(db: Database, *, visits: int, answers: int, photos: int, label: str, seed: int) -> None:
    """Bulk-insert ``visits`` visits (20 per institution) with answers, findings and photos."""
    now = datetime.now(UTC) - timedelta(days=1)
    dev = db.device_id
    stamps = {"created_at": now, "updated_at": now, "device_id": dev, "deleted_at": None}
    store = PhotoStore(paths.photos_dir(db.data_dir))
    rows: dict[Any, list[dict[str, Any]]] = {m: [] for m in (Institution, Department, Visit, VisitChecklist, Answer, Finding, Rectification, RectificationEvent, Photo)}
    # A real checklist snapshot (records must pass the same rules as local entry); the
    # version differs per database so that each has a snapshot of its own, as before.
    from auditapp.checklists import load_library
    from auditapp.checklists.snapshot import snapshot_json

    checklist = load_library(ROOT / "tests" / "fixtures" / "library").get("basics").model_copy(update={"version": seed + 1})
    content, sha = snapshot_json(checklist)
    snap = {"id": _id(), "checklist_id": checklist.id, "version": checklist.version, "title": checklist.title, "sha256": sha, "content": content, **stamps}
    inst_id = dept_id = ""
    for v in range(visits):
        if v % 20 == 0:
            inst_id = _id()
            rows[Institution].append({"id": inst_id, "name": f"{label}医院{v // 20:04d}", "kind": "tcm", "level": 3, "has_obstetrics": False, "alliance_lead": False, "region": "", "notes": "", **stamps})
            dept_id = _id()
            rows[Department].append({"id": dept_id, "institution_id": inst_id, "name": "门诊部", "head": "", **stamps})
        vid = _id()
        rows[Visit].append({"id": vid, "institution_id": inst_id, "mode": "self", "inspector": "院长", "title": "", "visit_date": date(2026, 1 + v % 12, 1 + v % 28), "started_at": now, "finalized_at": None, "status": "in_progress", "report_number": f"2026-{v:05d}", "notes": "", **stamps})
        rows[VisitChecklist].append({"id": _id(), "visit_id": vid, "snapshot_id": snap["id"], "sort_order": 0, "applicable_item_ids": [f"bench.item-{i:03d}" for i in range(answers)], **stamps})
        answer_ids = []
        for i in range(answers):
            aid = _id()
            answer_ids.append(aid)
            bad = i % 10 == 0
            rows[Answer].append({"id": aid, "visit_id": vid, "item_id": f"bench.item-{i:03d}", "checklist_id": "bench", "result": "nonconform" if bad else "conform", "value": "", "note": "候诊区座椅不足，患者站立等候" if bad else "", "severity": "minor", "department_id": dept_id, "answered_at": now, **stamps})
            if bad:
                fid, rid = _id(), _id()
                rows[Finding].append({"id": fid, "visit_id": vid, "answer_id": aid, "item_id": f"bench.item-{i:03d}", "source": "checklist", "text": "候诊区座椅不足", "area": "候诊区", "severity": "minor", "department_id": dept_id, "carried_from_id": None, "seq": i // 10 + 1, **stamps})
                rows[Rectification].append({"id": rid, "finding_id": fid, "department_id": dept_id, "owner": "", "deadline": None, "measures": "", "status": "open", "verified_at": None, **stamps})
                rows[RectificationEvent].append({"id": _id(), "rectification_id": rid, "at": now, "status_from": None, "status_to": "open", "note": "", "actor": "bench", **stamps})
        for p in range(photos):
            data = _jpeg(seed * 1_000_003 + v * 97 + p)
            sha = store.put(data)
            thumb = store.put(_jpeg(-seed * 1_000_003 - v * 97 - p - 1))
            rows[Photo].append({"id": _id(), "visit_id": vid, "answer_id": answer_ids[p % len(answer_ids)], "finding_id": None, "rectification_id": None, "kind": "evidence", "sha256": sha, "thumb_sha256": thumb, "mime": "image/jpeg", "width": 96, "height": 72, "byte_size": len(data), "taken_at": None, "original_filename": f"IMG_{p}.jpg", "caption": "", "annotations": [], **stamps})
    log = []
    with db.engine.begin() as conn:
        conn.execute(ChecklistSnapshot.__table__.insert(), [snap])
        for model, items in rows.items():
            for start in range(0, len(items), 5000):
                conn.execute(model.__table__.insert(), items[start : start + 5000])
            log.extend({"id": _id(), "at": now, "device_id": dev, "actor": "bench", "entity": model.__tablename__, "entity_id": r["id"], "action": "create", "changes": {}, "reason": ""} for r in items)
        for start in range(0, len(log), 10000):
            conn.execute(ChangeLogEntry.__table__.insert(), log[start : start + 10000])


def timed(label: str, fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<58} {elapsed:8.2f} s", flush=True)
    return elapsed, result


def _pg_url() -> tuple[str | None, Any]:
    """A fresh database: on AUDITAPP_TEST_PG_URL, or in a throwaway cluster (generator to finish)."""
    url = os.environ.get("AUDITAPP_TEST_PG_URL")
    if url:
        return url, None
    import pytest

    from test_sync_support import pg_server

    gen = pg_server.__wrapped__()  # type: ignore[attr-defined]
    try:
        server = next(gen)
    except (pytest.skip.Exception, pytest.fail.Exception, StopIteration) as exc:  # type: ignore[attr-defined]
        print(f"PostgreSQL: not available ({exc})")
        return None, None
    return server.new_database(), gen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=1000)
    parser.add_argument("--existing", type=int, default=3000)
    parser.add_argument("--answers", type=int, default=150)
    parser.add_argument("--photos", type=int, default=5)
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()

    from auditapp.sync import export_package, import_package, sync_with

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src = open_database(root / "source", actor="bench", backup=False)
        dst = open_database(root / "bureau", actor="bench", backup=False)
        print(f"visits {args.visits} × {args.answers} answers × {args.photos} photos into a database of {args.existing} visits")
        timed(f"setup: fill source ({args.visits} visits)", lambda: fill(src, visits=args.visits, answers=args.answers, photos=args.photos, label="甲", seed=1))
        timed(f"setup: fill bureau database ({args.existing} visits)", lambda: fill(dst, visits=args.existing, answers=args.answers, photos=0, label="乙", seed=2))
        pkg = root / "visits.auditpkg"
        _t_export, exported = timed("export (package file)", lambda: export_package(src, pkg))
        print(f"  package: {exported.bytes / 1e6:.1f} MB, {sum(exported.counts.values())} records, {exported.photo_files} photo files")
        _t_preview, _preview = timed("import --dry-run (validate + plan)", lambda: import_package(dst, pkg, dry_run=True))
        t_import, done = timed("import", lambda: import_package(dst, pkg))
        print(f"  changed: {done.changes} records, {done.report.new_photo_files} photo files")
        t_again, again = timed("re-import of the same package (changes nothing)", lambda: import_package(dst, pkg))
        assert again.changes == 0, again.report.counts
        print(f"  re-import / first import: {t_again / t_import:.0%} (a complete package merged before is recognised by its watermark)")
        sel = root / "selection.auditpkg"
        with src.engine.connect() as conn:
            everyone = [r[0] for r in conn.exec_driver_sql("SELECT id FROM institutions").all()]
        timed("export the same visits as a selection (--institution …)", lambda: export_package(src, sel, institutions=everyone))
        t_sel, sel_again = timed("re-import of the selection (every record compared)", lambda: import_package(dst, sel))
        assert sel_again.changes == 0, sel_again.report.counts
        print(f"  selection re-import / first import: {t_sel / t_import:.0%}")
        if not args.no_pg:
            url, closer = _pg_url()
            if url:
                try:
                    _t_first, first = timed("sync with PostgreSQL: first (push everything)", lambda: sync_with(src, url))
                    print(f"  pushed: {first.pushed.changes} records, {first.pushed.new_photo_files} photo files")
                    _t_second, second = timed("sync with PostgreSQL: again (nothing changed)", lambda: sync_with(src, url))
                    assert second.pulled.changes == 0 and second.pushed.changes == 0
                    _t_other, other = timed("sync a second laptop (the 3,000+1,000 database) with PostgreSQL", lambda: sync_with(dst, url))
                    print(f"  pulled {other.pulled.changes}, pushed {other.pushed.changes} records")
                finally:
                    if closer is not None:
                        for _ in closer:  # stops the throwaway cluster
                            pass
        src.close()
        dst.close()


if __name__ == "__main__":
    main()
