"""A whole visit driven through real widgets: institution, new visit, keyboard answers,
undo/redo, a note, a free finding, photos by drop and paste, a pin on a plan, journey
steps, the cited passage, finalize — and what lands in the database after each step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialog

from auditapp.services import floorplans, institutions, journey, photos, visits
from dialogs_support import Button
from test_gui_photos import _drop
from ui import messages
from ui.app import create_application
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, db, fixture_library, monkeypatch):  # type: ignore[no-untyped-def]
    create_application()
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _p, title, err: shown.append(f"{title}: {err}"))
    monkeypatch.setattr(messages, "show_info", lambda _p, title, text: shown.append(f"{title}: {text}"))
    win = MainWindow(db, library=fixture_library)
    win.shown_messages = shown  # type: ignore[attr-defined]
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


def _accept_dialog_with(monkeypatch, dialog_cls, fill) -> None:  # type: ignore[no-untyped-def]
    """Replace exec() so the dialog is filled by ``fill`` and accepted like a user would."""

    def exec_(self) -> int:  # type: ignore[no-untyped-def]
        fill(self)
        self.accept()
        return QDialog.DialogCode.Accepted if self.result() == QDialog.DialogCode.Accepted else QDialog.DialogCode.Rejected

    monkeypatch.setattr(dialog_cls, "exec", exec_)


def _start_visit(window, qtbot, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    from ui.dialogs import InstitutionDialog, NewVisitDialog

    def fill_institution(d) -> None:  # type: ignore[no-untyped-def]
        d.name_edit.setText("体验测试中医院")  # QTest cannot type CJK; an input method would
        d.kind_combo.setCurrentIndex(d.kind_combo.findData("tcm"))

    _accept_dialog_with(monkeypatch, InstitutionDialog, fill_institution)
    window.new_institution()
    assert [i.name for i in institutions.list_institutions(window.db)] == ["体验测试中医院"]

    def fill_visit(d) -> None:  # type: ignore[no-untyped-def]
        assert d.selected_checklists() == ["basics", "tcm-extra"]  # the TCM template pre-selects both
        d.inspector_edit.setText("王院长")

    _accept_dialog_with(monkeypatch, NewVisitDialog, fill_visit)
    window.new_visit()
    (visit,) = visits.list_visits(window.db)
    assert window.stack.currentWidget() is window.runner
    return visit.id


def _answers(db, visit_id: str) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    return {v.item.id: (v.answer.result if v.answer else None) for v in visits.visit_detail(db, visit_id).items}


def test_whole_visit_by_keyboard_with_undo_redo_and_finalize(window, qtbot, monkeypatch, dialogs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    visit_id = _start_visit(window, qtbot, monkeypatch)
    runner = window.runner
    order = list(runner.order)
    assert len(order) >= 3
    first, second, third = order[:3]
    assert runner.current_item_id() == first

    # 1 = conform moves on; 2 = nonconform stays to describe the problem.
    qtbot.keyClick(runner.tree, Qt.Key.Key_1)
    assert _answers(window.db, visit_id)[first] == "conform"
    assert runner.current_item_id() == second
    qtbot.keyClick(runner.tree, Qt.Key.Key_2)
    assert _answers(window.db, visit_id)[second] == "nonconform"
    assert runner.current_item_id() == second
    assert "已保存" in window.saved_label.text()

    # A note typed into the panel is saved without a Save button.
    runner.item_panel.note_edit.setFocus()
    # Saved when the panel's pause-after-typing timer hands the note over (noteEdited): wait for
    # that signal, not for the database to be polled (each poll reads the whole visit; under
    # the parallel suite's load that polling missed a 3 s limit).
    with qtbot.waitSignal(runner.item_panel.noteEdited, timeout=10000):
        runner.item_panel.note_edit.insertPlainText("二楼男卫生间无纸巾")
    assert visits.visit_detail(window.db, visit_id).items[1].answer.note == "二楼男卫生间无纸巾"
    finding = next(f for f in visits.visit_detail(window.db, visit_id).findings if f.item_id == second)
    assert "二楼男卫生间无纸巾" in finding.text and finding.rectification is not None

    # Enter moves on, 3 = not applicable.
    runner.tree.setFocus()
    runner.select_item(third)
    qtbot.keyClick(runner.tree, Qt.Key.Key_3)
    assert _answers(window.db, visit_id)[third] == "na"

    # Undo three times: n/a, the note, the nonconformity — each committed to the database.
    runner.undo_action.trigger()
    assert _answers(window.db, visit_id)[third] is None
    runner.undo_action.trigger()
    assert visits.visit_detail(window.db, visit_id).items[1].answer.note == ""
    runner.undo_action.trigger()
    assert _answers(window.db, visit_id)[second] is None
    assert all(f.item_id != second for f in visits.visit_detail(window.db, visit_id).findings)
    runner.redo_action.trigger()
    assert _answers(window.db, visit_id)[second] == "nonconform"
    assert any(f.item_id == second for f in visits.visit_detail(window.db, visit_id).findings)

    # Severity and department from the panel.
    runner.select_item(second)
    panel = runner.item_panel
    panel.severity_combo.setCurrentIndex(panel.severity_combo.findData("critical"))
    panel.severity_combo.activated.emit(panel.severity_combo.currentIndex())
    panel.department_combo.setCurrentText("总务科")
    panel.department_combo.lineEdit().editingFinished.emit()
    answer = visits.visit_detail(window.db, visit_id).items[1].answer
    assert (answer.severity, answer.department) == ("critical", "总务科")

    # Search narrows the tree to matching items.
    runner.search_edit.setText(fixture_question(runner, third)[:4])
    visible = [i for i in runner.order if not runner._item_nodes[i].isHidden()]
    assert third in visible and len(visible) < len(order)
    runner.search_edit.clear()

    # A free finding ("其他问题").
    from ui.dialogs import FreeFindingDialog

    def fill_finding(d) -> None:  # type: ignore[no-untyped-def]
        d.text_edit.insertPlainText("自助机旁无人指导老年患者")
        d.area_edit.setText("门诊大厅")

    _accept_dialog_with(monkeypatch, FreeFindingDialog, fill_finding)
    runner.finding_action.trigger()
    free = [f for f in visits.visit_detail(window.db, visit_id).findings if f.source == "free"]
    assert [(f.text, f.area) for f in free] == [("自助机旁无人指导老年患者", "门诊大厅")]

    # Journey steps by button; a wait over 30 minutes is flagged.
    runner.journey_panel.buttons["registration"].click()
    steps = journey.list_steps(window.db, visit_id)
    assert [s.step for s in steps] == ["registration"]
    journey.record_step(window.db, visit_id, "registration", at=datetime.now(UTC) - timedelta(minutes=45))
    runner.journey_panel.buttons["consultation"].click()
    assert [s.minutes > 30 for s in runner.journey_panel.over_target()] == [True]
    assert "⚠" in runner.journey_panel.intervals_table.item(0, 2).text()

    # Finalize: the visit becomes read-only in the GUI and in the database.
    dialogs.expect_question(Button.Yes)
    runner.finalize_action.trigger()
    assert dialogs.kinds() == ["question"]
    assert visits.get_visit(window.db, visit_id).status == "finalized"
    assert not runner.item_panel.result_buttons["conform"].isEnabled()
    qtbot.keyClick(runner.tree, Qt.Key.Key_1)  # ignored now, and said so in the bar (no box)
    assert runner.notice.isVisible() and runner.notice.level == "warning"
    assert dialogs.kinds() == ["question"]
    assert _answers(window.db, visit_id)[runner.current_item_id()] in (None, "conform", "nonconform", "na")
    before = _answers(window.db, visit_id)
    runner.answer_current("conform")
    assert _answers(window.db, visit_id) == before

    runner.back_action.trigger()
    assert window.stack.currentWidget() is window.home
    assert window.visit_model.row_at(0).status == "finalized"


def fixture_question(runner, item_id: str) -> str:  # type: ignore[no-untyped-def]
    return runner.views[item_id].item.question


def test_basis_click_shows_the_cited_passage(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs import SourcePassageDialog

    _start_visit(window, qtbot, monkeypatch)
    opened: list[SourcePassageDialog] = []
    monkeypatch.setattr(SourcePassageDialog, "exec", lambda self: opened.append(self) or 0)
    window.runner.item_panel.basis_label.linkActivated.emit("basis:0")
    (dialog,) = opened
    basis = window.runner.views[window.runner.current_item_id()].item.basis[0]
    assert dialog.found
    flat = lambda s: "".join(s.split())  # noqa: E731
    assert flat(basis.quote) in flat(dialog.highlighted_text.replace("\u2029", "\n"))


def _jpeg(path: Path, colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", (640, 480), colour).save(path, quality=90)
    return path


def test_photos_by_drop_and_paste_and_a_pin_on_the_plan(window, qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    visit_id = _start_visit(window, qtbot, monkeypatch)
    runner = window.runner
    item_id = runner.order[0]
    runner.select_item(item_id)
    qtbot.keyClick(runner.tree, Qt.Key.Key_2)  # nonconform, stays on the item
    assert runner.views[item_id].needs_photo == runner.views[item_id].item.photo_required

    strip = runner.photo_strip
    assert _drop(strip, [_jpeg(tmp_path / "wc.jpg", (200, 30, 30))]) == (True, True)
    qtbot.waitUntil(lambda: len(photos.list_photos(window.db, visit_id)) == 1, timeout=10000)

    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkGreen)
    QApplication.clipboard().setImage(image)
    qtbot.keyClick(runner.tree, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)  # Ctrl+V in the item list
    qtbot.waitUntil(lambda: len(photos.list_photos(window.db, visit_id)) == 2, timeout=10000)
    attached = photos.list_photos(window.db, visit_id)
    answer_ids = {p.answer_id for p in attached}
    assert len(answer_ids) == 1 and None not in answer_ids
    qtbot.waitUntil(lambda: not runner.views[item_id].needs_photo, timeout=5000)

    # A floor plan and a pin placed on it, linked to the current item.
    plan_file = tmp_path / "plan.png"
    Image.new("RGB", (1200, 800), (245, 245, 245)).save(plan_file)
    plan = floorplans.add_floor_plan(window.db, runner.detail.visit.institution_id, plan_file, name="门诊一层")
    runner.side_tabs.setCurrentWidget(runner.plan_panel)
    runner.plan_panel.set_context(runner.detail.visit.institution_id, visit_id, current_item_id=item_id)
    pin_id = runner.plan_panel.add_pin_at(0.25, 0.5)
    (pin,) = floorplans.list_pins(window.db, plan=plan.id)
    assert pin.id == pin_id and abs(pin.x - 0.25) < 0.02 and abs(pin.y - 0.5) < 0.02


def test_home_opens_the_institutions_floor_plans(window, qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ui.floorplan_view import FloorPlanPanel

    inst = institutions.add_institution(window.db, name="平面图医院", kind="general", level=2)
    plan_file = tmp_path / "plan.png"
    Image.new("RGB", (800, 600), (250, 250, 250)).save(plan_file)
    plan = floorplans.add_floor_plan(window.db, inst.id, plan_file, name="门诊楼一层")
    floorplans.add_pin(window.db, plan.id, kind="aed", x=0.5, y=0.5, label="大厅", status="ok")
    window.refresh()
    seen: list[FloorPlanPanel] = []
    monkeypatch.setattr(QDialog, "exec", lambda self: seen.extend(self.findChildren(FloorPlanPanel)) or 0)
    window.open_floor_plans()
    (panel,) = seen
    assert panel.current_plan_id() == plan.id
    qtbot.waitUntil(panel.is_loaded, timeout=10000)  # the image decodes in a worker
    assert len(panel.pin_items()) == 1


def test_a_refused_answer_says_not_saved_and_leaves_no_undo_step(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from auditapp.errors import DatabaseError

    visit_id = _start_visit(window, qtbot, monkeypatch)
    runner = window.runner
    item = runner.current_item_id()

    def locked(*_a, **_k):  # type: ignore[no-untyped-def]
        raise DatabaseError("the database is locked by another program")

    monkeypatch.setattr(visits, "answer_item", locked)
    qtbot.keyClick(runner.tree, Qt.Key.Key_2)
    assert _answers(window.db, visit_id)[item] is None
    assert runner.undo_stack.count() == 0
    assert window.saved_label.text() == "未保存"
    assert any("locked" in m for m in window.shown_messages)


def test_problem_list_catches_up_when_shown(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _start_visit(window, qtbot, monkeypatch)
    runner = window.runner
    runner.side_tabs.setCurrentWidget(runner.item_panel)
    before = runner.rectifications.row_count()
    qtbot.keyClick(runner.tree, Qt.Key.Key_2)  # a problem found while the list is hidden
    runner.side_tabs.setCurrentWidget(runner.rectifications)
    assert runner.rectifications.row_count() == before + 1
