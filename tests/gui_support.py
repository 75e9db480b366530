"""Helpers for GUI tests: every message box recorded instead of shown, a main window on a
fresh data folder, a visit started through the real dialogs.

(Kept beside conftest.py until the shared fixtures there cover the same ground.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from auditapp.errors import AuditAppError
from ui import messages


@dataclass
class Shown:
    """One message the user would have seen: kind, title, text, hint."""

    kind: str
    title: str
    text: str
    hint: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}: {self.text} | {self.hint}"


@dataclass
class MessageLog:
    shown: list[Shown] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)  # ask_yes_no / ask_text replies by kind

    def texts(self) -> str:
        return "\n".join(str(m) for m in self.shown)

    def of(self, kind: str) -> list[Shown]:
        return [m for m in self.shown if m.kind == kind]


def record_messages(monkeypatch: pytest.MonkeyPatch) -> MessageLog:
    """Replace every message function of ui.messages with a recorder."""
    log = MessageLog()

    def error(_parent: Any, title: str, err: AuditAppError | messages.UserMessage | str) -> None:
        text, hint = messages.error_texts(err)
        log.shown.append(Shown("error", title, text, hint))

    def unexpected(_parent: Any, exc: BaseException, *, context: str = "") -> None:
        messages.log.error("unexpected error (%s)", context, exc_info=(type(exc), exc, exc.__traceback__))
        text, hint = messages.apology_text()
        log.shown.append(Shown("unexpected", "", text, hint))

    monkeypatch.setattr(messages, "show_error", error)
    monkeypatch.setattr(messages, "show_unexpected", unexpected)
    monkeypatch.setattr(
        messages, "show_text_error", lambda _p, title, text, hint="": log.shown.append(Shown("error", title, text, hint))
    )
    monkeypatch.setattr(messages, "show_info", lambda _p, title, text: log.shown.append(Shown("info", title, text)))
    monkeypatch.setattr(
        messages, "show_warning", lambda _p, title, text, hint="": log.shown.append(Shown("warning", title, text, hint))
    )
    monkeypatch.setattr(
        messages,
        "ask_yes_no",
        lambda _p, title, text, default_yes=False: (log.shown.append(Shown("question", title, text)), log.answers.get("yes_no", True))[1],
    )
    monkeypatch.setattr(
        messages,
        "ask_text",
        lambda _p, title, label, text="": (log.shown.append(Shown("ask", title, label)), log.answers.get("text"))[1],
    )
    return log


def accept_dialog_with(monkeypatch: pytest.MonkeyPatch, dialog_cls: type[QDialog], fill: Any) -> None:
    """Replace exec() so the dialog is filled by ``fill`` and accepted like a user would."""

    def exec_(self: QDialog) -> int:
        fill(self)
        self.accept()
        return QDialog.DialogCode.Accepted if self.result() == QDialog.DialogCode.Accepted else QDialog.DialogCode.Rejected

    monkeypatch.setattr(dialog_cls, "exec", exec_)


def start_visit(window: Any, monkeypatch: pytest.MonkeyPatch, *, name: str = "体验测试中医院", kind: str = "tcm") -> str:
    """New institution and new visit through their dialogs; returns the visit id."""
    from auditapp.services import visits
    from ui.dialogs import InstitutionDialog, NewVisitDialog

    def fill_institution(d: Any) -> None:
        d.name_edit.setText(name)  # QTest cannot type CJK; an input method would
        d.kind_combo.setCurrentIndex(d.kind_combo.findData(kind))

    accept_dialog_with(monkeypatch, InstitutionDialog, fill_institution)
    window.new_institution()
    accept_dialog_with(monkeypatch, NewVisitDialog, lambda d: d.inspector_edit.setText("王院长"))
    window.new_visit()
    inst = window.selected_institution()
    (visit,) = visits.list_visits(window.db, institution=inst.id)
    return visit.id


def lock_in_subprocess(folder: Path, *, hold: bool) -> Any:
    """A process that takes the window lock of ``folder``; ``hold`` keeps it running.

    Without ``hold`` it exits at once without unlocking, as a crashed app would.
    """
    import subprocess
    import sys

    from ui.single_instance import LOCK_NAME

    code = (
        "import os, sys, time\n"
        "from PySide6.QtCore import QCoreApplication, QLockFile\n"
        "app = QCoreApplication(['auditapp'])\n"
        f"lock = QLockFile({str(folder / LOCK_NAME)!r}); lock.setStaleLockTime(0)\n"
        "assert lock.tryLock(0)\n"
        "print('locked', flush=True)\n"
        + ("time.sleep(60)\n" if hold else "os._exit(0)\n")
    )
    folder.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    proc.stdout.close()
    assert line == "locked"
    if not hold:
        proc.wait(timeout=30)
    return proc
