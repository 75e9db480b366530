"""The shipped checklist library: every item traceable to its document, ids unique,
templates and ▲/＃/TCM applicability behaving as the seed documents say.

Most checks read the YAML and source files directly rather than trusting the loader,
so a loader bug cannot hide a bad citation; the clause structure comes from the engine.
"""

from __future__ import annotations

import copy
import functools
import os
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from auditapp.checklists import InstitutionProfile, applicable_indicators, load_library, walk_order
from auditapp.checklists.applicability import applicable_items
from auditapp.errors import ChecklistError
from auditapp.services import institutions, visits
from conftest import REPO_ROOT

CHECKLISTS = REPO_ROOT / "checklists"
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
SEED_SHORT_NAMES = {"yubei-2023", "huaian-2023", "beijing-2022", "wuzhong-2021", "jilin-tcm-2023"}
THEMES = {
    "signage", "toilets", "privacy", "aed-emergency", "barrier-free", "tcm-culture",
    "environment", "booking-flow", "disclosure-rights",
}
CJK = re.compile(r"[\u4e00-\u9fff]")
# Chinese characters or full-width punctuation with whitespace between them (YAML folding debris).
CJK_GAP = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”][ \t\u00a0\n]+[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”]")
ZH_FIELDS = ("question", "problem", "guidance", "title", "description", "quote", "name", "definition", "topic", "reason")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _checklist_files() -> list[Path]:
    return sorted(p for p in CHECKLISTS.glob("*.yaml") if p.name != "coverage-notes.yaml")


def _yaml(path: Path) -> Any:
    """The file as plain PyYAML reads it (a fresh copy: tests may change what they get)."""
    return copy.deepcopy(_parsed(path))


@functools.cache
def _parsed(path: Path) -> Any:
    # Each file is parsed once per module, not once per test that reads it (19 readers).
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _items() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in _checklist_files():
        data = _yaml(path)
        for section in data["sections"]:
            for item in section["items"]:
                out.append((path.name, item))
    return out


def _index() -> dict[str, dict[str, Any]]:
    return {e["short_name"]: e for e in _yaml(CHECKLISTS / "sources" / "index.yaml")}


def _strings(node: Any, key: str = "") -> list[tuple[str, str]]:
    """Every (key, string) pair in a YAML tree."""
    if isinstance(node, dict):
        return [pair for k, v in node.items() for pair in _strings(v, str(k))]
    if isinstance(node, list):
        return [pair for v in node for pair in _strings(v, key)]
    return [(key, node)] if isinstance(node, str) else []


@pytest.fixture(scope="module")
def library():  # type: ignore[no-untyped-def]
    return load_library(CHECKLISTS)


def test_every_theme_the_seeds_name_has_a_checklist(library) -> None:  # type: ignore[no-untyped-def]
    assert set(library.checklists) == THEMES
    for theme in THEMES:
        assert sum(1 for _ in library.checklists[theme].items()) >= 10, f"{theme} is too thin"


def test_item_ids_are_unique_across_the_library() -> None:
    counts = Counter(item["id"] for _file, item in _items())
    assert len(counts) > 180
    assert [i for i, n in counts.items() if n > 1] == []


def test_every_basis_names_a_seed_document_and_quotes_it_verbatim() -> None:
    index = _index()
    assert set(index) == SEED_SHORT_NAMES
    texts = {name: _flat((CHECKLISTS / "sources" / e["file"]).read_text(encoding="utf-8")) for name, e in index.items()}
    wrong = []
    for file, item in _items():
        assert item.get("basis"), f"{file}: {item['id']} has no basis"
        for basis in item["basis"]:
            if basis["source"] not in SEED_SHORT_NAMES:
                wrong.append(f"{item['id']}: unknown source {basis['source']}")
            elif _flat(basis["quote"]) not in texts[basis["source"]]:
                wrong.append(f"{item['id']}: quote not in {basis['source']}: {basis['quote']}")
            assert str(basis["clause"]).strip(), f"{item['id']} cites no clause"
    assert wrong == []


def test_items_are_written_for_a_person_walking_as_a_patient() -> None:
    for _file, item in _items():
        assert CJK.search(item["question"]), item["id"]
        assert item.get("guidance"), f"{item['id']} has no guidance on how to check discreetly"
        assert item.get("department"), f"{item['id']} has no default responsible department"


def test_every_item_states_its_problem_in_both_languages(library) -> None:  # type: ignore[no-untyped-def]
    missing = []
    for _file, item in _items():
        problem, problem_en = item.get("problem", ""), item.get("problem_en", "")
        if not problem.strip() or not problem_en.strip():
            missing.append(item["id"])
            continue
        # a statement for the department, never the question again
        assert "是否" not in problem and not problem.endswith(("？", "?")), item["id"]
        assert not problem_en.rstrip().endswith("?"), item["id"]
        assert CJK.search(problem) and not CJK.search(problem_en), item["id"]
    assert missing == []
    _checklist, _section, cash = library.item("barrier-free.elderly.cash")
    assert cash.problem_statement("zh_CN") == cash.problem and cash.problem_statement("en") == cash.problem_en


def test_no_chinese_text_is_split_by_spaces() -> None:
    files = _checklist_files() + sorted((CHECKLISTS / "indicators").glob("*.yaml")) + sorted((CHECKLISTS / "templates").glob("*.yaml"))
    files.append(CHECKLISTS / "coverage-notes.yaml")
    broken = []
    for path in files:
        for key, text in _strings(_yaml(path)):
            if key in ZH_FIELDS and CJK_GAP.search(text):
                broken.append(f"{path.name}: {key}: {CJK_GAP.search(text).group(0)!r}")  # type: ignore[union-attr]
    assert broken == []


def test_questions_ask_for_what_should_be_there() -> None:
    awkward = [item["id"] for _f, item in _items() if re.search(r"是否(不|未|没有|无人|避免)", item["question"])]
    assert awkward == []


def test_guidance_never_asks_the_visitor_to_pose_or_do_what_is_not_needed() -> None:
    # Phrases of the guidance the issue found inappropriate: posing as a relative or patient,
    # using a patient's own toilet, testing emergency lines, having an unneeded examination,
    # asking staff for statistics, questioning inpatients, booking on every channel.
    banned = ("家属身份", "为由", "装作", "借用所探视病房", "试问一个简单问题", "自己做一项此类检查", "向门诊部了解日均门诊量",
              "询问一两位住院患者", "分别在医院公众号", "以常见中医优势病种", "以带孩子就诊的家长身份", "以替")
    found = [(item["id"], b) for _f, item in _items() for b in banned if b in item.get("guidance", "")]
    assert found == []
    # where an examination is involved, the visitor is told not to have one for the visit's sake
    for item_id in (
        "signage.examination.radiation-shielding",
        "privacy.examination.exposure-explained",
        "booking-flow.after.online-results",
    ):
        guidance = next(i["guidance"] for _f, i in _items() if i["id"] == item_id)
        assert "不要为体验而做" in guidance, item_id


def test_source_copies_keep_the_seed_wording() -> None:
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the seed documents are missing at {SEEDS}")
        pytest.skip("../shared/seeds is not beside the checkout")
    readme = (SEEDS / "README.md").read_text(encoding="utf-8")
    for short in SEED_SHORT_NAMES:
        row = next(line for line in readme.splitlines() if f"| {short} |" in line)
        seed_file = SEEDS / row.split("|")[1].strip()
        copy = CHECKLISTS / "sources" / f"{short}.txt"
        assert _flat(copy.read_text(encoding="utf-8")) == _flat(seed_file.read_text(encoding="utf-8")), short


# ---------------------------------------------------------------------------
# Jurisdiction and applicability


def test_every_document_declares_where_and_to_whom_it_applies() -> None:
    expected = {
        "yubei-2023": ("重庆市渝北区", "all"), "huaian-2023": ("江苏省淮安市", "all"), "beijing-2022": ("北京市", "all"),
        "wuzhong-2021": ("江苏省苏州市吴中区", "all"), "jilin-tcm-2023": ("吉林省", "tcm"),
    }
    assert {k: (v["jurisdiction"]["region"], v["jurisdiction"]["institutions"]) for k, v in _index().items()} == expected


def test_no_item_for_every_institution_rests_only_on_tcm_only_text() -> None:
    tcm_docs = {k for k, v in _index().items() if v["jurisdiction"]["institutions"] == "tcm"}
    wrong = []
    for path in _checklist_files():
        data = _yaml(path)
        checklist_tcm_only = set(data.get("applies_to", ["general"])) <= {"tcm", "integrated"}
        for section in data["sections"]:
            for item in section["items"]:
                if checklist_tcm_only or "tcm" in item.get("applies", []):
                    continue
                general = [b for b in item["basis"] if b["source"] not in tcm_docs and not b.get("tcm_only")]
                if not general:
                    wrong.append(item["id"])
    assert wrong == []


def test_items_the_issue_found_misapplied_apply_as_their_bases_say(library) -> None:  # type: ignore[no-untyped-def]
    general = InstitutionProfile(kind="general", level=3)
    walk = {i.id for c in library.applicable_checklists(general) for _s, i in applicable_items(c, general)}
    # documents for all hospitals: now offered to a general hospital too
    for item_id in ("tcm-culture.services.integrated-clinics", "tcm-culture.services.decoction", "tcm-culture.services.herb-wait",
                    "privacy.ward.bed-card", "signage.entrance.floor-plan", "signage.floors.lift-directory"):
        assert item_id in walk, item_id
    # only the TCM document asks for these: TCM hospitals only
    for item_id in ("disclosure-rights.staff.dress-badge", "booking-flow.queue.booked-priority", "privacy.examination.changing-room",
                    "aed-emergency.aed.emergency-phone", "environment.ward.visiting-rules"):
        assert item_id not in walk, item_id
        assert "tcm" in library.item(item_id)[2].applies


def test_a_target_set_by_the_tcm_document_judges_tcm_hospitals_only(library) -> None:  # type: ignore[no-untyped-def]
    _c, _s, channels = library.item("booking-flow.booking.channels")
    assert channels.response.target.source == "jilin-tcm-2023"  # type: ignore[union-attr]
    tcm, general = InstitutionProfile(kind="tcm", level=3), InstitutionProfile(kind="general", level=3)
    assert channels.evaluate(2, tcm) == "nonconform" and channels.evaluate(3, tcm) == "conform"
    assert channels.evaluate(2, general) is None  # recorded, no verdict
    for _file, item in _items():
        target = (item.get("response") or {}).get("target") if isinstance(item.get("response"), dict) else None
        if target:
            assert target.get("source") in {b["source"] for b in item["basis"]}, item["id"]


def test_tcm_template_brings_tcm_items_to_tcm_hospitals_only(db, library) -> None:  # type: ignore[no-untyped-def]
    tcm = institutions.add_institution(db, name="中医院", kind="tcm", level=3)
    general = institutions.add_institution(db, name="人民医院", kind="general", level=3)
    assert library.default_template_for(tcm.profile).id == "tcm-hospital"
    assert library.default_template_for(general.profile).id == "general-hospital"
    tcm_visit = visits.visit_detail(db, visits.start_visit(db, institution=tcm.id, inspector="a", library=library).id)
    gen_visit = visits.visit_detail(db, visits.start_visit(db, institution=general.id, inspector="b", library=library).id)
    tcm_only = {v.item.id for v in tcm_visit.items if "tcm" in v.item.applies}
    assert len(tcm_only) >= 15 and any(i.startswith("tcm-culture.") for i in tcm_only)
    assert [v.item.id for v in gen_visit.items if "tcm" in v.item.applies] == []
    assert "tcm-culture" not in gen_visit.visit.checklist_ids
    # Everything else is shared: the general visit is the TCM visit minus the TCM items.
    assert {v.item.id for v in gen_visit.items} == {v.item.id for v in tcm_visit.items} - tcm_only


# ---------------------------------------------------------------------------
# Citations


def test_two_citations_of_one_sentence_carry_one_label(library) -> None:  # type: ignore[no-untyped-def]
    labels: dict[tuple[str, int], set[str]] = defaultdict(set)
    bases = [b for c in library.checklists.values() for _s, i in c.items() for b in i.basis]
    bases += [b for s in library.indicator_sets.values() for _d, i in s.indicators() for b in i.all_bases()]
    for basis in bases:
        found = library.sources[basis.source].clauses_of(basis.quote)
        sentence = next((n for clause, n in found if clause.label == basis.clause), found[0][1])
        labels[(basis.source, sentence)].add(basis.clause)
    assert {k: v for k, v in labels.items() if len(v) > 1} == {}


def test_every_label_is_where_its_quote_sits(library) -> None:  # type: ignore[no-untyped-def]
    wrong = []
    for checklist in library.checklists.values():
        for _s, item in checklist.items():
            for basis in item.basis:
                found = library.sources[basis.source].clauses_of(basis.quote)
                match = [c for c, _n in found if c.label == basis.clause]
                if not match:
                    wrong.append((item.id, basis.source, basis.clause, [c.label for c, _n in found]))
                elif match[0].inferred != basis.inferred:
                    wrong.append((item.id, basis.source, basis.clause, "inferred flag"))
    assert wrong == []
    # the 27 yubei labels the issue found now reach the sub-item; the same toilet sentence has one label
    _c, _s, toilets = library.item("toilets.outpatient.clean")
    _c, _s, halls = library.item("environment.halls.clean")
    assert {b.clause for b in toilets.basis if b.source == "yubei-2023"} == {b.clause for b in halls.basis if b.source == "yubei-2023"} == {"二(二)6 二"}  # noqa: E501 - Chinese text, a sentence kept whole


def test_wuzhong_labels_inferred_from_position_say_so(library) -> None:  # type: ignore[no-untyped-def]
    wuzhong = [(i.id, b) for c in library.checklists.values() for _s, i in c.items() for b in i.basis if b.source == "wuzhong-2021"]
    eleventh = [item_id for item_id, b in wuzhong if b.clause == "三(十一)"]
    assert len(eleventh) == 5 and all(b.inferred for _i, b in wuzhong if b.clause == "三(十一)")
    assert all(b.label("zh_CN").endswith("（条款号推定）") for _i, b in wuzhong if b.inferred)
    printed = {"二(五)", "二(八)", "三(一)", "三(三)", "三(八)", "三(十)", "三(十二)"}
    assert all(not b.inferred for _i, b in wuzhong if b.clause in printed)


def test_stretched_bases_were_replaced(library) -> None:  # type: ignore[no-untyped-def]
    def quotes(item_id: str) -> set[str]:
        return {b.quote for b in library.item(item_id)[2].basis}

    assert "加强退号、退费、失约管理" not in quotes("booking-flow.payment.refund-no-threshold")
    assert "对 AED 点位进行梳理，形成门诊区域急救 AED 地图" not in quotes("aed-emergency.aed.staff-know")
    assert all("公示" not in library.item(i)[2].question for i in ("aed-emergency.emergency.triage", "aed-emergency.emergency.treat-first"))
    floor = [b for b in library.item("booking-flow.arrival.floor-windows")[2].basis if b.source == "jilin-tcm-2023"]
    assert floor and all(b.encouraged for b in floor)  # 有条件的 is not a requirement
    assert not any(b.clause.startswith("附件") for c in library.checklists.values() for _s, i in c.items() for b in i.basis)


# ---------------------------------------------------------------------------
# Indicators: their own sets, per city, not in the walk


def test_indicators_are_not_part_of_any_walk(library) -> None:  # type: ignore[no-untyped-def]
    assert "indicators" not in library.checklists
    for template in library.templates.values():
        assert all(not c.startswith("indicators") for c in template.checklists)
    assert all(not i["id"].startswith("indicators.") for _f, i in _items())


def test_indicator_annexes_are_complete_with_their_marks(library) -> None:  # type: ignore[no-untyped-def]
    annex = library.indicator_sets["annex-2023"]
    listed: dict[str, set[int]] = defaultdict(set)
    for _d, indicator in annex.indicators():
        for basis in indicator.required_by:
            m = re.fullmatch(r"附件1? 指标(\d+)", basis.clause)
            if m:
                listed[basis.source].add(int(m.group(1)))
                # The annex marks ▲ (tertiary / alliance lead) and ＃ (obstetrics) on the name itself.
                assert ("▲" in basis.quote) == ("tertiary" in indicator.applies), indicator.id
                assert ("＃" in basis.quote or "#" in basis.quote) == ("obstetrics" in indicator.applies), indicator.id
    assert listed == {"yubei-2023": set(range(1, 28)), "huaian-2023": set(range(1, 31))}
    # indicators both annexes list are one record with both entries
    _d, centres = next((d, i) for d, i in annex.indicators() if i.id == "indicators.five-centres")
    assert {(b.source, b.clause) for b in centres.required_by} == {("yubei-2023", "附件1 指标11"), ("huaian-2023", "附件 指标13")}
    assert sum(1 for _ in annex.indicators()) == 31  # 27 shared or Yubei's, 3 Huaian's own, pathway rates split in two


def test_indicator_targets_come_only_from_figures_in_the_seeds(library) -> None:  # type: ignore[no-untyped-def]
    for indicator_set in library.indicator_sets.values():
        for _d, indicator in indicator_set.indicators():
            for target in indicator.targets:
                # the figure is in the quote itself, or "all wards" / "full coverage" for 100%
                whole = target.value == 100 and any(w in target.quote for w in ("全覆盖", "所有", "全部"))
                assert f"{target.value:g}" in _flat(target.quote) or whole, (indicator.id, target.quote)
                assert library.sources[target.source].contains(target.quote)


def test_every_old_indicator_answer_maps_to_an_indicator(library) -> None:  # type: ignore[no-untyped-def]
    old = [f"indicators.yubei.{n:02d}" for n in range(1, 28)] + [f"indicators.huaian.{n:02d}" for n in range(1, 31)]
    formerly = [f for s in library.indicator_sets.values() for _d, i in s.indicators() for f in i.formerly]
    numbered = [re.match(r"indicators\.(yubei|huaian)\.\d+", f) for f in formerly]
    assert Counter(m.group(0) for m in numbered if m) == Counter(old)
    assert "booking-flow.arrival.guide-ratio" in formerly  # the 0.2% ratio moved from the walk to the statistics


@pytest.mark.parametrize(
    ("region", "expected_sources"),
    [
        ("北京市", {"beijing-2022"}),
        ("重庆市渝北区", {"yubei-2023"}),
        ("渝北区", {"yubei-2023"}),
        ("江苏省淮安市淮安区", {"huaian-2023"}),
        ("江苏省苏州市吴中区", set()),
        ("广东省广州市", set()),
    ],
)
def test_each_city_reports_its_own_indicators_only(library, region: str, expected_sources: set[str]) -> None:  # type: ignore[no-untyped-def]
    from auditapp.checklists.binding import basis_is_local

    profile = InstitutionProfile(kind="general", level=3, has_obstetrics=True, region=region)
    found = [i for s in library.indicator_sets.values() for _d, i in applicable_indicators(s, profile, library.sources)]
    requiring = {b.source for i in found for b in i.required_by if basis_is_local(b, profile, library.sources)}
    assert requiring == expected_sources
    assert all(any(basis_is_local(b, profile, library.sources) for b in i.required_by) for i in found)


@pytest.mark.parametrize(
    ("level", "obstetrics", "lead", "tertiary_expected", "obstetrics_expected"),
    [
        (2, False, False, False, False),
        (3, False, False, True, False),
        (2, False, True, True, False),
        (2, True, False, False, True),
        (3, True, True, True, True),
    ],
)
def test_tertiary_and_obstetrics_indicators_follow_the_institution(
    library, level: int, obstetrics: bool, lead: bool, tertiary_expected: bool, obstetrics_expected: bool  # type: ignore[no-untyped-def]
) -> None:
    profile = InstitutionProfile(kind="general", level=level, has_obstetrics=obstetrics, alliance_lead=lead, region="重庆市渝北区")
    chosen = [i for _d, i in applicable_indicators(library.indicator_sets["annex-2023"], profile, library.sources)]
    assert any("tertiary" in i.applies for i in chosen) == tertiary_expected
    assert any("obstetrics" in i.applies for i in chosen) == obstetrics_expected
    assert not any("tcm" in i.applies for i in chosen)


def test_a_beijing_visit_has_no_city_indicator_and_a_yubei_hospital_reports_its_own(db, library) -> None:  # type: ignore[no-untyped-def]
    beijing = institutions.add_institution(db, name="北京某医院", kind="general", level=3, region="北京市")
    detail = visits.visit_detail(db, visits.start_visit(db, institution=beijing.id, inspector="a", library=library).id)
    assert detail.items and not any(v.item.id.startswith("indicators.") for v in detail.items)
    assert not any(b.clause.startswith("附件") for v in detail.items for b in v.item.basis)
    yubei = InstitutionProfile(kind="general", level=3, region="重庆市渝北区")
    own = [i for _d, i in applicable_indicators(library.indicator_sets["annex-2023"], yubei, library.sources)]
    assert own and all(any(b.source == "yubei-2023" for b in i.required_by) for i in own)


# ---------------------------------------------------------------------------
# The walk: patient-path order from the template, duplicates merged


def test_templates_walk_every_section_along_the_patient_path(library) -> None:  # type: ignore[no-untyped-def]
    for template in library.templates.values():
        stages = [s.id for s in template.walk]
        assert stages[:4] == ["before", "arrival", "hall", "registration"]
        order = [stages.index(s) for s in ("waiting", "consultation", "tests", "payment", "pharmacy", "toilets", "emergency", "ward")]
        assert order == sorted(order), template.id
    profile = InstitutionProfile(kind="tcm", level=3)
    template = library.default_template_for(profile)
    checklists = [library.get(c) for c in sorted(template.checklists)]  # alphabetical, as the services iterate
    steps = walk_order(checklists, template)
    first = {}
    for n, step in enumerate(steps):
        first.setdefault(f"{step.checklist.id}.{step.section.id}", n)
    path = ["signage.entrance", "booking-flow.registration", "booking-flow.queue", "booking-flow.consult",
            "booking-flow.payment", "booking-flow.pharmacy", "toilets.outpatient", "aed-emergency.emergency", "privacy.ward"]
    assert [first[p] for p in path] == sorted(first[p] for p in path)
    assert steps[0].checklist.id != "aed-emergency" and steps[-1].checklist.id != "toilets"
    assert len(steps) == sum(1 for c in checklists for _ in c.items())


def test_merged_items_answer_to_their_old_ids(library) -> None:  # type: ignore[no-untyped-def]
    assert library.item("booking-flow.payment.digital-rmb")[2].id == "barrier-free.elderly.cash"
    assert library.item("tcm-culture.waiting.health-knowledge")[2].id == "disclosure-rights.health-education.displays"
    assert library.current_item_id("booking-flow.payment.digital-rmb") == "barrier-free.elderly.cash"
    cash = library.item("barrier-free.elderly.cash")[2]
    assert {b.quote for b in cash.basis} == {"支持现金、线上支付、数字人民币等多种收费方式"}


# ---------------------------------------------------------------------------
# Coverage: every clause accounted for, and the notes accurate


def test_every_clause_of_every_seed_is_cited_or_explained(library) -> None:  # type: ignore[no-untyped-def]
    from auditapp.checklists.coverage import document_coverage

    coverage, problems = document_coverage(library)
    assert problems == []
    for name, cov in coverage.items():
        figures = cov.figures()
        assert figures["covered"] + figures["indicators_only"] + figures["left_out"] == figures["clauses"] > 0, name
        # a clause listed as left out is not cited anywhere (and the reverse is enforced above)
        left = {n.clause for n in cov.left_out}
        assert not left & (set(cov.by_items) | set(cov.by_indicators)), name
    # the notes the issue found inaccurate: the phone line is tested, AI triage and same-day
    # examinations are observable and now items, large-examination waits are recorded as waits
    assert "30" in coverage["beijing-2022"].by_items and "14" in coverage["beijing-2022"].by_items
    assert "二(一)1 四" in coverage["yubei-2023"].by_items
    assert "二(二)4 三" in coverage["huaian-2023"].by_items
    reasons = [n.reason for cov in coverage.values() for n in cov.left_out + cov.partly]
    assert not any("原文无指标值" in r for r in reasons)


def _lines(node: Any) -> list[tuple[str, int]]:
    """Every node's kind and line, depth first: what file:line messages are made of."""
    out = [(type(node).__name__, node.start_mark.line)]
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out += _lines(key) + _lines(value)
    elif isinstance(node, yaml.SequenceNode):
        for value in node.value:
            out += _lines(value)
    return out


TRICKY_YAML = {
    "duplicate keys": "id: a\nsections:\n  - id: s\n    id: t\n",
    "anchors": "base: &b {x: 1}\nother: *b\nlist: [*b, *b]\n",
    "syntax error": "id: sample\ntitle: [unclosed\n",
    "tab indentation": "id: a\n\ttitle: b\n",
    "control character": "id: a\x07\n",
    "two documents": "id: a\n---\nid: b\n",
    "block nesting": "a:\n" + "".join("  " * n + "- \n" for n in range(1, 200)),
    "unknown tag": "id: !!python/object:os.system x\n",
}


@pytest.mark.parametrize("text", [*TRICKY_YAML.values(), *(p.read_text(encoding="utf-8") for p in sorted(CHECKLISTS.rglob("*.yaml")))],
                         ids=[*TRICKY_YAML, *(str(p.relative_to(CHECKLISTS)) for p in sorted(CHECKLISTS.rglob("*.yaml")))])
def test_the_fast_yaml_reader_reads_as_pyyaml_does(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The loader reads with libyaml where it can; data, node lines and every message must be PyYAML's own."""
    from auditapp.checklists import loader

    path = tmp_path / "sample.yaml"
    path.write_text(text, encoding="utf-8")
    fast = loader.parse_yaml_file(path, "sample.yaml")
    if not fast[2]:  # a document that reads cleanly was read by libyaml, not by the fallback
        assert yaml.__with_libyaml__ and loader._fast_node(text, []) is not None
    if text in (TRICKY_YAML["syntax error"], TRICKY_YAML["control character"], TRICKY_YAML["two documents"]):
        assert fast[1] is None and len(fast[2]) == 1 and fast[2][0].startswith("sample.yaml:"), fast[2]
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    plain = loader.parse_yaml_file(path, "sample.yaml")
    assert fast[0] == plain[0] and fast[2] == plain[2]
    assert (fast[1] is None) == (plain[1] is None)
    if fast[1] is not None:
        assert _lines(fast[1]) == _lines(plain[1])


def test_a_library_is_read_again_whenever_a_file_it_came_from_changes(tmp_path: Path) -> None:
    """load_library keeps the last library of each folder; any change to its files' content reads it afresh."""
    import shutil

    from conftest import LIBRARY_FIXTURE

    folder = tmp_path / "lib"
    shutil.copytree(LIBRARY_FIXTURE, folder)
    first = load_library(folder)
    assert load_library(folder) is first  # unchanged: the same library, not read again

    checklist = folder / "basics.yaml"
    stat = checklist.stat()
    text = checklist.read_text(encoding="utf-8")
    changed = text.replace("基础检查（测试用）", "基础检查（测试甲）")
    assert len(changed.encode()) == len(text.encode())
    checklist.write_text(changed, encoding="utf-8")
    os.utime(checklist, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time: only the content differs
    second = load_library(folder)
    assert second is not first and second.checklists["basics"].title == "基础检查（测试甲）"

    source = folder / "sources" / "huaian-2023.txt"  # a document quoted by the items: checked again too
    source.write_text(source.read_text(encoding="utf-8").replace("标识清晰易懂", "标识清晰明了"), encoding="utf-8")
    with pytest.raises(ChecklistError) as info:
        load_library(folder)
    assert any("标识清晰易懂" in p for p in info.value.problems)

    (folder / "templates" / "extra.yaml").write_text("id: [broken\n", encoding="utf-8")
    source.write_text(source.read_text(encoding="utf-8").replace("标识清晰明了", "标识清晰易懂"), encoding="utf-8")
    with pytest.raises(ChecklistError):
        load_library(folder)  # a new file in a subfolder counts
    (folder / "templates" / "extra.yaml").unlink()
    assert load_library(folder).checklists["basics"].title == "基础检查（测试甲）"
