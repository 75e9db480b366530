"""Shared set-up for the ledger tests: a visit with problems for two departments, and helpers
to fill in a department workbook the way a department would (openpyxl) or re-save it
through LibreOffice.

``seed`` builds the world in a database; the ``world_template`` fixture builds it once per
test run (with the 总务科 workbook exported from it) and ``_world`` gives a test its own
copy (tests/template_support.py): seeding took about a second a test, the copy a tenth.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from auditapp.db import Database
from auditapp.ledger import columns as cols
from auditapp.services import institutions, rectifications, visits
from auditapp.services.photos import add_photos
from template_support import copy_world, world_once
from test_sync_support import jpeg_file

TODAY = date(2026, 12, 1)
ITEMS = ("basics.toilets.clean", "basics.toilets.grab-bars", "basics.entrance.floor-plan", "basics.waiting.mdt")


def seed(db: Database, library: Any, tmp: Path) -> dict[str, Any]:
    """An institution with a visit: three problems for 总务科, two for 门诊部, photos, deadlines.

    One 总务科 problem is verified (locked in the workbook), one waits for an extension
    decision, the rest are open.
    """
    inst = institutions.add_institution(db, name="示例中医院", kind="tcm", level=3, departments=["总务科", "门诊部"])
    visit = visits.start_visit(db, institution=inst.id, inspector="王院长", library=library, visit_date=TODAY - timedelta(days=10))
    for item, dept in zip(ITEMS, ("总务科", "总务科", "门诊部", "门诊部"), strict=False):
        visits.answer_item(db, visit.id, item, result="nonconform", department=dept, note=f"{item} 问题")
    free = visits.add_finding(db, visit.id, text="候诊区座椅破损", area="二楼候诊区", department="总务科", severity="major")
    findings = {f.item_id or "free": f for f in visits.visit_detail(db, visit.id).findings}
    for n, f in enumerate(findings.values()):
        rectifications.update_rectification(db, f.id, deadline=TODAY + timedelta(days=n + 2), owner="张主任")
    add_photos(db, visit.id, [jpeg_file(tmp, 1), jpeg_file(tmp, 2)], item_id=ITEMS[0])
    add_photos(db, visit.id, [jpeg_file(tmp, 3)], finding_id=free.id)
    verified = findings[ITEMS[1]]
    rectifications.apply_action(db, verified.id, "verify", note="现场复查已整改", today=TODAY)
    pending = findings[ITEMS[3]]
    rectifications.apply_action(db, pending.id, "request_extension", note="待采购", new_deadline=TODAY + timedelta(days=40),
                                today=TODAY)
    return {"institution": inst, "visit": visit, "findings": findings, "open": findings[ITEMS[0]],
            "free": findings["free"], "verified": verified, "pending": pending, "outpatient": findings[ITEMS[2]]}


def row_of(ws: Any, finding_id: str) -> int:
    key_col = cols.index_of("key")
    for row in range(cols.FIRST_ROW, ws.max_row + 1):
        if str(ws.cell(row=row, column=key_col).value or "").startswith(finding_id + "|"):
            return row
    raise AssertionError(f"no row for {finding_id}")


def fill(path: Path, out: Path, edits: dict[str, dict[str, Any]]) -> Path:
    """Fill in a department workbook: {finding id: {column key: value}}."""
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    for finding_id, values in edits.items():
        row = row_of(ws, finding_id)
        for key, value in values.items():
            ws.cell(row=row, column=cols.index_of(key), value=value)
    wb.save(out)
    return out


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice (Debian libreoffice-calc / libreoffice-writer) is installed by .ci/setup"
    return found


def libreoffice_convert(source: Path, outdir: Path, target: str) -> Path:
    """Convert (or re-save) ``source`` with LibreOffice headless, as a person's office program would."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / "lo-profile"
    env = dict(os.environ, HOME=str(outdir))
    subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", target,
         "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=180, env=env,
    )
    produced = outdir / (source.stem + "." + target.split(":")[0])
    assert produced.exists(), f"LibreOffice wrote nothing for {source}"
    return produced


DEPT_BOOK = "总务科.xlsx"


def _seed_and_export(db: Database, folder: Path, library: Any) -> dict[str, Any]:
    """``seed``, and the 总务科 workbook exported beside the data folder (what ``dept_book`` hands out)."""
    from auditapp.ledger.export import export_ledger

    world = seed(db, library, folder)
    export_ledger(db, folder / DEPT_BOOK, visit=world["visit"].id, for_department="总务科", today=TODAY)
    return world


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory, fixture_library: Any) -> Path:
    """The world of :func:`seed`, built once per run (also across pytest-xdist workers). Never open it: copy it."""
    return world_once(tmp_path_factory, "ledger-world", lambda db, folder: _seed_and_export(db, folder, fixture_library))


@pytest.fixture
def _world(data_dir: Path, world_template: Path) -> Iterator[tuple[Database, dict[str, Any]]]:
    """A test's copy of the world; test modules hand it out as their ``db`` and ``world`` fixtures."""
    from conftest import drain_background_work

    database, world = copy_world(world_template, data_dir)
    yield database, world
    drain_background_work()  # before the database closes under a running task, as conftest's db does
    database.close()
