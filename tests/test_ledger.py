"""The rectification ledger (issue 16 points 1–2): the workbook as it leaves, a department's
workbook filled in and read back as rectification events, conflicts, idempotency, and
bad workbooks that each get their own message and change nothing."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from auditapp.db import open_database
from auditapp.ledger import columns as cols
from auditapp.ledger.export import export_ledger
from auditapp.ledger.read import LedgerConflictError, LedgerInvalidError, import_ledger, read_returned_workbook
from auditapp.rules import rectification as lifecycle
from auditapp.services import rectifications
from auditapp.terms import label
from ledger_support import DEPT_BOOK, TODAY, _world, fill, row_of, world_template
from test_sync_support import dump

_USED_FIXTURES = (_world, world_template)  # requested by name below


@pytest.fixture
def db(_world):  # type: ignore[no-untyped-def]
    """This module's database is the seeded world's (a copy of the template), not an empty one."""
    return _world[0]


@pytest.fixture
def world(_world):  # type: ignore[no-untyped-def]
    return _world[1]


@pytest.fixture
def dept_book(db, world, world_template, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    """The 总务科 workbook as export_ledger wrote it from the world (exported once, with the template)."""
    out = tmp_path / DEPT_BOOK
    shutil.copyfile(world_template / DEPT_BOOK, out)
    return out


def _status(db, finding_id: str) -> str:  # type: ignore[no-untyped-def]
    return next(r for r in rectifications.list_rectifications(db) if r.finding.id == finding_id).rectification.status


# --- the workbook as it leaves ------------------------------------------------------------------


def test_full_ledger_has_three_sheets_print_setup_and_named_fonts(db, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ledger.xlsx"
    result = export_ledger(db, out, visit=world["visit"].id, today=TODAY)
    assert (result.kind, result.rows, result.photos) == ("ledger", 5, 2)
    wb = load_workbook(out)
    assert wb.sheetnames[:3] == ["Problem ledger", "Process record", "Summary"]
    ws = wb.worksheets[0]
    assert [ws.cell(row=cols.HEADER_ROW, column=n).value for n in (1, 5, 19)] == ["No.", "Problem", "Photos"]
    assert ws.freeze_panes == "C3"
    assert ws.auto_filter.ref.startswith("A2:")
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$1:$2"
    assert "&P" in ws.oddFooter.center.text
    assert ws.column_dimensions["T"].hidden  # the row key
    fonts = {ws.cell(row=r, column=c).font.name for r in range(1, ws.max_row + 1) for c in range(1, 20)}
    assert fonts <= {"宋体", "黑体"}
    assert not ws.protection.sheet  # the office's own ledger is not locked
    assert len(ws._images) == 2  # a thumbnail for each problem with a photo


def test_summary_counts_departments_and_statuses(db, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ledger.xlsx"
    export_ledger(db, out, visit=world["visit"].id, today=TODAY)
    ws = load_workbook(out)["Summary"]
    rows = {ws.cell(row=r, column=1).value: [ws.cell(row=r, column=c).value for c in range(2, 7)]
            for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=1).value}
    assert rows["总务科"][:4] == [3, 1, 2, 0]
    assert rows["门诊部"][:4] == [2, 0, 2, 0]
    assert rows["Total"][0] == 5 and rows["Total"][4] == pytest.approx(0.2)
    assert rows[label("rectification_status", "extension_requested")][0] == 1


def test_department_workbook_unlocks_only_what_the_department_fills_in(db, world, dept_book) -> None:  # type: ignore[no-untyped-def]
    wb = load_workbook(dept_book)
    ws = wb.worksheets[0]
    assert ws.protection.sheet
    assert wb[cols.META_SHEET].sheet_state == "veryHidden"
    open_row = row_of(ws, world["open"].id)
    done_row = row_of(ws, world["verified"].id)
    for column in cols.COLUMNS:
        cell = ws.cell(row=open_row, column=cols.index_of(column.key))
        assert cell.protection.locked is (not column.editable), column.key
        # A verified problem is the inspector's: nothing on its row is open to the department.
        assert ws.cell(row=done_row, column=cols.index_of(column.key)).protection.locked, column.key
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    words = [label("rectification_status", s) for s in lifecycle.DEPARTMENT_STATUSES]
    assert lists and lists[0].formula1 == '"' + ",".join(words) + '"'
    assert any(dv.type == "date" for dv in ws.data_validations.dataValidation)
    departments = {ws.cell(row=r, column=cols.index_of("department")).value for r in range(cols.FIRST_ROW, ws.max_row + 1)}
    assert departments == {"总务科"}


# --- filled in and read back ------------------------------------------------------------------


def test_filled_workbook_becomes_rectification_events_by_the_department(db, world, dept_book, tmp_path) -> None:  # type: ignore[no-untyped-def]
    later = TODAY + timedelta(days=30)
    filled = fill(dept_book, tmp_path / "back.xlsx", {
        world["open"].id: {"measures": "每日专人保洁两次", "completion": "已增加保洁频次", "status": "Reported fixed",
                           "completed_on": TODAY},
        world["free"].id: {"requested_deadline": later, "extension_reason": "座椅需采购", "owner": "李主任"},
    })
    plan = read_returned_workbook(db, filled, today=TODAY)
    by_finding = {r.finding_id: r for r in plan.rows}
    assert by_finding[world["open"].id].action == "report"
    assert by_finding[world["free"].id].action == "request_extension"  # a date asked for is a request
    assert by_finding[world["verified"].id].outcome == "unchanged"
    result = import_ledger(db, filled, today=TODAY)
    assert result.applied == 2
    assert _status(db, world["open"].id) == "reported_fixed"
    rect = next(r for r in rectifications.list_rectifications(db) if r.finding.id == world["free"].id).rectification
    assert (rect.status, rect.requested_deadline, rect.extension_reason, rect.owner) == (
        "extension_requested", later, "座椅需采购", "李主任")
    history = rectifications.rectification_history(db, world["open"].id)
    assert (history[-1].action, history[-1].actor, history[-1].note) == ("report", "科室 总务科（台账回执）", "已增加保洁频次")
    info = next(r for r in rectifications.list_rectifications(db) if r.finding.id == world["open"].id).rectification
    assert (info.measures, info.completion, info.completed_on) == ("每日专人保洁两次", "已增加保洁频次", TODAY)


def test_field_changes_without_a_status_change_leave_an_update_event(db, world, dept_book, tmp_path) -> None:  # type: ignore[no-untyped-def]
    filled = fill(dept_book, tmp_path / "back.xlsx", {world["open"].id: {"owner": "赵科长"}})
    import_ledger(db, filled, today=TODAY)
    last = rectifications.rectification_history(db, world["open"].id)[-1]
    assert (last.action, last.status_from, last.status_to, last.actor) == ("update", "open", "open", "科室 总务科（台账回执）")
    assert "owner" in last.note


def test_importing_the_same_workbook_twice_changes_nothing(db, world, dept_book, tmp_path) -> None:  # type: ignore[no-untyped-def]
    filled = fill(dept_book, tmp_path / "back.xlsx", {world["open"].id: {"status": "In progress"}})
    assert import_ledger(db, filled, today=TODAY).applied == 1
    before = dump(db)
    again = import_ledger(db, filled, today=TODAY)
    assert again.applied == 0
    assert again.plan.count("already") == 1 and again.plan.count("conflict") == 0
    assert dump(db) == before


def test_a_row_changed_in_the_app_since_export_is_a_conflict_with_both_values(db, world, dept_book, tmp_path) -> None:  # type: ignore[no-untyped-def]
    filled = fill(dept_book, tmp_path / "back.xlsx", {
        world["open"].id: {"measures": "科室的措施", "status": "Reported fixed"},
        world["free"].id: {"owner": "李主任"},
    })
    rectifications.update_rectification(db, world["open"].id, measures="检查组已改的措施")
    before = dump(db)
    with pytest.raises(LedgerConflictError) as caught:
        import_ledger(db, filled, today=TODAY)
    assert dump(db) == before
    assert "--skip-conflicts" in caught.value.hint(audience="cli")
    plan = import_ledger(db, filled, dry_run=True, today=TODAY).plan
    conflict = next(r for r in plan.rows if r.outcome == "conflict")
    measures = next(c for c in conflict.conflicts if c.column == "measures")
    assert (measures.app, measures.workbook) == ("检查组已改的措施", "科室的措施")
    # With the conflicts set aside the other row goes in; the conflicting one keeps the app's value.
    result = import_ledger(db, filled, skip_conflicts=True, today=TODAY)
    assert result.applied == 1
    rows = {r.finding.id: r.rectification for r in rectifications.list_rectifications(db)}
    assert rows[world["open"].id].measures == "检查组已改的措施" and rows[world["open"].id].status == "open"
    assert rows[world["free"].id].owner == "李主任"


def test_one_bad_row_stops_the_whole_import(db, world, dept_book, tmp_path) -> None:  # type: ignore[no-untyped-def]
    filled = fill(dept_book, tmp_path / "back.xlsx", {
        world["open"].id: {"owner": "李主任"},  # fine on its own
        world["free"].id: {"completed_on": "下周"},
    })
    before = dump(db)
    with pytest.raises(LedgerInvalidError):
        import_ledger(db, filled, today=TODAY)
    assert dump(db) == before


def test_all_problems_of_a_workbook_are_reported_at_once(db, world, dept_book, tmp_path) -> None:  # type: ignore[no-untyped-def]
    filled = fill(dept_book, tmp_path / "back.xlsx", {
        world["open"].id: {"completed_on": "soon", "statement": "改过的描述"},
        world["free"].id: {"status": "Verified"},
    })
    with pytest.raises(LedgerInvalidError) as caught:
        read_returned_workbook(db, filled, today=TODAY)
    assert sorted(caught.value.codes) == ["ledger.bad_date", "ledger.protected_changed", "ledger.status_not_allowed"]
    assert caught.value.message().startswith("the workbook has 3 problems")


def test_a_stale_version_between_check_and_apply_changes_nothing(db, world, dept_book, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The import re-checks every row's version inside its transaction."""
    from auditapp.errors import StaleEditError
    from auditapp.ledger import read as ledger_read

    filled = fill(dept_book, tmp_path / "back.xlsx", {world["open"].id: {"owner": "A"}, world["free"].id: {"owner": "B"}})
    real = ledger_read.read_returned_workbook

    def read_then_edit(*args: Any, **kwargs: Any) -> Any:
        plan = real(*args, **kwargs)
        rectifications.update_rectification(db, world["free"].id, owner="someone in the app")
        return plan

    monkeypatch.setattr(ledger_read, "read_returned_workbook", read_then_edit)
    before_open = next(r for r in rectifications.list_rectifications(db) if r.finding.id == world["open"].id).rectification
    with pytest.raises(StaleEditError):
        ledger_read.import_ledger(db, filled, today=TODAY)
    after_open = next(r for r in rectifications.list_rectifications(db) if r.finding.id == world["open"].id).rectification
    assert after_open.owner == before_open.owner and after_open.updated_at == before_open.updated_at


# --- bad workbooks: each with its message, none changes anything ------------------------------


def _edit(**values: Any) -> Callable[[Path, Path, dict[str, Any], Any], Path]:
    def make(book: Path, out: Path, world: dict[str, Any], _db: Any) -> Path:
        edits: dict[str, dict[str, Any]] = {}
        for name, value in values.items():
            finding, column = name.split("__")
            edits.setdefault(world[finding].id, {})[column] = value
        return fill(book, out, edits)
    return make


def _bytes(data: bytes) -> Callable[..., Path]:
    def make(book: Path, out: Path, world: dict[str, Any], _db: Any) -> Path:
        out.write_bytes(data)
        return out
    return make


def _truncated(book: Path, out: Path, world: dict[str, Any], _db: Any) -> Path:
    data = book.read_bytes()
    out.write_bytes(data[: len(data) * 2 // 3])
    return out


def _other_app(book: Path, out: Path, world: dict[str, Any], _db: Any) -> Path:
    wb = Workbook()
    wb.active["A1"] = "科室自制表格"
    wb.save(out)
    return out


def _docx(book: Path, out: Path, world: dict[str, Any], _db: Any) -> Path:
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return out


def _full_ledger(book: Path, out: Path, world: dict[str, Any], db: Any) -> Path:
    export_ledger(db, out, visit=world["visit"].id, today=TODAY)
    return out


def _meta_tampered(book: Path, out: Path, world: dict[str, Any], _db: Any) -> Path:
    wb = load_workbook(book)
    ws = wb[cols.META_SHEET]
    ws.cell(row=2, column=1, value=str(ws.cell(row=2, column=1).value).replace("张主任", "王五"))
    wb.save(out)
    return out


def _sheet_renamed(book: Path, out: Path, world: dict[str, Any], _db: Any) -> Path:
    wb = load_workbook(book)
    wb.worksheets[0].title = "台账"
    wb.save(out)
    return out


def _column_inserted(book: Path, out: Path, world: dict[str, Any], _db: Any) -> Path:
    wb = load_workbook(book)
    wb.worksheets[0].insert_cols(3)
    wb.save(out)
    return out


def _row_added(book: Path, out: Path, world: dict[str, Any], _db: Any) -> Path:
    wb = load_workbook(book)
    ws = wb.worksheets[0]
    ws.cell(row=ws.max_row + 1, column=cols.index_of("statement"), value="科室自己加的问题")
    wb.save(out)
    return out


def _row_copied(book: Path, out: Path, world: dict[str, Any], _db: Any) -> Path:
    wb = load_workbook(book)
    ws = wb.worksheets[0]
    source = row_of(ws, world["open"].id)
    for n in range(1, len(cols.COLUMNS) + 1):
        ws.cell(row=ws.max_row + 1 if n == 1 else ws.max_row, column=n, value=ws.cell(row=source, column=n).value)
    wb.save(out)
    return out


def _row_from_other_department(book: Path, out: Path, world: dict[str, Any], db: Any) -> Path:
    other = out.with_name("门诊部.xlsx")
    export_ledger(db, other, visit=world["visit"].id, for_department="门诊部", today=TODAY)
    theirs = load_workbook(other).worksheets[0]
    wb = load_workbook(book)
    ws = wb.worksheets[0]
    source = row_of(theirs, world["outpatient"].id)
    target = ws.max_row + 1
    for n in range(1, len(cols.COLUMNS) + 1):
        ws.cell(row=target, column=n, value=theirs.cell(row=source, column=n).value)
    wb.save(out)
    return out


def _other_database(book: Path, out: Path, world: dict[str, Any], db: Any) -> Path:
    """A department workbook exported from another laptop's database, with its own problems."""
    from auditapp.checklists import load_library
    from conftest import LIBRARY_FIXTURE
    from ledger_support import seed as seed_other

    other = open_database(out.parent / "other-data", actor="elsewhere")
    try:
        mine = seed_other(other, load_library(LIBRARY_FIXTURE), out.parent)
        export_ledger(other, out, visit=mine["visit"].id, for_department="总务科", today=TODAY)
        wb = load_workbook(out)
        meta = wb[cols.META_SHEET]
        # Even pretending to be for this institution does not make its rows ours.
        header = str(meta.cell(row=1, column=3).value).replace(mine["institution"].id, world["institution"].id)
        meta.cell(row=1, column=3, value=header)
        import hashlib

        h = hashlib.sha256(header.encode())
        for r in range(2, meta.max_row + 1):
            h.update(b"\n" + str(meta.cell(row=r, column=1).value).encode())
        meta.cell(row=1, column=4, value=h.hexdigest())
        wb.save(out)
    finally:
        other.close()
    return out


def _named_pipe(_book: Path, out: Path, *_rest: Any) -> Path:
    """A named pipe called .xlsx: reading it would block for ever, so it is refused unopened."""
    import os

    os.mkfifo(out)
    return out


BAD_WORKBOOKS: list[tuple[str, Callable[..., Path], str, str]] = [
    # (case, how the file is made, the code it must get, text the message must contain)
    ("plain-text", _bytes(b"this is not a spreadsheet\n"), "ledger.not_a_workbook", "not an Excel workbook"),
    ("pdf-renamed", _bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "ledger.not_a_workbook", "not an Excel workbook"),
    ("xls-or-password", _bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512), "ledger.old_or_encrypted", "password"),
    ("truncated", _truncated, "ledger.damaged", "damaged or incomplete"),
    ("docx-renamed", _docx, "ledger.not_a_workbook", "not an Excel workbook"),
    ("another-apps-workbook", _other_app, "ledger.not_ours", "not a department ledger exported by this app"),
    ("full-ledger", _full_ledger, "ledger.not_department_workbook", "full ledger"),
    ("hidden-sheet-edited", _meta_tampered, "ledger.meta_damaged", "hidden check sheet"),
    ("sheet-renamed", _sheet_renamed, "ledger.sheet_missing", "Problem ledger"),
    ("column-inserted", _column_inserted, "ledger.header_changed", "column C"),
    ("protected-cell-changed", _edit(open__statement="改掉的问题描述"), "ledger.protected_changed", "column E (Problem)"),
    ("deadline-changed", _edit(open__deadline=date(2030, 1, 1)), "ledger.protected_changed", "column J (Deadline)"),
    ("text-in-date-cell", _edit(open__completed_on="下周一"), "ledger.bad_date", "column N (Completed on)"),
    ("impossible-date", _edit(free__requested_deadline="2026-02-30"), "ledger.bad_date", "'2026-02-30' is not a date"),
    ("status-unknown", _edit(open__status="搞定了"), "ledger.status_unknown", "column M (Status)"),
    ("status-for-the-inspector", _edit(open__status="已验收"), "ledger.status_not_allowed", "cannot set the status to 'verified'"),
    ("reported-without-measures", _edit(open__measures="", open__status="已报整改"), "ledger.needs_measures", "column K (Measures)"),
    ("extension-without-reason", _edit(free__requested_deadline=TODAY + timedelta(days=50)), "ledger.needs_reason", "column P"),
    ("extension-not-later", _edit(free__requested_deadline=TODAY + timedelta(days=1), free__extension_reason="忙"),
     "ledger.extension_not_later", "column O (Extension to)"),
    ("verified-row-edited", _edit(verified__owner="别人"), "ledger.row_done", "already 'verified'"),
    ("row-added-by-hand", _row_added, "ledger.row_without_key", "no row key"),
    ("row-copied", _row_copied, "ledger.row_duplicate", "the same problem as row"),
    ("row-from-another-department", _row_from_other_department, "ledger.row_not_exported", "not exported with this workbook"),
    ("row-from-another-database", _other_database, "ledger.row_unknown", "not in this database"),
    ("named-pipe", _named_pipe, "ledger.not_a_file", "not a regular file"),
]


@pytest.mark.parametrize("case, make, code, words", BAD_WORKBOOKS, ids=[c[0] for c in BAD_WORKBOOKS])
def test_bad_workbook_gets_its_message_and_changes_nothing(  # type: ignore[no-untyped-def]
    db, world, dept_book, tmp_path, case, make, code, words,
) -> None:
    bad = make(dept_book, tmp_path / f"{case}.xlsx", world, db)
    before = dump(db)
    photos_before = sorted(p.name for p in (db.data_dir / "photos").rglob("*") if p.is_file())
    with pytest.raises(Exception) as caught:
        import_ledger(db, bad, today=TODAY)
    error = caught.value
    codes = getattr(error, "codes", [getattr(error, "code", "")])
    assert code in codes, (codes, error)
    assert words in error.message(), error.message()
    assert error.hint(audience="cli"), "every bad workbook says how to fix it"
    assert dump(db) == before
    assert sorted(p.name for p in (db.data_dir / "photos").rglob("*") if p.is_file()) == photos_before


def test_bad_cell_is_named_in_chinese(db, world, dept_book, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AUDITAPP_LANG", "zh_CN")
    filled = fill(dept_book, tmp_path / "back.xlsx", {world["open"].id: {"completed_on": "下周一"}})
    with pytest.raises(LedgerInvalidError) as caught:
        import_ledger(db, filled, today=TODAY)
    row = row_of(load_workbook(filled).worksheets[0], world["open"].id)
    # The workbook was exported in English (the tests' language), so its sheet keeps that name.
    assert caught.value.message() == f"工作表“Problem ledger”第 {row} 行 N 列（完成日期）：“下周一”不是日期"
    assert caught.value.hint() == "请填写日期，如 2026-12-20。"


def test_pending_extension_row_cannot_be_reported_by_the_department(db, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    book = tmp_path / "门诊部.xlsx"
    export_ledger(db, book, visit=world["visit"].id, for_department="门诊部", today=TODAY)
    filled = fill(book, tmp_path / "back.xlsx", {world["pending"].id: {"status": "已报整改", "measures": "已处理"}})
    with pytest.raises(LedgerInvalidError) as caught:
        import_ledger(db, filled, today=TODAY)
    assert caught.value.codes == ["ledger.transition_not_allowed"]
    assert "from 'extension requested' to 'reported fixed'" in caught.value.message()


def test_dates_written_as_text_or_serial_numbers_are_read(db, world, dept_book, tmp_path) -> None:  # type: ignore[no-untyped-def]
    filled = fill(dept_book, tmp_path / "back.xlsx", {
        world["open"].id: {"completed_on": "2026年11月30日"},
        world["free"].id: {"completed_on": 46356.0},  # Excel's serial for 2026-11-30
    })
    import_ledger(db, filled, today=TODAY)
    rows = {r.finding.id: r.rectification for r in rectifications.list_rectifications(db)}
    assert rows[world["open"].id].completed_on == date(2026, 11, 30) == rows[world["free"].id].completed_on


def test_every_code_raised_by_the_ledger_is_in_the_catalog_in_both_languages() -> None:
    import ast

    from auditapp.messages import catalog
    from conftest import REPO_ROOT

    files = [*(REPO_ROOT / "auditapp" / "ledger").glob("*.py"), REPO_ROOT / "auditapp" / "notice" / "__init__.py",
             REPO_ROOT / "auditapp" / "services" / "ledger.py"]
    codes: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node.func, "id", "") or getattr(node.func, "attr", "") if isinstance(node, ast.Call) else ""
            if isinstance(node, ast.Call) and (name.endswith("Error") or name == "problem") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    codes.add(first.value)
                elif isinstance(first, ast.JoinedStr):  # f"ledger.needs_{need}"
                    codes.update(f"ledger.needs_{n}" for n in ("measures", "new_deadline", "reason", "evidence"))
    assert len(codes) > 25
    texts = catalog()
    for code in codes:
        assert code in texts, code
        assert texts[code].zh.strip() and texts[code].en.strip(), code


def test_what_a_department_returned_travels_by_sync(db, world, dept_book, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The department's report (completion, date, events, receipt) reaches the other laptop,
    and there the same workbook is recognised as imported."""
    from test_sync_support import device, package_sync

    filled = fill(dept_book, tmp_path / "back.xlsx", {
        world["open"].id: {"measures": "每日巡查", "completion": "已完成", "status": "Reported fixed", "completed_on": TODAY},
    })
    import_ledger(db, filled, today=TODAY)
    other = device(tmp_path, "laptop-b")
    try:
        package_sync(db, other, tmp_path)
        rect = next(r for r in rectifications.list_rectifications(other) if r.finding.id == world["open"].id).rectification
        assert (rect.status, rect.completion, rect.completed_on) == ("reported_fixed", "已完成", TODAY)
        assert rectifications.rectification_history(other, world["open"].id)[-1].actor == "科室 总务科（台账回执）"
        before = dump(other)
        assert import_ledger(other, filled, today=TODAY).applied == 0
        assert dump(other) == before
    finally:
        other.close()
