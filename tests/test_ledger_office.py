"""The ledger and the notice through a real office program (LibreOffice headless), and the
rest of the rectification loop: notice layout, calendar, what falls due, the commands,
an old database upgraded.

The two LibreOffice tests are the slow ones (about 10 s each on a loaded 2-core machine):
one re-saves a filled-in department workbook as WPS or Excel would, one converts the
notice to PDF.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from icalendar import Calendar

from auditapp.db import open_database
from auditapp.ledger.calendar import deadline_calendar
from auditapp.ledger.export import export_ledger
from auditapp.ledger.read import import_ledger
from auditapp.notice import NoticeOptions, write_notice
from auditapp.services import ledger as ledger_service
from auditapp.services import rectifications
from cli_support import run_main
from ledger_support import TODAY, _world, fill, libreoffice_convert, world_template
from test_sync_support import dump

_USED_FIXTURES = (_world, world_template)  # requested by name below


@pytest.fixture
def db(_world):  # type: ignore[no-untyped-def]
    """This module's database is the seeded world's (a copy of the template), not an empty one."""
    return _world[0]


@pytest.fixture
def world(_world):  # type: ignore[no-untyped-def]
    return _world[1]


@pytest.mark.slow
def test_workbook_resaved_by_libreoffice_still_imports(db, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    book = tmp_path / "总务科.xlsx"
    export_ledger(db, book, visit=world["visit"].id, for_department="总务科", today=TODAY)
    filled = fill(book, tmp_path / "filled.xlsx", {
        world["open"].id: {"measures": "更换洗手液并每日巡查", "status": "已报整改", "completed_on": TODAY,
                           "completion": "已完成，附照片"},
        world["free"].id: {"owner": "李主任\n王干事"},
    })
    resaved = libreoffice_convert(filled, tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML")
    assert resaved.read_bytes() != filled.read_bytes()  # LibreOffice rewrote the whole file
    result = import_ledger(db, resaved, today=TODAY)
    assert result.applied == 2
    rows = {r.finding.id: r.rectification for r in rectifications.list_rectifications(db)}
    assert (rows[world["open"].id].status, rows[world["open"].id].completed_on) == ("reported_fixed", TODAY)
    assert rows[world["free"].id].owner == "李主任\n王干事"
    before = dump(db)
    assert import_ledger(db, resaved, today=TODAY).applied == 0  # and it is recognised the second time
    assert dump(db) == before


def _runs(doc: Document) -> list:  # type: ignore[type-arg]
    runs = [r for p in doc.paragraphs for r in p.runs]
    for table in doc.tables:
        runs += [r for row in table.rows for cell in row.cells for p in cell.paragraphs for r in p.runs]
    for section in doc.sections:
        runs += [r for footer in (section.footer, section.even_page_footer) for p in footer.paragraphs for r in p.runs]
    return runs


def test_notice_follows_the_official_layout(db, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "通知.docx"
    options = NoticeOptions(number="院质改〔2026〕5号", issuer="王院长", office="示例中医院质控办", issued_on=date(2026, 12, 3))
    result = write_notice(db, world["visit"].id, out, options=options, today=TODAY)
    assert result.problems == 4  # the verified one is not asked for again
    doc = Document(str(out))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [37, 35, 28, 26]
    texts = [p.text for p in doc.paragraphs]
    assert "院质改〔2026〕5号\t签发人：王院长" in [t.strip("\u3000") for t in texts]
    title = next(p for p in doc.paragraphs if p.text == result.title)
    assert title.runs[0].font.size == Pt(22) and title.runs[0].font.name == "方正小标宋简体"
    assert "示例中医院：" not in texts and "各相关科室：" in texts  # 主送 of a self-inspection
    assert any(t.startswith("一、") for t in texts) and any(t.startswith("（一）") for t in texts)
    assert "2026年12月3日" in texts and texts.index("2026年12月3日") == texts.index("示例中医院质控办", 2) + 1
    body = next(p for p in doc.paragraphs if p.text.startswith("2026年11月21日"))
    assert body.runs[0].font.size == Pt(16) and body.runs[0].font.name == "仿宋"
    assert round(body.paragraph_format.line_spacing.mm, 1) == round(225 / 22, 1)
    # Every run names its East Asian font; no theme font anywhere.
    for run in _runs(doc):
        fonts = run._element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) and fonts.get(qn("w:ascii")) == fonts.get(qn("w:eastAsia"))
    import zipfile

    with zipfile.ZipFile(out) as zf:
        for name in ("word/document.xml", "word/styles.xml", "word/footer1.xml"):
            xml = zf.read(name) if name in zf.namelist() else b""
            assert b'Theme="' not in xml and b'theme="' not in xml, name
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "区域/位置", "问题描述", "依据", "责任科室", "整改期限"]
    assert len(table.rows) == 5
    assert doc.settings.odd_and_even_pages_header_footer
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml and section.footer.paragraphs[0].text == "— 1 —"


def test_notice_attachment_starts_its_own_page_without_a_blank_one(db, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The attachment is pushed to a new page by its first paragraph, never by a paragraph
    holding a page break (which, when the date ends a page, leaves a blank page); its
    table's lines are off the 22-line body grid, so a row is as tall as its text."""
    from docx.oxml.ns import qn

    out = tmp_path / "通知.docx"
    write_notice(db, world["visit"].id, out, today=TODAY)
    doc = Document(str(out))
    body = list(doc.paragraphs)
    page_breaks = [br for p in body for br in p._p.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    assert page_breaks == []
    attachment = next(p for p in body if p.text == "附件")
    assert attachment.paragraph_format.page_break_before
    cells = [p for row in doc.tables[0].rows for cell in row.cells for p in cell.paragraphs]
    snaps = [p._p.pPr.find(qn("w:snapToGrid")) for p in cells]
    assert all(s is not None and s.get(qn("w:val")) == "0" for s in snaps)
    # Schema order of the paragraph properties (Word refuses a file that breaks it).
    first = cells[0]._p.pPr
    names = [child.tag.rsplit("}", 1)[-1] for child in first]
    assert names.index("snapToGrid") < names.index("spacing")


def test_exported_files_are_ordinary_files_others_may_open(db, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Ledger, notice and calendar get the mode of any new file (not mkstemp's private 0600)."""
    import os
    import stat

    umask = os.umask(0o022)
    try:
        export_ledger(db, tmp_path / "l.xlsx", visit=world["visit"].id, today=TODAY)
        write_notice(db, world["visit"].id, tmp_path / "n.docx", today=TODAY)
        deadline_calendar(db, tmp_path / "d.ics", visit=world["visit"].id, today=TODAY)
    finally:
        os.umask(umask)
    for name in ("l.xlsx", "n.docx", "d.ics"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name


def test_notice_to_one_department_and_nothing_to_notify(db, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.errors import NotFoundError

    result = write_notice(db, world["visit"].id, tmp_path / "n.docx", department="门诊部", today=TODAY)
    doc = Document(str(tmp_path / "n.docx"))
    assert "门诊部：" in [p.text for p in doc.paragraphs] and result.problems == 2
    rectifications.apply_action(db, world["outpatient"].id, "verify", note="已复查", today=TODAY)
    rectifications.apply_action(db, world["pending"].id, "refuse_extension", note="不同意", today=TODAY)
    rectifications.apply_action(db, world["pending"].id, "verify", note="已复查", today=TODAY)
    before = dump(db)
    with pytest.raises(NotFoundError) as caught:
        write_notice(db, world["visit"].id, tmp_path / "none.docx", department="门诊部", today=TODAY)
    assert caught.value.code == "notice.no_problems" and not (tmp_path / "none.docx").exists()
    assert dump(db) == before


@pytest.mark.slow
def test_notice_converts_to_pdf_with_its_page_numbers(db, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "通知.docx"
    write_notice(db, world["visit"].id, out, options=NoticeOptions(number="院质改〔2026〕5号"), today=TODAY)
    pdf = libreoffice_convert(out, tmp_path / "lo", "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.3" in info and "841.8" in info  # A4 in points
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "关于限期整改患者体验检查发现问题的通知" in text.replace(" ", "")
    assert "— 1 —" in text or "—1—" in text.replace(" ", "")
    assert "附件" in text


def test_calendar_has_one_event_per_open_deadline(db, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = deadline_calendar(db, tmp_path / "期限.ics", visit=world["visit"].id, today=TODAY)
    cal = Calendar.from_ical((tmp_path / "期限.ics").read_bytes())
    events = list(cal.walk("VEVENT"))
    assert result.events == len(events) == 4
    rows = {r.rectification.id: r.rectification for r in rectifications.list_rectifications(db)}
    for event in events:
        rect = rows[str(event["uid"]).split("@")[0]]
        assert event.decoded("dtstart") == rect.deadline
        assert [str(c) for c in event["categories"].cats] == [rect.department]
        assert event.walk("VALARM")[0].decoded("trigger") == timedelta(days=-3)
    one = deadline_calendar(db, tmp_path / "门诊部.ics", visit=world["visit"].id, department="门诊部", today=TODAY)
    assert one.departments == ("门诊部",) and one.events == 2


def test_due_lists_overdue_and_soon_per_department(db, world) -> None:  # type: ignore[no-untyped-def]
    later = TODAY + timedelta(days=5)
    groups = ledger_service.due_rectifications(db, today=later)
    by_dept = {g.department: g for g in groups}
    # Deadlines were TODAY+2 … TODAY+6; five days on, the first ones are overdue (the one due at
    # TODAY+3 is verified and due no more).
    assert {i.days_left for g in groups for i in g.overdue} == {-3, -1}
    assert all(0 <= i.days_left <= 3 for g in groups for i in g.due_3)
    assert set(by_dept) == {"总务科", "门诊部"}
    assert groups[0].overdue  # the most overdue first
    only = ledger_service.due_rectifications(db, today=later, overdue_only=True)
    assert all(not g.due_3 and not g.due_within for g in only)
    # A verified problem is never due.
    assert world["verified"].id not in {i.finding_id for g in groups for i in (*g.overdue, *g.due_3, *g.due_within)}


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_main(data_dir, *args)  # in-process (cli_support): same exit code, stdout and stderr


def test_commands_export_import_and_refuse_bad_input(db, world, data_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db.close()
    visit = world["visit"].id
    out = tmp_path / "总务科.xlsx"
    done = _cli(data_dir, "ledger", "export", "--visit", visit, "--for-department", "总务科", "-o", str(out), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"] == 3
    filled = fill(out, tmp_path / "back.xlsx", {world["open"].id: {"status": "In progress"}})
    dry = _cli(data_dir, "ledger", "import", str(filled), "--dry-run", "--json")
    assert json.loads(dry.stdout)["plan"]["rows"][0]["outcome"] in ("change", "unchanged")
    reopened = open_database(data_dir)
    before = dump(reopened)
    reopened.close()
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    refused = _cli(data_dir, "ledger", "import", str(bad))
    assert refused.returncode == 1 and refused.stderr.startswith("auditapp: error: bad.xlsx is not an Excel workbook")
    assert "Traceback" not in refused.stderr
    imported = _cli(data_dir, "ledger", "import", str(filled), "--json")
    assert imported.returncode == 0 and json.loads(imported.stdout)["applied"] == 1
    again = _cli(data_dir, "ledger", "import", str(filled))
    assert again.returncode == 0 and "1 already imported" in again.stdout
    reopened = open_database(data_dir)
    assert dump(reopened) != before
    reopened.close()
    due = _cli(data_dir, "rectification", "due", "--within", "30", "--json")
    assert due.returncode == 0 and {g["department"] for g in json.loads(due.stdout)} == {"总务科", "门诊部"}
    negative = _cli(data_dir, "rectification", "due", "--within", "-2")  # malformed: a usage error
    assert negative.returncode == 1 and "'-2' is not a positive whole number" in negative.stderr
    notice = _cli(data_dir, "notice", visit, "-o", str(tmp_path / "n.docx"), "--number", "院质改〔2026〕1号", "--json")
    assert notice.returncode == 0 and json.loads(notice.stdout)["problems"] == 4
    missing_folder = _cli(data_dir, "ledger", "calendar", "--visit", visit, "-o", str(tmp_path / "no" / "x.ics"))
    assert missing_folder.returncode == 1 and len(missing_folder.stderr.strip().splitlines()) == 2


def test_conflict_on_the_command_line_shows_both_values(db, world, data_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "总务科.xlsx"
    export_ledger(db, out, visit=world["visit"].id, for_department="总务科", today=TODAY)
    filled = fill(out, tmp_path / "back.xlsx", {world["open"].id: {"owner": "科室填的人"}})
    rectifications.update_rectification(db, world["open"].id, owner="程序里改的人")
    db.close()
    done = _cli(data_dir, "ledger", "import", str(filled))
    assert done.returncode == 1
    assert "app = 程序里改的人 | workbook = 科室填的人" in done.stderr
    assert "--skip-conflicts" in done.stderr


def test_database_from_before_the_ledger_upgrades_keeping_its_rectifications(data_dir: Path) -> None:
    old = open_database(data_dir, migrate_to="0004", backup=False)
    now = "2026-03-05 08:00:00.000000"
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO institutions (id, name, kind, level, has_obstetrics, alliance_lead, region, notes,"
            " created_at, updated_at, device_id) VALUES ('i1', '老医院', 'tcm', 3, 0, 0, '', '', ?, ?, 'dev')", (now, now))
        conn.exec_driver_sql(
            "INSERT INTO visits (id, institution_id, mode, inspector, title, visit_date, started_at, status, notes,"
            " report_number, created_at, updated_at, device_id) VALUES ('v1', 'i1', 'self', '院长', '', '2026-03-05', ?,"
            " 'finalized', '', '2026-03-001', ?, ?, 'dev')", (now, now, now))
        conn.exec_driver_sql(
            "INSERT INTO findings (id, visit_id, source, text, area, severity, seq, created_at, updated_at, device_id)"
            " VALUES ('f1', 'v1', 'free', '卫生间无纸巾', '一楼', 'minor', 1, ?, ?, 'dev')", (now, now))
        conn.exec_driver_sql(
            "INSERT INTO rectifications (id, finding_id, owner, measures, status, rounds, created_at, updated_at, device_id)"
            " VALUES ('r1', 'f1', '张三', '补充纸巾', 'reported_fixed', 2, ?, ?, 'dev')", (now, now))
    old.close()
    db = open_database(data_dir)
    try:
        rect = next(r for r in rectifications.list_rectifications(db)).rectification
        assert (rect.owner, rect.measures, rect.status, rect.rounds) == ("张三", "补充纸巾", "reported_fixed", 2)
        assert (rect.completion, rect.completed_on, rect.ledger_receipt) == ("", None, "")
    finally:
        db.close()
    from auditapp.db.migrate import head_revision

    conn = sqlite3.connect(data_dir / "audit.sqlite3")  # through 0005 and the ledger's 0006 to the newest
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
    conn.close()
