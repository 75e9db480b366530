"""One data folder for the GUI and every command: --data-dir > $AUDITAPP_DATA_DIR > Settings > default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditapp import paths
from auditapp.errors import InvalidInputError
from auditapp.settings import Settings, resolve_data_dir, save_settings, settings_path
from cli_support import InProcessCli, folder_state


def _choose_in_settings(folder: Path) -> None:
    save_settings(Settings(data_dir=str(folder)))


@pytest.mark.parametrize(
    ("option", "env", "setting", "demo", "expected"),
    [
        ("opt", "env", "set", False, "opt"),
        ("opt", None, "set", True, "opt"),
        (None, "env", "set", False, "env"),
        (None, "env", "set", True, "env"),
        (None, None, "set", False, "set"),
        (None, None, "set", True, "demo"),
        (None, None, None, False, "default"),
        (None, None, None, True, "demo"),
    ],
)
def test_precedence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str | None, env: str | None, setting: str | None,
    demo: bool, expected: str,
) -> None:
    folders = {name: tmp_path / name for name in ("opt", "env", "set")}
    folders["default"] = paths.default_data_dir()
    folders["demo"] = paths.demo_data_dir()
    if env:
        monkeypatch.setenv(paths.DATA_DIR_ENV, str(folders[env]))
    if setting:
        _choose_in_settings(folders[setting])
    chosen = resolve_data_dir(str(folders[option]) if option else None, demo=demo)
    assert chosen == folders[expected]


def test_settings_given_by_the_caller_are_used_without_reading_the_file(tmp_path: Path) -> None:
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text("{broken", encoding="utf-8")  # would raise if it were read
    assert resolve_data_dir(None, settings=Settings(data_dir=str(tmp_path / "s"))) == tmp_path / "s"


@pytest.mark.parametrize("value", ["", " ", "\t", "  \n"])
def test_an_empty_option_is_refused(value: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        resolve_data_dir(value)
    assert caught.value.code == "settings.data_dir_option_empty"


@pytest.mark.parametrize("value", ["", " ", "\t"])
def test_an_empty_environment_variable_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, value)
    with pytest.raises(InvalidInputError) as caught:
        resolve_data_dir(None)
    assert caught.value.code == "settings.data_dir_env_empty"
    assert "AUDITAPP_DATA_DIR" in caught.value.message("en")


def test_a_blank_setting_means_the_default(tmp_path: Path) -> None:
    assert resolve_data_dir(None, settings=Settings(data_dir="  ")) == paths.default_data_dir()


# --- the command line follows the same rule -------------------------------------------


@pytest.fixture
def plain_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> InProcessCli:
    """A CLI without $AUDITAPP_DATA_DIR, so Settings decide."""
    cli = InProcessCli(tmp_path / "unused", monkeypatch, capsys)
    monkeypatch.delenv(paths.DATA_DIR_ENV)
    return cli


def test_commands_use_the_folder_chosen_in_settings(plain_cli: InProcessCli, tmp_path: Path) -> None:
    chosen = tmp_path / "moved-here"
    _choose_in_settings(chosen)
    plain_cli.run("institution", "add", "--name", "设置里的医院", "--kind", "tcm", "--level", "2")
    assert (chosen / "audit.sqlite3").exists()
    assert not paths.default_data_dir().exists()
    assert [i["name"] for i in plain_cli.json("institution", "list")] == ["设置里的医院"]
    # --data-dir still wins over the setting
    other = tmp_path / "other"
    assert plain_cli.json("--data-dir", str(other), "institution", "list") == []


def test_demo_option_points_commands_at_the_demo_folder(plain_cli: InProcessCli) -> None:
    plain_cli.run("--demo", "institution", "add", "--name", "演示", "--kind", "general", "--level", "1")
    assert (paths.demo_data_dir() / "audit.sqlite3").exists()
    assert plain_cli.json("institution", "list") == []  # the real folder is untouched


@pytest.mark.parametrize("args", [("--data-dir", "", "institution", "list"), ("--data-dir", "  ", "visit", "list"),
                                  ("--data-dir", "", "checklists", "list")])
def test_cli_refuses_an_empty_data_dir_and_creates_nothing(plain_cli: InProcessCli, args: tuple[str, ...]) -> None:
    before = folder_state(paths.default_data_dir())
    err = plain_cli.run(*args, expect=1).stderr
    assert err.startswith("auditapp: error: --data-dir names no folder")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 2
    assert folder_state(paths.default_data_dir()) == before == {}


def test_cli_refuses_an_empty_environment_variable(plain_cli: InProcessCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, "")
    err = plain_cli.run("visit", "list", expect=1).stderr
    assert "AUDITAPP_DATA_DIR is set but empty" in err
    assert not paths.default_data_dir().exists()


def test_a_broken_settings_file_stops_commands_that_would_read_it(plain_cli: InProcessCli) -> None:
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text(json.dumps({"data_dir": 5})[:-1], encoding="utf-8")
    err = plain_cli.run("visit", "list", expect=1).stderr
    assert "the settings file" in err and "cannot be read" in err
    assert not paths.default_data_dir().exists()  # not silently another database


def test_gui_start_uses_the_same_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp) -> None:  # type: ignore[no-untyped-def]
    """ui.app.run resolves with resolve_data_dir and the settings it loaded.

    run() always has its application (the single-window guard listens on a local
    server, which needs the event dispatcher), so the stand-in returns the real one.
    """
    import ui.app
    from ui.single_instance import InstanceGuard

    opened: list[Path] = []

    class StopError(Exception):
        pass

    def fake_open(folder: Path, actor: str | None = None) -> None:
        opened.append(folder)
        raise StopError

    chosen = tmp_path / "gui-folder"
    _choose_in_settings(chosen)
    monkeypatch.setattr("auditapp.db.open_database", fake_open)  # ui.app imports it when it opens the database
    monkeypatch.setattr(ui.app, "create_application", lambda **_kw: qapp)
    for data_dir, demo, expected in ((None, False, chosen), (str(tmp_path / "x"), False, tmp_path / "x"),
                                      (None, True, paths.demo_data_dir())):
        with pytest.raises(StopError) as caught:  # its traceback keeps run()'s frame alive
            ui.app.run(data_dir=data_dir, demo=demo)
        assert opened[-1] == expected
        # An unexpected failure after the guard was taken gives the folder back at once,
        # not when the guard happens to be collected.
        assert caught.traceback
        again = InstanceGuard(expected)
        assert again.acquire()
        again.release()
