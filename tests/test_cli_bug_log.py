"""One bug log (auditapp.bug_log) for the command line and the window (ui.error_log uses it):
the same file, the same entry, passwords hidden, rotation, a fallback and an honest apology
when nothing can be written."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

import auditapp.bug_log
from auditapp.cli.registry import commands_of
from cli_support import InProcessCli, cli  # noqa: F401


@pytest.fixture
def window_log(data_dir: Path, qapp: Any) -> Any:
    from ui import error_log

    data_dir.mkdir(parents=True, exist_ok=True)
    error_log.setup_logging(data_dir)
    yield error_log
    error_log.close_logging()


def _boom(exc: BaseException) -> Any:
    def handler(ctx: Any) -> None:
        assert ctx.data_dir.is_dir()  # a bug while working on the data folder
        raise exc

    return handler


def test_the_command_line_and_the_window_write_one_log(
    cli: InProcessCli, window_log: Any, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    from ui import messages

    cmd = next(c for c in commands_of("institution") if c.name == "list")
    cli.run("institution", "list")  # the data folder exists
    monkeypatch.setattr(cmd, "handler", _boom(KeyError("cli side")))
    err = cli.run("institution", "list", expect=1).stderr
    log = cli.data_dir / "logs" / "errors.log"
    assert str(log) in err

    try:
        raise ValueError("window side, postgresql+psycopg://auditor:s3cret@db/audit")
    except ValueError as exc:
        text, hint = messages.report_bug(exc, "export")
    assert str(log) in hint and "Traceback" not in text + hint and "ValueError" not in text + hint
    entries = log.read_text(encoding="utf-8").split("=== ")[1:]
    assert len(entries) == 2
    cli_entry, window_entry = entries
    assert "command: auditapp institution list" in cli_entry and "KeyError: 'cli side'" in cli_entry
    assert "window: export" in window_entry and "Traceback" in window_entry and "ValueError: window side" in window_entry
    assert "s3cret" not in window_entry and "auditor:***@db" in window_entry
    for entry in entries:  # one header for both: time, version, process
        assert entry.split("\n")[0].endswith(f"(pid {__import__('os').getpid()})")
    assert messages.log_file() == log


def test_the_apology_names_the_file_the_bug_went_to(window_log: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import messages

    shown: list[tuple[str, str]] = []

    class Box:
        def __init__(self, _icon: Any, _title: str, text: str, _buttons: Any, _parent: Any) -> None:
            self.text, self.info = text, ""

        def setInformativeText(self, text: str) -> None:  # noqa: N802
            self.info = text

        def exec(self) -> int:
            shown.append((self.text, self.info))
            return 0

    fake = {"Icon": messages.QMessageBox.Icon, "StandardButton": messages.QMessageBox.StandardButton,
            "__new__": lambda cls, *a: Box(*a)}
    monkeypatch.setattr(messages, "QMessageBox", type("QMB", (), fake))
    exc = RuntimeError("in a slot")
    exc.__traceback_text__ = "Traceback (most recent call last):\n  File \"worker.py\", line 9\nRuntimeError: in a slot\n"  # type: ignore[attr-defined]
    messages.show_unexpected(None, exc, context="saving the answer")
    ((text, info),) = shown
    log = data_dir / "logs" / "errors.log"
    assert str(log) in info and "RuntimeError" not in text + info
    logged = log.read_text(encoding="utf-8")
    assert 'File "worker.py", line 9' in logged and "window: saving the answer" in logged  # the worker's own traceback


def test_an_error_while_apologising_is_logged_not_looped(window_log: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import messages

    calls: list[BaseException] = []

    def failing_apology(_parent: Any, exc: BaseException, context: str = "") -> None:
        calls.append(exc)
        window_log._hook(TypeError, TypeError("the apology broke"), None)

    monkeypatch.setattr(messages, "show_unexpected", failing_apology)
    window_log._hook(ValueError, ValueError("first"), None)
    assert len(calls) == 1
    logged = (data_dir / "logs" / "errors.log").read_text(encoding="utf-8")
    assert "while reporting another error" in logged and "TypeError: the apology broke" in logged


def test_a_report_process_crash_is_logged_as_its_text(window_log: Any, data_dir: Path) -> None:
    from ui import messages

    _text, hint = messages.report_bug("Traceback (most recent call last):\nMemoryError\n", "report process")
    logged = (data_dir / "logs" / "errors.log").read_text(encoding="utf-8")
    assert "window: report process" in logged and "MemoryError" in logged and str(data_dir / "logs") in hint


def test_the_log_is_started_afresh_past_its_size(window_log: Any, data_dir: Path) -> None:
    from ui import messages

    log = data_dir / "logs" / "errors.log"
    log.write_text("x" * (auditapp.bug_log.MAX_LOG_BYTES + 1), encoding="utf-8")
    messages.report_bug(KeyError("after rotation"))
    assert (data_dir / "logs" / "errors.log.1").stat().st_size > auditapp.bug_log.MAX_LOG_BYTES
    assert log.stat().st_size < 10_000 and "after rotation" in log.read_text(encoding="utf-8")


def test_without_a_data_folder_the_window_logs_in_the_user_cache(qapp: Any) -> None:
    import platformdirs

    from ui import error_log, messages

    error_log.close_logging()
    _text, hint = messages.report_bug(KeyError("no folder yet"))
    cache_log = Path(platformdirs.user_cache_dir("auditapp", "auditapp")) / "logs" / "errors.log"
    assert str(cache_log) in hint and "no folder yet" in cache_log.read_text(encoding="utf-8")


def test_when_no_log_can_be_written_the_apology_says_so(window_log: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import messages

    monkeypatch.setattr(auditapp.bug_log, "_candidate_folders", lambda _d: [Path("/proc/no-such-place")])
    text, hint = messages.report_bug(KeyError("nowhere"))
    assert "Your saved work is safe" in text and "tell your support contact" in hint and "/proc" not in hint


def test_activity_logging_stays_beside_the_bug_log(window_log: Any, data_dir: Path) -> None:
    logging.getLogger("auditapp.ui").info("window opened on %s", data_dir)
    assert window_log.activity_log_file() == data_dir / "logs" / "auditapp.log"
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "window opened" in (data_dir / "logs" / "auditapp.log").read_text(encoding="utf-8")
