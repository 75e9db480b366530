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
        problem: 卫生间不洁
        problem_en: The toilets are dirty
        basis:
          - source: huaian-2023
            clause: 二(二)6 一
            quote: 加强卫生间、候诊区等重点区域的卫生管理和设施改造
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
        ["sample.yaml:16: unknown key 'questoin' in item 'sample.a' (allowed: id, question, question_en, problem, problem_en, guidance, "
         "guidance_en, basis, response, applies, severity, department, photo_required, formerly)"],
    ),
    "duplicate_item_ids": (
        _checklist(GOOD_ITEM.format(id="sample.a") + GOOD_ITEM.format(id="sample.a")),
        ["sample.yaml:16: duplicate item id 'sample.a' (first defined at sample.yaml:8)"],
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
        ["sample.yaml:16: unknown response type 'yes-no' in item 'sample.a' (use yesno, number, duration, choice, text)"],
    ),
    "bad_response_type_in_mapping": (
        _checklist(GOOD_ITEM.format(id="sample.a") + "        response: {type: percent, unit: '%'}\n"),
        ["sample.yaml:16: unknown response type 'percent' in item 'sample.a' (use yesno, number, duration, choice, text)"],
    ),
    "bad_applicability_tag": (
        _checklist(GOOD_ITEM.format(id="sample.a") + "        applies: [tcm-only]\n"),
        ["sample.yaml:16: unknown applicability tag 'tcm-only' in item 'sample.a' (use tcm, tertiary, obstetrics)"],
    ),
    "unknown_source": (
        _checklist(GOOD_ITEM.format(id="sample.a").replace("huaian-2023", "huaian-2099")),
        ["sample.yaml:13: unknown source 'huaian-2099' in item 'sample.a' (known: huaian-2023, jilin-tcm-2023, yubei-2023)"],
    ),
    "quote_not_in_source": (
        _checklist(GOOD_ITEM.format(id="sample.a").replace("加强卫生间、候诊区等重点区域的卫生管理和设施改造", "厕所必须有香薰")),
        ["sample.yaml:15: quote not found in source huaian-2023: '厕所必须有香薰'"],
    ),
    "duplicate_yaml_key": (
        _checklist(GOOD_ITEM.format(id="sample.a") + "        severity: minor\n        severity: major\n"),
        ["sample.yaml:17: duplicate key 'severity' (first at line 16)"],
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
            "sample.yaml:16: unknown severity 'fatal' in item 'sample.a' (use minor, major, critical)",
            "sample.yaml:17: bad id 'Sample.B' in item 'Sample.B': use lowercase letters, digits, '-', '_' and '.'",
            "sample.yaml:17: item 'Sample.B' has no basis: every item must cite at least one source (source, clause, quote)",
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
    assert "one.yaml:8: duplicate item id 'basics.toilets.clean' (first defined at basics.yaml:37)" in problems
    assert any(p.startswith("two.yaml:8: item 'two.a' has no basis") for p in problems)
    assert any(p.startswith("templates/broken.yaml:3: template 'broken' names a missing checklist 'nope'") for p in problems)


def test_valid_file_loads_with_defaults(library_copy: Path) -> None:
    checklist = load_checklist_file(library_copy / "basics.yaml")
    _section, item = next(checklist.items())
    assert item.response.type == "yesno" and item.applies == [] and item.severity == "major"
    assert checklist.source_path == library_copy / "basics.yaml"
    wait = next(i for _s, i in checklist.items() if i.id == "basics.waiting.wait-time")
    assert wait.response.evaluate(30) == "conform" and wait.response.evaluate("31") == "nonconform"
    with pytest.raises(ValueError, match="needs a number"):
        wait.response.evaluate("soon")


def test_source_passage_is_found_across_line_breaks(fixture_library) -> None:  # type: ignore[no-untyped-def]
    doc = fixture_library.sources["yubei-2023"]
    first, last, passage = doc.find_passage("力争患者门诊等候时间控制在30分钟以内")
    assert first <= last and "30 分钟以内" in passage
    assert doc.find_passage("不存在的句子") is None


def test_coverage_table_lists_cited_clauses_in_document_order(fixture_library) -> None:  # type: ignore[no-untyped-def]
    from auditapp.checklists.coverage import render_coverage

    text = render_coverage(fixture_library)
    jilin = text.split("\n## 中医医疗服务提升工程实施方案")[1].split("\n## ")[0]
    rows = [line for line in jilin.splitlines() if line.startswith("| 二")]
    # 二(一)三 comes before 二(二)二 in the document, and 二(八)三 last.
    assert [r.split("|")[1].strip() for r in rows] == ["二(一)三", "二(二)二", "二(八)三"]
    assert "`tcm-extra.culture.baduanjin`" in rows[-1] and "`tcm-extra.culture.boards`" in rows[-1]


# ---------------------------------------------------------------------------
# Authoring rules (auditapp/checklists/rules.py): each gives its exact file:line message.


def _item(item_id: str, *, question: str = "卫生间是否干净？", basis: str | None = None, extra: str = "",
          problem: bool = True) -> str:
    basis = basis or (
        "          - source: huaian-2023\n            clause: 二(二)6 一\n"
        "            quote: 加强卫生间、候诊区等重点区域的卫生管理和设施改造\n"
    )
    lines = f"      - id: {item_id}\n        question: {question}\n"
    if problem:
        lines += "        problem: 卫生间不洁\n        problem_en: The toilets are dirty\n"
    return lines + "        basis:\n" + basis + extra


JILIN_ONLY = "          - source: jilin-tcm-2023\n            clause: 二(一)三\n            quote: 保持干净、整洁、安全、舒适\n"

RULE_CASES = {
    "same_sentence_two_labels": (
        _item("sample.a", basis=(
            "          - source: huaian-2023\n            clause: 二(二)6 四\n            quote: 规范配备消防灭火设施\n"))
        + _item("sample.b", basis=(
            "          - source: huaian-2023\n            clause: 二(二)6\n            quote: 保持救援通道畅通\n")),
        [
            "sample.yaml:13: item 'sample.a' cites a sentence of huaian-2023 as '二(二)6 四', but item 'sample.b' (二(二)6) cite the same sentence under another label",  # noqa: E501 - Chinese text, a sentence kept whole
            "sample.yaml:21: item 'sample.b' cites a sentence of huaian-2023 as '二(二)6', but item 'sample.a' (二(二)6 四) cite the same sentence under another label",  # noqa: E501 - Chinese text, a sentence kept whole
        ],
    ),
    "all_institutions_on_a_tcm_only_document": (
        _item("sample.a", basis=JILIN_ONLY),
        ["sample.yaml:13: item 'sample.a' applies to every institution, but its only bases address TCM institutions (jilin-tcm-2023): "
         "cite a document for all institutions, or add applies: [tcm]"],
    ),
    "tcm_only_item_on_a_tcm_only_document_is_fine": (_item("sample.a", basis=JILIN_ONLY, extra="        applies: [tcm]\n"), []),
    "tcm_only_sentence_of_a_general_document": (
        _item("sample.a", basis=(
            "          - source: huaian-2023\n            clause: 二(一)5 四\n"
            "            quote: 中医医疗机构门诊建立“中医综合治疗区”\n            tcm_only: true\n")),
        ["sample.yaml:13: item 'sample.a' applies to every institution, but its only bases address TCM institutions (huaian-2023): "
         "cite a document for all institutions, or add applies: [tcm]"],
    ),
    "target_without_its_source": (
        _item("sample.a", extra="        response: {type: number, unit: 种, target: {op: \">=\", value: 3}}\n"),
        ["sample.yaml:16: the target of item 'sample.a' must name the document that sets it (source:)"],
    ),
    "target_of_a_tcm_document_judging_everyone": (
        _item("sample.a", basis=_item("x", basis=JILIN_ONLY).split("basis:\n")[1] + (
            "          - source: huaian-2023\n            clause: 二(二)6 一\n"
            "            quote: 加强卫生间、候诊区等重点区域的卫生管理和设施改造\n"),
            extra="        response: {type: number, unit: 种, target: {op: \">=\", value: 3, source: jilin-tcm-2023}}\n"),
        ["sample.yaml:19: the target of item 'sample.a' comes from jilin-tcm-2023, which addresses TCM institutions only: "
         "add applies: [tcm] to the target so other institutions record the value without a verdict"],
    ),
    "space_inside_chinese_text": (
        _item("sample.a", extra="        guidance: 在候诊区观察， 记录叫号方式。\n"),
        ["sample.yaml:16: guidance of item 'sample.a' has a space inside Chinese text ('， 记'): "
         "write it on one line or as a plain scalar, not folded across lines"],
    ),
    "folded_guidance_breaks_chinese": (
        _item("sample.a", extra="        guidance: >-\n          在候诊区观察叫号屏，\n          记录显示方式。\n"),
        ["sample.yaml:16: guidance of item 'sample.a' has a space inside Chinese text ('， 记'): "
         "write it on one line or as a plain scalar, not folded across lines"],
    ),
    "awkward_negative_question": (
        _item("sample.a", question="叫号屏是否不显示全名？"),
        ["sample.yaml:9: the question of item 'sample.a' asks 是否不/未/没有/无人/避免…: ask for what should be there instead"],
    ),
    "missing_problem_statement": (
        _item("sample.a", problem=False),
        ["sample.yaml:8: item 'sample.a' has no problem statement: add problem: (what a rectification list prints when it is not met)",
         "sample.yaml:8: item 'sample.a' has no problem_en: add the problem statement in English"],
    ),
    "problem_worded_as_a_question": (
        _item("sample.a").replace("problem: 卫生间不洁", "problem: 卫生间是否干净？"),
        ["sample.yaml:10: the problem of item 'sample.a' is a question: state the nonconformity"],
    ),
    "encouragement_not_declared": (
        _item("sample.a", basis=(
            "          - source: huaian-2023\n            clause: 二(二)6 二\n            quote: 鼓励配备轮椅、平车\n")),
        ["sample.yaml:13: the sentence quoted by item 'sample.a' (huaian-2023 二(二)6 二) encourages or sets a condition "
         "(鼓励/有条件的/探索): say encouraged: true, or encouraged: false if it is still a requirement"],
    ),
    "encouragement_declared": (
        _item("sample.a", basis=(
            "          - source: huaian-2023\n            clause: 二(二)6 二\n            quote: 鼓励配备轮椅、平车\n"
            "            encouraged: true\n")),
        [],
    ),
}


@pytest.mark.parametrize("case", sorted(RULE_CASES))
def test_authoring_rule_reports_file_and_line(case: str, library_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body, expected = RULE_CASES[case]
    (library_copy / "sample.yaml").write_text(_checklist(body), encoding="utf-8")
    monkeypatch.chdir(library_copy)
    assert validate_paths([Path(".")]) == expected


STRUCTURED_SOURCE = """\
一、总体要求
提升患者体验。
二、重点任务
（一）优化门诊。
1.改善环境。一是加强卫生间卫生管理，保持清洁。二是设置醒目的平面图，方便患者寻找科室。
2.公开信息。医疗机构要公示收费标准。
三、组织实施
各单位要加强领导。
"""

STRUCTURED_INDEX = """\
- short_name: demo-2024
  title: 示例方案
  issuer: 示例卫生健康委员会
  file: demo-2024.txt
  jurisdiction: {region: 江苏省示例市, institutions: all}
  clauses:
    style: nested
    inferred:
      - {line: 8, label: 三(一), note: 标题缺失}
"""


def _structured_library(tmp_path: Path, items: str, notes: str | None = None) -> Path:
    lib = tmp_path / "structured"
    (lib / "sources").mkdir(parents=True)
    (lib / "sources" / "demo-2024.txt").write_text(STRUCTURED_SOURCE, encoding="utf-8")
    (lib / "sources" / "index.yaml").write_text(STRUCTURED_INDEX, encoding="utf-8")
    (lib / "sample.yaml").write_text(_checklist(items), encoding="utf-8")
    if notes is not None:
        (lib / "coverage-notes.yaml").write_text(notes, encoding="utf-8")
    return lib


def _demo_item(item_id: str, clause: str, quote: str, extra: str = "") -> str:
    return _item(item_id, basis=f"          - source: demo-2024\n            clause: {clause}\n            quote: {quote}\n{extra}")


def test_clause_label_is_checked_against_the_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lib = _structured_library(tmp_path, _demo_item("sample.a", "二(一)1", "设置醒目的平面图"))
    monkeypatch.chdir(lib)
    problems = validate_paths([Path(".")])
    assert ("sample.yaml:14: clause '二(一)1' of item 'sample.a' does not match the document: "
            "the quote sits in demo-2024 二(一)1 二") in problems


def test_inferred_label_must_say_so_and_printed_label_must_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lib = _structured_library(
        tmp_path,
        _demo_item("sample.a", "三(一)", "各单位要加强领导") + _demo_item("sample.b", "二(一)2", "医疗机构要公示收费标准", "            inferred: true\n"),  # noqa: E501 - Chinese text, a sentence kept whole
    )
    monkeypatch.chdir(lib)
    problems = validate_paths([Path(".")])
    assert ("sample.yaml:14: clause '三(一)' of item 'sample.a' is inferred from the passage's position (标题缺失): add inferred: true") in problems  # noqa: E501 - Chinese text, a sentence kept whole
    assert "sample.yaml:24: clause '二(一)2' of item 'sample.b' is printed in the document: remove inferred: true" in problems


def test_every_clause_is_cited_or_explained_and_notes_are_accurate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = _demo_item("sample.a", "二(一)1 一", "加强卫生间卫生管理") + _demo_item("sample.b", "二(一)2", "医疗机构要公示收费标准")
    notes = (
        "demo-2024:\n"
        "  - {clause: 二(一)2, topic: 收费公示, reason: 已列入, observable: true}\n"
        "  - {clause: 三(一), topic: 组织领导, reason: 内部管理, observable: false}\n"
        "  - {clause: 四, topic: 不存在, reason: 无, observable: false}\n"
    )
    lib = _structured_library(tmp_path, items, notes)
    monkeypatch.chdir(lib)
    problems = [p.replace(str(lib) + "/", "") for p in validate_paths([Path(".")])]
    assert [p for p in problems if p.startswith("coverage-notes.yaml")] == [
        "coverage-notes.yaml:2: clause '二(一)2' of demo-2024 is listed as left out, but sample.b cite it: "
        "remove the note, or mark it partial: true and name the part that is left out",
        "coverage-notes.yaml:4: demo-2024 has no clause '四'",
        "coverage-notes.yaml:1: clause '一' of demo-2024 is neither cited nor explained: cite it or add a note with the reason (一、总体要求提升患者体验。…)",  # noqa: E501 - Chinese text, a sentence kept whole
        "coverage-notes.yaml:1: clause '二(一)1 二' of demo-2024 is neither cited nor explained: cite it or add a note with the reason (二是设置醒目的平面图，方便患者寻找科室。…)",  # noqa: E501 - Chinese text, a sentence kept whole
    ]


def test_template_walk_places_every_section_once(library_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (library_copy / "templates" / "general.yaml").write_text(
        "schema: 1\nid: general\ntitle: 综合医院（测试用）\napplies_to: [general, specialist, primary]\nchecklists: [basics]\n"
        "walk:\n  - id: hall\n    title: 大厅\n    sections: [basics.entrance, basics.toilets, basics.nowhere]\n"
        "  - id: again\n    title: 再次\n    sections: [basics.entrance, tcm-extra.culture]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(library_copy)
    problems = [p for p in validate_paths([Path(".")]) if p.startswith("templates/general.yaml")]
    assert problems == [
        "templates/general.yaml:9: walk stage 'hall' names 'basics.nowhere', but basics has no section 'nowhere' (sections: entrance, toilets, waiting)",  # noqa: E501 - Chinese text, a sentence kept whole
        "templates/general.yaml:12: walk places 'basics.entrance' twice (first in stage 'hall')",
        "templates/general.yaml:12: walk stage 'again' names 'tcm-extra.culture', but 'tcm-extra' is not one of the template's checklists",
        "templates/general.yaml:7: the walk of template 'general' does not place section 'basics.waiting'",
    ]


def test_source_index_needs_a_jurisdiction(library_copy: Path) -> None:
    index = library_copy / "sources" / "index.yaml"
    index.write_text(index.read_text(encoding="utf-8").replace("  jurisdiction: {region: 吉林省, institutions: tcm}\n",
                                                               "  jurisdiction: {region: 吉林省, institutions: 中医}\n"), encoding="utf-8")
    problems = validate_paths([library_copy])
    assert any("jurisdiction institutions must be one of all, tcm, not '中医'" in p for p in problems)
