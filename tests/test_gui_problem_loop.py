"""Issue 12, GUI of the problem loop: stale edits against real writes from elsewhere, the
department chosen after 不符合, amending a finalized visit, correcting and deleting
problems, deleting visits and institutions (and the trash), the rectification
lifecycle as buttons, and waits / AEDs / pins that become or point at problems."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import select

from auditapp.db.models import ChangeLogEntry
from auditapp.services import floorplans, institutions, journey, rectifications, trash, visits
from gui_support import MessageLog, accept_dialog_with, record_messages, start_visit
from ui.app import create_application
from ui.main_window import MainWindow
from ui.workers import db_pool


@pytest.fixture
def log(monkeypatch: pytest.MonkeyPatch) -> MessageLog:
    return record_messages(monkeypatch)


@pytest.fixture
def window(qtbot, db, fixture_library, log) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    create_application(language="en")
    win = MainWindow(db, library=fixture_library)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    QThreadPool.globalInstance().waitForDone(20000)
    db_pool().waitForDone(20000)
    QApplication.processEvents()


@pytest.fixture
def runner(window, monkeypatch):  # type: ignore[no-untyped-def]
    start_visit(window, monkeypatch)
    window.activateWindow()
    return window.runner


def _rect(db, finding_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in rectifications.list_rectifications(db) if r.finding.id == finding_id).rectification


def _problem_of(db, visit_id: str, item_id: str):  # type: ignore[no-untyped-def]
    return next(f for f in visits.visit_detail(db, visit_id).findings if f.item_id == item_id)


# --------------------------------------------------------------------------- stale edits, really


def test_a_note_saved_after_a_command_line_write_is_refused_and_nothing_is_lost(runner, window, qtbot, log) -> None:  # type: ignore[no-untyped-def]
    item = runner.current_item_id()
    qtbot.keyClick(runner.tree, Qt.Key.Key_2)
    # `auditapp visit answer … --note` while the window shows the item:
    visits.answer_item(window.db, runner.visit_id, item, note="命令行写入的备注")
    panel = runner.item_panel
    panel.note_edit.insertPlainText("窗口里写的备注")
    panel.flush_note()
    assert visits.item_view(window.db, runner.visit_id, item).answer.note == "命令行写入的备注"
    assert panel.note_edit.toPlainText() == "窗口里写的备注"
    assert "命令行写入的备注" in panel.stale_label.text()
    (warning,) = log.of("warning")
    assert "changed" in warning.text.lower() and "--" not in warning.hint


def test_undo_after_a_command_line_write_does_not_wipe_it(runner, window, qtbot, log) -> None:  # type: ignore[no-untyped-def]
    item = runner.current_item_id()
    qtbot.keyClick(runner.tree, Qt.Key.Key_2)
    visits.answer_item(window.db, runner.visit_id, item, note="命令行写入的备注")
    runner.undo_action.trigger()  # would clear the answer, with the command line's note
    assert visits.item_view(window.db, runner.visit_id, item).answer.note == "命令行写入的备注"
    assert log.of("warning")
    assert runner.item_panel.note_edit.toPlainText() == "命令行写入的备注"  # the newer version is shown


def test_a_rectification_edit_after_a_command_line_write_is_refused_and_the_typed_text_kept(qtbot, db, fixture_library, log) -> None:  # type: ignore[no-untyped-def]
    from ui.rectifications import RectificationsWidget

    create_application(language="en")
    inst = institutions.add_institution(db, name="甲医院", kind="general", level=2)
    visit = visits.start_visit(db, institution=inst.id, inspector="王", library=fixture_library)
    finding = visits.add_finding(db, visit.id, text="自助机旁无人指导")
    widget = RectificationsWidget(db)
    qtbot.addWidget(widget)
    widget.set_scope(visit_id=visit.id)
    widget.table.selectRow(0)
    rectifications.update_rectification(db, finding.id, owner="命令行填的负责人")  # `auditapp rectification update`
    widget.measures_edit.setPlainText("增派导医")
    widget._flush_measures()
    rect = _rect(db, finding.id)
    assert (rect.owner, rect.measures) == ("命令行填的负责人", "")
    assert widget.owner_edit.text() == "命令行填的负责人" and widget.measures_edit.toPlainText() == "增派导医"
    assert log.of("warning")
    widget._save_measures()  # saved knowingly, now against the version on screen
    assert _rect(db, finding.id).measures == "增派导医"


# --------------------------------------------------------------------------- 2. department


def test_the_department_chosen_after_2_reaches_the_problem_list_and_follows_later_changes(runner, window, qtbot, log) -> None:  # type: ignore[no-untyped-def]
    item = runner.current_item_id()
    qtbot.keyClick(runner.tree, Qt.Key.Key_2)
    combo = runner.item_panel.department_combo
    combo.lineEdit().setText("信息科")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    assert runner.current_item_id() == item  # Enter confirmed the field, it did not move on
    runner.side_tabs.setCurrentWidget(runner.rectifications)
    problems = runner.rectifications
    row = problems.model.row_of_finding(_problem_of(window.db, runner.visit_id, item).id)
    assert problems.model.row_at(row).rectification.department == "信息科"
    runner.side_tabs.setCurrentWidget(runner.item_panel)
    combo.setCurrentIndex(combo.findText("护理部"))
    combo.activated.emit(combo.currentIndex())
    runner.side_tabs.setCurrentWidget(runner.rectifications)
    row = problems.model.row_of_finding(_problem_of(window.db, runner.visit_id, item).id)
    assert problems.model.row_at(row).rectification.department == "护理部"
    assert _problem_of(window.db, runner.visit_id, item).department == "护理部"


# --------------------------------------------------------------------------- 6. amendment


def _finalized(runner, qtbot):  # type: ignore[no-untyped-def]
    first = runner.current_item_id()
    qtbot.keyClick(runner.tree, Qt.Key.Key_1)
    runner.finalize_now()
    runner.select_item(first)
    return first


def test_pressing_2_on_a_finalized_visit_offers_the_amendment_and_logs_the_reason(runner, window, qtbot, monkeypatch, log) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs import AmendReasonDialog

    first = _finalized(runner, qtbot)
    assert runner.amend_action.isVisible() and not runner.finalize_action.isVisible()
    accept_dialog_with(monkeypatch, AmendReasonDialog, lambda d: d.reason_edit.setText("第1项误点为符合"))
    qtbot.keyClick(runner.tree, Qt.Key.Key_2)
    assert log.shown == [] and runner.notice.level == "warning"  # said in the bar, no box
    qtbot.mouseClick(runner.notice.action_button, Qt.MouseButton.LeftButton)
    assert runner.amendment_reason == "第1项误点为符合"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2)  # now it takes
    assert visits.item_view(window.db, runner.visit_id, first).answer.result == "nonconform"
    assert "第1项误点为符合" in runner.title_label.text()
    with window.db.session() as session:
        reasons = set(session.scalars(select(ChangeLogEntry.reason).where(ChangeLogEntry.entity == "answers")))
    assert any("第1项误点为符合" in (r or "") for r in reasons)
    info = visits.get_visit(window.db, runner.visit_id)
    assert info.status == "finalized" and info.amended
    window.show_home()
    status = window.visit_model.index(0, window.visit_model.STATUS).data()
    assert status == "finalized, amended"  # the vocabulary's word for the status, and that it was amended


def test_declining_the_amendment_changes_nothing(runner, window, qtbot, log, dialogs) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs import AmendReasonDialog

    first = _finalized(runner, qtbot)
    qtbot.keyClick(runner.tree, Qt.Key.Key_2)
    dialogs.expect_dialog(AmendReasonDialog, lambda d: d.reason_edit.setText("不改了"), accept=False)
    qtbot.mouseClick(runner.notice.action_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(runner.tree, Qt.Key.Key_2)
    assert runner.amendment_reason is None
    assert visits.item_view(window.db, runner.visit_id, first).answer.result == "conform"
    assert not visits.get_visit(window.db, runner.visit_id).amended


def test_an_amendment_needs_a_reason(qtbot, db, fixture_library, log) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs import AmendReasonDialog

    create_application(language="en")
    inst = institutions.add_institution(db, name="乙医院", kind="general", level=2)
    visit = visits.start_visit(db, institution=inst.id, inspector="王", library=fixture_library)
    visits.finalize_visit(db, visit.id)
    dialog = AmendReasonDialog(db, visit.id)
    qtbot.addWidget(dialog)
    dialog.reason_edit.setText("   ")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.result_info is None
    assert log.of("error") and not visits.get_visit(db, visit.id).amended


# --------------------------------------------------------------------------- 7. problems, visits, trash


def test_a_free_problem_can_be_corrected_given_a_photo_deleted_and_restored(runner, window, qtbot, monkeypatch, log, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs import FreeFindingDialog

    def new_problem(d) -> None:  # type: ignore[no-untyped-def]
        d.text_edit.setPlainText("自助机旁无人指导")
        d.area_edit.setText("门诊大厅")

    accept_dialog_with(monkeypatch, FreeFindingDialog, new_problem)
    runner.finding_action.trigger()  # Ctrl+N
    (finding,) = [f for f in visits.visit_detail(window.db, runner.visit_id).findings if f.source == "free"]
    assert runner.side_tabs.currentWidget() is runner.rectifications
    problems = runner.rectifications
    assert problems.select_finding(finding.id)
    assert problems.edit_finding_button.isVisible() and problems.delete_finding_button.isVisible()

    def correct(d) -> None:  # type: ignore[no-untyped-def]
        assert d.text_edit.toPlainText() == "自助机旁无人指导"  # the dialog opens on the problem
        d.text_edit.setPlainText("自助机旁无人指导老年人")
        d.severity_combo.setCurrentIndex(d.severity_combo.findData("major"))

    accept_dialog_with(monkeypatch, FreeFindingDialog, correct)
    assert problems.edit_current_finding()
    fixed = next(f for f in visits.visit_detail(window.db, runner.visit_id).findings if f.id == finding.id)
    assert (fixed.text, fixed.severity) == ("自助机旁无人指导老年人", "major")

    photo = tmp_path / "kiosk.jpg"
    Image.new("RGB", (640, 480), (90, 100, 110)).save(photo)
    strip = problems.problem_photos
    assert strip.target() is not None and strip.target().finding_id == finding.id
    with qtbot.waitSignal(strip.photosChanged, timeout=20000):
        strip.import_files([photo])
    qtbot.waitUntil(lambda: not strip.busy(), timeout=20000)
    assert next(f for f in visits.visit_detail(window.db, runner.visit_id).findings if f.id == finding.id).photo_count == 1

    log.answers["yes_no"] = True
    assert problems.delete_current_finding()
    assert all(f.id != finding.id for f in visits.visit_detail(window.db, runner.visit_id).findings)
    assert problems.model.row_of_finding(finding.id) < 0
    problems.undo_delete_button.click()
    assert any(f.id == finding.id for f in visits.visit_detail(window.db, runner.visit_id).findings)


def test_a_checklist_problem_is_not_edited_as_a_free_one(runner, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(runner.tree, Qt.Key.Key_2)
    runner.side_tabs.setCurrentWidget(runner.rectifications)
    runner.rectifications.table.selectRow(0)
    assert not runner.rectifications.edit_finding_button.isVisible()
    assert runner.rectifications.problem_photos.target().item_id is not None  # its photos are the item's


def test_deleting_a_visit_asks_first_and_the_trash_brings_it_back(window, monkeypatch, log) -> None:  # type: ignore[no-untyped-def]
    from ui.trash_dialog import TrashDialog

    visit_id = start_visit(window, monkeypatch)
    window.show_home()
    log.answers["yes_no"] = False
    assert not window.delete_visit()
    assert visits.list_visits(window.db)
    log.answers["yes_no"] = True
    assert window.delete_visit()
    assert visits.list_visits(window.db) == [] and window.visit_model.rowCount() == 0
    question = log.of("question")[-1]
    assert "Trash" in question.text
    monkeypatch.setattr(TrashDialog, "exec", lambda self: 0)
    window.open_trash()
    dialog = window.trash_dialog
    assert [e.id for e in dialog.entries] == [visit_id]
    dialog.restore_selected()
    assert [v.id for v in visits.list_visits(window.db)] == [visit_id]
    assert window.visit_model.rowCount() == 1 and dialog.entries == []


def test_deleting_an_institution_takes_its_visits_to_the_trash(window, monkeypatch, log) -> None:  # type: ignore[no-untyped-def]
    start_visit(window, monkeypatch)
    window.show_home()
    log.answers["yes_no"] = True
    assert window.delete_institution()
    assert institutions.list_institutions(window.db) == [] and window.empty_hint.isVisible()
    assert [e.kind for e in trash.list_trash(window.db)] == ["institution"]


# --------------------------------------------------------------------------- 8. lifecycle as buttons


@pytest.fixture
def problems(qtbot, db, fixture_library, log):  # type: ignore[no-untyped-def]
    from ui.rectifications import RectificationsWidget

    create_application(language="en")
    inst = institutions.add_institution(db, name="丙医院", kind="general", level=2)
    visit = visits.start_visit(db, institution=inst.id, inspector="王", library=fixture_library)
    visits.add_finding(db, visit.id, text="候诊区座椅不足")
    widget = RectificationsWidget(db)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.set_scope(visit_id=visit.id)
    widget.table.selectRow(0)
    return widget


def test_only_the_steps_the_core_allows_are_buttons_and_a_refusal_shows_the_cores_words(problems, db, qtbot, log) -> None:  # type: ignore[no-untyped-def]
    finding = problems.current_finding_id()
    assert list(problems.action_buttons) == ["start", "report", "verify", "request_extension"]
    assert problems.action_buttons["report"].text() == "Report fixed"
    qtbot.mouseClick(problems.action_buttons["report"], Qt.MouseButton.LeftButton)  # no measures yet
    (refusal,) = log.of("error")
    assert _rect(db, finding).status == "open"
    assert refusal.text and "rectification." not in refusal.text  # the catalog's words, not a code
    problems.measures_edit.setPlainText("已增加座椅20把")
    qtbot.mouseClick(problems.action_buttons["report"], Qt.MouseButton.LeftButton)
    assert _rect(db, finding).status == "reported_fixed"
    assert set(problems.action_buttons) == {"verify", "reject"}


def test_verify_needs_evidence_and_reject_needs_a_reason(problems, db, qtbot, log) -> None:  # type: ignore[no-untyped-def]
    finding = problems.current_finding_id()
    problems.measures_edit.setPlainText("已增加座椅")
    qtbot.mouseClick(problems.action_buttons["report"], Qt.MouseButton.LeftButton)
    log.answers["text"] = None  # the reason is asked for, and the user cancels
    qtbot.mouseClick(problems.action_buttons["reject"], Qt.MouseButton.LeftButton)
    assert _rect(db, finding).status == "reported_fixed"
    log.answers["text"] = "现场仍缺座椅"
    qtbot.mouseClick(problems.action_buttons["reject"], Qt.MouseButton.LeftButton)
    rect = _rect(db, finding)
    assert (rect.status, rect.rounds) == ("in_progress", 1)
    history = rectifications.rectification_history(db, finding)
    assert history[-1].note == "现场仍缺座椅"
    assert "现场仍缺座椅" in problems.history_list.item(0).text()
    problems.note_edit.setText("复查：座椅已补足")
    qtbot.mouseClick(problems.action_buttons["verify"], Qt.MouseButton.LeftButton)
    assert _rect(db, finding).status == "verified"
    assert "close" in problems.action_buttons


def test_an_extension_asks_for_the_new_deadline(problems, db, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui import rectifications as module

    finding = problems.current_finding_id()
    wanted = date.today() + timedelta(days=40)
    monkeypatch.setattr(module, "ask_deadline", lambda _p, _t, _current: wanted)
    problems.note_edit.setText("需采购设备")
    qtbot.mouseClick(problems.action_buttons["request_extension"], Qt.MouseButton.LeftButton)
    rect = _rect(db, finding)
    assert (rect.status, rect.requested_deadline) == ("extension_requested", wanted)
    qtbot.mouseClick(problems.action_buttons["accept_extension"], Qt.MouseButton.LeftButton)
    assert _rect(db, finding).deadline == wanted


# --------------------------------------------------------------------------- 9. waits, AEDs, pins


def test_a_wait_over_30_minutes_becomes_a_problem_in_one_click(runner, window, qtbot, log) -> None:  # type: ignore[no-untyped-def]
    base = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    journey.record_step(window.db, runner.visit_id, "registration", at=base)
    journey.record_step(window.db, runner.visit_id, "consultation", at=base + timedelta(minutes=52))
    panel = runner.journey_panel
    panel.refresh()
    table = panel.intervals_table
    buttons = [table.cellWidget(r, 3) for r in range(table.rowCount()) if table.cellWidget(r, 3) is not None]
    assert len(buttons) == 1  # only the wait over its target offers it
    assert table.columnWidth(3) >= buttons[0].sizeHint().width()  # not cut at 1280 px
    before = len(visits.visit_detail(window.db, runner.visit_id).findings)
    buttons[0].click()
    after = visits.visit_detail(window.db, runner.visit_id).findings
    assert len(after) == before + 1
    assert log.of("info") and "52" in (after[-1].statement or after[-1].text)
    assert "Problems" in runner.counts_label.text()


@pytest.fixture
def plan_visit(runner, window, tmp_path):  # type: ignore[no-untyped-def]
    image = Image.new("RGB", (1200, 800), (250, 250, 246))
    ImageDraw.Draw(image).rectangle((30, 30, 1170, 770), outline=(60, 60, 60), width=6)
    path = tmp_path / "一层.png"
    image.save(path)
    floorplans.add_floor_plan(window.db, runner.detail.visit.institution_id, path, name="门诊一层")
    return runner


def _load_plan(runner, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = runner.plan_panel
    with qtbot.waitSignal(panel.planLoaded, timeout=20000):
        runner.side_tabs.setCurrentWidget(panel)
        runner._update_plan_context()


def test_a_faulty_aed_becomes_a_problem_in_one_click(plan_visit, window, qtbot, log) -> None:  # type: ignore[no-untyped-def]
    runner = plan_visit
    _load_plan(runner, qtbot)
    panel = runner.plan_panel
    panel.set_pin_kind("aed")
    pin = panel.add_pin_at(0.4, 0.4)
    panel.select_pin(pin)
    assert panel.aed_problem_button.isVisible() and not panel.aed_problem_button.isEnabled()  # not checked yet
    panel.set_pin_status(pin, "faulty")
    panel.select_pin(pin)
    assert panel.aed_problem_button.isEnabled()
    panel.aed_problem_button.click()
    findings = visits.visit_detail(window.db, runner.visit_id).findings
    assert any(f.source == "aed" for f in findings)
    assert floorplans.list_pins(window.db, plan=panel.current_plan_id())[0].finding_id is not None


def test_a_problem_pin_can_be_linked_to_any_problem_through_the_chooser(plan_visit, window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui.floorplan_view import LinkChooserDialog

    runner = plan_visit
    other = visits.add_finding(window.db, runner.visit_id, text="楼梯间堆放杂物")
    _load_plan(runner, qtbot)
    panel = runner.plan_panel
    panel.set_pin_kind("finding")
    pin = panel.add_pin_at(0.6, 0.5)
    panel.select_pin(pin)
    assert panel.choose_link_button.isVisible()

    def choose(d) -> None:  # type: ignore[no-untyped-def]
        d.search.setText("楼梯")
        visible = [d.list.item(i) for i in range(d.list.count()) if not d.list.item(i).isHidden()]
        assert len(visible) == 1
        assert d.select("finding", other.id)

    accept_dialog_with(monkeypatch, LinkChooserDialog, choose)
    assert panel.choose_link(pin)
    (linked,) = [p for p in floorplans.list_pins(window.db, plan=panel.current_plan_id()) if p.id == pin]
    assert linked.finding_id == other.id


# --------------------------------------------------------------------------- 16. carried-over count


def test_a_new_visit_shows_the_carried_over_problems_as_open(window, db, fixture_library) -> None:  # type: ignore[no-untyped-def]
    inst = institutions.add_institution(db, name="丁医院", kind="general", level=2)
    first = visits.start_visit(db, institution=inst.id, inspector="王", visit_date=date(2026, 10, 1), library=fixture_library)
    visits.add_finding(db, first.id, text="A")
    visits.add_finding(db, first.id, text="B")
    visits.start_visit(db, institution=inst.id, inspector="王", visit_date=date(2026, 11, 1), library=fixture_library)
    window.refresh()
    newest = window.visit_model.row_at(0)
    assert newest.visit_date == date(2026, 11, 1)
    assert window.visit_model.index(0, window.visit_model.OPEN).data() == "2"
