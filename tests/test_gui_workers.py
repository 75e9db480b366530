"""ui.workers.run_op: the one way the window runs background work.

What it promises: the result reaches ``on_success`` on the GUI thread while the widget
exists and never after; Cancel in its progress dialog reaches the op's CancelToken and
ends in ``on_cancelled`` (not an error); the user's errors go to ``on_error``; a bug is
logged with its traceback and shown as a short apology.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from auditapp.errors import InvalidInputError
from auditapp.progress import CancelToken, Progress
from ui import messages
from ui.workers import db_pool, run_op, running_ops


@pytest.fixture
def parent(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _outcomes() -> dict[str, list[Any]]:
    return {"success": [], "error": [], "cancelled": [], "finished": []}


def _run(parent: QWidget, op: Any, seen: dict[str, list[Any]], **kwargs: Any) -> Any:
    return run_op(
        parent, op, seen["success"].append,
        on_error=seen["error"].append, on_cancelled=lambda: seen["cancelled"].append(True),
        on_finished=lambda: seen["finished"].append(True), **kwargs,
    )


def test_the_result_arrives_on_the_gui_thread(qtbot: Any, parent: QWidget) -> None:
    seen = _outcomes()
    threads: list[threading.Thread] = []

    def op(_progress: Progress, _token: CancelToken) -> int:
        threads.append(threading.current_thread())
        return 42

    handle = _run(parent, op, seen)
    assert running_ops(parent) == [handle]
    qtbot.waitUntil(lambda: bool(seen["finished"]), timeout=5000)
    assert seen["success"] == [42] and not seen["error"] and not seen["cancelled"]
    assert threads and threads[0] is not threading.main_thread()
    assert running_ops(parent) == []


def test_cancel_in_the_progress_dialog_reaches_the_token(qtbot: Any, parent: QWidget) -> None:
    seen = _outcomes()
    started = threading.Event()

    def op(progress: Progress, token: CancelToken) -> None:
        started.set()
        for n in range(500):
            token.raise_if_cancelled()
            progress(n, 500, "")
            threading.Event().wait(0.01)
        raise AssertionError("never cancelled")

    parent.show()
    handle = _run(parent, op, seen, progress="Working…", total=500)
    assert handle.dialog is not None
    started.wait(5)
    qtbot.waitUntil(lambda: handle.dialog is not None and handle.dialog.isVisible(), timeout=5000)
    cancel_button = handle.dialog.findChild(QPushButton)
    assert cancel_button is not None
    cancel_button.click()
    qtbot.waitUntil(lambda: bool(seen["finished"]), timeout=5000)
    assert seen["cancelled"] == [True] and not seen["error"] and not seen["success"]


def test_the_users_error_goes_to_on_error_with_its_code(qtbot: Any, parent: QWidget) -> None:
    seen = _outcomes()

    def op(_progress: Progress, _token: CancelToken) -> None:
        raise InvalidInputError("visit.inspector_missing")

    _run(parent, op, seen)
    qtbot.waitUntil(lambda: bool(seen["finished"]), timeout=5000)
    (error,) = seen["error"]
    assert isinstance(error, InvalidInputError) and error.code == "visit.inspector_missing"


def test_a_bug_is_apologised_for_not_handed_to_on_error(qtbot: Any, parent: QWidget, monkeypatch: Any) -> None:
    seen = _outcomes()
    apologies: list[tuple[BaseException, str]] = []
    monkeypatch.setattr(messages, "show_unexpected", lambda _p, exc, context="": apologies.append((exc, context)))

    def op(_progress: Progress, _token: CancelToken) -> None:
        raise ZeroDivisionError("a bug")

    _run(parent, op, seen, title="Saving")
    qtbot.waitUntil(lambda: bool(seen["finished"]), timeout=5000)
    assert not seen["error"] and not seen["success"]
    ((exc, context),) = apologies
    assert isinstance(exc, ZeroDivisionError) and context == "Saving"
    assert "ZeroDivisionError" in exc.__traceback_text__  # type: ignore[attr-defined]


def test_no_callback_reaches_a_deleted_widget(qtbot: Any) -> None:
    seen = _outcomes()
    release = threading.Event()
    tokens: list[CancelToken] = []

    def op(_progress: Progress, token: CancelToken) -> str:
        tokens.append(token)
        release.wait(5)
        return "late"

    widget = QWidget()
    _run(widget, op, seen)
    qtbot.waitUntil(lambda: bool(tokens), timeout=5000)
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # the deferred delete happens now
    assert not shiboken6.isValid(widget)
    assert tokens[0].cancelled  # the op is asked to stop: nobody wants its result
    release.set()
    db_pool().waitForDone(5000)
    qtbot.wait(100)  # the job's queued signals are delivered (to nobody)
    assert seen == _outcomes()


def test_after_a_shown_progress_dialog_the_result_finds_the_keyboard_where_it_was(qtbot: Any, monkeypatch: Any) -> None:
    """The dialog took the window's activation; the handler runs once the window has it back.

    (The visit runner hands the keys from the photo strip back to the item list after an
    import: it must see the strip focused, not nothing.)
    """
    import ui.workers

    monkeypatch.setattr(ui.workers, "PROGRESS_DELAY_MS", 0)  # the dialog shows at once
    window = QWidget()
    qtbot.addWidget(window)
    field = QPushButton("field", window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=5000)
    seen: list[object] = []
    release = threading.Event()

    def op(_progress: Progress, _token: CancelToken) -> None:
        release.wait(5)

    handle = run_op(window, op, lambda _r: seen.append(QApplication.focusWidget()), progress="Working…")
    qtbot.waitUntil(lambda: handle.dialog is not None and handle.dialog.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is handle.dialog, timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [field]
