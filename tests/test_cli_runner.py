"""The command registry and its runner: declarations, start-up cost, exit codes, hostile input.

Every class of bad input gets one clear line on stderr (and a hint line), exit code 1
(2 for bad usage), no traceback, and no change to the data folder. Most cases run
in-process; the ones about processes (entry point, broken pipe, argv bytes) run one.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from auditapp.cli.registry import (
    GROUPS,
    all_commands,
    build_parser,
    command,
    commands_of,
)
from cli_support import (
    InProcessCli,
    SubprocessCli,
    cli,
    folder_state,
    populated,
    populated_template,
    visit_id,
)
from conftest import REPO_ROOT

_USED_FIXTURES = (cli, visit_id, populated, populated_template)  # requested by name in the tests below

# --------------------------------------------------------------------------------------
# the registry


def _leaf_parser(words: str) -> Any:
    parser = build_parser()
    group, _, name = words.partition(" ")
    sub = next(a for a in parser._actions if a.dest == "command")
    group_parser = sub.choices[group]
    group_parser.format_help()  # fills it
    if not name:
        return group_parser
    leaf = next(a for a in group_parser._actions if a.dest == "subcommand")
    return leaf.choices[name]


def _choices(words: str, option: str) -> list[Any]:
    action = next(a for a in _leaf_parser(words)._actions if option in a.option_strings)
    return list(action.choices)


def test_every_group_has_commands_with_help() -> None:
    for group in GROUPS:
        cmds = commands_of(group.name)
        assert cmds, group.name
        assert all(c.help.strip() for c in cmds)


def test_commands_that_list_or_create_take_json() -> None:
    without_json = {c.words for c in all_commands() if not c.json}
    # Everything else lists or creates something; these write a file, validate, or delete.
    assert without_json == {
        "checklists validate", "checklists coverage", "photo export",
        "report rectification", "report visit", "report followup", "report summary", "report indicators",
        "journey delete", "plan delete", "pin delete", "backup restore", "finding delete",
    }
    for c in all_commands():
        has_flag = any("--json" in a.option_strings for a in _leaf_parser(c.words)._actions)
        assert has_flag == c.json, c.words


def test_reports_take_progress_and_nothing_else_does() -> None:
    assert {c.words for c in all_commands() if c.progress} == {
        "report rectification", "report visit", "report followup", "report summary", "report indicators"
    }


def test_choices_come_from_the_core() -> None:
    from auditapp.db.models import (
        ANSWER_RESULTS,
        INSTITUTION_KINDS,
        SEVERITIES,
        VISIT_MODES,
    )
    from auditapp.rules.rectification import STATUSES as RECTIFICATION_STATUSES
    from auditapp.services.pin_kinds import AED_STATUSES, PIN_KINDS
    from auditapp.sync.conflicts import KEEP_CHOICES
    from auditapp.terms import VOCABULARY

    assert _choices("institution add", "--kind") == list(INSTITUTION_KINDS)
    assert _choices("institution add", "--level") == [int(v) for v in VOCABULARY["level"]]
    assert _choices("visit new", "--mode") == list(VISIT_MODES)
    assert _choices("visit answer", "--result") == list(ANSWER_RESULTS)
    assert _choices("visit answer", "--severity") == _choices("visit finding", "--severity") == list(SEVERITIES)
    assert _choices("rectification list", "--status") == _choices("rectification update", "--status") == list(RECTIFICATION_STATUSES)
    assert _choices("pin add", "--kind") == _choices("pin list", "--kind") == list(PIN_KINDS)
    assert _choices("pin add", "--status") == _choices("pin update", "--status") == list(AED_STATUSES)
    assert _choices("conflicts resolve", "--keep") == list(KEEP_CHOICES)


def test_every_output_option_is_checked_before_the_command_runs() -> None:
    from auditapp.cli.types import check_output_file

    for c in all_commands():
        outputs = {a.dest for a in _leaf_parser(c.words)._actions if "-o" in a.option_strings}
        checked = {dest for dest, _option, check in c.checks() if check is check_output_file}
        assert outputs <= checked, c.words  # other file options (stats --xlsx) may be checked too


def test_readme_documents_every_command() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c.words for c in all_commands() if f"auditapp {c.words}" not in readme]
    assert missing == []


def test_a_command_is_declared_once_in_a_known_group() -> None:
    with pytest.raises(ValueError, match=r"not in auditapp\.cli\.registry\.GROUPS"):
        command("nosuchgroup list", help="x")
    commands_of("visit")
    with pytest.raises(ValueError, match="declared twice"):
        command("visit list", help="again")(lambda ctx: None)


_HEAVY = ("sqlalchemy", "reportlab", "PIL", "pydantic", "alembic", "yaml", "PySide6", "psycopg",
          "auditapp.db", "auditapp.services", "auditapp.sync", "auditapp.reports", "auditapp.checklists")


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["checklists", "--help"], ["checklists"], ["demo", "--help"]])
def test_start_up_loads_nothing_heavy(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from auditapp.cli import main\n"
        f"main({argv!r})\n"
        f"heavy = {_HEAVY!r}\n"
        "print(sorted(m for m in sys.modules if any(m == h or m.startswith(h + '.') for h in heavy)))\n"
        "print(sorted(m for m in sys.modules if m.startswith('auditapp.cli.') and m.count('.') == 2))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False)
    heavy, cli_modules = out.stdout.strip().splitlines()[-2:]
    assert heavy == "[]"
    group_modules = {m.rsplit(".", 1)[1] for m in eval(cli_modules)} - {"registry", "runner", "context", "output",
                                                                       "usage_words", "types"}
    assert group_modules <= {argv[0]} if not argv[0].startswith("-") else group_modules == set()


# --------------------------------------------------------------------------------------
# exit codes and the error line


def test_entry_point_and_exit_codes_in_a_real_process(data_dir: Path, populated: dict[str, str]) -> None:
    script = Path(sys.executable).parent / "auditapp"
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60, check=False)
    assert version.returncode == 0 and version.stdout.startswith("auditapp ")
    proc = SubprocessCli(data_dir)
    assert "示例中医院" in proc.run("institution", "list").stdout
    proc.run("visit", "show", "nosuchvisit", expect=1)
    proc.run("visit", "show", expect=1)


def test_error_line_in_english(cli: InProcessCli) -> None:
    err = cli.run("pin", "list", expect=1).stderr
    assert err.splitlines() == ["auditapp: error: no pins were chosen to list", "Give --plan PLAN or --institution X."]


def test_error_line_in_chinese(cli: InProcessCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITAPP_LANG", "zh_CN")
    err = cli.run("pin", "list", expect=1).stderr
    assert err.splitlines() == ["auditapp: 错误：没有说明要列出哪些图钉", "请加上 --plan 平面图 或 --institution 医疗机构。"]
    usage = cli.run("visit", "show", expect=1).stderr
    assert usage.splitlines() == ["auditapp: 错误：auditapp visit show：缺少必需的参数 VISIT",
                                  "请补上 VISIT；用法见 auditapp visit show --help。"]
    usage = cli.run("institution", "add", "--name", "x", "--kind", "医院", "--level", "3", expect=1).stderr
    assert "auditapp: 错误：参数 --kind：无效的取值 '医院'（可选：general、" in usage


def test_usage_errors_from_handlers_exit_1(cli: InProcessCli) -> None:
    out = str(cli.data_dir.parent / "s.pdf")
    err = cli.run("report", "summary", "--from", "2026-05-01", "--to", "2026-01-01", "-o", out, expect=1).stderr
    assert len(err.splitlines()) == 2 and "usage:" not in err
    assert "the start date 2026-05-01 is after the end date 2026-01-01" in err and "Swap the dates of --from and --to." in err
    assert not (cli.data_dir.parent / "s.pdf").exists()


# --------------------------------------------------------------------------------------
# bugs, operating-system errors, interrupts


def _patch_handler(monkeypatch: pytest.MonkeyPatch, words: str, exc: BaseException) -> None:
    group, _, name = words.partition(" ")
    cmd = next(c for c in commands_of(group) if (c.name or "") == name)

    def boom(ctx: Any) -> None:
        if cmd.group not in {"checklists"}:
            ctx.data_dir  # noqa: B018 - resolve it, as a real handler would
        raise exc

    monkeypatch.setattr(cmd, "handler", boom)


def test_a_bug_prints_one_line_and_logs_its_traceback_in_the_data_folder(
    cli: InProcessCli, visit_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _patch_handler(monkeypatch, "visit show", RuntimeError("boom in visit show"))
    err = cli.run("visit", "show", visit_id, expect=1).stderr
    log = cli.data_dir / "logs" / "errors.log"
    assert err.splitlines()[0] == (
        f"auditapp: error: an internal error (RuntimeError) stopped the command; this is a bug, not your mistake. "
        f"Details were written to {log}"
    )
    assert len(err.splitlines()) == 2 and "Traceback" not in err
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "RuntimeError: boom in visit show" in text
    assert f"command: auditapp visit show {visit_id}" in text


def test_a_bug_outside_a_data_folder_is_logged_in_the_user_cache(cli: InProcessCli, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    _patch_handler(monkeypatch, "checklists list", KeyError("x"))
    err = cli.run("checklists", "list", expect=1).stderr
    log = Path(platformdirs.user_cache_dir("auditapp", "auditapp")) / "logs" / "errors.log"
    assert str(log) in err and "KeyError" in log.read_text(encoding="utf-8")
    assert not cli.data_dir.exists()


def test_a_bug_log_hides_passwords(cli: InProcessCli, visit_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _patch_handler(monkeypatch, "sync", ValueError("connect postgresql+psycopg://auditor:s3cret@db.example/audit"))
    cli.run("sync", "postgresql+psycopg://auditor:s3cret@db.example/audit", expect=1)
    text = (cli.data_dir / "logs" / "errors.log").read_text(encoding="utf-8")
    assert "s3cret" not in text and "auditor:***@db.example" in text


def test_a_bug_whose_log_cannot_be_written_still_gets_one_line(cli: InProcessCli, monkeypatch: pytest.MonkeyPatch) -> None:
    import auditapp.bug_log

    monkeypatch.setattr(auditapp.bug_log, "_candidate_folders", lambda _d: [Path("/proc/no-such-place")])
    _patch_handler(monkeypatch, "checklists list", AttributeError("x"))
    err = cli.run("checklists", "list", expect=1).stderr
    assert "internal error (AttributeError)" in err and "no log could be written" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "/media/usb/x.pdf"), "/media/usb/x.pdf: the disk is full"),
        (PermissionError(errno.EACCES, "Permission denied", "/srv/x"), "/srv/x: permission denied"),
        (OSError(errno.EROFS, "Read-only file system", "/cdrom/x"), "/cdrom/x: the disk is read-only"),
        (OSError(errno.EIO, "Input/output error", "/media/usb/a"), "/media/usb/a: the disk reported an error"),
        (OSError(errno.EBUSY, "Device or resource busy", "/mnt/x"), "/mnt/x: the operating system refused this"),
        (MemoryError(), "not enough memory to finish the command"),
    ],
)
def test_environment_failures_are_one_line_not_a_bug(
    cli: InProcessCli, populated: dict[str, str], monkeypatch: pytest.MonkeyPatch, exc: BaseException, expected: str
) -> None:
    _patch_handler(monkeypatch, "visit list", exc)
    err = cli.run("visit", "list", expect=1).stderr
    assert err.startswith(f"auditapp: error: {expected}") and "Traceback" not in err
    assert not (cli.data_dir / "logs").exists()


def test_interrupt_exits_130_quietly(cli: InProcessCli, monkeypatch: pytest.MonkeyPatch) -> None:
    _patch_handler(monkeypatch, "checklists list", KeyboardInterrupt())
    result = cli.run("checklists", "list", expect=130)
    assert result.stderr == ""


# --------------------------------------------------------------------------------------
# stdout closed early, terminals that cannot show Chinese, arguments that are not UTF-8


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("institution", "list"), 1),
        (("institution", "list", "--json"), 1),
        (("checklists", "coverage"), 1),
        # argparse itself ignores a failed write of the help text and exits 0
        (("--help",), 0),
        (("visit", "--help"), 0),
    ],
)
def test_stdout_closed_early_exits_quietly(
    data_dir: Path, populated: dict[str, str], args: tuple[str, ...], code: int
) -> None:
    proc = SubprocessCli(data_dir)
    child = subprocess.Popen(proc.command(*args), env=proc.env, cwd=REPO_ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # the reader is gone before the first line (like `| head -0`)
    err = child.stderr.read().decode("utf-8", "replace")
    child.stderr.close()
    assert child.wait(timeout=120) == code
    assert err == "", err


def test_a_real_pipe_into_head(data_dir: Path) -> None:
    proc = SubprocessCli(data_dir, checklists=None)
    shell = f"{' '.join(map(str, proc.command('checklists', 'coverage')))} | head -1; echo \"rc=${{PIPESTATUS[0]}}\""
    out = subprocess.run(["bash", "-c", shell], env=proc.env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert out.stdout.startswith("# Coverage") and out.stdout.strip().splitlines()[-1] in {"rc=0", "rc=1"}
    assert "Traceback" not in out.stderr and "BrokenPipe" not in out.stderr


def test_a_terminal_without_utf8_gets_escapes_not_a_crash(data_dir: Path, populated: dict[str, str]) -> None:
    proc = SubprocessCli(data_dir)
    proc.env["PYTHONIOENCODING"] = "ascii"
    out = proc.run("institution", "list")
    assert "\\u793a" in out.stdout  # 示 written as an escape
    err = proc.run("visit", "show", "没有", expect=1).stderr
    assert err.startswith("auditapp: error: ") and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "position"),
    [
        ((b"institution", b"add", b"--name", b"\xff", b"--kind", b"tcm", b"--level", b"3"), 4),
        ((b"institution", b"add", b"--name", "中文".encode("gbk"), b"--kind", b"tcm", b"--level", b"3"), 4),
        ((b"visit", b"show", b"ab\xfecd"), 3),
        ((b"--data-dir", b"/tmp/\xc3(", b"visit", b"list"), 2),
        ((b"checklists", b"validate", b"\xed\xa0\x80.yaml"), 3),
        ((b"visit", b"finding", b"abcd", b"--text", "问题".encode() + b"\x80"), 5),
    ],
)
def test_arguments_that_are_not_utf8_are_refused(
    data_dir: Path, populated: dict[str, str], args: tuple[bytes, ...], position: int
) -> None:
    proc = SubprocessCli(data_dir)
    before = folder_state(data_dir)
    err = proc.run(*args, expect=1).stderr
    assert err.startswith(f"auditapp: error: command-line argument {position} (") and "is not valid UTF-8 text" in err
    assert len(err.strip().splitlines()) == 2 and "Traceback" not in err
    assert folder_state(data_dir) == before


@pytest.mark.parametrize("value", ["\udcff", "a\ud800b", "\udfff\udfff"])
def test_lone_surrogates_in_process_are_refused(cli: InProcessCli, value: str) -> None:
    err = cli.run("institution", "add", "--name", value, "--kind", "tcm", "--level", "3", expect=1).stderr
    assert "command-line argument 4 (" in err and "\ufffd" in err
    assert not cli.data_dir.exists()


# --------------------------------------------------------------------------------------
# values in arguments


_DATE_OPTIONS = [
    ("visit", "new", "--institution", "x", "--inspector", "y", "--date"),
    ("rectification", "update", "abcd", "--deadline"),
    ("export", "-o", "OUT", "--since"),
    ("report", "summary", "-o", "OUT", "--from"),
    ("report", "summary", "-o", "OUT", "--to"),
]
_BAD_DATES = [
    ("9999-99-99", "outside the accepted range (1970-01-01 to 2100-12-31)"),
    ("0000-01-01", "outside the accepted range"),
    ("9999-12-31", "outside the accepted range"),
    ("1899-12-31", "outside the accepted range"),
    ("1969-12-31", "outside the accepted range"),
    ("2101-01-01", "outside the accepted range"),
    ("2026-02-30", "there is no such day as '2026-02-30'"),
    ("2026-13-01", "there is no such day"),
    ("2026-1-1", "'2026-1-1' is not a valid date; write YYYY-MM-DD"),
    ("10000-01-01", "is not a valid date"),
    ("tomorrow", "is not a valid date"),
    ("", "'' is not a valid date"),
]


@pytest.mark.parametrize("option", _DATE_OPTIONS, ids=lambda o: o[-1])
@pytest.mark.parametrize(("value", "expected"), _BAD_DATES, ids=[v or "empty" for v, _ in _BAD_DATES])
def test_dates_out_of_range_are_usage_errors(
    cli: InProcessCli, populated: dict[str, str], tmp_path: Path, option: tuple[str, ...], value: str, expected: str
) -> None:
    before = folder_state(cli.data_dir)
    out = tmp_path / "out.file"
    args = [str(out) if a == "OUT" else a for a in option]
    err = cli.run(*args, value, expect=1).stderr
    assert f"auditapp: error: argument {option[-1]}: " in err and expected in err
    assert "Traceback" not in err and not out.exists()
    assert folder_state(cli.data_dir) == before


@pytest.mark.parametrize(
    ("value", "expected"),
    [("nine", "'nine' is not a time"), ("25:00", "'25:00' is not a time"), ("2026-13-01T10:00", "is not a time"),
     ("9999-12-31T23:59", "outside the accepted range"), ("0001-01-01T00:00", "outside the accepted range"),
     ("12:60", "is not a time")],
)
def test_times_are_checked(cli: InProcessCli, populated: dict[str, str], value: str, expected: str) -> None:
    before = folder_state(cli.data_dir)
    err = cli.run("journey", "step", populated["visit"], "arrival", "--at", value, expect=1).stderr
    assert "argument --at: " in err and expected in err
    assert folder_state(cli.data_dir) == before


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("pin", "add", "p", "--kind", "aed", "--x", "nan", "--y", "0"), "argument --x: 'nan' is not a number"),
        (("pin", "add", "p", "--kind", "aed", "--x", "0", "--y", "inf"), "argument --y: 'inf' is not a number"),
        (("pin", "update", "p", "--x=-Infinity"), "argument --x: '-Infinity' is not a number"),
        (("pin", "update", "p", "--y", "half"), "argument --y: 'half' is not a number"),
        (("photo", "export", "p", "-o", "OUT", "--max-side", "0"), "argument --max-side: '0' is not a positive whole number"),
        (("photo", "export", "p", "-o", "OUT", "--max-side", "-5"), "is not a positive whole number"),
        (("institution", "add", "--name", "n", "--kind", "tcm", "--level", "4"), "argument --level: invalid choice '4'"),
    ],
)
def test_numbers_are_checked(cli: InProcessCli, tmp_path: Path, args: tuple[str, ...], expected: str) -> None:
    out = tmp_path / "o.jpg"
    err = cli.run(*[str(out) if a == "OUT" else a for a in args], expect=1).stderr
    assert expected in err and not out.exists()


# --------------------------------------------------------------------------------------
# output files (-o)

_OUTPUT_COMMANDS = [
    ("report", "rectification", "VISIT", "-o"),
    ("report", "visit", "VISIT", "-o"),
    ("report", "followup", "示例中医院", "-o"),
    ("report", "summary", "-o"),
    ("photo", "export", "abcd1234", "-o"),
    ("export", "-o"),
    ("checklists", "coverage", "-o"),
]


def _bad_target(kind: str, tmp_path: Path) -> tuple[str, str]:
    """(the -o value, the start of the message it must produce)."""
    if kind == "folder":
        (tmp_path / "a-folder").mkdir()
        return str(tmp_path / "a-folder"), "this is a folder, not a file"
    if kind == "slash":
        return str(tmp_path / "new") + "/", "this is a folder, not a file"
    if kind == "devnull":
        return "/dev/null", "not a regular file"
    if kind == "devzero":
        return "/dev/zero", "not a regular file"
    if kind == "fifo":
        os.mkfifo(tmp_path / "pipe")
        return str(tmp_path / "pipe"), "not a regular file"
    if kind == "dangling":
        (tmp_path / "link").symlink_to(tmp_path / "nowhere" / "x.pdf")
        return str(tmp_path / "link"), "not a regular file"
    if kind == "missing":
        return str(tmp_path / "no" / "such" / "x.pdf"), f"the folder {tmp_path / 'no' / 'such'} does not exist"
    if kind == "parent_is_file":
        (tmp_path / "plain").write_text("x")
        return str(tmp_path / "plain" / "x.pdf"), f"{tmp_path / 'plain'} is a file, not a folder"
    if kind == "empty":
        return "", "the file name given to -o is empty"
    if kind == "long":
        return str(tmp_path / ("长" * 100 + ".pdf")), "the file name is too long"
    raise AssertionError(kind)


_BAD_TARGETS = ["folder", "slash", "devnull", "devzero", "fifo", "dangling", "missing", "parent_is_file", "empty", "long"]


@pytest.mark.parametrize("kind", _BAD_TARGETS)
@pytest.mark.parametrize("command_args", _OUTPUT_COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_unusable_output_paths_are_refused_before_anything_is_done(
    cli: InProcessCli, populated: dict[str, str], tmp_path: Path, kind: str, command_args: tuple[str, ...]
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target, expected = _bad_target(kind, out_dir)
    listing_before = sorted(str(p) for p in out_dir.rglob("*"))
    before = folder_state(cli.data_dir)
    args = [populated["visit"] if a == "VISIT" else a for a in command_args]
    err = cli.run(*args, target, expect=1).stderr
    first = err.splitlines()[0]
    assert first.startswith("auditapp: error: ") and "-o" in first and expected in first, err
    assert len(err.strip().splitlines()) == 2 and "Traceback" not in err
    assert sorted(str(p) for p in out_dir.rglob("*")) == listing_before  # nothing written beside it
    assert folder_state(cli.data_dir) == before


def test_an_output_folder_without_write_permission(cli: InProcessCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == locked else real_access(p, mode))
    err = cli.run("checklists", "coverage", "-o", str(locked / "c.md"), expect=1).stderr
    assert f"you may not write in the folder {locked}" in err


def test_an_output_file_without_write_permission(cli: InProcessCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "readonly.md"
    target.write_text("keep me", encoding="utf-8")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == target else real_access(p, mode))
    err = cli.run("checklists", "coverage", "-o", str(target), expect=1).stderr
    assert f"-o {target}: you may not write this file" in err
    assert target.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("target", ["/sys/auditapp-test.md", "/proc/auditapp-test.md"])
def test_a_place_the_system_refuses(cli: InProcessCli, target: str) -> None:
    err = cli.run("checklists", "coverage", "-o", target, expect=1).stderr
    assert err.startswith("auditapp: error: ") and target in err and "Traceback" not in err
    assert not Path(target).exists()


def test_an_existing_regular_file_is_replaced(cli: InProcessCli, tmp_path: Path) -> None:
    target = tmp_path / "coverage.md"
    target.write_text("old", encoding="utf-8")
    assert cli.run("checklists", "coverage", "-o", str(target)).stdout == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8").startswith("# Coverage")


# --------------------------------------------------------------------------------------
# the layers file of photo annotate (read by the command line itself)


def _layers(kind: str, tmp_path: Path) -> tuple[str, str]:
    path = tmp_path / "layers.json"
    if kind == "missing":
        return str(tmp_path / "none.json"), "the file does not exist"
    if kind == "folder":
        return str(tmp_path), "this is a folder, not a file"
    if kind == "fifo":
        os.mkfifo(tmp_path / "pipe.json")
        return str(tmp_path / "pipe.json"), "not a regular file"
    if kind == "device":
        return "/dev/zero", "not a regular file"
    if kind == "huge":
        with open(path, "wb") as fh:
            fh.truncate(17 * 1024 * 1024)
        return str(path), "the file is too large (the limit is 16 MB)"
    if kind == "latin1":
        path.write_bytes('[{"kind": "text", "text": "caf\xe9"}]'.encode("latin-1"))
        return str(path), "is not UTF-8 text"
    if kind == "broken":
        path.write_text('[{"kind": "arrow",', encoding="utf-8")
        return str(path), "is not valid JSON (line 1"
    if kind == "deep":
        path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
        return str(path), "nested too deeply"
    if kind == "object":
        path.write_text('{"kind": "redact"}', encoding="utf-8")
        return str(path), "does not hold a list"
    if kind == "empty":
        path.write_bytes(b"")
        return str(path), "is not valid JSON"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["missing", "folder", "fifo", "device", "huge", "latin1", "broken", "deep", "object", "empty"])
def test_bad_layers_files(cli: InProcessCli, populated: dict[str, str], tmp_path: Path, kind: str) -> None:
    layers, expected = _layers(kind, tmp_path)
    before = folder_state(cli.data_dir)
    err = cli.run("photo", "annotate", populated["photo"], "--layers", layers, expect=1).stderr
    assert err.startswith("auditapp: error: ") and expected in err.splitlines()[0], err
    assert "Traceback" not in err
    assert folder_state(cli.data_dir) == before


# --------------------------------------------------------------------------------------
# report --progress: JSON lines for the GUI


def _events(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_report_progress_is_json_lines(cli: InProcessCli, visit_id: str, tmp_path: Path) -> None:
    cli.run("visit", "finding", visit_id, "--text", "候诊区座椅不足")
    out = tmp_path / "list.pdf"
    events = _events(cli.run("report", "rectification", visit_id, "-o", str(out), "--progress").stdout)
    progress = [e for e in events if e["event"] == "progress"]
    assert progress and all(set(e) == {"event", "done", "total"} for e in progress)
    assert [e["done"] for e in progress] == sorted(e["done"] for e in progress)
    assert progress[-1]["done"] == progress[-1]["total"]
    result = events[-1]
    assert result["event"] == "result" and result["path"] == str(out) and result["pages"] >= 1
    assert out.exists()


def test_report_progress_reports_errors_as_an_event(cli: InProcessCli, visit_id: str, tmp_path: Path) -> None:
    run = cli.run("report", "visit", "nosuchvisit", "-o", str(tmp_path / "v.pdf"), "--progress", expect=1)
    event = _events(run.stdout)[-1]
    assert event["event"] == "error" and "nosuchvisit" in event["message"]
    assert set(event) == {"event", "code", "message", "hint", "gui_hint"}
    assert run.stderr.startswith("auditapp: error: ")
    run = cli.run("report", "visit", visit_id, "-o", str(tmp_path), "--progress", expect=1)
    event = _events(run.stdout)[-1]
    assert event["code"] == "cli.output_is_folder" and event["gui_hint"]


def test_report_without_progress_prints_one_line(cli: InProcessCli, visit_id: str, tmp_path: Path) -> None:
    out = tmp_path / "v.pdf"
    line = cli.run("report", "visit", visit_id, "-o", str(out)).stdout
    assert line.startswith(f"wrote {out} (") and "pages" in line and line.count("\n") == 1


def test_text_with_lone_surrogates_is_printed_as_escapes(cli: InProcessCli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Text that is not valid Unicode (a damaged row, a file name) prints as escapes, not a crash."""
    cmd = next(c for c in commands_of("checklists") if c.name == "validate")
    monkeypatch.setattr(cmd, "handler", lambda ctx: "ok: 坏\udcff名")
    assert cli.run("checklists", "validate").stdout == "ok: 坏\\udcff名\n"
