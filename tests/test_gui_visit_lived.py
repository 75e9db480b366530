"""Issue 12, the GUI half: the visit as a hospital leader lives it.

Each test drives real widgets and fails without the fix it names: one window per data
folder, stale edits never overwrite, the window fits small screens and remembers itself,
deadlines can be typed, the keyboard always has somewhere to go, every message is worded
for the window, and the small things (▲, ≤, booked minutes, early patients, grey AEDs,
help, first start, TCM departments, patient-path order).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QToolBar

from auditapp.errors import InvalidInputError
from auditapp.services import institutions, journey, rectifications, visits
from gui_support import MessageLog, lock_in_subprocess, record_messages, start_visit
from ui import messages, window_state
from ui.app import create_application
from ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _english_again_afterwards():  # type: ignore[no-untyped-def]
    """Tests that switch the window to Chinese must not leave it so for the next test."""
    yield
    from ui.i18n import install_translator

    app = QApplication.instance()
    if app is not None:
        install_translator(app, "en")


@pytest.fixture
def log(monkeypatch: pytest.MonkeyPatch) -> MessageLog:
    return record_messages(monkeypatch)


@pytest.fixture
def window(qtbot, db, fixture_library, log):  # type: ignore[no-untyped-def]
    create_application(language="en")
    win = MainWindow(db, library=fixture_library)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def runner(window, monkeypatch):  # type: ignore[no-untyped-def]
    start_visit(window, monkeypatch)
    window.activateWindow()
    return window.runner


# --------------------------------------------------------------------------- 3. one window per folder


def test_a_second_window_on_the_same_data_folder_is_refused_and_brings_the_first_to_front(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    from ui.single_instance import InstanceGuard

    create_application(language="en")
    folder = tmp_path / "data"
    first = InstanceGuard(folder)
    assert first.acquire()
    second = InstanceGuard(folder)
    assert not second.acquire()  # the lock is held by a live process: refused
    # A second start (another process) asks the first window to come to the front.
    code = (
        "import sys\nfrom PySide6.QtCore import QCoreApplication\n"
        "from ui.single_instance import ask_first_window_to_activate\n"
        "app = QCoreApplication([])\n"
        f"print(ask_first_window_to_activate({str(folder)!r}, 10000))\n"
    )
    with qtbot.waitSignal(first.activateRequested, timeout=20000):
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=str(Path(__file__).parent.parent))
    out, _ = proc.communicate(timeout=30)
    assert out.strip() == "True"
    first.release()
    assert second.acquire()  # free again once the first window closed
    second.release()


def test_a_lock_left_by_a_crashed_app_does_not_block(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ui.single_instance import LOCK_NAME, InstanceGuard

    create_application(language="en")
    folder = tmp_path / "data"
    lock_in_subprocess(folder, hold=False)  # exits without unlocking, like a crash
    assert (folder / LOCK_NAME).exists()
    guard = InstanceGuard(folder)
    assert guard.acquire()
    guard.release()


def test_run_refuses_a_folder_held_by_an_unreachable_window_with_a_chinese_message(tmp_path, monkeypatch, log) -> None:  # type: ignore[no-untyped-def]
    from ui import app as app_module

    monkeypatch.setenv("AUDITAPP_LANG", "zh_CN")
    create_application(language="zh_CN")
    folder = tmp_path / "data"
    holder = lock_in_subprocess(folder, hold=True)  # holds the lock but listens on no socket
    try:
        assert app_module.run(data_dir=folder) == 1
    finally:
        holder.kill()
        holder.wait()
    (refusal,) = log.of("error")
    assert "数据文件夹正在使用中" in refusal.title
    assert str(folder) in refusal.text and "覆盖" in refusal.text
    assert "切换到已打开的窗口" in refusal.hint
    assert not (folder / "audit.sqlite3").exists()  # nothing was opened


# --------------------------------------------------------------------------- 3. stale edits: test_gui_problem_loop.py


def rect_of(db, finding_id: str):  # type: ignore[no-untyped-def]
    row = next(r for r in rectifications.list_rectifications(db) if r.finding.id == finding_id)
    return row.rectification


# --------------------------------------------------------------------------- 4. window size and state


@pytest.mark.parametrize(("screen", "maximized"), [((1366, 768), True), ((1280, 720), True), ((1920, 1080), False)])
def test_first_start_fits_the_window_to_the_screen(qtbot, db, fixture_library, log, monkeypatch, screen, maximized) -> None:  # type: ignore[no-untyped-def]
    create_application(language="en")
    area = QRect(0, 0, *screen)
    monkeypatch.setattr(window_state, "available_geometry", lambda _w: area)
    win = MainWindow(db, library=fixture_library)
    qtbot.addWidget(win)
    assert win.width() <= screen[0] and win.height() <= screen[1]
    win.show_restored()
    qtbot.waitExposed(win)
    assert win.isMaximized() is maximized


def test_geometry_maximized_state_and_splitters_are_remembered(qtbot, db, fixture_library, log, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    create_application(language="en")
    monkeypatch.setattr(window_state, "available_geometry", lambda _w: QRect(0, 0, 1920, 1080))
    win = MainWindow(db, library=fixture_library)
    qtbot.addWidget(win)
    win.show_restored()
    qtbot.waitExposed(win)
    win.resize(790, 550)  # the offscreen screen is 800×600
    splitter = win.home
    splitter.setSizes([300, 700])
    splitter.splitterMoved.emit(300, 1)  # as a drag of the handle does
    left = splitter.sizes()[0]
    win.close()
    assert window_state.ui_settings().value("mainWindow/maximized") == "false"

    again = MainWindow(db, library=fixture_library)
    qtbot.addWidget(again)
    again.show_restored()
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == (790, 550)
    assert again.home.sizes()[0] == left
    again.showMaximized()
    again.close()
    third = MainWindow(db, library=fixture_library)
    qtbot.addWidget(third)
    third.show_restored()
    qtbot.waitExposed(third)
    assert third.isMaximized()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_window_can_be_narrowed_to_half_a_wide_screen(qtbot, db, fixture_library, log, language) -> None:  # type: ignore[no-untyped-def]
    # One row of all eleven home buttons made ~1150 px the window's minimum width, so a
    # saved 790 px window came back 1155 px wide and could not be snapped beside another.
    create_application(language=language)
    win = MainWindow(db, library=fixture_library)
    qtbot.addWidget(win)
    assert win.minimumSizeHint().width() <= 790


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_item_list_keeps_room_at_1280_px(qtbot, db, fixture_library, log, monkeypatch, language) -> None:  # type: ignore[no-untyped-def]
    # The runner's tabs are as wide as their widest page (the floor plan's bar); at
    # 1280×720 in English that left the item list ~190 px, every question cut to a word.
    create_application(language=language)
    win = MainWindow(db, library=fixture_library)
    qtbot.addWidget(win)
    win.setGeometry(0, 0, 1280, 690)
    win.show()
    qtbot.waitExposed(win)
    start_visit(win, monkeypatch)
    qtbot.wait(50)
    assert win.runner.splitter.sizes()[0] >= 260


def _fully_visible(widget) -> bool:  # type: ignore[no-untyped-def]
    return widget.isVisible() and widget.visibleRegion().boundingRect().size() == widget.size()


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720)])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_main_action_is_visible_on_a_small_laptop_screen(qtbot, db, fixture_library, log, monkeypatch, size, language) -> None:  # type: ignore[no-untyped-def]
    app = create_application(language=language)
    win = MainWindow(db, library=fixture_library)
    qtbot.addWidget(win)
    win.setGeometry(0, 0, size[0], size[1] - 30)  # the frame and a panel take the rest
    win.show()
    qtbot.waitExposed(win)
    buttons = [b for b in win.home.findChildren(QPushButton)]
    assert len(buttons) >= 7
    start_visit(win, monkeypatch)
    win.show_home()
    qtbot.wait(50)
    hidden = [b.text() for b in buttons if not _fully_visible(b)]
    assert hidden == []
    win.open_selected_visit()
    qtbot.wait(50)
    toolbar = win.runner.toolbar
    actions = [a for a in toolbar.actions() if not a.isSeparator() and a.isVisible()]
    cut = [a.text() for a in actions if not _fully_visible(toolbar.widgetForAction(a))]
    assert cut == []
    for button in win.runner.item_panel.result_buttons.values():
        assert _fully_visible(button)
    del app


# --------------------------------------------------------------------------- 11. deadlines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-20", date(2026, 12, 20)),
        ("2026/12/20", date(2026, 12, 20)),
        ("2026.12.20", date(2026, 12, 20)),
        ("2026年12月20日", date(2026, 12, 20)),
        ("20261220", date(2026, 12, 20)),
        (" 2026/1/5 ", date(2026, 1, 5)),
        ("12-20", date(date.today().year, 12, 20)),
        ("", None),
    ],
)
def test_typed_deadlines_are_understood(text, expected) -> None:  # type: ignore[no-untyped-def]
    from ui.deadline_edit import parse_date

    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2026-13-01", "2026-02-30", "next week", "2026-12"])
def test_a_wrong_deadline_is_refused(text) -> None:  # type: ignore[no-untyped-def]
    from ui.deadline_edit import parse_date

    with pytest.raises(ValueError):
        parse_date(text)


@pytest.fixture
def rect_widget(qtbot, db, fixture_library):  # type: ignore[no-untyped-def]
    from ui.rectifications import RectificationsWidget

    create_application(language="en")
    inst = institutions.add_institution(db, name="乙医院", kind="general", level=2)
    visit = visits.start_visit(db, institution=inst.id, inspector="王", library=fixture_library)
    finding = visits.add_finding(db, visit.id, text="候诊区座椅不足")
    widget = RectificationsWidget(db)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.set_scope(visit_id=visit.id)
    widget.table.selectRow(0)
    widget.finding_id = finding.id  # type: ignore[attr-defined]
    return widget


def test_deadline_typed_with_slashes_plus_days_and_clear_are_saved(qtbot, db, rect_widget, log) -> None:  # type: ignore[no-untyped-def]
    edit = rect_widget.deadline_edit
    finding_id = rect_widget.finding_id
    qtbot.keyClicks(edit.line, "2026/12/20")
    qtbot.keyClick(edit.line, Qt.Key.Key_Return)
    assert rect_of(db, finding_id).deadline == date(2026, 12, 20)
    assert edit.line.text() == "2026-12-20"
    qtbot.mouseClick(edit.quick_buttons[15], Qt.MouseButton.LeftButton)
    assert rect_of(db, finding_id).deadline == date.today() + timedelta(days=15)
    qtbot.mouseClick(edit.quick_buttons[7], Qt.MouseButton.LeftButton)
    assert rect_of(db, finding_id).deadline == date.today() + timedelta(days=7)
    qtbot.mouseClick(edit.clear_button, Qt.MouseButton.LeftButton)
    assert rect_of(db, finding_id).deadline is None
    assert log.shown == []


def test_a_wrong_typed_deadline_stays_visible_in_red_and_saves_nothing(qtbot, db, rect_widget) -> None:  # type: ignore[no-untyped-def]
    edit = rect_widget.deadline_edit
    qtbot.keyClicks(edit.line, "2026-13-40")
    qtbot.keyClick(edit.line, Qt.Key.Key_Return)
    assert edit.line.text() == "2026-13-40" and edit.is_invalid()
    assert "2026-13-40" in edit.line.toolTip()
    assert rect_of(db, rect_widget.finding_id).deadline is None


def test_the_deadline_calendar_opens_at_today_plus_the_usual_term_not_in_2000(qtbot, rect_widget) -> None:  # type: ignore[no-untyped-def]
    from ui.deadline_edit import USUAL_TERM_DAYS

    edit = rect_widget.deadline_edit
    edit.open_calendar()
    expected = date.today() + timedelta(days=USUAL_TERM_DAYS)
    shown = edit.calendar.selectedDate()
    assert (shown.year(), shown.month(), shown.day()) == (expected.year, expected.month, expected.day)
    assert (edit.calendar.yearShown(), edit.calendar.monthShown()) == (expected.year, expected.month)
    edit.calendar.clicked.emit(edit.calendar.selectedDate())
    assert rect_of(rect_widget.db, rect_widget.finding_id).deadline == expected
    edit.calendar_menu.hide()


# --------------------------------------------------------------------------- 13. keyboard


def test_after_2_typing_goes_into_the_note_and_esc_returns_to_the_list(runner, window, qtbot) -> None:  # type: ignore[no-untyped-def]
    runner.tree.setFocus()
    item = runner.current_item_id()
    qtbot.keyClick(runner.tree, Qt.Key.Key_2)
    note = runner.item_panel.note_edit
    assert note.hasFocus()
    qtbot.keyClicks(QApplication.focusWidget(), "no soap")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert runner.tree.hasFocus()
    assert visits.item_view(window.db, runner.visit_id, item).answer.note == "no soap"  # saved on leaving
    assert runner.current_item_id() == item


def test_down_at_the_end_of_the_note_returns_to_the_list_but_moves_the_cursor_inside(runner, window, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(runner.tree, Qt.Key.Key_2)
    note = runner.item_panel.note_edit
    note.setPlainText("line one\nline two")
    note.moveCursor(note.textCursor().MoveOperation.Start)
    qtbot.keyClick(note, Qt.Key.Key_Down)  # inside the text: the cursor moves down a line
    assert note.hasFocus()
    note.moveCursor(note.textCursor().MoveOperation.End)
    qtbot.keyClick(note, Qt.Key.Key_Down)
    assert runner.tree.hasFocus()


def test_arrows_cross_section_headings_in_both_directions(runner, qtbot) -> None:  # type: ignore[no-untyped-def]
    runner.tree.setFocus()
    order = runner.order
    first_of_second_section = next(
        i for i in order if runner._item_nodes[i].parent() is not runner._item_nodes[order[0]].parent()
    )
    runner.select_item(first_of_second_section)
    qtbot.keyClick(runner.tree, Qt.Key.Key_Up)
    previous = order[order.index(first_of_second_section) - 1]
    assert runner.current_item_id() == previous  # not stuck on the heading
    qtbot.keyClick(runner.tree, Qt.Key.Key_Down)
    assert runner.current_item_id() == first_of_second_section


def test_home_and_end_go_to_the_first_and_last_item_from_the_list_and_from_a_button(runner, qtbot) -> None:  # type: ignore[no-untyped-def]
    runner.move(3)
    runner.focus_list()
    qtbot.keyClick(runner.tree, Qt.Key.Key_End)
    assert runner.current_item_id() == runner.order[-1]
    qtbot.keyClick(runner.tree, Qt.Key.Key_Home)
    assert runner.current_item_id() == runner.order[0]  # the first item, not its section heading
    runner.move(2)
    button = runner.item_panel.result_buttons["na"]
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Home)  # a button has no Home: the list takes it
    assert runner.current_item_id() == runner.order[0] and runner.tree.hasFocus()


def test_arrows_move_between_items_again_after_using_the_photo_strip(runner, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    item = runner.current_item_id()
    photo = tmp_path / "p.jpg"
    Image.new("RGB", (400, 300), (120, 130, 140)).save(photo)
    strip = runner.photo_strip
    strip.list.setFocus()
    with qtbot.waitSignal(strip.photosChanged, timeout=20000):
        strip.import_files([photo])
    qtbot.waitUntil(lambda: not strip.busy(), timeout=20000)
    assert runner.tree.hasFocus()  # focus came back to the list after the import
    strip.list.setFocus()  # and if the user clicks a photo, ↓ still walks the list
    qtbot.keyClick(strip.list, Qt.Key.Key_Down)
    assert runner.current_item_id() == runner.order[runner.order.index(item) + 1]
    assert runner.tree.hasFocus()
    strip.add_button.setFocus()  # a button of the strip: ↑ goes back an item
    qtbot.keyClick(strip.add_button, Qt.Key.Key_Up)
    assert runner.tree.hasFocus() and runner.current_item_id() == item
    button = runner.item_panel.result_buttons["conform"]  # answered with the mouse, then ↓
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Down)
    assert runner.current_item_id() == runner.order[runner.order.index(item) + 2]


def test_keys_on_a_finalized_visit_say_why_nothing_happens(runner, window, qtbot, log, dialogs) -> None:  # type: ignore[no-untyped-def]
    runner.finalize_now()
    before = visits.item_view(window.db, runner.visit_id, runner.current_item_id()).answer
    notice = runner.notice
    # Opening a finalized visit already says it is read-only, calmly, with the way out.
    assert notice.isVisible() and notice.level == "info"
    assert notice.action_button.text() == runner.amend_action.text()
    # The disabled Finalize button must not leave the focus in the search box.
    assert runner.tree.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2)
    assert runner.search_edit.text() == ""
    # Told in the bar, not in a modal box: the focus stays in the list.
    assert dialogs.seen == [] and log.shown == []
    assert notice.level == "warning" and "not made" in notice.label.text()
    assert runner.tree.hasFocus()
    qtbot.keyClicks(runner.item_panel.note_edit, "xy")  # typing into the note: the bar again, no box
    assert dialogs.seen == [] and notice.attempts == 3
    assert runner.item_panel.note_edit.toPlainText() == ""
    assert visits.item_view(window.db, runner.visit_id, runner.current_item_id()).answer == before


def test_the_amend_button_of_the_bar_asks_the_reason_and_then_keys_take(runner, window, qtbot, dialogs) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs import AmendReasonDialog

    first = runner.current_item_id()
    runner.finalize_now()
    qtbot.keyClick(runner.tree, Qt.Key.Key_2)
    dialogs.expect_dialog(AmendReasonDialog, lambda d: d.reason_edit.setText("复核后更正"))
    qtbot.mouseClick(runner.notice.action_button, Qt.MouseButton.LeftButton)
    assert runner.amendment_reason == "复核后更正"
    assert not runner.notice.isVisible() and not runner.amend_action.isVisible()
    assert runner.tree.hasFocus()
    qtbot.keyClick(runner.tree, Qt.Key.Key_2)
    assert visits.item_view(window.db, runner.visit_id, first).answer.result == "nonconform"


# --------------------------------------------------------------------------- 14. messages


def test_a_hint_naming_command_line_options_never_reaches_the_window(qtbot, log) -> None:  # type: ignore[no-untyped-def]
    legacy = InvalidInputError("the visit needs an inspector name", hint="Give --inspector NAME.")
    assert messages.error_texts(legacy) == ("the visit needs an inspector name", "")
    other = InvalidInputError("x", hint="Run 'auditapp visit show VISIT' to list the items.")
    assert messages.error_texts(other)[1] == ""
    kept = InvalidInputError("x", hint="Type the name in the field above.")
    assert messages.error_texts(kept)[1] == "Type the name in the field above."


def test_report_choices_are_refused_with_window_words_not_core_errors(qtbot, db, log) -> None:  # type: ignore[no-untyped-def]
    from ui.reports_dialog import ReportDialog

    create_application(language="en")
    dialog = ReportDialog(db)
    qtbot.addWidget(dialog)
    dialog.set_report_kind("summary")
    dialog._check_all(False)
    with pytest.raises(messages.UserMessage):
        dialog.report_args()
    dialog.generate()
    (refusal,) = log.of("error")
    assert refusal.text == dialog.tr("Choose at least one institution for the summary.")


def test_a_crashed_report_process_shows_an_apology_not_its_traceback(qtbot, db, log) -> None:  # type: ignore[no-untyped-def]
    from ui.reports_dialog import ReportDialog

    create_application(language="en")
    dialog = ReportDialog(db)
    qtbot.addWidget(dialog)
    # The last lines the report process wrote when ReportLab failed (seen on the walk).
    tail = (
        'File "/venv/lib/python3.11/site-packages/reportlab/platypus/doctemplate.py", line 962, in handle_flowable\n'
        "raise LayoutError(ident)\n"
        "reportlab.platypus.doctemplate.LayoutError: Flowable <Drawing at 0x7f06> too large on page 3"
    )
    from PySide6.QtCore import QProcess

    from ui.report_process import ReportProcess
    from ui.workers import run_op

    def finish(process: ReportProcess, stderr: list[str]) -> None:
        process.begin = lambda: None  # type: ignore[method-assign]  # no real child: its last words are given
        run_op(dialog, process, lambda _r: None, title="report")
        process._stderr = stderr
        process._conclude(1, QProcess.ExitStatus.NormalExit)

    finish(ReportProcess(Path(db.data_dir) / "x.pdf"), tail.splitlines())
    qtbot.waitUntil(lambda: bool(log.of("unexpected")), timeout=5000)
    (shown,) = log.of("unexpected")  # a crash is a bug: logged, apologised for
    assert "LayoutError" not in shown.text + shown.hint and "File \"" not in shown.text
    assert shown.text == messages.apology_text()[0]
    finish(ReportProcess(Path(db.data_dir) / "y.pdf"), ["No visit of this institution yet."])
    qtbot.waitUntil(lambda: bool(log.of("error")), timeout=5000)  # a message worded for people stays as it is
    assert log.of("error")[-1].text == "No visit of this institution yet."


def test_a_bug_in_a_worker_shows_an_apology_with_the_log_file_not_a_traceback(qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui import error_log
    from ui.workers import run_op

    create_application(language="en")
    shown: list[tuple[str, str, str]] = []

    class Box:
        def __init__(self, _icon, title, text, _buttons, _parent) -> None:  # type: ignore[no-untyped-def]
            self.title, self.text, self.info = title, text, ""

        def setInformativeText(self, text) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
            self.info = text

        def exec(self) -> int:
            shown.append((self.title, self.text, self.info))
            return 0

    fake = {
        "Icon": messages.QMessageBox.Icon,
        "StandardButton": messages.QMessageBox.StandardButton,
        "__new__": lambda cls, *a: Box(*a),
    }
    monkeypatch.setattr(messages, "QMessageBox", type("QMB", (), fake))
    path = error_log.setup_logging(tmp_path / "data")
    try:

        def op(_p, _c):  # type: ignore[no-untyped-def]
            raise KeyError("boom in the worker")

        done: list[bool] = []
        from PySide6.QtWidgets import QWidget

        parent = QWidget()
        qtbot.addWidget(parent)
        run_op(parent, op, lambda _r: None, title="t", on_finished=lambda: done.append(True))
        qtbot.waitUntil(lambda: bool(done), timeout=10000)
    finally:
        logging.getLogger().handlers[-1].flush()
    ((_title, text, info),) = shown
    assert "Traceback" not in text + info and "KeyError" not in text + info
    assert str(path) in info
    logged = Path(path).read_text(encoding="utf-8")
    assert "Traceback" in logged and "boom in the worker" in logged
    error_log.close_logging()


def test_an_uncaught_exception_in_a_slot_goes_to_the_apology_not_the_terminal(qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui import error_log

    apologies: list[BaseException] = []
    monkeypatch.setattr(messages, "show_unexpected", lambda _p, exc, context="": apologies.append(exc))
    path = error_log.setup_logging(tmp_path / "data")
    try:
        error_log._hook(ValueError, ValueError("bad slot"), None)
    finally:
        error_log.close_logging()
    assert len(apologies) == 1 and "ValueError" in apologies[0].__traceback_text__  # type: ignore[attr-defined]
    assert path is not None and path.parent.name == "logs"


def test_the_basis_shows_the_document_title_not_its_short_name(runner) -> None:  # type: ignore[no-untyped-def]
    text = runner.item_panel.basis_label.text()
    view = runner.views[runner.current_item_id()]
    short = view.item.basis[0].source
    title = runner.library.sources[short].title
    assert title in text and short not in text


def test_the_new_visit_dialog_lists_checklist_titles_without_ids(qtbot, db, fixture_library) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs import NewVisitDialog

    create_application(language="en")
    inst = institutions.add_institution(db, name="丙医院", kind="tcm", level=3)
    dialog = NewVisitDialog(db, fixture_library, inst)
    qtbot.addWidget(dialog)
    texts = [dialog.checklist_list.item(i).text() for i in range(dialog.checklist_list.count())]
    assert texts and not any(cid in t for t in texts for cid in ("basics", "tcm-extra"))


# --------------------------------------------------------------------------- 15. reports, toolbar, first start, files


def test_the_report_dialog_is_not_modal_and_the_preview_comes_to_the_front(
    window, qtbot, monkeypatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from auditapp.reports import api

    start_visit(window, monkeypatch)
    window.runner.open_reports()
    dialog = window.report_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    pdf = tmp_path / "list.pdf"
    api.render_rectification_list(window.db, window.runner.visit_id, pdf)
    from ui.report_process import ReportWritten

    dialog._generated(ReportWritten(pdf, 1))
    preview = dialog.preview_window
    qtbot.waitExposed(preview)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is preview, timeout=3000)
    assert not (preview.windowState() & Qt.WindowState.WindowMinimized)
    preview.close()
    dialog.close()


def test_toolbar_buttons_stay_put_when_the_undo_text_changes(runner, qtbot) -> None:  # type: ignore[no-untyped-def]
    toolbar: QToolBar = runner.toolbar
    finalize = toolbar.widgetForAction(runner.finalize_action)
    before = finalize.geometry()
    qtbot.keyClick(runner.tree, Qt.Key.Key_1)
    qtbot.keyClick(runner.tree, Qt.Key.Key_2)
    assert "Nonconform" in runner.undo_action.toolTip() or "不符合" in runner.undo_action.toolTip()
    assert finalize.geometry() == before
    runner.undo_action.trigger()
    assert finalize.geometry() == before


def test_first_start_asks_for_the_inspector_and_history_names_them(window, log, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from auditapp.settings import load_settings

    assert window.settings.inspector == ""
    log.answers["text"] = "  李院长 "
    window.ask_inspector_if_missing()
    assert [m.kind for m in log.shown] == ["ask"]
    assert window.settings.inspector == "李院长" and window.db.actor == "李院长"
    assert load_settings().inspector == "李院长"
    inst = institutions.add_institution(window.db, name="丁医院", kind="general", level=2)
    assert _actors(window.db, inst.id) == {"李院长"}
    window.ask_inspector_if_missing()  # asked once only
    assert len(log.of("ask")) == 1


def _actors(db, entity_id: str) -> set[str]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from auditapp.db.models import ChangeLogEntry

    with db.session() as session:
        return set(session.scalars(select(ChangeLogEntry.actor).where(ChangeLogEntry.entity_id == entity_id)))


def test_a_first_visit_gives_the_inspector_name_when_the_first_start_was_skipped(window, log, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    log.answers["text"] = None  # cancelled
    window.ask_inspector_if_missing()
    assert window.settings.inspector == ""
    start_visit(window, monkeypatch)  # the visit dialog names 王院长
    assert window.settings.inspector == "王院长" and window.db.actor == "王院长"


def test_the_photo_dialog_opens_in_the_folder_used_last(qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui.photos import strip as strip_module

    create_application(language="en")
    folder = tmp_path / "camera"
    folder.mkdir()
    asked: list[str] = []

    def fake(_parent, _title, directory, _filter, _selected, options):  # type: ignore[no-untyped-def]
        asked.append(directory)
        assert options & messages.QFileDialog.Option.DontUseNativeDialog
        return [str(folder / "a.jpg")], ""

    monkeypatch.setattr(messages.QFileDialog, "getOpenFileNames", fake)
    assert strip_module.choose_photo_files(None, "t", "*.jpg") == [folder / "a.jpg"]
    strip_module.choose_photo_files(None, "t", "*.jpg")
    assert asked[0] == str(Path.home()) and asked[1] == str(folder)


# --------------------------------------------------------------------------- 16. small things


def test_the_triangle_is_drawn_from_a_font_that_draws_it_full_size() -> None:
    app = create_application(language="zh_CN")
    layout = QTextLayout("医联体牵头医院（适用▲项目）", app.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = {run.rawFont().familyName(): run for run in layout.glyphRuns()}
    assert "AuditApp Symbols" in runs  # not WenQuanYi's half-size ▲
    triangle = runs["AuditApp Symbols"].rawFont()
    han = next(r.rawFont() for name, r in runs.items() if name != "AuditApp Symbols")
    t_box = triangle.boundingRect(triangle.glyphIndexesForString("▲")[0])
    h_box = han.boundingRect(han.glyphIndexesForString("中")[0])
    assert t_box.height() >= 0.8 * h_box.height()


def test_targets_read_with_mathematical_signs(runner) -> None:  # type: ignore[no-untyped-def]
    runner.select_item("basics.waiting.wait-time")
    text = runner.item_panel.target_label.text()
    assert "≤ 30" in text and "<=" not in text


def test_a_booked_time_is_stored_to_the_minute(runner, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    panel = runner.journey_panel
    monkeypatch.setattr(QDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    panel.stamp("booked")
    (step,) = journey.list_steps(window.db, runner.visit_id)
    assert (step.at.second, step.at.microsecond) == (0, 0)
    # the service too, for a time given with seconds
    at = datetime(2026, 5, 4, 9, 30, 52, tzinfo=UTC)
    journey.record_step(window.db, runner.visit_id, "booked", at=at)
    (step,) = journey.list_steps(window.db, runner.visit_id)
    assert step.at.replace(tzinfo=UTC) == at.replace(second=0)


def test_a_patient_seen_before_the_booked_time_reads_early_not_negative(runner, window) -> None:  # type: ignore[no-untyped-def]
    base = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    journey.record_step(window.db, runner.visit_id, "arrival", at=base - timedelta(minutes=40))
    journey.record_step(window.db, runner.visit_id, "booked", at=base)
    journey.record_step(window.db, runner.visit_id, "consultation", at=base - timedelta(minutes=26, seconds=36))
    panel = runner.journey_panel
    panel.refresh()
    cells = [panel.intervals_table.item(r, 1).text() for r in range(panel.intervals_table.rowCount())]
    assert "27 min early" in cells
    assert not any(c.startswith("-") for c in cells)


def test_interval_labels_follow_the_window_language(runner, window) -> None:  # type: ignore[no-untyped-def]
    base = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    journey.record_step(window.db, runner.visit_id, "registration", at=base)
    journey.record_step(window.db, runner.visit_id, "consultation", at=base + timedelta(minutes=45))
    panel = runner.journey_panel
    panel.refresh()
    labels = [panel.intervals_table.item(r, 0).text() for r in range(panel.intervals_table.rowCount())]
    assert labels[0] == "Registration / check-in → Seen by the doctor"
    assert labels[-1].startswith("Whole visit")
    assert not any("全程" in text or "挂号" in text for text in labels)


def test_help_menu_has_the_shortcuts_and_a_guide_in_both_languages(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui.help import GuideDialog, ShortcutsDialog, guide_markdown

    monkeypatch.setattr(QDialog, "exec", lambda self: 0)
    window.shortcuts_action.trigger()
    table = window.shortcuts_dialog.table
    keys = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert {"1", "2", "3", "Esc", "Ctrl+Z / Ctrl+Shift+Z"} <= set(keys)
    window.guide_action.trigger()
    assert isinstance(window.guide_dialog, GuideDialog) and isinstance(window.shortcuts_dialog, ShortcutsDialog)
    assert "First start" in window.guide_dialog.browser.toPlainText()
    assert "第一次使用" in guide_markdown("zh_CN") and "First start" in guide_markdown("en")


def test_the_empty_home_screen_says_what_to_do_first(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert window.empty_hint.isVisible()
    assert "New institution" in window.empty_hint.text()
    start_visit(window, monkeypatch)
    window.show_home()
    assert not window.empty_hint.isVisible()


def test_an_institution_without_visits_says_how_to_start_one(window, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    institutions.add_institution(db, name="戊医院", kind="general", level=2)
    window.refresh()
    assert window.no_visit_hint.isVisible() and "Start a new visit" in window.no_visit_hint.text()


def test_a_tcm_hospital_gets_tcm_departments_by_default(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs import InstitutionDialog

    create_application(language="en")
    dialog = InstitutionDialog(db, None)
    qtbot.addWidget(dialog)
    general = dialog.departments_edit.toPlainText().splitlines()
    assert "门诊部" in general and "治未病科" not in general
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("tcm"))
    tcm = dialog.departments_edit.toPlainText().splitlines()
    assert {"中医科", "针灸推拿科", "治未病科", "中药房"} <= set(tcm)
    dialog.departments_edit.setPlainText("门诊部\n自己写的科室")  # typed by hand: kept
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("general"))
    assert dialog.departments_edit.toPlainText() == "门诊部\n自己写的科室"


def test_default_departments_follow_the_kind_in_the_service() -> None:
    assert "中药房" in institutions.default_departments("tcm")
    assert "中药房" in institutions.default_departments("integrated")
    assert "中药房" not in institutions.default_departments("general")
    assert "妇产科" in institutions.default_departments("general", has_obstetrics=True)


def test_the_item_list_keeps_the_services_order_even_when_sections_come_back(window, monkeypatch, qtbot) -> None:  # type: ignore[no-untyped-def]
    real = visits.visit_detail

    def path_order(db, ref):  # type: ignore[no-untyped-def]
        from dataclasses import replace

        detail = real(db, ref)
        items = list(detail.items)
        # The patient path goes to the toilets between two entrance items.
        entrance = [v for v in items if v.section_id == "entrance"]
        toilets = [v for v in items if v.section_id == "toilets"]
        rest = [v for v in items if v.section_id not in ("entrance", "toilets")]
        return replace(detail, items=[entrance[0], toilets[0], entrance[1], *toilets[1:], *rest])

    monkeypatch.setattr(visits, "visit_detail", path_order)
    start_visit(window, monkeypatch)
    runner = window.runner
    expected = [v.item.id for v in path_order(window.db, runner.visit_id).items]
    shown = []
    for s in range(runner.tree.topLevelItemCount()):
        section = runner.tree.topLevelItem(s)
        shown += [section.child(i).data(0, Qt.ItemDataRole.UserRole) for i in range(section.childCount())]
    assert shown == expected == runner.order
    headings = [runner.tree.topLevelItem(s).text(0) for s in range(3)]
    assert "门诊入口" in headings[0] and "卫生间" in headings[1] and "门诊入口" in headings[2]


def test_the_dashboard_duty_and_report_preview_windows_fit_a_1280x720_screen(
    qtbot, db, fixture_library, log, monkeypatch, tmp_path,
) -> None:  # type: ignore[no-untyped-def]
    # The dashboard opened 1280×740 and hid its export buttons below a 720 px screen.
    from ui.dashboard import DashboardWindow
    from ui.duty_view import DutyMatrixWidget
    from ui.reports_dialog import PdfPreviewWindow

    create_application(language="en")
    area = QRect(0, 0, 1280, 720)
    monkeypatch.setattr(window_state, "available_geometry", lambda _w: area)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"")
    main = MainWindow(db, library=fixture_library)
    qtbot.addWidget(main)
    main.open_dashboard()
    assert isinstance(main.dashboard_window, DashboardWindow)
    windows = [main.dashboard_window, DutyMatrixWidget(db), PdfPreviewWindow(pdf)]
    for win in windows:
        qtbot.addWidget(win)
        assert win.width() <= area.width() and win.height() + window_state.FRAME_ALLOWANCE[1] <= area.height(), win
    for win in windows[:2]:
        qtbot.waitUntil(lambda w=win: not w.busy(), timeout=30_000)
