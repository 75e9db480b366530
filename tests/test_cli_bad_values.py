"""Every bad argument of every command: exit 1, one clear line in the user's language, nothing changed.

The cases come from the registry, not from a list written here: every option or positional
of every command that has a type or choices gets bad values, every option that takes a
value is given none, every command gets an unknown option and, when it has required
arguments, none of them. A new command or option is covered the day it is declared; an
option with a type this file does not know fails :func:`test_every_type_has_bad_values`.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest

from auditapp.cli import types
from auditapp.cli.registry import Arg, Command, OneOf, all_commands, commands_of
from cli_support import InProcessCli, cli, populated, populated_template  # noqa: F401

# Bad values for each argument type of auditapp.cli.types: malformed, impossible and out of range.
BAD_VALUES: dict[Any, list[str]] = {
    types.iso_date: ["2150-01-01", "1969-12-31", "9999-12-31", "2026-02-30", "2026-13-01", "2026-1-1", "tomorrow", ""],
    types.year_month: ["2026-13", "2026-00", "2150-01", "1969-12", "26-03", "march", ""],
    types.local_time: ["25:00", "12:60", "noon", "2150-01-01T10:00", "1960-01-01T00:00", "2100-12-31T23:30-05:00"],
    types.fraction: ["abc", "nan", "inf", "-Infinity", ""],
    types.positive_int: ["0", "-3", "x", "1.5", ""],
    types.whole_number: ["-1", "x", "1.5", "1e3", ""],
}
CHOICE_BAD = ["no-such-choice", "", " "]
_VALUELESS_ACTIONS = {"store_true", "store_false", "count", "help", "version"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CODE = re.compile(r"\b(cli|usage|record)\.[a-z_]+\b")


def _arguments(cmd: Command) -> list[Arg]:
    return [a for item in cmd.args for a in (item.args if isinstance(item, OneOf) else (item,))]


def _positionals(cmd: Command) -> list[Arg]:
    return [a for a in _arguments(cmd) if not a.flags[0].startswith("-")]


def _words(cmd: Command) -> list[str]:
    return cmd.words.split(" ")


def _argv_for(cmd: Command, a: Arg, value: str) -> list[str]:
    """The command with ``value`` given to ``a`` (dummy values for the positionals before it)."""
    if a.flags[0].startswith("-"):
        return [*_words(cmd), f"{a.flags[0]}={value}" if value.startswith("-") else a.flags[0], *([] if value.startswith("-") else [value])]
    before = _positionals(cmd)[: _positionals(cmd).index(a)]
    return [*_words(cmd), *["x"] * len(before), value]


def _typed_cases() -> list[tuple[str, list[str], str, str]]:
    """(id, argv, option name, value) for every typed or choice argument of every command."""
    cases = []
    for cmd in all_commands():
        for a in _arguments(cmd):
            convert, choices = a.options.get("type"), a.options.get("choices")
            if convert is None and choices is None:
                continue
            values = list(BAD_VALUES.get(convert, [])) if choices is None else [
                v for v in (*CHOICE_BAD, *_near_misses(choices)) if v not in choices
            ]
            for value in values:
                if value == a.options.get("default"):  # typing the command's own default ("") means the default
                    continue
                cases.append((f"{cmd.words}:{a.name}={value!r}", _argv_for(cmd, a, value), a.name, value))
    return cases


def _near_misses(choices: Any) -> list[str]:
    """A choice in the wrong case and a number one past the last: what a person mistypes."""
    first = str(next(iter(choices)))
    misses = [first.upper()] if first.upper() != first else [first + "x"]
    numbers = [c for c in choices if isinstance(c, int)]
    if numbers:
        misses.append(str(max(numbers) + 1))
    return misses


TYPED = _typed_cases()


def _folder_bytes(folder: Path) -> dict[str, str]:
    """Every file of the data folder (the database, its journal, photos, logs) by content."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _assert_one_clear_error(err: str, language: str, *needles: str) -> None:
    lines = err.rstrip("\n").split("\n")
    prefix = "auditapp: 错误：" if language == "zh_CN" else "auditapp: error: "
    assert len(lines) == 2, err  # what is wrong (and where), how to fix it
    message, hint = lines
    assert message.startswith(prefix) and hint.strip(), err
    assert "Traceback" not in err and "usage:" not in err and not _CODE.search(err), err
    for needle in needles:
        assert needle in message, (needle, err)
    if language == "zh_CN":
        assert _CJK.search(message[len(prefix):]) and _CJK.search(hint), err
    else:
        assert not _CJK.search(hint), err


def test_the_registry_yields_enough_cases() -> None:
    # The loops below are only as wide as the registry: a wrong filter here would pass vacuously.
    assert len(TYPED) > 150
    options = {name for _, _, name, _ in TYPED}
    assert {"--date", "--month", "--severity", "--level", "--at", "--x", "--months", "ACTION", "--keep"} <= options


def test_every_type_has_bad_values() -> None:
    used = {a.options.get("type") for cmd in all_commands() for a in _arguments(cmd)} - {None}
    assert used <= set(BAD_VALUES), f"argument types without bad values here: {used - set(BAD_VALUES)}"
    assert set(types.TYPES) == set(BAD_VALUES)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_bad_value_of_every_command(
    cli: InProcessCli, populated: dict[str, str], monkeypatch: pytest.MonkeyPatch, language: str  # noqa: F811
) -> None:
    monkeypatch.setenv("AUDITAPP_LANG", language)
    before = _folder_bytes(cli.data_dir)
    for case, argv, option, value in TYPED:
        err = cli.run(*argv, expect=1).stderr
        _assert_one_clear_error(err, language, option, repr(value) if value.strip() else option)
        assert _folder_bytes(cli.data_dir) == before, case
    assert cli.run("institution", "list").returncode == 0  # the folder still works


def _required(cmd: Command) -> bool:
    for item in cmd.args:
        if isinstance(item, OneOf):
            if item.required:
                return True
            continue
        if item.options.get("required") or (not item.flags[0].startswith("-") and item.options.get("nargs") not in ("?", "*")):
            return True
    return False


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_argparse_errors_of_every_command(
    cli: InProcessCli, populated: dict[str, str], monkeypatch: pytest.MonkeyPatch, language: str  # noqa: F811
) -> None:
    """Unknown options, missing values, missing required arguments: the catalog's words, exit 1."""
    monkeypatch.setenv("AUDITAPP_LANG", language)
    before = _folder_bytes(cli.data_dir)
    count = 0
    for cmd in all_commands():
        words = _words(cmd)
        prog = "auditapp " + cmd.words
        # argparse names missing required arguments before unknown ones
        unknown = cli.run(*words, "--no-such-option", expect=1).stderr
        _assert_one_clear_error(unknown, language, prog, *([] if _required(cmd) else ["--no-such-option"]))
        count += 1
        if _required(cmd):
            missing = cli.run(*words, expect=1).stderr
            _assert_one_clear_error(missing, language, prog)
            assert f"{prog} --help" in missing.split("\n")[1], missing
            count += 1
        for a in _arguments(cmd):
            if a.flags[0].startswith("-") and a.options.get("action") not in _VALUELESS_ACTIONS:
                err = cli.run(*words, a.flags[0], expect=1).stderr
                _assert_one_clear_error(err, language, a.flags[0])
                count += 1
        if cmd.name is not None:
            _assert_one_clear_error(cli.run(cmd.group, "no-such-command", expect=1).stderr, language, "no-such-command")
        assert _folder_bytes(cli.data_dir) == before, cmd.words
    assert count > 250
    _assert_one_clear_error(cli.run("no-such-group", expect=1).stderr, language, "no-such-group")
    _assert_one_clear_error(cli.run("--no-such-option", expect=1).stderr, language, "--no-such-option")
    _assert_one_clear_error(cli.run("visit", expect=1).stderr, language, "auditapp visit")
    _assert_one_clear_error(cli.run("visit", "lis", expect=1).stderr, language, "'lis'")


def test_help_of_every_command_exits_0(cli: InProcessCli) -> None:  # noqa: F811
    assert cli.run("--help").stdout.startswith("usage: auditapp")
    for cmd in all_commands():
        assert cli.run(*_words(cmd), "--help").stdout.startswith("usage: auditapp " + cmd.words)
    for group in {c.group for c in all_commands()}:
        assert cli.run(group, "--help").returncode == 0 and commands_of(group)


def test_bad_usage_creates_no_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from auditapp.cli import main

    folder = tmp_path / "never"
    monkeypatch.setenv("AUDITAPP_DATA_DIR", str(folder))
    for argv in (["visit", "new", "--institution", "x", "--inspector", "y", "--date", "2150-01-01"],
                 ["duty", "--month", "2026-13"], ["finding", "update", "f", "--severity", "huge"],
                 ["visit", "list", "--bogus"], ["visit", "show"]):
        assert main(argv) == 1
    assert not folder.exists()
    assert "Traceback" not in capsys.readouterr().err


def test_a_good_value_still_passes(cli: InProcessCli, populated: dict[str, str]) -> None:  # noqa: F811
    # The same path that refuses the values above lets ordinary ones through.
    visit = cli.json("visit", "new", "--institution", populated["institution"], "--inspector", "李", "--date", "2100-12-31",
                     "--json")
    assert visit["visit_date"] == "2100-12-31"
    assert cli.run("duty", "--month", "2026-03", "--months", "2").returncode == 0
