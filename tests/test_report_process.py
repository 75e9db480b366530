"""ui/report_process.py reads the JSON lines of ``auditapp report … --progress`` (no prose parsing)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QByteArray, QProcess

from ui.report_process import ReportProcess


def _feed(process: ReportProcess, monkeypatch: pytest.MonkeyPatch, chunks: list[bytes]) -> None:
    for chunk in chunks:
        monkeypatch.setattr(process.process, "readAllStandardOutput", lambda c=chunk: QByteArray(c))
        process._read_stdout()


def _record(process: ReportProcess) -> dict[str, list[Any]]:
    seen: dict[str, list[Any]] = {"progressed": [], "succeeded": [], "failed": [], "cancelled": []}
    process.signals.progressed.connect(lambda d, t, _text: seen["progressed"].append((d, t)))
    process.signals.succeeded.connect(lambda written: seen["succeeded"].append((str(written.path), written.pages)))
    process.signals.failed.connect(lambda exc: seen["failed"].append(str(exc)))
    process.signals.failed.connect(lambda exc: seen.setdefault("errors", []).append(exc))
    process.signals.cancelled.connect(lambda: seen["cancelled"].append(True))
    return seen


def _line(**event: Any) -> bytes:
    return (json.dumps(event, ensure_ascii=False) + "\n").encode("utf-8")


def test_progress_and_result_lines_split_anywhere(qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "整改清单.pdf"
    process = ReportProcess(out)
    seen = _record(process)
    stream = (
        _line(event="progress", done=1, total=3)
        + b"a stray line that is not JSON\n"
        + _line(event="progress", done=3, total=3)
        + _line(event="result", path=str(process.partial), pages=7, seconds=0.5)
    )
    _feed(process, monkeypatch, [stream[:10], stream[10:57], stream[57:]])  # cut inside lines and characters
    process.partial.write_bytes(b"%PDF-1.4")
    process._conclude(0, QProcess.ExitStatus.NormalExit)
    assert seen["progressed"] == [(1, 3), (3, 3)]
    assert seen["succeeded"] == [(str(out), 7)]
    assert out.exists() and not process.partial.exists()


def test_an_error_event_gives_the_message_and_the_gui_hint(qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    process = ReportProcess(tmp_path / "x.pdf")
    seen = _record(process)
    _feed(process, monkeypatch, [_line(event="error", code="x", message="找不到体验记录 abc", hint="cli words", gui_hint="请在列表中选择")])
    process.partial.write_bytes(b"half")
    process._conclude(1, QProcess.ExitStatus.NormalExit)
    assert seen["failed"] == ["找不到体验记录 abc\n请在列表中选择"]
    assert not process.partial.exists() and not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("prefix", ["auditapp: error: ", "auditapp: 错误："])
def test_without_events_the_last_stderr_lines_are_shown(qapp, tmp_path: Path, prefix: str) -> None:  # type: ignore[no-untyped-def]
    process = ReportProcess(tmp_path / "x.pdf")
    seen = _record(process)
    process._stderr = ["usage: auditapp report visit …", prefix + "argument -o: expected one argument"]
    process._conclude(2, QProcess.ExitStatus.NormalExit)
    assert seen["failed"] == ["usage: auditapp report visit …\nargument -o: expected one argument"]


def test_exit_0_without_a_result_event_is_a_failure(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    process = ReportProcess(tmp_path / "x.pdf")
    seen = _record(process)
    process.partial.write_bytes(b"%PDF")
    process._conclude(0, QProcess.ExitStatus.NormalExit)
    assert seen["succeeded"] == [] and seen["failed"] and not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("target", ["/dev/null", "FOLDER", "FILE/x.pdf"])
def test_a_target_that_is_not_a_plain_file_is_refused_before_starting(qtbot, tmp_path: Path, target: str) -> None:  # type: ignore[no-untyped-def]
    import stat

    (tmp_path / "FOLDER").mkdir()
    (tmp_path / "FILE").write_text("x")
    out = Path(target) if target.startswith("/") else tmp_path / target
    process = ReportProcess(out)
    seen = _record(process)
    with qtbot.waitSignal(process.signals.finished, timeout=5000):
        process.start(tmp_path / "data", ["visit", "abcd"])
    assert process.process.state() == QProcess.ProcessState.NotRunning and not process.process.processId()
    assert len(seen["failed"]) == 1 and str(out) in seen["failed"][0] and "Save to" in seen["failed"][0]
    assert "Browse" in seen["failed"][0] or "file name" in seen["failed"][0]
    assert not process.partial.exists()
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_traceback_on_stderr_is_a_bug_not_a_message(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A crash is handed on as a bug (run_op logs it and apologises), a usage error as words."""
    from ui.messages import UserMessage
    from ui.report_process import ReportCrashError

    process = ReportProcess(tmp_path / "x.pdf")
    seen = _record(process)
    process._stderr = ["Traceback (most recent call last):", 'File "x.py", line 3, in f', "KeyError: 'pages'"]
    process._conclude(1, QProcess.ExitStatus.NormalExit)
    (crash,) = seen["errors"]
    assert isinstance(crash, ReportCrashError) and "KeyError" in crash.__traceback_text__
    assert "KeyError" not in str(crash)
    process = ReportProcess(tmp_path / "x.pdf")
    seen = _record(process)
    process._stderr = ["auditapp: error: no visit abcd"]
    process._conclude(1, QProcess.ExitStatus.NormalExit)
    (message,) = seen["errors"]
    assert isinstance(message, UserMessage) and message.text == "no visit abcd"
