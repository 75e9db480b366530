"""Benchmark: small syncs and commands that open the same database again and again.

Run: python tests/bench/bench_reopen.py [--rounds 10] [--repeat 3]

A laptop syncs one changed answer with a SQLite file on a stick (each sync opens the
stick again, as the GUI and the CLI do), and the CLI's read commands run in one
process on one data folder (as a script or the tests run them). Each is measured with
compiled SQL shared by the engines on one database (auditapp.db.statement_cache, the
app's behaviour) and with a cache of each engine's own (SQLAlchemy's default, the
behaviour before), alternately in one run; the ratio is the figure to quote.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("AUDITAPP_LANG", "en")

from auditapp.checklists import load_library  # noqa: E402
from auditapp.cli import main as cli_main  # noqa: E402
from auditapp.db import statement_cache  # noqa: E402
from auditapp.services import photos, visits  # noqa: E402
from test_sync_support import device, direct_sync, jpeg_file, new_sqlite_peer, seed_visit  # noqa: E402

COMMANDS = (["visit", "list", "--json"], ["rectification", "list"], ["institution", "list"], ["conflicts", "list"])


@contextlib.contextmanager
def per_engine_cache() -> Iterator[None]:
    """Every engine compiles for itself, as before: a scope nobody else has."""
    shared = statement_cache.for_database
    statement_cache.for_database = lambda scope: statement_cache.DatabaseStatements(f"{scope}#{uuid.uuid4()}")  # type: ignore[assignment]
    try:
        yield
    finally:
        statement_cache.for_database = shared  # type: ignore[assignment]


def _per_call(fn: Callable[[], None], rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        fn()
    return (time.perf_counter() - start) / rounds * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="syncs / command rounds per measurement")
    parser.add_argument("--repeat", type=int, default=3, help="measurements per mode (alternating)")
    args = parser.parse_args()
    library = load_library(ROOT / "tests" / "fixtures" / "library")
    root = Path(tempfile.mkdtemp(prefix="bench-reopen-"))
    laptop, other = device(root, "laptop"), device(root, "other")
    _inst, visit, items = seed_visit(laptop, library)
    for item in items[:-1]:
        visits.answer_item(laptop, visit, item, result="nonconform", note="地面湿滑")
    photos.add_photos(laptop, visit, [jpeg_file(root, 1)], item_id=items[0])
    stick = str(new_sqlite_peer(root / "stick.sqlite3"))
    direct_sync(laptop, stick)
    direct_sync(other, stick)
    data = str(laptop.data_dir)
    turn = [0]

    def sync_round() -> None:
        turn[0] += 1
        visits.answer_item(laptop, visit, items[-1], result="nonconform", note=f"第{turn[0]}次")
        direct_sync(laptop, stick)
        direct_sync(other, stick)

    def command_round() -> None:
        for command in COMMANDS:
            with contextlib.redirect_stdout(io.StringIO()):
                code = cli_main(["--data-dir", data, *command])
            assert code == 0, command

    figures: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.repeat):
        for mode in ("shared", "per engine"):
            with per_engine_cache() if mode == "per engine" else contextlib.nullcontext():
                figures.setdefault(("sync", mode), []).append(_per_call(sync_round, args.rounds) / 2)
                figures.setdefault(("command", mode), []).append(_per_call(command_round, args.rounds) / len(COMMANDS))
    laptop.close()
    other.close()
    for what, unit in (("sync", "ms per small sync with a stick"), ("command", "ms per CLI read command")):
        shared = statistics.median(figures[(what, "shared")])
        alone = statistics.median(figures[(what, "per engine")])
        print(f"{unit}: shared {shared:.1f}, per engine {alone:.1f}, ratio {shared / alone:.2f}")


if __name__ == "__main__":
    main()
