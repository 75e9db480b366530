"""Reports are written by a separate ``auditapp report …`` process, not a thread.

ReportLab is pure-Python CPU work: in a worker thread it competes with the window for
the interpreter lock, and the event loop stalled 50–300 ms at a time. A process has its
own interpreter, so the window stays responsive. With ``--progress`` the command line
prints JSON lines on stdout — ``{"event": "progress", "done": 3, "total": 10}``, then
``{"event": "result", "path": …, "pages": …}`` or ``{"event": "error", "code": …,
"message": …, "gui_hint": …}`` (see ``auditapp/cli/report.py``) — which this class turns
into the :class:`ui.workers.JobSignals` every background job has, so the window runs it
with ``run_op`` like any other operation: success is a :class:`ReportWritten`, the
command's own error a :class:`~ui.messages.UserMessage`, a crash a
:class:`ReportCrashError` (a bug: logged, apologised for). stderr is only read when the
process died without saying why. The PDF is written under a temporary name and renamed
only on success, so a cancelled or failed run never leaves a half-written file where the
user expects a report.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer

from auditapp.errors import AuditAppError
from auditapp.language import LANGUAGE_ENV, current_language
from auditapp.terms import Words
from ui.messages import UserMessage
from ui.workers import JobSignals

_ERROR_PREFIXES = ("auditapp: error: ", "auditapp: 错误：")


@dataclass(frozen=True)
class ReportWritten:
    path: Path
    pages: int


class ReportCrashError(Exception):
    """The report process died with a traceback or an exception's repr: a bug, not a message."""

    def __init__(self, text: str) -> None:
        super().__init__("the report process failed")
        self.__traceback_text__ = text


def looks_like_a_bug(message: str) -> bool:
    """A traceback or an exception's repr rather than a message worded for people."""
    return "Traceback (most recent call last)" in message or bool(
        re.search(
            r'^\s*File ".*", line \d+|^[\w.]+(Error|Exception)\b|the report process ended with code',
            message,
            re.MULTILINE,
        )
    )


def failure(text: str, hint: str = "") -> BaseException:
    """What the report process's last words mean: a message for people, or a bug."""
    return ReportCrashError(text) if looks_like_a_bug(text) else UserMessage(text, hint)


def auditapp_command() -> list[str]:
    """How to run the command line: the bundle's own executable, or this Python with -m."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "auditapp"]


def partial_path(out: Path) -> Path:
    return out.with_name(out.stem + ".partial" + out.suffix)


class ReportProcess(QObject):
    """One ``auditapp report …`` run: a :class:`ui.workers.ChildJob` for ``run_op``.

    Configure with :meth:`prepare`; ``run_op`` calls :meth:`begin` and :meth:`cancel`.
    """

    def __init__(self, out: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.signals = JobSignals(self)
        self._start_args: tuple[Path, list[str], Path | None] | None = None
        self.out = out
        self.partial = partial_path(out)
        self.process = QProcess(self)
        self.process.readyReadStandardOutput.connect(self._read_stdout)
        self.process.readyReadStandardError.connect(self._read_stderr)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._error_occurred)
        self._stderr: list[str] = []
        self._pending = b""  # stdout bytes after the last complete line
        self._result: dict[str, Any] | None = None
        self._error: dict[str, Any] | None = None
        self._cancelled = False
        self._done = False

    def prepare(self, data_dir: Path, report_args: list[str], *, checklists_dir: Path | None = None) -> ReportProcess:
        """What :meth:`begin` will run; returns self, for ``run_op(parent, process.prepare(…), …)``."""
        self._start_args = (data_dir, report_args, checklists_dir)
        return self

    def begin(self) -> None:
        assert self._start_args is not None, "prepare() first"
        data_dir, report_args, checklists_dir = self._start_args
        self.start(data_dir, report_args, checklists_dir=checklists_dir)

    def start(self, data_dir: Path, report_args: list[str], *, checklists_dir: Path | None = None) -> None:
        """``report_args`` is everything after ``auditapp report``, with ``-o`` added here.

        The report is written under a temporary name and renamed onto :attr:`out` at the
        end, so :attr:`out` itself is checked here by the command line's rule for output
        files: a folder or a device node (``/dev/null``) must never be replaced.
        """
        from auditapp.cli.types import check_output_file

        with contextlib.suppress(OSError):  # the check below says what is wrong with the folder
            self.out.parent.mkdir(parents=True, exist_ok=True)
        try:
            check_output_file(str(self.out), Words("保存位置", "Save to"))
        except AuditAppError as exc:
            refusal = UserMessage(exc.message(), exc.hint(audience="gui"))
            QTimer.singleShot(0, lambda: self._refuse(refusal))
            return
        env = QProcessEnvironment.systemEnvironment()
        env.insert("PYTHONIOENCODING", "utf-8")
        # Messages in the window's language, whatever the environment says.
        env.insert(LANGUAGE_ENV, current_language())
        if checklists_dir is not None:
            env.insert("AUDITAPP_CHECKLISTS_DIR", str(checklists_dir))
        if not getattr(sys, "frozen", False):
            # Run the same code as this window, from a checkout or an installed package alike.
            root = str(Path(__file__).resolve().parent.parent)
            env.insert("PYTHONPATH", root + os.pathsep + env.value("PYTHONPATH", ""))
        self.process.setProcessEnvironment(env)
        command = auditapp_command()
        args = [*command[1:], "--data-dir", str(data_dir), "report", *report_args, "-o", str(self.partial), "--progress"]
        self.process.start(command[0], args)

    def cancel(self) -> None:
        if self.process.state() != QProcess.ProcessState.NotRunning:
            self._cancelled = True
            self.process.kill()

    def is_running(self) -> bool:
        return self.process.state() != QProcess.ProcessState.NotRunning

    def _read_stdout(self) -> None:
        self._pending += bytes(self.process.readAllStandardOutput().data())
        *lines, self._pending = self._pending.split(b"\n")
        for line in lines:
            self._event(line)

    def _event(self, line: bytes) -> None:
        try:
            event = json.loads(line.decode("utf-8", "replace"))
        except ValueError:
            return  # not one of ours (a stray print); the events are what count
        if not isinstance(event, dict):
            return
        kind = event.get("event")
        if kind == "progress":
            with contextlib.suppress(KeyError, TypeError, ValueError):
                self.signals.progressed.emit(int(event["done"]), int(event["total"]), "")
        elif kind == "result":
            self._result = event
        elif kind == "error":
            self._error = event

    def _read_stderr(self) -> None:
        text = bytes(self.process.readAllStandardError().data()).decode("utf-8", "replace")
        self._stderr.extend(line.strip() for line in text.splitlines() if line.strip())

    def _finished(self, code: int, status: QProcess.ExitStatus) -> None:
        self._read_stdout()
        if self._pending.strip():
            self._event(self._pending)
            self._pending = b""
        self._read_stderr()
        self._conclude(code, status)

    def _error_occurred(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._stderr.append(f"cannot start {auditapp_command()[0]}: {self.process.errorString()}")
            self._conclude(1, QProcess.ExitStatus.CrashExit)

    def _failure(self, code: int) -> BaseException:
        if self._error is not None:
            return UserMessage(str(self._error.get("message") or ""), str(self._error.get("gui_hint") or ""))
        return failure(self._failure_text(code))

    def _failure_text(self, code: int) -> str:
        lines = []
        for line in self._stderr[-6:]:
            for prefix in _ERROR_PREFIXES:
                line = line.removeprefix(prefix)
            lines.append(line)
        return "\n".join(lines) or f"the report process ended with code {code}"

    def _refuse(self, refusal: UserMessage) -> None:
        """Nothing was started (and no temporary file made): say why."""
        if self._done:
            return
        self._done = True
        self.signals.failed.emit(refusal)
        self.signals.finished.emit()

    def _conclude(self, code: int, status: QProcess.ExitStatus) -> None:
        if self._done:
            return
        self._done = True
        if self._cancelled:
            self.partial.unlink(missing_ok=True)
            self.signals.cancelled.emit()
        elif code == 0 and status == QProcess.ExitStatus.NormalExit and self._result is not None and self.partial.exists():
            os.replace(self.partial, self.out)
            self.signals.succeeded.emit(ReportWritten(self.out, int(self._result.get("pages") or 0)))
        else:
            self.partial.unlink(missing_ok=True)
            self.signals.failed.emit(self._failure(code))
        self.signals.finished.emit()
