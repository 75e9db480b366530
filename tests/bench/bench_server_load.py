"""Load test: hospital laptops syncing concurrently with a bureau server under row-level security.

Run: python tests/bench/bench_server_load.py [--laptops 10] [--syncs 20] [--kills 8] [--photo-every 3]

Each laptop is its own process with its own data folder (SQLite) and its own hospital
login; it edits (answers, a photo every ``--photo-every`` rounds, finalizing a visit and
starting the next every 6 rounds) and syncs, ``--syncs`` times, retrying a sync that
fails (a deadlock, a killed connection). Meanwhile the parent kills laptops with SIGKILL
at random moments (``--kills`` in all) and restarts them, and one bureau login pulls
everything in a loop. Afterwards every laptop's rows must equal its institution's slice
of the server row by row, no laptop or slice may hold another institution's row, and the
bureau's copy must equal the whole server. Loopback only; bounded by ``--timeout``.
PostgreSQL: ``AUDITAPP_TEST_PG_URL`` or a throwaway cluster started like the tests do.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

LIBRARY = ROOT / "tests" / "fixtures" / "library"


def _login_url(url: str, login: str) -> str:
    import sqlalchemy as sa

    return sa.engine.make_url(url).set(username=login, password=None).render_as_string(hide_password=False)


def _jpeg(path: Path, seed: int) -> Path:
    from PIL import Image

    rnd = random.Random(seed)
    img = Image.new("RGB", (320, 240))
    img.putdata([(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)) for _ in range(320 * 240)])
    img.save(path, "JPEG", quality=80)
    return path


# ---------------------------------------------------------------------------
# a laptop (child process)


def worker(folder: Path, url: str, syncs: int, photo_every: int, seed: int, log: Path) -> None:
    """Edit and sync until ``syncs`` syncs are recorded in ``log`` (survives being killed)."""
    import sqlalchemy as sa

    from auditapp.checklists import load_library
    from auditapp.db import open_database
    from auditapp.services import photos, visits
    from auditapp.sync import SyncError, sync_with

    library = load_library(LIBRARY)
    state = json.loads((folder / "bench.json").read_text())
    done = sum(1 for line in log.read_text().splitlines() if line.startswith("{")) if log.exists() else 0
    rnd = random.Random(seed * 1000 + done)
    db = open_database(folder, actor=folder.name, backup=False)
    try:
        while done < syncs:
            visit = state["visit"]
            items = [v.item.id for v in visits.visit_detail(db, visit).items]
            for item in rnd.sample(items, min(3, len(items))):
                visits.answer_item(db, visit, item, result=rnd.choice(["conform", "nonconform"]), note=f"r{done}-{rnd.random():.6f}")
            if photo_every and done % photo_every == 0:
                photos.add_photos(db, visit, [_jpeg(folder / "tmp.jpg", seed * 100000 + done * 10 + rnd.randrange(10))],
                                  item_id=items[0])
            if done % 6 == 5:
                visits.finalize_visit(db, visit)
                state["visit"] = visits.start_visit(db, institution=state["institution"], inspector="院长", library=library).id
                (folder / "bench.json").write_text(json.dumps(state))
            retries = 0
            start = time.perf_counter()
            while True:
                try:
                    sync_with(db, url)
                    break
                except (SyncError, sa.exc.OperationalError, sa.exc.DBAPIError) as exc:
                    retries += 1
                    if retries > 20:
                        raise
                    print(f"{folder.name}: retry {retries}: {str(exc).splitlines()[0][:160]}", file=sys.stderr, flush=True)
                    time.sleep(0.2 * retries)
            elapsed = time.perf_counter() - start
            done += 1
            with log.open("a") as fh:
                fh.write(json.dumps({"sync": done, "seconds": elapsed, "retries": retries,
                                     "photo": bool(photo_every and (done - 1) % photo_every == 0)}) + "\n")
    finally:
        db.close()


def bureau_worker(folder: Path, url: str, stop: Path, log: Path) -> None:
    from auditapp.db import open_database
    from auditapp.sync import sync_with

    db = open_database(folder, actor="bureau", backup=False)
    try:
        while not stop.exists():
            start = time.perf_counter()
            try:
                result = sync_with(db, url)
                pulled = result.pulled.changes
                ok = True
            except Exception as exc:  # keep pulling; report what went wrong
                print(f"bureau: {str(exc).splitlines()[0][:160]}", file=sys.stderr, flush=True)
                pulled, ok = 0, False
            with log.open("a") as fh:
                fh.write(json.dumps({"seconds": time.perf_counter() - start, "pulled": pulled, "ok": ok}) + "\n")
            time.sleep(0.5)
    finally:
        db.close()


# ---------------------------------------------------------------------------
# the parent


def _spawn(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, __file__, *args], cwd=ROOT)


def _pg_url() -> tuple[str | None, Any]:
    from bench_sync import _pg_url as start  # type: ignore[import-not-found]

    return start()


def _slice(url: str) -> dict[str, list[dict[str, Any]]]:
    import sqlalchemy as sa

    from auditapp.sync.tables import dump_tables

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return dump_tables(conn)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laptops", type=int, default=10)
    parser.add_argument("--syncs", type=int, default=20)
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--photo-every", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--worker", nargs=6, metavar=("DIR", "URL", "SYNCS", "PHOTO_EVERY", "SEED", "LOG"))
    parser.add_argument("--bureau", nargs=4, metavar=("DIR", "URL", "STOP", "LOG"))
    a = parser.parse_args()
    if a.worker:
        d, url, syncs, every, seed, log = a.worker
        worker(Path(d), url, int(syncs), int(every), int(seed), Path(log))
        return
    if a.bureau:
        d, url, stop, log = a.bureau
        bureau_worker(Path(d), url, Path(stop), Path(log))
        return

    from auditapp.checklists import load_library
    from auditapp.db import open_database
    from auditapp.server.admin import grant, init_server
    from auditapp.services import institutions, visits

    url, gen = _pg_url()
    if url is None:
        return
    rnd = random.Random(a.seed)
    root = Path(tempfile.mkdtemp(prefix="auditapp-load-"))
    library = load_library(LIBRARY)
    procs: dict[str, subprocess.Popen[bytes]] = {}
    try:
        init_server(url)
        laptops = []
        for n in range(a.laptops):
            folder = root / f"laptop{n:02d}"
            db = open_database(folder, actor=f"laptop{n:02d}", backup=False)
            inst = institutions.add_institution(db, name=f"第{n + 1}医院", kind="tcm", level=3, departments=["门诊部"])
            visit = visits.start_visit(db, institution=inst.id, inspector="院长", library=library)
            db.close()
            (folder / "bench.json").write_text(json.dumps({"institution": inst.id, "visit": visit.id}))
            login = f"load_h{n:02d}"
            grant(url, login, institutions=[inst.id])
            laptops.append((folder, inst.id, _login_url(url, login), root / f"laptop{n:02d}.log"))
        grant(url, "load_bureau", bureau=True)
        bureau_dir, bureau_url = root / "bureau", _login_url(url, "load_bureau")
        stop, bureau_log = root / "stop", root / "bureau.log"
        print(f"{a.laptops} laptops × {a.syncs} syncs, {a.kills} random kills, a photo every {a.photo_every} rounds", flush=True)
        start = time.perf_counter()

        def launch(i: int) -> None:
            folder, _inst, login_url, log = laptops[i]
            procs[folder.name] = _spawn(["--worker", str(folder), login_url, str(a.syncs), str(a.photo_every), str(i), str(log)])

        for i in range(a.laptops):
            launch(i)
        bureau = _spawn(["--bureau", str(bureau_dir), bureau_url, str(stop), str(bureau_log)])
        kills = 0
        while any(p.poll() is None for p in procs.values()):
            if time.perf_counter() - start > a.timeout:
                raise SystemExit(f"timeout after {a.timeout:.0f} s")
            time.sleep(rnd.uniform(0.5, 3.0))
            running = [i for i, (f, *_rest) in enumerate(laptops) if procs[f.name].poll() is None]
            if kills < a.kills and running:
                i = rnd.choice(running)
                procs[laptops[i][0].name].send_signal(signal.SIGKILL)
                procs[laptops[i][0].name].wait()
                kills += 1
                launch(i)
        failed = [name for name, p in procs.items() if p.returncode != 0]
        stop.touch()
        bureau.wait(timeout=120)
        wall = time.perf_counter() - start
        if failed:
            raise SystemExit(f"laptops that failed: {failed}")

        # --- checks
        from auditapp.sync import sync_with

        records = [json.loads(line) for _f, _i, _u, log in laptops for line in log.read_text().splitlines()]
        times = sorted(r["seconds"] for r in records)
        retries = sum(r["retries"] for r in records)
        server = _slice(url)
        mismatches = 0
        for folder, inst, login_url, _log in laptops:
            local_db = open_database(folder, backup=False)
            try:
                with local_db.engine.connect() as conn:
                    from auditapp.sync.tables import dump_tables

                    local = dump_tables(conn)
            finally:
                local_db.close()
            mine = _slice(login_url)
            if local != mine:
                mismatches += 1
                bad = [t for t in local if local[t] != mine[t]]
                print(f"  {folder.name}: differs from its slice in {bad}")
            if {r["id"] for r in local["institutions"]} != {inst} or {r["id"] for r in mine["institutions"]} != {inst}:
                raise SystemExit(f"{folder.name}: another institution's row is present")
        bureau_db = open_database(bureau_dir, backup=False)
        try:
            sync_with(bureau_db, bureau_url)
            with bureau_db.engine.connect() as conn:
                from auditapp.sync.tables import dump_tables

                bureau_rows = dump_tables(conn)
        finally:
            bureau_db.close()
        bureau_pulls = [json.loads(line) for line in bureau_log.read_text().splitlines()]
        rows = {t: len(v) for t, v in server.items()}
        import sqlalchemy as sa

        engine = sa.create_engine(url)
        with engine.connect() as conn:
            blobs, blob_bytes = conn.execute(sa.text("SELECT count(*), coalesce(sum(byte_size), 0) FROM photo_blobs")).one()
            blob_rel = conn.execute(sa.text("SELECT pg_total_relation_size('photo_blobs')")).scalar()
            db_size = conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar()
        engine.dispose()
        photo_syncs = [r["seconds"] for r in records if r["photo"]]
        plain_syncs = [r["seconds"] for r in records if not r["photo"]]

        def p95(values: list[float]) -> float:
            return sorted(values)[max(0, int(len(values) * 0.95) - 1)] if values else 0.0

        print(f"wall time                         {wall:8.1f} s")
        print(f"laptop syncs done                 {len(records):8d}  (kills {kills}, retries {retries})")
        print(f"sync time median / p95 / max      {statistics.median(times):8.2f} / {p95(times):.2f} / {times[-1]:.2f} s")
        print(f"  syncs with a photo: median      {statistics.median(photo_syncs) if photo_syncs else 0:8.2f} s  (n={len(photo_syncs)})")
        print(f"  syncs without: median           {statistics.median(plain_syncs) if plain_syncs else 0:8.2f} s  (n={len(plain_syncs)})")
        ok_pulls = [p for p in bureau_pulls if p["ok"]]
        print(f"bureau pulls                      {len(bureau_pulls):8d}  (failed {len(bureau_pulls) - len(ok_pulls)}), "
              f"median {statistics.median([p['seconds'] for p in ok_pulls]) if ok_pulls else 0:.2f} s")
        print(f"server rows                       {sum(rows.values()):8d}  " + ", ".join(f"{t} {n}" for t, n in rows.items() if n))
        print(f"photo_blobs                       {blobs:8d} files, {blob_bytes / 1e6:.1f} MB data, "
              f"{blob_rel / 1e6:.1f} MB on disk; database {db_size / 1e6:.1f} MB")
        print(f"laptops equal to their slice      {a.laptops - mismatches:8d} / {a.laptops}")
        print(f"bureau copy equals the server     {'yes' if bureau_rows == server else 'NO':>8}")
        for t in server:
            if bureau_rows[t] != server[t]:
                ids_b, ids_s = {r["id"]: r for r in bureau_rows[t]}, {r["id"]: r for r in server[t]}
                diff = [i for i in ids_s if ids_b.get(i) != ids_s[i]] + [i for i in ids_b if i not in ids_s]
                print(f"  bureau differs in {t}: {len(diff)} rows, e.g. {diff[:1]} "
                      f"{ {k: (ids_b.get(diff[0], {}).get(k), ids_s.get(diff[0], {}).get(k)) for k in (ids_s.get(diff[0]) or ids_b.get(diff[0])) if (ids_b.get(diff[0]) or {}).get(k) != (ids_s.get(diff[0]) or {}).get(k)} }")
        if mismatches or bureau_rows != server:
            raise SystemExit("the data did not converge")
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()
        if gen is not None:
            next(gen, None)
        import shutil

        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
