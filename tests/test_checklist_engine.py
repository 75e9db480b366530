"""The checklist engine beyond file validation: regions and binding, walk order, indicator
targets by period, and snapshots that old and newer app versions can both read."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from auditapp.checklists import (
    InstitutionProfile,
    Period,
    checklist_from_snapshot,
    item_binding,
    known_regions,
    load_library,
    normalise_region,
    parse_region,
    snapshot_json,
    target_in_force,
    walk_order,
)
from auditapp.checklists.applicability import applicable_items
from auditapp.checklists.indicators import (
    indicator_set_from_snapshot,
    indicator_set_snapshot_json,
    indicator_verdict,
    targets_for,
)
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.services import institutions
from conftest import FIXTURES, REPO_ROOT

SNAPSHOTS = FIXTURES / "snapshots"


@pytest.fixture(scope="module")
def library():  # type: ignore[no-untyped-def]
    return load_library(REPO_ROOT / "checklists")


def _profile(kind: str = "general", level: int = 3, region: str = "", **kw: bool) -> InstitutionProfile:
    return InstitutionProfile(kind=kind, level=level, region=region, **kw)


# ---------------------------------------------------------------------------
# Regions


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("北京市", ("北京市",)),
        ("北京", ("北京市",)),
        ("重庆 渝北区", ("重庆市", "渝北区")),
        ("江苏省苏州市吴中区", ("江苏省", "苏州市", "吴中区")),
        ("吉林省长春市", ("吉林省", "长春市")),
        ("济南市市中区", ("济南市", "市中区")),
        ("", ()),
    ],
)
def test_regions_are_read_from_the_top_down(text: str, parts: tuple[str, ...]) -> None:
    assert parse_region(text).parts == parts


def test_a_region_contains_its_cities_and_districts_only() -> None:
    jilin, changchun = parse_region("吉林省"), parse_region("吉林省长春市")
    assert jilin.contains(changchun) and jilin.contains(jilin) and not changchun.contains(jilin)
    assert not parse_region("江苏省苏州市吴中区").contains(parse_region("江苏省苏州市姑苏区"))
    assert not parse_region("").contains(parse_region("北京市"))


def test_a_typed_district_is_completed_from_the_documents_regions(library) -> None:  # type: ignore[no-untyped-def]
    known = [d.region for d in library.sources.values()]
    assert normalise_region("渝北区", known) == "重庆市渝北区"
    assert normalise_region(" 吴中区 ", known) == "江苏省苏州市吴中区"
    assert normalise_region("淮安市", known) == "江苏省淮安市"
    assert normalise_region("广州市", known) == "广州市"  # unknown: kept as typed
    regions = library.known_regions()
    assert {"北京市", "重庆市渝北区", "江苏省淮安市", "江苏省苏州市吴中区", "吉林省"} <= set(regions)
    assert {"江苏省", "江苏省苏州市", "重庆市"} <= set(regions)  # the levels above, for hospitals nearby
    assert known_regions(["江苏省苏州市吴中区"]) == ["江苏省", "江苏省苏州市", "江苏省苏州市吴中区"]


# ---------------------------------------------------------------------------
# Binding


def test_an_item_binds_where_one_of_its_documents_governs(library) -> None:  # type: ignore[no-untyped-def]
    _c, _s, receipt = library.item("booking-flow.payment.e-receipt")  # beijing-2022 20 only
    beijing = item_binding(receipt, _profile(region="北京市朝阳区"), library.sources)
    assert beijing.is_binding and [b.source for b in beijing.bases] == ["beijing-2022"]
    assert item_binding(receipt, _profile(region="重庆市渝北区"), library.sources).status == "reference"
    _c, _s, toilets = library.item("toilets.outpatient.clean")
    assert {b.source for b in item_binding(toilets, _profile(region="渝北区"), library.sources).bases} == {"yubei-2023"}
    assert {b.source for b in item_binding(toilets, _profile(region="江苏省淮安市"), library.sources).bases} == {"huaian-2023"}


def test_a_tcm_only_document_binds_tcm_institutions_of_its_province_only(library) -> None:  # type: ignore[no-untyped-def]
    _c, _s, floor_plan = library.item("signage.entrance.floor-plan")  # yubei + jilin
    assert item_binding(floor_plan, _profile("tcm", region="吉林省长春市"), library.sources).is_binding
    assert item_binding(floor_plan, _profile("integrated", region="吉林省延边朝鲜族自治州"), library.sources).is_binding
    assert item_binding(floor_plan, _profile("general", region="吉林省长春市"), library.sources).status == "reference"
    _c, _s, area = library.item("tcm-culture.services.comprehensive-area")  # huaian sentence for TCM institutions
    assert item_binding(area, _profile("tcm", region="江苏省淮安市"), library.sources).is_binding
    assert item_binding(area, _profile("general", region="江苏省淮安市"), library.sources).status == "reference"


def test_an_encouragement_at_home_is_good_practice_not_binding(library) -> None:  # type: ignore[no-untyped-def]
    _c, _s, evening = library.item("booking-flow.clinics.evening-weekend")
    result = item_binding(evening, _profile(region="北京市"), library.sources)
    assert result.status == "reference" and [b.source for b in result.encouraged] == ["beijing-2022"]


def test_an_institution_outside_every_region_gets_every_item_as_reference(library) -> None:  # type: ignore[no-untyped-def]
    for kind in ("general", "tcm"):
        profile = _profile(kind, region="广东省广州市")
        template = library.default_template_for(profile)
        items = [i for c in template.checklists for _s, i in applicable_items(library.get(c), profile)]
        assert items and all(library.item_binding(i, profile).status == "reference" for i in items)
        assert all(library.item_binding(i, _profile(kind)).status == "reference" for i in items)  # no region at all


def test_an_institutions_profile_carries_its_region(db) -> None:  # type: ignore[no-untyped-def]
    info = institutions.add_institution(db, name="渝北某医院", kind="general", level=2, region="重庆市渝北区")
    assert info.profile.region == "重庆市渝北区"


# ---------------------------------------------------------------------------
# Walk order


def test_walk_order_keeps_only_the_visits_items_and_drops_none(library) -> None:  # type: ignore[no-untyped-def]
    profile = _profile("general", level=2)
    template = library.default_template_for(profile)
    checklists = [library.get(c) for c in template.checklists]
    allowed = {c.id: [i.id for _s, i in applicable_items(c, profile)] for c in checklists}
    steps = walk_order(checklists, template, allowed=allowed)
    assert sorted(s.item.id for s in steps) == sorted(i for ids in allowed.values() for i in ids)
    assert [s.stage.id for s in steps][:1] == ["before"]
    stages = [s.stage.id for s in steps]
    assert stages == sorted(stages, key=[w.id for w in template.walk].index)  # stage by stage, never back


def test_sections_the_walk_does_not_know_come_last_and_are_kept(library) -> None:  # type: ignore[no-untyped-def]
    old_indicators = checklist_from_snapshot((SNAPSHOTS / "indicators-v1.json").read_text(encoding="utf-8"))
    old_booking = checklist_from_snapshot((SNAPSHOTS / "booking-flow-v1.json").read_text(encoding="utf-8"))
    template = library.templates["general-hospital"]
    steps = walk_order([old_indicators, old_booking, library.get("signage")], template)
    assert len(steps) == sum(1 for c in (old_indicators, old_booking, library.get("signage")) for _ in c.items())
    tail = [s for s in steps if s.stage.id == "other"]
    assert {s.checklist.id for s in tail} == {"indicators"} and steps[-1].checklist.id == "indicators"
    assert steps[0].item.id.startswith("signage.before-visit")


def test_without_a_template_the_checklists_keep_their_order(library) -> None:  # type: ignore[no-untyped-def]
    steps = walk_order([library.get("toilets"), library.get("signage")])
    assert steps[0].checklist.id == "toilets" and steps[-1].checklist.id == "signage"
    assert steps[0].stage.title == library.get("toilets").title


def test_the_walk_template_of_a_visit_is_found_from_its_checklists(library) -> None:  # type: ignore[no-untyped-def]
    general = library.templates["general-hospital"]
    assert library.walk_template(list(general.checklists), _profile("general")).id == "general-hospital"
    assert library.walk_template(["signage", "tcm-culture"]).id == "tcm-hospital"
    assert library.walk_template(["indicators"]) is None


# ---------------------------------------------------------------------------
# Indicators


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [("2024-03", date(2024, 3, 1), date(2024, 3, 31)), ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
     ("2024q4", date(2024, 10, 1), date(2024, 12, 31)), ("2023", date(2023, 1, 1), date(2023, 12, 31))],
)
def test_periods_are_months_quarters_or_years(text: str, start: date, end: date) -> None:
    period = Period.parse(text)
    assert (period.start, period.end) == (start, end)
    assert Period.parse(period.label) == period


@pytest.mark.parametrize("text", ["2024-13", "Q1", "2024/03", ""])
def test_a_bad_period_is_refused_with_its_code(text: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        Period.parse(text)
    assert info.value.code == "indicator.bad_period"


def test_booking_rate_targets_follow_level_and_due_date(library) -> None:  # type: ignore[no-untyped-def]
    rate = next(i for _d, i in library.indicator_sets["annex-2023"].indicators() if i.id == "indicators.booking-rate")
    yubei3, yubei2 = _profile(level=3, region="重庆市渝北区"), _profile(level=2, region="重庆市渝北区")
    assert target_in_force(rate, yubei3, library.sources, date(2023, 9, 30)) is None  # not yet due
    assert target_in_force(rate, yubei3, library.sources, date(2024, 3, 31)).value == 60  # type: ignore[union-attr]
    assert target_in_force(rate, yubei3, library.sources, date(2026, 3, 31)).value == 80  # type: ignore[union-attr]
    in_2024 = target_in_force(rate, yubei2, library.sources, date(2024, 6, 30))
    assert in_2024 is not None and in_2024.value == 40 and in_2024.aim
    assert [t.value for t in targets_for(rate, yubei2, library.sources)] == [40, 50]
    assert targets_for(rate, _profile(level=3, region="江苏省淮安市"), library.sources) == []
    verdict = indicator_verdict(rate, "55", yubei3, library.sources, Period.parse("2024-Q2"))
    assert verdict.result == "nonconform" and verdict.target.value == 60  # type: ignore[union-attr]
    assert indicator_verdict(rate, 55, _profile(level=3, region="江苏省淮安市"), library.sources, Period.parse("2024-Q2")).result is None
    with pytest.raises(InvalidInputError) as info:
        indicator_verdict(rate, "about half", yubei3, library.sources, Period.parse("2024-Q2"))
    assert info.value.code == "indicator.value_not_number"


def test_one_indicator_two_cities_two_verdicts(library) -> None:  # type: ignore[no-untyped-def]
    wait = next(i for _d, i in library.indicator_sets["annex-2023"].indicators() if i.id == "indicators.wait-after-booking")
    q = Period.parse("2026-Q1")
    assert indicator_verdict(wait, 35, _profile(region="重庆市渝北区"), library.sources, q).result == "nonconform"
    assert indicator_verdict(wait, 35, _profile(region="江苏省淮安市"), library.sources, q).result is None


def test_indicator_set_snapshots_round_trip(library) -> None:  # type: ignore[no-untyped-def]
    annex = library.indicator_sets["annex-2023"]
    text, sha = indicator_set_snapshot_json(annex)
    assert indicator_set_from_snapshot(text) == annex and len(sha) == 64
    assert indicator_set_snapshot_json(indicator_set_from_snapshot(text))[1] == sha


# ---------------------------------------------------------------------------
# Items and snapshots


def test_old_snapshots_still_load(library) -> None:  # type: ignore[no-untyped-def]
    old = checklist_from_snapshot((SNAPSHOTS / "indicators-v1.json").read_text(encoding="utf-8"))
    assert old.id == "indicators" and sum(1 for _ in old.items()) == 57
    item = next(i for _s, i in old.items() if i.id == "indicators.yubei.05-wait-after-booking")
    assert item.response.target is not None and item.evaluate(31) == "nonconform"
    assert not item.formerly and not item.basis[0].inferred


def test_a_snapshot_from_a_newer_version_loads_without_its_new_keys(library) -> None:  # type: ignore[no-untyped-def]
    text, _sha = snapshot_json(library.get("toilets"))
    data = json.loads(text)
    data["future_key"] = 1
    data["sections"][0]["items"][0]["new_field"] = {"x": 1}
    data["sections"][0]["items"][0]["basis"][0]["weight"] = 2
    loaded = checklist_from_snapshot(json.dumps(data, ensure_ascii=False))
    assert loaded.model_dump() == library.get("toilets").model_dump()


def test_an_inferred_label_is_marked_where_it_is_shown(library) -> None:  # type: ignore[no-untyped-def]
    basis = next(b for b in library.item("toilets.outpatient.toilet-paper")[2].basis if b.source == "wuzhong-2021")
    assert basis.label("zh_CN") == "三(十一)（条款号推定）" and basis.label("en") == "三(十一) (inferred)"
    printed = next(b for b in library.item("toilets.outpatient.clean")[2].basis if b.source == "yubei-2023")
    assert printed.label() == "二(二)6 二"


def test_missing_checklists_and_items_raise_catalog_codes(library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError) as info:
        library.get("nope")
    assert info.value.code == "checklist.not_found" and "signage" in info.value.params["known"]
    with pytest.raises(NotFoundError) as info:
        library.item("signage.nowhere.at-all")
    assert info.value.code == "checklist.item_not_found"
    with pytest.raises(NotFoundError) as info:
        load_library(tmp_path / "absent")
    assert info.value.code == "checklist.folder_missing"
    with pytest.raises(InvalidInputError) as info:
        from auditapp.checklists.applicability import tag_holds

        tag_holds("paediatric", _profile())
    assert info.value.code == "checklist.unknown_tag"
