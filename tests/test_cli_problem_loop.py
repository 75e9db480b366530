"""The problem loop from the command line: findings, trash, amendments, the lifecycle,
timer waits and AED pins made problems — exit codes, messages and nothing changed on refusal."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from cli_support import InProcessCli, cli, folder_state, visit_id  # noqa: F401 (fixtures)
from test_sync_support import jpeg_file


def _free(cli: InProcessCli, visit: str, text: str = "自助机旁无人指导") -> str:  # noqa: F811
    return cli.run("visit", "finding", visit, "--text", text, "--area", "门诊大厅").stdout.strip()


def test_free_problem_is_listed_edited_deleted_and_restored(cli: InProcessCli, visit_id: str) -> None:  # noqa: F811
    finding = _free(cli, visit_id)
    [row] = cli.json("finding", "list", visit_id)
    assert row["id"] == finding and row["statement"] == "自助机旁无人指导" and row["location"]["area"] == "门诊大厅"
    edited = cli.json("finding", "edit", finding[:8], "--text", "自助机旁无导医", "--severity", "major",
                      "--department", "门诊部")
    assert (edited["text"], edited["severity"], edited["rectification"]["department"]) == ("自助机旁无导医", "major", "门诊部")
    cli.run("finding", "delete", finding[:8])
    assert cli.json("finding", "list", visit_id) == []
    cli.run("finding", "restore", finding)
    assert [r["id"] for r in cli.json("finding", "list", visit_id)] == [finding]


def test_refused_edit_changes_nothing_and_says_why_in_chinese(cli: InProcessCli, visit_id: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    cli.run("visit", "answer", visit_id, "basics.toilets.clean", "--result", "nonconform")
    [row] = cli.json("finding", "list", visit_id)
    before = folder_state(cli.data_dir)
    monkeypatch.setenv("AUDITAPP_LANG", "zh_CN")
    result = cli.run("finding", "edit", row["id"][:8], "--text", "x", expect=1)
    assert result.stderr.startswith("auditapp: 错误：这个问题来自检查项 basics.toilets.clean")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 2
    assert folder_state(cli.data_dir) == before


def test_visit_and_institution_go_to_the_trash_and_come_back(cli: InProcessCli, visit_id: str) -> None:  # noqa: F811
    cli.run("visit", "delete", visit_id[:8])
    assert cli.json("visit", "list") == []
    [entry] = cli.json("trash", "list")
    assert (entry["id"], entry["kind"]) == (visit_id, "visit")
    cli.run("trash", "restore", visit_id)
    assert [v["id"] for v in cli.json("visit", "list")] == [visit_id]
    [inst] = cli.json("institution", "list")
    cli.run("institution", "delete", inst["id"][:8])
    assert cli.json("institution", "list") == [] and cli.json("visit", "list") == []
    assert [e["kind"] for e in cli.json("trash", "list")] == ["institution"]
    result = cli.run("trash", "restore", visit_id, expect=1)
    assert "in the trash too" in result.stderr
    cli.run("trash", "restore", inst["id"])
    assert [v["id"] for v in cli.json("visit", "list")] == [visit_id]


def test_amendment_opens_a_finalized_visit_once_with_its_reason(cli: InProcessCli, visit_id: str) -> None:  # noqa: F811
    cli.run("visit", "finalize", visit_id)
    refused = cli.run("visit", "answer", visit_id, "basics.toilets.clean", "--result", "nonconform", expect=1)
    assert "--amend" in refused.stderr  # the CLI's hint names its options
    amendment = cli.json("visit", "amend", visit_id, "--reason", "复核后更正")
    assert amendment["reason"] == "复核后更正"
    cli.run("visit", "answer", visit_id, "basics.toilets.clean", "--result", "nonconform", "--amend",
            "--reason", "复核后更正")
    shown = cli.json("visit", "show", visit_id)["visit"]
    assert shown["status"] == "finalized" and [a["reason"] for a in shown["amendments"]] == ["复核后更正"]


def test_lifecycle_from_the_command_line(cli: InProcessCli, visit_id: str, tmp_path: Path) -> None:  # noqa: F811
    finding = _free(cli, visit_id)
    assert [a["name"] for a in cli.json("rectification", "actions", finding)] == ["start", "report", "verify",
                                                                                    "request_extension"]
    assert [a["name"] for a in cli.json("rectification", "actions", finding, "--as", "department")] == [
        "start", "report", "request_extension"]
    before = folder_state(cli.data_dir)
    refused = cli.run("rectification", "action", finding, "verify", expect=1)
    assert "after-photo or a verification note" in refused.stderr and folder_state(cli.data_dir) == before
    cli.run("rectification", "action", finding, "request_extension", "--as", "department", "--note", "需采购",
            "--deadline", (date.today() + timedelta(days=30)).isoformat())
    cli.run("rectification", "action", finding, "accept_extension")
    cli.run("rectification", "action", finding, "report", "--measures", "已安排导医", "--as", "department",
            "--actor", "门诊部（台账回执）")
    rect = cli.json("rectification", "action", finding, "verify", "--note", "现场复查已有导医")
    assert rect["status"] == "verified"
    history = cli.json("rectification", "history", finding)
    assert [e["action"] for e in history] == ["create", "request_extension", "accept_extension", "report", "verify"]
    assert history[3]["actor"] == "门诊部（台账回执）"
    assert cli.run("rectification", "action", finding, "nonsense", expect=1).returncode == 1


def test_wait_and_aed_become_problems(cli: InProcessCli, visit_id: str, tmp_path: Path) -> None:  # noqa: F811
    cli.run("journey", "step", visit_id, "waiting", "--at", "09:00")
    cli.run("journey", "step", visit_id, "consultation", "--at", "09:45")
    flagged = cli.json("journey", "flag", visit_id, "--from", "waiting")
    assert flagged["source"] == "journey" and flagged["basis"][0]["source"] == "yubei-2023"
    assert cli.json("journey", "flag", visit_id, "--from", "waiting")["id"] == flagged["id"]

    [inst] = cli.json("institution", "list")
    plan = cli.run("plan", "add", inst["id"], str(jpeg_file(tmp_path, 1)), "--name", "门诊楼").stdout.strip()
    pin = cli.run("pin", "add", plan, "--kind", "aed", "--x", "0.5", "--y", "0.5", "--label", "挂号处",
                  "--status", "blocked").stdout.strip()
    problem = cli.json("pin", "problem", pin, "--visit", visit_id)
    assert problem["source"] == "aed" and "挂号处" in problem["statement"]
    finding_pin = cli.run("pin", "add", plan, "--kind", "finding", "--x", "0.2", "--y", "0.2", "--visit",
                          visit_id).stdout.strip()
    assert cli.json("pin", "link", finding_pin, "--finding", flagged["id"])["finding_id"] == flagged["id"]
    assert cli.json("pin", "link", finding_pin, "--clear")["finding_id"] is None
    assert "--clear" in cli.run("pin", "link", finding_pin, expect=1).stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["trash", "restore", "0000dead"], "nothing with id '0000dead' is in the trash"),
        (["finding", "edit", "nope", "--text", "x"], "no problem 'nope'"),
        (["visit", "delete", "nope"], "no visit 'nope'"),
        (["institution", "delete", "不存在的医院"], "no institution '不存在的医院'"),
        (["rectification", "history", "nope"], "no problem 'nope'"),
    ],
)
def test_unknown_references_are_one_clear_line(cli: InProcessCli, visit_id: str, args: list[str], words: str) -> None:  # noqa: F811
    before = folder_state(cli.data_dir)
    result = cli.run(*args, expect=1)
    assert words in result.stderr and "Traceback" not in result.stderr
    assert folder_state(cli.data_dir) == before
