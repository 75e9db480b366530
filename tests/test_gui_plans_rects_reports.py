"""Floor plans with pins, the rectification list and the report dialog, driven as a user would.

Each test checks what lands in the database (or on disk), not only what the widgets say.
"""

from __future__ import annotations

import re
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QPushButton
from pytestqt.modeltest import ModelTester
from reportlab.pdfgen import canvas

from auditapp.services import floorplans, institutions, photos, rectifications, visits
from ui.app import create_application
from ui.floorplan_view import GREEN, GREY, RED, AedMapModel, FloorPlanPanel, PinEditDialog, aed_status_text, pin_colour
from ui.rectifications import OVERDUE_RED, RectificationsWidget, RectificationTableModel
from ui.reports_dialog import PdfPreviewWindow, ReportDialog

ITEM = "basics.entrance.floor-plan"


def test_installed_pyside_keeps_references_to_none() -> None:
    """PySide6 6.12.0 on CPython 3.11 drops one reference to ``None`` per call of a void
    method; after some thousands of calls the interpreter aborts ("none_dealloc"). The
    project pins PySide6 below 6.12; this guards the pin."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(200):
        probe.setObjectName("probe")
    assert sys.getrefcount(None) >= before - 5


@pytest.fixture(autouse=True)
def _app(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The app's fonts and translator; conftest waits for workers before ``db`` closes."""
    create_application()


@pytest.fixture
def hospital(db, fixture_library):  # type: ignore[no-untyped-def]
    """A hospital with one visit: two checklist findings and one free finding, all open."""
    inst = institutions.add_institution(db, name="测试区人民医院", kind="general", level=2, departments=["门诊部", "总务科"])
    visit = visits.start_visit(db, institution=inst.id, inspector="李书记", visit_date=date(2026, 11, 3), library=fixture_library)
    visits.answer_item(db, visit.id, ITEM, result="nonconform", note="大厅未见平面图")
    visits.answer_item(db, visit.id, "basics.toilets.clean", result="nonconform", note="二楼卫生间地面湿滑有异味")
    visits.add_finding(db, visit.id, text="停车场入口无空余车位提示", area="停车场", severity="major", department="保卫科")
    return inst, visit


@pytest.fixture(scope="session")
def plan_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan-like picture: walls and rooms on a light background, 1600 × 1000 (read-only)."""
    image = Image.new("RGB", (1600, 1000), (250, 250, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 1560, 960), outline=(60, 60, 60), width=8)
    for x in (420, 800, 1180):
        draw.line((x, 40, x, 560), fill=(60, 60, 60), width=6)
    draw.line((40, 560, 1560, 560), fill=(60, 60, 60), width=6)
    draw.rectangle((600, 700, 1000, 900), outline=(120, 120, 120), width=4)
    path = tmp_path_factory.mktemp("plan") / "门诊楼一层.png"
    image.save(path)
    return path


@pytest.fixture
def panel(qtbot, db, hospital, plan_png):  # type: ignore[no-untyped-def]
    inst, visit = hospital
    floorplans.add_floor_plan(db, inst.id, plan_png, name="门诊楼一层", floor="1F")
    widget = FloorPlanPanel(db)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitSignal(widget.planLoaded, timeout=10000):
        widget.set_context(inst.id, visit.id, current_item_id=ITEM)
    return widget


def viewport_point(panel: FloorPlanPanel, fx: float, fy: float) -> QPoint:
    rect = panel.view.plan_rect
    return panel.view.mapFromScene(QPointF(fx * rect.width(), fy * rect.height()))


def pins_of(db, panel: FloorPlanPanel) -> list[floorplans.PinInfo]:  # type: ignore[no-untyped-def]
    return floorplans.list_pins(db, plan=panel.current_plan_id())


# --------------------------------------------------------------------------- floor plans


def test_imported_plan_is_stored_and_shown(qtbot, db, hospital, plan_png) -> None:  # type: ignore[no-untyped-def]
    inst, visit = hospital
    widget = FloorPlanPanel(db)
    qtbot.addWidget(widget)
    widget.set_context(inst.id, visit.id)
    assert widget.plan_combo.count() == 0 and widget.stack.currentWidget() is widget.empty_label
    with qtbot.waitSignal(widget.planLoaded, timeout=10000):
        widget.import_plan(plan_png, name="门诊楼一层", floor="1F")
    plans = floorplans.list_floor_plans(db, inst.id)
    assert [(p.name, p.floor, p.width, p.height) for p in plans] == [("门诊楼一层", "1F", 1600, 1000)]
    assert widget.current_plan_id() == plans[0].id
    assert widget.stack.currentWidget() is widget.view
    assert (widget.view.plan_rect.width(), widget.view.plan_rect.height()) == (1600, 1000)


def test_click_on_the_plan_adds_a_pin_of_the_chosen_kind_where_clicked(qtbot, db, panel) -> None:  # type: ignore[no-untyped-def]
    panel.set_pin_kind("aed")
    with qtbot.waitSignal(panel.pinsChanged):
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=viewport_point(panel, 0.25, 0.6))
    [pin] = pins_of(db, panel)
    assert pin.kind == "aed" and pin.visit_id is None  # AEDs belong to the building
    assert pin.x == pytest.approx(0.25, abs=0.02) and pin.y == pytest.approx(0.6, abs=0.02)
    assert [(item.pin_id, item.number) for item in panel.pin_items()] == [(pin.id, 1)]
    assert panel.selected_pin_id() == pin.id


def test_problem_pin_belongs_to_the_visit_and_links_to_the_current_item(qtbot, db, panel, hospital) -> None:  # type: ignore[no-untyped-def]
    _inst, visit = hospital
    panel.set_pin_kind("finding")
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=viewport_point(panel, 0.7, 0.3))
    [pin] = pins_of(db, panel)
    assert (pin.kind, pin.visit_id) == ("finding", visit.id)
    link = next(a for a in panel.pin_menu(pin.id).findChildren(QAction) if a.data() == "link")
    assert link.isEnabled()
    link.trigger()
    assert floorplans.linked_answer_and_finding(db, pin.id)[0] == ITEM
    panel.set_pin_kind("aed")
    aed_id = panel.add_pin_at(0.1, 0.1)
    aed_link = next(a for a in panel.pin_menu(aed_id).findChildren(QAction) if a.data() == "link")
    assert not aed_link.isEnabled()  # linking would tie the building's AED to one visit


def test_dragging_a_pin_moves_it_in_the_database(qtbot, db, panel) -> None:  # type: ignore[no-untyped-def]
    pin_id = panel.add_pin_at(0.3, 0.3)
    start, end = viewport_point(panel, 0.3, 0.3), viewport_point(panel, 0.6, 0.55)
    viewport = panel.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        qtbot.mouseMove(viewport, QPoint(start.x() + (end.x() - start.x()) * step // 5, start.y() + (end.y() - start.y()) * step // 5))
    with qtbot.waitSignal(panel.pinsChanged):
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    [pin] = pins_of(db, panel)  # a drag adds no pin
    assert pin.id == pin_id
    assert pin.x == pytest.approx(0.6, abs=0.02) and pin.y == pytest.approx(0.55, abs=0.02)
    panel.undo_stack.undo()
    [back] = pins_of(db, panel)
    assert (back.x, back.y) == pytest.approx((0.3, 0.3))


def test_aed_status_chosen_in_the_pin_menu_is_saved_and_shown_in_the_aed_map(qtbot, db, panel) -> None:  # type: ignore[no-untyped-def]
    pin_id = panel.add_pin_at(0.5, 0.5)
    # Not checked yet: grey, never the green of a checked, working AED.
    assert pin_colour(panel.pin_item(pin_id).pin) == GREY  # type: ignore[union-attr]
    ok = next(a for a in panel.pin_menu(pin_id).findChildren(QAction) if a.data() == "status:ok")
    ok.trigger()
    assert pin_colour(panel.pin_item(pin_id).pin) == GREEN  # type: ignore[union-attr]
    faulty = next(a for a in panel.pin_menu(pin_id).findChildren(QAction) if a.data() == "status:faulty")
    faulty.trigger()
    assert [p.status for p in pins_of(db, panel)] == ["faulty"]
    row = panel.aed_model.row_of_pin(pin_id)
    assert row == 0
    assert panel.aed_model.data(panel.aed_model.index(row, AedMapModel.STATUS)) == aed_status_text("faulty")
    assert pin_colour(panel.pin_item(pin_id).pin) == RED  # type: ignore[union-attr]


def test_pin_dialog_saves_label_and_status(qtbot, db, panel) -> None:  # type: ignore[no-untyped-def]
    pin_id = panel.add_pin_at(0.5, 0.5)
    item = panel.pin_item(pin_id)
    dialog = PinEditDialog(item.pin, item.number, can_link=False, parent=panel)  # type: ignore[union-attr]
    qtbot.addWidget(dialog)
    dialog.label_edit.setText("挂号处旁立柱")
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("missing"))
    dialog.choice = "save"
    panel.apply_pin_dialog(pin_id, dialog)
    [pin] = pins_of(db, panel)
    assert (pin.label, pin.status) == ("挂号处旁立柱", "missing")


def test_undo_takes_back_an_added_pin_and_redo_brings_the_same_pin_back(qtbot, db, panel) -> None:  # type: ignore[no-untyped-def]
    pin_id = panel.add_pin_at(0.4, 0.4)
    panel.undo_stack.undo()
    assert pins_of(db, panel) == [] and panel.pin_items() == []
    panel.undo_stack.redo()
    assert [p.id for p in pins_of(db, panel)] == [pin_id]


def test_clicking_an_aed_in_the_list_selects_its_pin(qtbot, db, panel) -> None:  # type: ignore[no-untyped-def]
    first = panel.add_pin_at(0.2, 0.2)
    second = panel.add_pin_at(0.8, 0.8)
    panel.scene.clearSelection()
    index = panel.aed_model.index(panel.aed_model.row_of_pin(first), AedMapModel.LABEL)
    qtbot.mouseClick(panel.aed_table.viewport(), Qt.MouseButton.LeftButton, pos=panel.aed_table.visualRect(index).center())
    assert panel.selected_pin_id() == first != second
    ModelTester(qtbot).check(panel.aed_model)


# --------------------------------------------------------------------------- rectifications


@pytest.fixture
def rect_widget(qtbot, db, hospital):  # type: ignore[no-untyped-def]
    inst, _visit = hospital
    widget = RectificationsWidget(db)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    widget.set_scope(institution_id=inst.id)
    return widget


def rect_of(db, finding_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in rectifications.list_rectifications(db) if r.finding.id == finding_id).rectification


def test_status_filter_narrows_the_rows(qtbot, db, rect_widget) -> None:  # type: ignore[no-untyped-def]
    first = rect_widget.model.row_at(0).finding.id
    rectifications.update_rectification(db, first, status="in_progress")
    rect_widget.refresh()
    assert rect_widget.row_count() == 3
    rect_widget.status_filter.setCurrentIndex(rect_widget.status_filter.findData("in_progress"))
    assert rect_widget.row_count() == 1 and rect_widget.model.row_at(0).finding.id == first
    rect_widget.status_filter.setCurrentIndex(rect_widget.status_filter.findData("open"))
    assert rect_widget.row_count() == 2 and first not in {rect_widget.model.row_at(r).finding.id for r in range(2)}
    rect_widget.status_filter.setCurrentIndex(0)
    rect_widget.search_edit.setText("停车场")
    qtbot.waitUntil(lambda: rect_widget.row_count() == 1)
    assert rect_widget.model.row_at(0).finding.area == "停车场"


def test_owner_deadline_and_status_set_in_the_panel_are_saved_with_history(qtbot, db, rect_widget) -> None:  # type: ignore[no-untyped-def]
    w = rect_widget
    w.table.selectRow(0)
    finding_id = w.current_finding_id()
    assert finding_id is not None and w.editor.isEnabled()
    # QTest types ASCII only: put the Chinese text in, then finish editing with the keyboard.
    w.owner_edit.setFocus()
    w.owner_edit.setText("张主任")
    qtbot.keyClick(w.owner_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(w.deadline_edit.line, "2026/12/1")  # typed with slashes, as people do
    qtbot.keyClick(w.deadline_edit.line, Qt.Key.Key_Return)
    w.department_combo.lineEdit().setText("信息科")  # a new department, created on first use
    qtbot.keyClick(w.department_combo.lineEdit(), Qt.Key.Key_Return)
    w.note_edit.setText("已安排维修")
    qtbot.mouseClick(w.action_buttons["start"], Qt.MouseButton.LeftButton)

    rect = rect_of(db, finding_id)
    assert (rect.owner, rect.deadline, rect.status) == ("张主任", date(2026, 12, 1), "in_progress")
    assert rect.department.endswith("信息科")
    history = rectifications.rectification_history(db, finding_id)
    assert [(e.status_from, e.status_to, e.note) for e in history][-1] == ("open", "in_progress", "已安排维修")
    assert [e.action for e in history] == ["create", "reassign", "start"]  # the department change is history too
    assert w.history_list.count() == len(history) == 3
    assert w.note_edit.text() == ""  # the note went with that change
    shown = w.model.row_at(w.model.row_of_finding(finding_id)).rectification
    assert (shown.owner, shown.status) == ("张主任", "in_progress")


def test_measures_typed_are_saved_when_the_selection_moves_on(qtbot, db, rect_widget) -> None:  # type: ignore[no-untyped-def]
    rect_widget.table.selectRow(0)
    finding_id = rect_widget.current_finding_id()
    rect_widget.measures_edit.setFocus()
    rect_widget.measures_edit.insertPlainText("更换防滑地垫")  # as an input method would
    other = rect_widget.model.row_at(1).finding.id
    rect_widget.table.selectRow(1)
    assert rect_of(db, finding_id).measures == "更换防滑地垫"
    assert rect_of(db, other).measures == ""  # saved to the row being edited, not the newly selected one


def test_only_allowed_status_changes_are_offered(qtbot, db, rect_widget) -> None:  # type: ignore[no-untyped-def]
    rect_widget.table.selectRow(0)
    # Open: the core's table allows these steps, and only these are buttons.
    assert list(rect_widget.action_buttons) == ["start", "report", "verify", "request_extension"]
    assert "close" not in rect_widget.action_buttons


def test_overdue_rows_are_flagged_in_red_and_can_be_filtered(qtbot, db, rect_widget) -> None:  # type: ignore[no-untyped-def]
    late, on_time = rect_widget.model.row_at(0).finding.id, rect_widget.model.row_at(1).finding.id
    rectifications.update_rectification(db, late, deadline=date.today() - timedelta(days=3))
    rectifications.update_rectification(db, on_time, deadline=date.today() + timedelta(days=3))
    rect_widget.refresh()
    model = rect_widget.model
    late_index = model.index(model.row_of_finding(late), RectificationTableModel.OVERDUE)
    on_time_index = model.index(model.row_of_finding(on_time), RectificationTableModel.OVERDUE)
    assert model.data(late_index) and model.data(late_index, Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_RED
    assert model.data(on_time_index) == "" and model.data(on_time_index, Qt.ItemDataRole.ForegroundRole) is None
    rect_widget.overdue_filter.setChecked(True)
    assert rect_widget.row_count() == 1 and model.row_at(0).finding.id == late
    ModelTester(qtbot).check(model)


def test_after_photos_are_imported_in_a_worker_and_shown(qtbot, db, rect_widget, tmp_path) -> None:  # type: ignore[no-untyped-def]
    photo = tmp_path / "after.jpg"
    Image.new("RGB", (800, 600), (30, 140, 60)).save(photo)
    rect_widget.table.selectRow(0)
    row = rect_widget.current_row()
    qtbot.waitUntil(lambda: not rect_widget.is_busy())
    assert rect_widget.photo_list.count() == 0
    with qtbot.waitSignal(rect_widget.changed, timeout=20000):
        rect_widget.add_after_photos([photo])
    qtbot.waitUntil(lambda: rect_widget.photo_list.count() == 1, timeout=20000)
    stored = photos.list_photos(db, rectification_id=row.rectification.id)
    assert [(p.kind, p.original_filename) for p in stored] == [("after", "after.jpg")]


# --------------------------------------------------------------------------- reports


def test_report_dialog_writes_the_rectification_list_and_previews_it(qtbot, db, hospital, fixture_library, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _inst, visit = hospital
    dialog = ReportDialog(db, visit_id=visit.id, library=fixture_library)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.report_kind() == "rectification" and dialog.visit_combo.currentData() == visit.id
    assert dialog.default_file_name() == "整改清单_测试区人民医院_2026-11-03.pdf"
    out = tmp_path / "reports" / "list.pdf"
    dialog.path_edit.clear()
    qtbot.keyClicks(dialog.path_edit, str(out))
    with qtbot.waitSignal(dialog.reportGenerated, timeout=60000) as blocker:
        dialog.generate()
    assert blocker.args == [str(out)] and out.stat().st_size > 0
    qtbot.waitUntil(lambda: dialog.preview_window is not None)
    preview = dialog.preview_window
    assert preview is not None and preview.isVisible()
    assert preview.document.pageCount() > 0
    assert preview.view.pageMode() == QPdfView.PageMode.MultiPage
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert dialog.output_path() != out or not dialog._auto_path  # the next report would not overwrite it


def test_report_options_reach_the_report_process(qtbot, db, hospital, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    _inst, visit = hospital
    dialog = ReportDialog(db, visit_id=visit.id)
    qtbot.addWidget(dialog)
    for check in (dialog.open_only_check, dialog.by_department_check, dialog.landscape_check):
        check.setChecked(True)
    assert "分科室" in dialog.path_edit.text()  # the suggested name follows the options
    assert dialog.report_args() == ["rectification", visit.id, "--open-only", "--by-department", "--landscape"]
    out = tmp_path / "landscape.pdf"
    dialog.path_edit.setText(str(out))
    with qtbot.waitSignal(dialog.reportGenerated, timeout=60000):
        dialog.generate()
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    width, height = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())  # type: ignore[union-attr]
    assert width > height  # the landscape option reached the report
    assert not out.with_name("landscape.partial.pdf").exists()


def test_cancelling_a_report_writes_nothing_and_opens_no_preview(qtbot, db, hospital, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog = ReportDialog(db, visit_id=hospital[1].id)
    qtbot.addWidget(dialog)
    out = tmp_path / "never.pdf"
    dialog.path_edit.setText(str(out))
    process = dialog.generate()
    assert process is not None and dialog.is_generating()
    cancel_button = dialog._progress.findChild(QPushButton)
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_generating(), timeout=20000)
    assert not out.exists() and not out.with_name("never.partial.pdf").exists()
    assert dialog.preview_window is None
    assert dialog.generate_button.isEnabled()


def test_a_failing_report_process_shows_its_message(qtbot, db, hospital, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ui import messages

    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _p, _t, err: shown.append(str(err)))
    dialog = ReportDialog(db, visit_id=hospital[1].id)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(dialog, "report_args", lambda: ["rectification", "no-such-visit"])
    dialog.path_edit.setText(str(tmp_path / "x.pdf"))
    dialog.generate()
    qtbot.waitUntil(lambda: not dialog.is_generating(), timeout=30000)
    assert shown and "no-such-visit" in shown[0]
    assert not (tmp_path / "x.pdf").exists()


def _two_page_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "two-pages.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 400, 300, 300, fill=1)
    c.showPage()
    c.drawString(100, 700, "page two")
    c.showPage()
    c.save()
    return path


def test_printing_to_a_pdf_printer_renders_every_page(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = PdfPreviewWindow(_two_page_pdf(tmp_path))
    qtbot.addWidget(window)
    assert window.page_count() == 2
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(150)  # keeps the test fast; the code renders at whatever the printer has
    assert window.render_to_printer(printer) == 2
    assert out.stat().st_size > 1000
    printed = QPdfDocument()
    assert printed.load(str(out)) == QPdfDocument.Error.None_ and printed.pageCount() == 2
    image = printed.render(0, printed.pagePointSize(0).toSize())
    dark = sum(1 for y in range(0, image.height(), 8) for x in range(0, image.width(), 8) if QColor(image.pixel(x, y)).lightness() < 60)
    assert dark > 50  # the black square of page one came through, not a blank page


def test_saving_a_copy_of_the_report(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = _two_page_pdf(tmp_path)
    window = PdfPreviewWindow(source)
    qtbot.addWidget(window)
    copy = window.copy_to(tmp_path / "给门诊部")
    assert copy is not None and copy.suffix == ".pdf" and copy.read_bytes() == source.read_bytes()
