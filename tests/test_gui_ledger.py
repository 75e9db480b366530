"""The ledger loop in the GUI (in Chinese, as the app starts): export a department's workbook from the problems page, fill it
in outside the app, import it with a preview and apply; the notice; the home screen's
deadlines. Each test checks what lands on disk or in the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication

from auditapp.services import rectifications
from ledger_support import fill, seed
from ui.app import create_application
from ui.workers import db_pool


@pytest.fixture(autouse=True)
def _workers_done(qtbot, db) -> Iterator[None]:  # type: ignore[no-untyped-def]
    create_application()
    yield
    QThreadPool.globalInstance().waitForDone(20000)
    db_pool().waitForDone(20000)
    QApplication.processEvents()


@pytest.fixture
def world(db, fixture_library, tmp_path):  # type: ignore[no-untyped-def]
    return seed(db, fixture_library, tmp_path)


def _idle(qtbot, background) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not background.busy(), timeout=30000)


def test_problems_page_exports_a_department_workbook_and_imports_it_back(qtbot, db, world, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui import ledger_dialogs
    from ui.ledger_dialogs import LedgerExportDialog, LedgerImportDialog
    from ui.rectifications import RectificationsWidget

    page = RectificationsWidget(db)
    qtbot.addWidget(page)
    page.set_scope(visit_id=world["visit"].id)
    page.department_filter.setCurrentIndex(page.department_filter.findData("总务科"))
    opened: list[object] = []
    monkeypatch.setattr(LedgerExportDialog, "exec", lambda self: opened.append(self) or 0)
    qtbot.mouseClick(page.ledger_buttons["export"], Qt.MouseButton.LeftButton)
    dialog = opened[0]
    assert isinstance(dialog, LedgerExportDialog)
    qtbot.addWidget(dialog)
    assert dialog.department() == "总务科"  # the page's department filter carries over
    dialog.department_radio.setChecked(True)
    out = tmp_path / "总务科.xlsx"
    dialog.path_edit.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, dialog.background)
    assert out.exists() and "3 个问题" in dialog.status_label.text()

    filled = fill(out, tmp_path / "back.xlsx", {world["open"].id: {"measures": "已更换", "status": "Reported fixed"}})
    importer = LedgerImportDialog(db)
    qtbot.addWidget(importer)
    monkeypatch.setattr(ledger_dialogs, "choose_open_file", lambda *_a: filled)
    qtbot.mouseClick(importer.findChild(type(page.ledger_buttons["export"]), "chooseLedgerButton"), Qt.MouseButton.LeftButton)
    _idle(qtbot, importer.background)
    assert importer.table.rowCount() == 1
    assert importer.table.item(0, 2).text() == "将修改" and "已更换" in importer.table.item(0, 3).text()
    assert rectifications.list_rectifications(db, visit=world["visit"].id)  # nothing applied yet:
    assert next(r for r in rectifications.list_rectifications(db) if r.finding.id == world["open"].id).rectification.status == "open"
    with qtbot.waitSignal(importer.imported, timeout=30000) as applied:
        qtbot.mouseClick(importer.apply_button, Qt.MouseButton.LeftButton)
    assert applied.args == [1]
    assert next(r for r in rectifications.list_rectifications(db) if r.finding.id == world["open"].id).rectification.status == "reported_fixed"  # noqa: E501
    assert not importer.apply_button.isEnabled()


def test_import_preview_shows_conflicts_and_applies_only_when_asked(qtbot, db, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.ledger.export import export_ledger
    from ui.ledger_dialogs import LedgerImportDialog

    out = tmp_path / "总务科.xlsx"
    export_ledger(db, out, visit=world["visit"].id, for_department="总务科")
    filled = fill(out, tmp_path / "back.xlsx", {world["open"].id: {"owner": "科室填的"}, world["free"].id: {"owner": "李主任"}})
    rectifications.update_rectification(db, world["open"].id, owner="程序里改的")
    importer = LedgerImportDialog(db, path=filled)
    qtbot.addWidget(importer)
    importer.check()
    _idle(qtbot, importer.background)
    texts = [importer.table.item(r, 3).text() for r in range(importer.table.rowCount())]
    assert any("程序中：程序里改的 · 台账中：科室填的" in t for t in texts)
    assert importer.skip_conflicts.isVisibleTo(importer) and not importer.apply_button.isEnabled()
    importer.skip_conflicts.setChecked(True)
    assert importer.apply_button.isEnabled()
    with qtbot.waitSignal(importer.imported, timeout=30000):
        importer.apply()
    owners = {r.finding.id: r.rectification.owner for r in rectifications.list_rectifications(db)}
    assert owners[world["open"].id] == "程序里改的" and owners[world["free"].id] == "李主任"


def test_bad_workbook_is_refused_with_its_message(qtbot, db, world, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui import messages
    from ui.ledger_dialogs import LedgerImportDialog

    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _p, _t, exc: shown.append(exc.message()))
    bad = tmp_path / "bad.xlsx"
    bad.write_text("hello")
    importer = LedgerImportDialog(db, path=bad)
    qtbot.addWidget(importer)
    importer.check()
    _idle(qtbot, importer.background)
    assert shown == ["bad.xlsx 不是 Excel 工作簿（.xlsx）"]  # the window's language
    assert importer.table.rowCount() == 0 and not importer.apply_button.isEnabled()


def test_notice_dialog_writes_the_notice_and_remembers_the_office_fields(qtbot, db, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    from ui.ledger_dialogs import NoticeDialog

    dialog = NoticeDialog(db, visit_id=world["visit"].id, department="门诊部")
    qtbot.addWidget(dialog)
    dialog.number_edit.setText("院质改〔2026〕7号")
    dialog.issuer_edit.setText("王院长")
    out = tmp_path / "通知.docx"
    dialog.path_edit.setText(str(out))
    with qtbot.waitSignal(dialog.written, timeout=30000):
        qtbot.mouseClick(dialog.write_button, Qt.MouseButton.LeftButton)
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert "门诊部：" in texts and any("院质改〔2026〕7号" in t for t in texts)
    again = NoticeDialog(db, visit_id=world["visit"].id)
    qtbot.addWidget(again)
    assert (again.number_edit.text(), again.issuer_edit.text()) == ("院质改〔2026〕7号", "王院长")


def test_home_screen_shows_overdue_and_soon_due_per_department(qtbot, db, world) -> None:  # type: ignore[no-untyped-def]
    from ui.due_widget import DueWidget

    rectifications.update_rectification(db, world["open"].id, deadline=date.today() - timedelta(days=2))
    rectifications.update_rectification(db, world["free"].id, deadline=date.today() + timedelta(days=1))
    rectifications.update_rectification(db, world["outpatient"].id, deadline=date.today() + timedelta(days=6))
    rectifications.update_rectification(db, world["pending"].id, deadline=date.today() + timedelta(days=30))
    panel = DueWidget(db)
    qtbot.addWidget(panel)
    panel.set_institution(world["institution"].id)
    qtbot.waitUntil(lambda: not panel.is_busy(), timeout=30000)
    rows = {panel.tree.topLevelItem(i).text(0): [panel.tree.topLevelItem(i).text(c) for c in (1, 2, 3)]
            for i in range(panel.tree.topLevelItemCount())}
    assert rows["总务科"] == ["1", "1", ""]
    assert rows["门诊部"][2] == "1"
    assert panel.tree.topLevelItem(0).text(0) == "总务科"  # overdue first
    assert panel.title() == "整改期限 — 逾期 1 项"
    child = panel.tree.topLevelItem(0).child(0)
    assert "已逾期 2 天" in child.text(0)


def test_notice_from_an_institutions_problems_is_for_the_selected_problems_visit(  # type: ignore[no-untyped-def]
    qtbot, db, world, monkeypatch,
) -> None:
    from ui import messages
    from ui.ledger_dialogs import NoticeDialog
    from ui.rectifications import RectificationsWidget

    page = RectificationsWidget(db)
    qtbot.addWidget(page)
    page.set_scope(institution_id=world["institution"].id)
    opened: list[NoticeDialog] = []
    told: list[str] = []
    monkeypatch.setattr(NoticeDialog, "exec", lambda self: opened.append(self) or 0)
    monkeypatch.setattr(messages, "show_info", lambda _p, _t, text: told.append(text))
    page.table.clearSelection()
    qtbot.mouseClick(page.ledger_buttons["notice"], Qt.MouseButton.LeftButton)
    assert opened == [] and len(told) == 1  # nothing selected: which visit is not known
    assert page.select_finding(world["open"].id)
    qtbot.mouseClick(page.ledger_buttons["notice"], Qt.MouseButton.LeftButton)
    assert len(opened) == 1 and opened[0].visit_id == world["visit"].id
    qtbot.addWidget(opened[0])
