"""Every CLI command, run in-process through ``main(argv)``: output, --json, exit codes, error messages.

The few things that need a real process (entry point, exit codes seen by a shell,
broken pipes, argv bytes) are in test_cli_runner.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import InProcessCli, cli, visit_id
from conftest import LIBRARY_FIXTURE, REPO_ROOT

_USED_FIXTURES = (cli, visit_id)  # requested by name in the tests below

Cli = InProcessCli


def test_institution_add_and_list(cli: Cli) -> None:
    created = cli.json("institution", "add", "--name", "示例中医院", "--kind", "tcm", "--level", "3", "--department", "门诊部")
    assert created["kind"] == "tcm" and created["level"] == 3
    listed = cli.json("institution", "list")
    assert [i["name"] for i in listed] == ["示例中医院"]
    assert "示例中医院" in cli.run("institution", "list").stdout
    assert [d["name"] for d in cli.json("department", "list", "--institution", "示例中医院")] == ["门诊部"]


def test_department_add(cli: Cli) -> None:
    cli.run("institution", "add", "--name", "A医院", "--kind", "general", "--level", "2")
    dept = cli.json("department", "add", "--institution", "A医院", "--name", "总务科", "--head", "刘科长")
    assert dept["name"] == "总务科" and dept["head"] == "刘科长"


def test_usage_errors_exit_1(cli: Cli) -> None:
    proc = cli.run("institution", "add", "--name", "x", "--kind", "hospital", "--level", "3", expect=1)
    assert "invalid choice 'hospital'" in proc.stderr


def test_user_errors_exit_1_with_a_clear_message(cli: Cli) -> None:
    proc = cli.run("visit", "new", "--institution", "不存在的医院", "--inspector", "x", expect=1)
    assert "no institution '不存在的医院'" in proc.stderr
    assert "auditapp institution list" in proc.stderr


def test_visit_new_list_answer_finding_show_finalize(cli: Cli, visit_id: str) -> None:
    visits = cli.json("visit", "list", "--institution", "示例中医院")
    assert [v["id"] for v in visits] == [visit_id]
    assert visits[0]["checklist_ids"] == ["basics", "tcm-extra"]

    answer = cli.json(
        "visit", "answer", visit_id, "basics.toilets.clean", "--result", "nonconform",
        "--note", "二楼男卫生间有异味", "--severity", "major", "--department", "后勤保障部",
    )
    assert answer["result"] == "nonconform" and answer["department"] == "后勤保障部" and answer["finding_id"]
    cli.run("visit", "answer", visit_id[:8], "basics.waiting.wait-time", "--value", "45")
    finding = cli.json("visit", "finding", visit_id, "--text", "自助机无人指导", "--area", "门诊大厅", "--severity", "minor")
    assert finding["source"] == "free"

    shown = cli.json("visit", "show", visit_id)
    assert len(shown["findings"]) == 3
    text = cli.run("visit", "show", visit_id).stdout
    assert "二楼男卫生间有异味" in text and "不符合" in text and "[需照片]" in text

    proc = cli.run("visit", "finalize", visit_id)
    assert "not answered" in proc.stderr and f"finalized {visit_id}" in proc.stdout
    proc = cli.run("visit", "answer", visit_id, "basics.toilets.clean", "--result", "conform", expect=1)
    assert "finalized and read-only" in proc.stderr


def test_visit_new_json_and_explicit_checklist(cli: Cli) -> None:
    cli.run("institution", "add", "--name", "B医院", "--kind", "general", "--level", "2", "--obstetrics")
    visit = cli.json(
        "visit", "new", "--institution", "B医院", "--inspector", "李", "--checklist", "basics",
        "--mode", "bureau", "--date", "2026-10-01",
    )
    assert visit["mode"] == "bureau" and visit["visit_date"] == "2026-10-01" and visit["checklist_ids"] == ["basics"]
    assert visit["report_number"] == "2026-10-001"


def test_rectification_list_and_update(cli: Cli, visit_id: str) -> None:
    finding = cli.json("visit", "finding", visit_id, "--text", "候诊椅不足", "--department", "门诊部")
    rect = cli.json(
        "rectification", "update", finding["id"][:8], "--owner", "张主任", "--deadline", "2020-01-01", "--status", "in_progress"
    )
    assert rect["status"] == "in_progress" and rect["overdue"] is True
    rows = cli.json("rectification", "list", "--overdue")
    assert [r["finding"]["text"] for r in rows] == ["候诊椅不足"]
    assert cli.json("rectification", "list", "--status", "verified") == []
    assert "张主任" in cli.run("rectification", "list").stdout
    proc = cli.run("rectification", "update", finding["id"], "--deadline", "tomorrow", expect=1)
    assert "'tomorrow' is not a valid date; write YYYY-MM-DD" in proc.stderr


def test_checklists_validate_list(cli: Cli, tmp_path: Path) -> None:
    assert "ok" in cli.run("checklists", "validate", str(LIBRARY_FIXTURE)).stdout
    listed = cli.json("checklists", "list")
    assert {c["id"] for c in listed["checklists"]} == {"basics", "tcm-extra"}
    assert {t["id"] for t in listed["templates"]} == {"general", "tcm"}
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\nversion: 1\ntitle: x\nsections: []\nbogus: 1\n", encoding="utf-8")
    proc = cli.run("checklists", "validate", str(broken), expect=1)
    assert "broken.yaml:" in proc.stderr and "bogus" in proc.stderr


def test_real_library_validates(data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    proc = Cli(data_dir, monkeypatch, capsys, checklists=None).run("checklists", "validate")
    assert proc.stdout.startswith("ok")


def test_demo_on_a_folder_that_has_it_changes_nothing(
    demo_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo data itself is built once per session (conftest demo_template, by the same service)."""
    cli = Cli(demo_data_dir, monkeypatch, capsys, checklists=None)
    visits = cli.json("visit", "list")
    again = cli.json("demo")
    assert again["created"] is False and len(again["institutions"]) == 2
    assert set(again["visits"]) == {v["id"] for v in visits} and len(visits) == 6
    assert {v["status"] for v in visits} == {"finalized", "in_progress"}
    assert any(v["open_rectifications"] > 0 for v in visits)
    assert cli.run("demo").stdout == "demo data already present; nothing changed\n"


def test_demo_reports_what_it_created(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from auditapp.services import demo

    made = demo.DemoResult(institutions=["a", "b"], visits=["1", "2", "3"], created=True)
    monkeypatch.setattr(demo, "create_demo_data", lambda db: made)
    assert cli.run("demo").stdout == "created demo data: 2 institutions, 3 visits\n"
    assert cli.json("demo") == {"institutions": ["a", "b"], "visits": ["1", "2", "3"], "created": True}


def test_backup_create_list_restore(cli: Cli, visit_id: str) -> None:
    backup = cli.json("backup", "create")["path"]
    cli.run("visit", "finding", visit_id, "--text", "备份之后的问题")
    assert any(b["path"] == backup for b in cli.json("backup", "list"))
    proc = cli.run("backup", "restore", backup)
    assert "restored" in proc.stdout
    shown = cli.json("visit", "show", visit_id)
    assert all(f["text"] != "备份之后的问题" for f in shown["findings"])


def test_corrupt_database_message(cli: Cli, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "audit.sqlite3").write_bytes(b"not a database at all" * 50)
    proc = cli.run("institution", "list", expect=1)
    assert "not an auditapp database" in proc.stderr and "backup restore" in proc.stderr


def test_committed_coverage_table_is_up_to_date(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    proc = Cli(data_dir, monkeypatch, capsys, checklists=None).run("checklists", "coverage")
    committed = (REPO_ROOT / "checklists" / "COVERAGE.md").read_text(encoding="utf-8")
    assert proc.stdout == committed, "run: auditapp checklists coverage -o checklists/COVERAGE.md"


def test_photo_add_list_verify_annotate_export(cli: Cli, visit_id: str, tmp_path: Path) -> None:
    from PIL import Image

    from test_photo_ingest import camera_jpeg

    first = camera_jpeg(tmp_path / "IMG_0001.jpg", orientation=6)
    second = tmp_path / "IMG_0002.png"
    Image.new("RGB", (300, 200), "white").save(second)
    added = cli.json("photo", "add", visit_id, str(first), str(second), "--item", "basics.toilets.clean", "--caption", "二楼卫生间")
    assert [p["original_filename"] for p in added] == ["IMG_0001.jpg", "IMG_0002.png"]
    assert added[0]["width"] == 400 and added[0]["height"] == 240  # stored sideways by the camera, upright here
    listed = cli.json("photo", "list", visit_id)
    assert {p["id"] for p in listed} == {p["id"] for p in added}
    assert "二楼卫生间" in cli.run("photo", "list", visit_id).stdout
    assert "ok" in cli.run("photo", "verify").stdout

    layers = tmp_path / "layers.json"
    layers.write_text('[{"kind": "redact", "x": 0, "y": 0, "w": 1, "h": 1}]', encoding="utf-8")
    assert len(cli.json("photo", "annotate", added[1]["id"][:8], "--layers", str(layers))["annotations"]) == 1
    out = tmp_path / "out.jpg"
    cli.run("photo", "export", added[1]["id"], "-o", str(out))
    assert Image.open(out).convert("L").getextrema()[1] <= 8  # fully redacted to black

    bad = tmp_path / "notes.jpg"
    bad.write_text("hello", encoding="utf-8")
    proc = cli.run("photo", "add", visit_id, str(bad), expect=1)
    assert "notes.jpg: not a supported photo" in proc.stderr
    proc = cli.run("photo", "add", visit_id, str(tmp_path / "missing.jpg"), expect=1)
    assert "missing.jpg: the file no longer exists" in proc.stderr
