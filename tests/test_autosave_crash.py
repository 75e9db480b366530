"""Autosave: a process killed at any moment loses no edit it reported as committed."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

import autosave_support
from auditapp import paths
from auditapp.db import open_database
from auditapp.services import institutions, visits
from conftest import LIBRARY_FIXTURE

ROUNDS = 20


@pytest.mark.slow
@pytest.mark.alone  # kills the writer by the clock: CPU taken by parallel tests starves it
def test_killed_writer_never_loses_a_reported_commit(data_dir: Path, tmp_path: Path) -> None:
    from auditapp.checklists import load_library

    db = open_database(data_dir)
    library = load_library(LIBRARY_FIXTURE)
    inst = institutions.add_institution(db, name="崩溃测试医院", kind="general", level=3)
    visit = visits.start_visit(db, institution=inst.id, inspector="测试", library=library)
    db.close()

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(autosave_support.PRELOAD)
    rng = random.Random(7)
    last_answer: dict[str, tuple[str, str]] = {}
    findings: set[str] = set()
    counter = 0
    for round_ in range(ROUNDS):
        report = tmp_path / f"round-{round_}.txt"
        writer = context.Process(target=autosave_support.write_forever, args=(str(data_dir), visit.id, counter, str(report)))
        writer.start()
        # Once it has reported its first commit, kill it at a random moment of its writing.
        deadline = time.monotonic() + 60
        while not (report.exists() and report.stat().st_size) and writer.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.6))
        os.kill(writer.pid, signal.SIGKILL)  # type: ignore[arg-type]
        writer.join()
        assert writer.exitcode == -signal.SIGKILL, f"the writer ended by itself (exit code {writer.exitcode})"
        for line in report.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if parts[0] == "answer":
                last_answer[parts[1]] = (parts[2], f"edit {parts[4]}")
                counter = max(counter, int(parts[4]))
            elif parts[0] == "finding":
                findings.add(parts[1])
                counter = max(counter, int(parts[2]))

    assert len(findings) > 20, "the child made too few edits for the test to mean anything"
    conn = sqlite3.connect(paths.database_path(data_dir))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()

    db = open_database(data_dir)
    try:
        detail = visits.visit_detail(db, visit.id)
        stored_findings = {f.id for f in detail.findings}
        assert findings <= stored_findings
        answers = {v.item.id: v.answer for v in detail.items if v.answer}
        for item_id, (result, note) in last_answer.items():
            stored = answers[item_id]
            # A later edit may have committed without being reported yet (killed before print),
            # so the stored edit is the reported one or a newer one.
            assert int(stored.note.split()[1]) >= int(note.split()[1])
            if stored.note == note:
                assert stored.result == result
    finally:
        db.close()
