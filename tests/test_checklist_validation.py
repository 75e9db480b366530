"""Validation of checklist files: each broken file gives its exact `file:line: message`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from auditapp.checklists import load_checklist_file, load_library, validate_paths
from auditapp.errors import ChecklistError
from conftest import LIBRARY_FIXTURE

GOOD_ITEM = """\
      - id: {id}
        question: 卫生间是否干净？
        basis:
          - source: jilin-tcm-2023
            clause: 二(一)三
            quote: 保持干净、整洁、安全、舒适
"""


def _checklist(body: str, cid: str = "sample") -> str:
    return f"""\
id: {cid}
version: 1
title: 测试
sections:
  - id: toilets
    title: 卫生间
    items:
{body}"""


# (file text, expected problems); line numbers are 1-based lines of the file text.
CASES = {
    "unknown_key": (
        _checklist(GOOD_ITEM.format(id="sample.a") + "        questoin: 拼错了\n"),
        ["sample.yaml:14: unknown key 'questoin' in item 'sample.a' (allowed: id, question, question_en, problem, problem_en, guidance, "
         "guidance_en, basis, response, applies, severity, department, photo_required)"],
    ),
    "duplicate_item_ids": (
        _checklist(GOOD_ITEM.format(id="sample.a") + GOOD_ITEM.format(id="sample.a")),
        ["sample.yaml:14: duplicate item id 'sample.a' (first defined at sample.yaml:8)"],
    ),
    "missing_basis": (
        _checklist("      - id: sample.a\n        question: 有无扶手？\n"),
        ["sample.yaml:8: item 'sample.a' has no basis: every item must cite at least one source (source, clause, quote)"],
    ),
    "empty_basis": (
        _checklist("      - id: sample.a\n        question: 有无扶手？\n        basis: []\n"),
        ["sample.yaml:10: item 'sample.a' has no basis: every item must cite at least one source (source, clause, quote)"],
    ),
    "bad_response_type": (
        _checklist(GOOD_ITEM.format(id="sample.a") + "        response: yes-no\n"),
        ["sample.yaml:14: unknown response type 'yes-no' in item 'sample.a' (use yesno, number, duration, choice, text)"],
    ),
    "bad_response_type_in_mapping": (
        _checklist(GOOD_ITEM.format(id="sample.a") + "        response: {type: percent, unit: '%'}\n"),
        ["sample.yaml:14: unknown response type 'percent' in item 'sample.a' (use yesno, number, duration, choice, text)"],
    ),
    "bad_applicability_tag": (
        _checklist(GOOD_ITEM.format(id="sample.a") + "        applies: [tcm-only]\n"),
        ["sample.yaml:14: unknown applicability tag 'tcm-only' in item 'sample.a' (use tcm, tertiary, obstetrics)"],
    ),
    "unknown_source": (
        _checklist(GOOD_ITEM.format(id="sample.a").replace("jilin-tcm-2023", "jilin-2099")),
        ["sample.yaml:11: unknown source 'jilin-2099' in item 'sample.a' (known: huaian-2023, jilin-tcm-2023, yubei-2023)"],
    ),
    "quote_not_in_source": (
        _checklist(GOOD_ITEM.format(id="sample.a").replace("保持干净、整洁、安全、舒适", "厕所必须有香薰")),
        ["sample.yaml:13: quote not found in source jilin-tcm-2023: '厕所必须有香薰'"],
    ),
    "duplicate_yaml_key": (
        _checklist(GOOD_ITEM.format(id="sample.a") + "        severity: minor\n        severity: major\n"),
        ["sample.yaml:15: duplicate key 'severity' (first at line 14)"],
    ),
    "yaml_syntax_error": (
        "id: sample\nversion: 1\ntitle: [unclosed\n",
        None,  # message checked separately: PyYAML's wording
    ),
    "empty_file": ("", ["sample.yaml:1: the file is empty"]),
    "id_differs_from_file_name": (
        _checklist(GOOD_ITEM.format(id="sample.a"), cid="other"),
        ["sample.yaml:1: id 'other' must equal the file name 'sample'"],
    ),
    "several_problems_at_once": (
        _checklist(
            GOOD_ITEM.format(id="sample.a") + "        severity: fatal\n"
            + "      - id: Sample.B\n        question: x\n"
        ),
        [
            "sample.yaml:14: unknown severity 'fatal' in item 'sample.a' (use minor, major, critical)",
            "sample.yaml:15: bad id 'Sample.B' in item 'Sample.B': use lowercase letters, digits, '-', '_' and '.'",
            "sample.yaml:15: item 'Sample.B' has no basis: every item must cite at least one source (source, clause, quote)",
        ],
    ),
}


@pytest.fixture
def library_copy(tmp_path: Path) -> Path:
    target = tmp_path / "lib"
    shutil.copytree(LIBRARY_FIXTURE, target)
    return target


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_checklist_reports_file_and_line(case: str, library_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text, expected = CASES[case]
    path = library_copy / "sample.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(library_copy)
    problems = validate_paths([Path("sample.yaml")])
    if expected is None:
        [problem] = problems
        assert problem.startswith("sample.yaml:4: YAML syntax error") and "at line 3" in problem
    else:
        assert problems == expected
    with pytest.raises(ChecklistError) as info:
        load_library(library_copy)
    assert len(info.value.problems) >= 1


def test_problems_across_files_are_all_reported(library_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (library_copy / "one.yaml").write_text(_checklist(GOOD_ITEM.format(id="basics.toilets.clean"), "one"), encoding="utf-8")
    (library_copy / "two.yaml").write_text(_checklist("      - id: two.a\n        question: x\n", "two"), encoding="utf-8")
    (library_copy / "templates" / "broken.yaml").write_text("id: broken\ntitle: x\nchecklists: [basics, nope]\n", encoding="utf-8")
    monkeypatch.chdir(library_copy)
    problems = validate_paths([Path(".")])
    assert "one.yaml:8: duplicate item id 'basics.toilets.clean' (first defined at basics.yaml:30)" in problems
    assert any(p.startswith("two.yaml:8: item 'two.a' has no basis") for p in problems)
    assert any(p.startswith("templates/broken.yaml:3: template 'broken' names a missing checklist 'nope'") for p in problems)


def test_valid_file_loads_with_defaults(library_copy: Path) -> None:
    checklist = load_checklist_file(library_copy / "basics.yaml")
    _section, item = next(checklist.items())
    assert item.response.type == "yesno" and item.applies == [] and item.severity == "major"
    assert checklist.source_path == library_copy / "basics.yaml"
    wait = next(i for _s, i in checklist.items() if i.id == "basics.waiting.wait-time")
    assert wait.response.evaluate(30) == "conform" and wait.response.evaluate("31") == "nonconform"
    with pytest.raises(ValueError, match="expected a number"):
        wait.response.evaluate("soon")


def test_source_passage_is_found_across_line_breaks(fixture_library) -> None:  # type: ignore[no-untyped-def]
    doc = fixture_library.sources["yubei-2023"]
    first, last, passage = doc.find_passage("力争患者门诊等候时间控制在30分钟以内")
    assert first <= last and "30 分钟以内" in passage
    assert doc.find_passage("不存在的句子") is None


def test_coverage_table_lists_cited_clauses_in_document_order(fixture_library) -> None:  # type: ignore[no-untyped-def]
    from auditapp.checklists.coverage import render_coverage

    text = render_coverage(fixture_library)
    jilin = text.split("## 中医医疗服务提升工程实施方案")[1].split("## ")[0]
    rows = [line for line in jilin.splitlines() if line.startswith("| 二")]
    # 二(一)三 comes before 二(二)二 in the document, and 二(八)三 last.
    assert [r.split("|")[1].strip() for r in rows] == ["二(一)三", "二(二)二", "二(八)三"]
    assert "`tcm-extra.culture.baduanjin`" in rows[-1] and "`tcm-extra.culture.boards`" in rows[-1]
