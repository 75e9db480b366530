"""The writer that ``test_autosave_crash`` kills: runs in a process forked from a forkserver.

A forkserver imports the app once; each writer is a fork of it and starts writing in
milliseconds. Starting a fresh interpreter per round cost 1–4 s of imports, longer
than the write window itself on a busy machine (the run then made no edits at all).
"""

from __future__ import annotations

import os
from pathlib import Path

PRELOAD = ["auditapp.db", "auditapp.services.visits", "autosave_support"]


def write_forever(data_dir: str, visit_id: str, first: int, report_path: str) -> None:
    """Answer items and add findings forever; report each edit after its commit.

    Each report is one ``write`` to a file opened with O_APPEND: the line is either
    wholly there after a SIGKILL or not at all, as with the pipe of a child process.
    """
    from auditapp.db import open_database
    from auditapp.services import visits

    report = os.open(report_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    db = open_database(Path(data_dir), backup=False)
    items = [v.item.id for v in visits.visit_detail(db, visit_id).items]
    n = first
    while True:
        n += 1
        item = items[n % len(items)]
        result = ("conform", "nonconform", "na")[n % 3]
        visits.answer_item(db, visit_id, item, result=result, note=f"edit {n}")
        os.write(report, f"answer {item} {result} edit {n}\n".encode())
        f = visits.add_finding(db, visit_id, text=f"finding {n}")
        os.write(report, f"finding {f.id} {n}\n".encode())
