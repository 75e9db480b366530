"""The shipped checklist library: every item traceable to its document, ids unique,
templates and ▲/＃/TCM applicability behaving as the seed documents say.

These checks read the YAML and source files directly rather than trusting the loader,
so a loader bug cannot hide a bad citation.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from auditapp.checklists import InstitutionProfile, load_library
from auditapp.services import institutions, visits
from conftest import REPO_ROOT

CHECKLISTS = REPO_ROOT / "checklists"
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
SEED_SHORT_NAMES = {"yubei-2023", "huaian-2023", "beijing-2022", "wuzhong-2021", "jilin-tcm-2023"}
THEMES = {
    "signage", "toilets", "privacy", "aed-emergency", "barrier-free", "tcm-culture",
    "environment", "booking-flow", "disclosure-rights", "indicators",
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _checklist_files() -> list[Path]:
    return sorted(p for p in CHECKLISTS.glob("*.yaml") if p.name != "coverage-notes.yaml")


def _items() -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    out = []
    for path in _checklist_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in data["sections"]:
            for item in section["items"]:
                out.append((path.name, item))
    return out


@pytest.fixture(scope="module")
def library():  # type: ignore[no-untyped-def]
    return load_library(CHECKLISTS)


def test_every_theme_the_seeds_name_has_a_checklist(library) -> None:  # type: ignore[no-untyped-def]
    assert set(library.checklists) >= THEMES
    for theme in THEMES:
        assert sum(1 for _ in library.checklists[theme].items()) >= 10, f"{theme} is too thin"


def test_item_ids_are_unique_across_the_library() -> None:
    counts = Counter(item["id"] for _file, item in _items())
    assert len(counts) > 150
    assert [i for i, n in counts.items() if n > 1] == []


def test_every_basis_names_a_seed_document_and_quotes_it_verbatim() -> None:
    index = yaml.safe_load((CHECKLISTS / "sources" / "index.yaml").read_text(encoding="utf-8"))
    files = {entry["short_name"]: CHECKLISTS / "sources" / entry["file"] for entry in index}
    assert set(files) == SEED_SHORT_NAMES
    texts = {name: _flat(path.read_text(encoding="utf-8")) for name, path in files.items()}
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


def test_items_are_written_for_a_person_posing_as_a_patient() -> None:
    for _file, item in _items():
        assert CJK.search(item["question"]), item["id"]
        assert item.get("guidance"), f"{item['id']} has no guidance on how to check discreetly"
        assert item.get("department"), f"{item['id']} has no default responsible department"


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


def test_indicator_annexes_are_complete_with_their_marks(library) -> None:  # type: ignore[no-untyped-def]
    sections = {s.id: s for s in library.checklists["indicators"].sections}
    assert len(sections["yubei"].items) == 27
    assert len(sections["huaian"].items) == 30
    for section in sections.values():
        for item in section.items:
            quote = item.basis[0].quote
            # The annex marks ▲ (tertiary / alliance lead) and ＃ (obstetrics) on the name itself.
            assert ("▲" in quote) == ("tertiary" in item.applies), item.id
            assert ("＃" in quote or "#" in quote) == ("obstetrics" in item.applies), item.id
    waiting = [i for s in sections.values() for i in s.items if i.response.target and i.response.target.value == 30]
    assert waiting and all(i.response.target.op == "<=" for i in waiting)  # type: ignore[union-attr]


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
def test_tertiary_and_obstetrics_items_follow_the_institution(
    library, level: int, obstetrics: bool, lead: bool, tertiary_expected: bool, obstetrics_expected: bool  # type: ignore[no-untyped-def]
) -> None:
    from auditapp.checklists.applicability import applicable_items

    profile = InstitutionProfile(kind="general", level=level, has_obstetrics=obstetrics, alliance_lead=lead)
    chosen = [item for c in library.applicable_checklists(profile) for _s, item in applicable_items(c, profile)]
    assert any("tertiary" in i.applies for i in chosen) == tertiary_expected
    assert any("obstetrics" in i.applies for i in chosen) == obstetrics_expected
    assert not any("tcm" in i.applies for i in chosen)
