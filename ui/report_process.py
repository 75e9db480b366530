"""Reports are written by a separate ``auditapp report …`` process, not a thread.

ReportLab is pure-Python CPU work: in a worker thread it competes with the window for
the interpreter lock, and the event loop stalled 50–300 ms at a time. A process has its
own interpreter, so the window stays responsive; the command line prints progress lines
and the result, which this class turns into signals. The PDF is written under a
temporary name and renamed only on success, so a cancelled or failed run never leaves a
half-written file where the user expects a report.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal

_PROGRESS = re.compile(r"^progress (\d+) (\d+)$")
_WROTE = re.compile(r"^wrote .* \((\d+) pages")


def auditapp_command() -> list[str]:
    """How to run the command line: the bundle's own executable, or this Python with -m."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "auditapp"]


def partial_path(out: Path) -> Path:
    return out.with_name(out.stem + ".partial" + out.suffix)


class ReportProcess(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(str, int)  # final path, pages
    failed = Signal(str)  # the command line's message
    cancelled = Signal()
    finished = Signal()

    def __init__(self, out: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.out = out
        self.partial = partial_path(out)
        self.process = QProcess(self)
        self.process.readyReadStandardError.connect(self._read_stderr)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._error)
        self._stderr: list[str] = []
        self._stdout = ""
        self._cancelled = False
        self._done = False

    def start(self, data_dir: Path, report_args: list[str], *, checklists_dir: Path | None = None) -> None:
        """``report_args`` is everything after ``auditapp report``, with ``-o`` added here."""
        env = QProcessEnvironment.systemEnvironment()
        env.insert("PYTHONIOENCODING", "utf-8")
        if checklists_dir is not None:
            env.insert("AUDITAPP_CHECKLISTS_DIR", str(checklists_dir))
        if not getattr(sys, "frozen", False):
            # Run the same code as this window, from a checkout or an installed package alike.
            root = str(Path(__file__).resolve().parent.parent)
            env.insert("PYTHONPATH", root + os.pathsep + env.value("PYTHONPATH", ""))
        self.process.setProcessEnvironment(env)
        self.partial.parent.mkdir(parents=True, exist_ok=True)
        command = auditapp_command()
        args = [*command[1:], "--data-dir", str(data_dir), "report", *report_args, "-o", str(self.partial), "--progress"]
        self.process.start(command[0], args)

    def cancel(self) -> None:
        if self.process.state() != QProcess.ProcessState.NotRunning:
            self._cancelled = True
            self.process.kill()

    def is_running(self) -> bool:
        return self.process.state() != QProcess.ProcessState.NotRunning

    def _read_stderr(self) -> None:
        text = bytes(self.process.readAllStandardError().data()).decode("utf-8", "replace")
        for line in text.splitlines():
            match = _PROGRESS.match(line.strip())
            if match:
                self.progressed.emit(int(match.group(1)), int(match.group(2)))
            elif line.strip():
                self._stderr.append(line.strip())

    def _finished(self, code: int, status: QProcess.ExitStatus) -> None:
        self._read_stderr()
        stdout = bytes(self.process.readAllStandardOutput().data()).decode("utf-8", "replace")
        self._conclude(code, status, stdout)

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._stderr.append(f"cannot start {auditapp_command()[0]}: {self.process.errorString()}")
            self._conclude(1, QProcess.ExitStatus.CrashExit, "")

    def _conclude(self, code: int, status: QProcess.ExitStatus, stdout: str) -> None:
        if self._done:
            return
        self._done = True
        wrote = next((m for m in (_WROTE.match(line) for line in stdout.splitlines()) if m), None)
        if self._cancelled:
            self.partial.unlink(missing_ok=True)
            self.cancelled.emit()
        elif code == 0 and status == QProcess.ExitStatus.NormalExit and wrote and self.partial.exists():
            os.replace(self.partial, self.out)
            self.succeeded.emit(str(self.out), int(wrote.group(1)))
        else:
            self.partial.unlink(missing_ok=True)
            message = "\n".join(line.removeprefix("auditapp: error: ") for line in self._stderr[-6:])
            self.failed.emit(message or f"the report process ended with code {code}")
        self.finished.emit()
