"""Issue 15 in the services: which documents bind a hospital, visits that follow the walk and
freeze their binding, indicators reported apart from the walk, and old databases upgraded."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from auditapp.db import open_database
from auditapp.db.models import Answer, IndicatorValue, Visit
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.services import indicators, institutions, visits

SNAPSHOTS = Path(__file__).parent / "fixtures" / "snapshots"
TODAY = date(2026, 12, 1)

REGIONS = {
    "北京市": ("general", "beijing-2022"),
    "重庆市渝北区": ("general", "yubei-2023"),
    "江苏省淮安市": ("general", "huaian-2023"),
    "江苏省苏州市吴中区": ("general", "wuzhong-2021"),
    "吉林省长春市": ("tcm", "jilin-tcm-2023"),
}


def _inst(db, name: str, region: str, kind: str = "general", level: int = 3, **kw):  # type: ignore[no-untyped-def]
    return institutions.add_institution(db, name=name, kind=kind, level=level, region=region, **kw)


def _detail(db, inst, real_library, **kw):  # type: ignore[no-untyped-def]
    v = visits.start_visit(db, institution=inst.id, inspector="院长", library=real_library, **kw)
    return v, visits.visit_detail(db, v.id)


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_each_region_is_bound_by_its_own_document_and_never_walks_indicators(db, real_library, region) -> None:  # type: ignore[no-untyped-def]
    kind, document = REGIONS[region]
    inst = _inst(db, "测试医院", region, kind=kind, has_obstetrics=True, alliance_lead=True)
    _v, detail = _detail(db, inst, real_library)
    ids = [view.item.id for view in detail.items]
    assert ids and not [i for i in ids if i.startswith("indicators.")]
    assert detail.jurisdiction is not None and not detail.jurisdiction.outside
    assert detail.jurisdiction.documents and document in detail.jurisdiction.documents
    binding = [view for view in detail.items if view.is_binding]
    assert binding and len(binding) < len(ids)
    # a binding item is bound by a basis of a document of the hospital's jurisdiction, never of another
    for view in binding:
        assert {b.source for b in view.binding.bases} <= set(detail.jurisdiction.documents)
    assert detail.jurisdiction.binding_count == len(binding)
    assert detail.jurisdiction.reference_count == len(ids) - len(binding)


def test_a_yubei_hospital_is_not_bound_by_huaian_and_beijing_by_neither(db, real_library) -> None:  # type: ignore[no-untyped-def]
    yubei = _detail(db, _inst(db, "渝北医院", "渝北区"), real_library)[1]
    beijing = _detail(db, _inst(db, "北京医院", "北京"), real_library)[1]
    assert yubei.jurisdiction.region == "重庆市渝北区"  # the district alone is completed
    for view in yubei.items:
        assert "huaian-2023" not in {b.source for b in view.binding.bases}
    for view in beijing.items:
        assert {b.source for b in view.binding.bases} <= {"beijing-2022"}


def test_outside_every_region_all_items_are_reference_and_said_so(db, real_library) -> None:  # type: ignore[no-untyped-def]
    inst = _inst(db, "广州医院", "广东省广州市")
    _v, detail = _detail(db, inst, real_library)
    assert detail.items and detail.jurisdiction.outside and not detail.jurisdiction.documents
    assert not any(view.is_binding for view in detail.items)
    assert detail.jurisdiction.reference_count == len(detail.items)
    before = _counts(db)
    with pytest.raises(InvalidInputError) as err:
        visits.start_visit(db, institution=inst.id, inspector="院长", library=real_library, binding_only=True)
    assert err.value.code == "visit.no_binding_items"
    assert _counts(db) == before


def test_binding_only_without_region_is_refused_with_the_fix(db, real_library) -> None:  # type: ignore[no-untyped-def]
    inst = _inst(db, "无地区医院", "")
    with pytest.raises(InvalidInputError) as err:
        visits.start_visit(db, institution=inst.id, inspector="院长", library=real_library, binding_only=True)
    assert err.value.code == "visit.binding_needs_region"
    assert "--region" in err.value.hint("en", "cli")


def test_binding_only_visit_holds_exactly_the_binding_items(db, real_library) -> None:  # type: ignore[no-untyped-def]
    inst = _inst(db, "吴中医院", "江苏省苏州市吴中区")
    _full, detail = _detail(db, inst, real_library)
    expected = [view.item.id for view in detail.items if view.is_binding]
    only, only_detail = _detail(db, inst, real_library, binding_only=True)
    assert only.binding_only and only.item_count == len(expected)
    assert [view.item.id for view in only_detail.items] == expected  # same walk order, reference items gone
    assert all(view.is_binding for view in only_detail.items)
    assert only_detail.jurisdiction.binding_only


def test_tcm_only_document_binds_tcm_hospitals_only(db, real_library) -> None:  # type: ignore[no-untyped-def]
    general = _detail(db, _inst(db, "长春综合", "吉林省长春市"), real_library)[1]
    tcm = _detail(db, _inst(db, "长春中医", "吉林省长春市", kind="tcm"), real_library)[1]
    assert "jilin-tcm-2023" in general.jurisdiction.in_region
    assert "jilin-tcm-2023" not in general.jurisdiction.documents and not any(v.is_binding for v in general.items)
    assert "jilin-tcm-2023" in tcm.jurisdiction.documents and any(v.is_binding for v in tcm.items)


def test_visit_follows_the_walk_and_keeps_it_and_its_binding_when_things_change(db, real_library) -> None:  # type: ignore[no-untyped-def]
    inst = _inst(db, "淮安医院", "江苏省淮安市")
    v, detail = _detail(db, inst, real_library)
    template = real_library.default_template_for(institutions.list_institutions(db)[0].profile)
    stages = [s.id for s in template.walk]
    seen = list(dict.fromkeys(view.stage_id for view in detail.items))
    assert seen == [s for s in stages if s in seen]  # stages in the template's order, each once
    assert seen[0] == stages[0] and len(seen) > 3
    binding_before = {view.item.id for view in detail.items if view.is_binding}
    assert binding_before
    # the hospital's region is corrected afterwards: the visit keeps what it froze
    institutions.update_institution(db, inst.id, region="北京市")
    again = visits.visit_detail(db, v.id)
    assert [x.item.id for x in again.items] == [x.item.id for x in detail.items]
    assert {x.item.id for x in again.items if x.is_binding} == binding_before
    assert again.jurisdiction.region == "江苏省淮安市"
    # a new visit is bound by the new region
    fresh = _detail(db, inst, real_library)[1]
    assert fresh.jurisdiction.region == "北京市" and "beijing-2022" in fresh.jurisdiction.documents


def test_region_is_stored_canonically_and_bad_edit_changes_nothing(db, real_library) -> None:  # type: ignore[no-untyped-def]
    inst = _inst(db, "某院", "重庆 渝北区")
    assert inst.region == "重庆市渝北区"
    assert institutions.update_institution(db, inst.id, region="吉林 长春市").region == "吉林省长春市"
    assert institutions.update_institution(db, inst.id, region="").region == ""
    with pytest.raises(InvalidInputError):
        institutions.update_institution(db, inst.id, region="北京市", level=7)
    assert institutions.list_institutions(db)[0].region == ""


# --- indicators: reported per period, only where a local annex requires them -------------------


def test_indicators_belong_to_their_city_only(db, real_library) -> None:  # type: ignore[no-untyped-def]
    yubei = _inst(db, "渝北一院", "重庆市渝北区", has_obstetrics=True, alliance_lead=True)
    huaian = _inst(db, "淮安一院", "江苏省淮安市", has_obstetrics=True, alliance_lead=True)
    beijing = _inst(db, "北京一院", "北京市", has_obstetrics=True, alliance_lead=True)
    sheet = {i.name: indicators.indicator_sheet(db, institution=i.id, period="2026-Q3", set_id="annex-2023",
                                                library=real_library, today=TODAY)[0]
             for i in (yubei, huaian, beijing)}
    assert sheet["北京一院"].rows == ()
    for name, doc in (("渝北一院", "yubei-2023"), ("淮安一院", "huaian-2023")):
        rows = sheet[name].rows
        assert rows and all({b.source for b in r.required_by} == {doc} for r in rows)
        for r in rows:  # a Huaian hospital is never judged by a Yubei figure
            assert all(t.source == doc for t in r.targets)
    # one indicator listed by both annexes is one row for each, with its own city's clause
    common = {r.indicator.id for r in sheet["渝北一院"].rows} & {r.indicator.id for r in sheet["淮安一院"].rows}
    assert "indicators.booking-rate" in common


def test_indicator_value_is_judged_only_by_its_own_target_and_bad_input_changes_nothing(db, real_library) -> None:  # type: ignore[no-untyped-def]
    inst = _inst(db, "渝北二院", "重庆市渝北区", level=2)
    set_value = lambda **kw: indicators.set_indicator_value(  # noqa: E731
        db, institution=inst.id, library=real_library, today=TODAY, **kw)
    low = set_value(indicator="indicators.booking-rate", period="2026-Q2", value="40")
    high = set_value(indicator="indicators.booking-rate", period="2026-Q3", value="55", note="基线 38%")
    assert (low.result, high.result) == ("nonconform", "conform")
    assert low.target.source == "yubei-2023" and low.target.value == 50
    # before the target is due, the figure is recorded but not judged
    early = set_value(indicator="indicators.booking-rate", period="2023-Q2", value="10")
    assert early.result is None
    # the 2023 goal (40%) judges 2024, the 2025 goal (50%) judges 2026
    assert set_value(indicator="indicators.booking-rate", period="2024-Q1", value="45").result == "conform"
    # an untargeted indicator is recorded, not judged
    assert set_value(indicator="indicators.preop-wait", period="2026-Q3", value="2.5").result is None
    before = _counts(db)
    for kw, code in [
        ({"indicator": "indicators.booking-rate", "period": "2026-03", "value": "40"}, "indicator.period_kind"),
        ({"indicator": "indicators.booking-rate", "period": "2027-Q2", "value": "40"}, "indicator.period_future"),
        ({"indicator": "indicators.booking-rate", "period": "2026-Q3", "value": "五十"}, "indicator.value_not_number"),
        ({"indicator": "indicators.booking-rate", "period": "2026-Q3", "value": "-3"}, "indicator.value_negative"),
        ({"indicator": "indicators.booking-rate", "period": "2026-Q9", "value": "40"}, "indicator.bad_period"),
    ]:
        with pytest.raises(InvalidInputError) as err:
            set_value(**kw)
        assert err.value.code == code
    with pytest.raises(NotFoundError):
        set_value(indicator="indicators.nothing", period="2026-Q3", value="1")
    assert _counts(db) == before
    # a value corrected replaces the period's value; the trend shows every period
    set_value(indicator="indicators.booking-rate", period="2026-Q3", value="60")
    trend = indicators.indicator_trend(db, institution=inst.id, set_id="annex-2023", library=real_library, today=TODAY)
    assert trend.periods == ("2023-Q2", "2024-Q1", "2026-Q2", "2026-Q3")
    row = next(r for r in trend.rows if r.indicator.id == "indicators.booking-rate")
    assert [c.value.value if c.value else None for c in row.cells] == ["10", "45", "40", "60"]
    assert indicators.clear_indicator_value(db, institution=inst.id, indicator="indicators.booking-rate",
                                            period="2026-Q3", library=real_library)
    assert [v.period for v in indicators.list_indicator_values(db, institution=inst.id, library=real_library)
            if v.indicator_id == "indicators.booking-rate"] == ["2023-Q2", "2024-Q1", "2026-Q2"]


def test_beijing_hospital_cannot_report_a_yubei_indicator(db, real_library) -> None:  # type: ignore[no-untyped-def]
    inst = _inst(db, "北京二院", "北京市")
    before = _counts(db)
    with pytest.raises(InvalidInputError) as err:
        indicators.set_indicator_value(db, institution=inst.id, indicator="indicators.booking-rate", period="2026-Q3",
                                       value="55", library=real_library, today=TODAY)
    assert err.value.code == "indicator.not_applicable"
    assert _counts(db) == before


def _counts(db) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    from auditapp.db.models import ChangeLogEntry, IndicatorSnapshot

    with db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in
                     (Visit, Answer, IndicatorValue, IndicatorSnapshot, ChangeLogEntry))


# --- an old database: visits keep snapshots and answers; indicator answers are shown ----------


def test_upgrade_keeps_every_answer_and_shows_old_indicator_answers(data_dir: Path) -> None:
    old = open_database(data_dir, migrate_to="0005", backup=False)
    now = "2026-03-05 08:00:00.000000"
    snaps = {}
    for name in ("indicators-v1", "booking-flow-v1"):
        content = (SNAPSHOTS / f"{name}.json").read_text(encoding="utf-8")
        snaps[name] = (content, json.loads(content))
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO institutions (id, name, kind, level, has_obstetrics, alliance_lead, region, notes,"
            " created_at, updated_at, device_id) VALUES ('i1', '渝北老医院', 'general', 3, 1, 1, '重庆市渝北区', '', ?, ?, 'dev')",
            (now, now),
        )
        conn.exec_driver_sql(
            "INSERT INTO visits (id, institution_id, mode, inspector, title, visit_date, started_at, status, notes,"
            " report_number, created_at, updated_at, device_id) VALUES ('v1', 'i1', 'self', '院长', '', '2026-03-05', ?,"
            " 'finalized', '', '2026-03-001', ?, ?, 'dev')",
            (now, now, now),
        )
        answers = []
        for order, (_name, (content, data)) in enumerate(snaps.items()):
            sha = hashlib.sha256(content.encode()).hexdigest()
            conn.exec_driver_sql(
                "INSERT INTO checklist_snapshots (id, checklist_id, version, title, sha256, content, created_at,"
                " updated_at, device_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'dev')",
                (f"s{order}", data["id"], data["version"], data["title"], sha, content, now, now),
            )
            ids = [i["id"] for s in data["sections"] for i in s["items"]]
            conn.exec_driver_sql(
                "INSERT INTO visit_checklists (id, visit_id, snapshot_id, sort_order, applicable_item_ids, created_at,"
                " updated_at, device_id) VALUES (?, 'v1', ?, ?, ?, ?, ?, 'dev')",
                (f"vc{order}", f"s{order}", order, json.dumps(ids), now, now),
            )
            for n, item_id in enumerate(ids[:4]):
                answers.append((f"a{order}{n}", item_id, data["id"], "conform" if n % 2 else "nonconform",
                                "62.5" if data["id"] == "indicators" and n == 0 else "", f"note {n}"))
        for row in answers:
            conn.exec_driver_sql(
                "INSERT INTO answers (id, visit_id, item_id, checklist_id, result, value, note, severity, created_at,"
                " updated_at, device_id) VALUES (?, 'v1', ?, ?, ?, ?, ?, 'minor', ?, ?, 'dev')",
                (*row, now, now),
            )
    old.close()
    db = open_database(data_dir, backup=False)
    try:
        with db.session() as s:
            kept = {(a.id, a.item_id, a.result, a.value, a.note) for a in s.scalars(select(Answer))}
            visit = s.get(Visit, "v1")
            assert visit.walk is not None and visit.jurisdiction is not None
            assert visit.jurisdiction["region"] == "重庆市渝北区"
        assert kept == {(a[0], a[1], a[3], a[4], a[5]) for a in answers}
        detail = visits.visit_detail(db, "v1")
        shown = {v.item.id: v.answer for v in detail.items if v.answer}
        assert set(shown) == {a[1] for a in answers}  # every old answer still in the visit, indicators too
        assert any(v.is_binding for v in detail.items)
        first_indicator = answers[0][1]
        sheet = indicators.indicator_sheet(db, institution="i1", period="2026-Q1", set_id="annex-2023", today=TODAY)[0]
        legacy = [old for r in sheet.rows for old in r.legacy]
        assert legacy and any(old.item_id == first_indicator and old.value == "62.5" for old in legacy)
        trend = indicators.indicator_trend(db, institution="i1", set_id="annex-2023", today=TODAY)
        assert "2026-Q1" in trend.periods and {old.item_id for old in trend.legacy} >= {first_indicator}
        from auditapp.reports import render_indicator_report
        from test_reports_support import pdf_text

        out = data_dir / "ind.pdf"
        render_indicator_report(db, "i1", "annex-2023", out, language="zh_CN")
        text = pdf_text(out)
        assert "旧版体验记录中的指标作答" in text and "2026-03-001" in text and first_indicator in text.replace("\n", "")
    finally:
        db.close()


# --- the command line -------------------------------------------------------------------------


@pytest.fixture
def real_cli(data_dir, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    from cli_support import InProcessCli

    return InProcessCli(data_dir, monkeypatch, capsys, checklists=None)


def test_cli_region_binding_and_indicators(real_cli) -> None:  # type: ignore[no-untyped-def]
    added = real_cli.json("institution", "add", "--name", "渝北三院", "--kind", "general", "--level", "3")
    assert added["region"] == ""
    edited = real_cli.json("institution", "edit", "渝北三院", "--region", "渝北区")
    assert edited["region"] == "重庆市渝北区"
    listed = real_cli.run("institution", "list").stdout
    assert "重庆市渝北区" in listed
    visit = real_cli.json("visit", "new", "--institution", "渝北三院", "--inspector", "院长", "--binding-only")
    assert visit["binding_only"] and visit["item_count"] > 0
    shown = real_cli.run("visit", "show", visit["id"]).stdout
    assert "yubei-2023" in shown and "local requirements only" in shown
    assert "huaian-2023" not in shown
    value = real_cli.json("indicator", "set", "--institution", "渝北三院", "indicators.booking-rate",
                          "--period", "2026-Q1", "--value", "95", "--source", "HIS")
    assert (value["value"], value["data_source"], value["result"]) == ("95", "HIS", "conform")
    sheets = real_cli.json("indicator", "list", "--institution", "渝北三院", "--period", "2026-Q1")
    annex = next(s for s in sheets if s["set_id"] == "annex-2023")
    row = next(r for r in annex["rows"] if r["indicator"]["id"] == "indicators.booking-rate")
    assert row["value"]["value"] == "95" and row["required_by"][0]["source"] == "yubei-2023"
    trend = real_cli.json("indicator", "trend", "--institution", "渝北三院", "--set", "annex-2023")
    assert trend["periods"] == ["2026-Q1"]
    bad = real_cli.run("indicator", "set", "--institution", "渝北三院", "indicators.booking-rate",
                       "--period", "2026-Q1", "--value", "七十", expect=1)
    assert "error" in bad.stderr and "Traceback" not in bad.stderr
    assert real_cli.json("indicator", "values", "--institution", "渝北三院")[0]["value"] == "95"


# --- reports ----------------------------------------------------------------------------------


def test_reports_say_binding_or_reference_and_indicator_report_prints_only_local_figures(db, real_library, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.reports import render_indicator_report, render_rectification_list, render_visit_report
    from auditapp.reports.data import visit_report_data
    from test_reports_support import pdf_text

    inst = _inst(db, "渝北四院", "重庆市渝北区", level=2)
    v, detail = _detail(db, inst, real_library)
    bound = next(x for x in detail.items if x.is_binding and x.item.response.type == "yesno")
    other = next(x for x in detail.items if not x.is_binding and x.item.response.type == "yesno")
    for view in (bound, other):
        visits.answer_item(db, v.id, view.item.id, result="nonconform")
    data = visit_report_data(db, v.id, library=real_library, language="zh_CN")
    line = data.jurisdiction
    assert (line.binding_nonconform, line.reference_nonconform) == (1, 1)
    assert line.binding_items + line.reference_items == len(detail.items) and not line.outside
    assert {a.item_id: a.binding for a in data.answers}[bound.item.id] is True
    assert {a.item_id: a.binding for a in data.answers}[other.item.id] is False
    render_rectification_list(db, v.id, tmp_path / "rect.pdf", library=real_library, language="zh_CN")
    text = pdf_text(tmp_path / "rect.pdf").replace("\n", "")
    assert "本地要求 " in text and "不符合 1 项" in text and "［本地要求］" in text and "［参考］" in text
    render_visit_report(db, v.id, tmp_path / "visit.pdf", library=real_library, language="en")
    assert "[local requirement]" in pdf_text(tmp_path / "visit.pdf")
    indicators.set_indicator_value(db, institution=inst.id, indicator="indicators.booking-rate", period="2026-Q2",
                                   value="47", library=real_library, today=TODAY)
    render_indicator_report(db, inst.id, "annex-2023", tmp_path / "ind.pdf", library=real_library, language="zh_CN")
    text = pdf_text(tmp_path / "ind.pdf")
    assert "门诊患者预约诊疗率" in text and "47%" in text and "2026-Q2" in text and "附件1 指标1" in text
    assert "淮安" not in text
    beijing = _inst(db, "北京五院", "北京市")
    render_indicator_report(db, beijing.id, "annex-2023", tmp_path / "bj.pdf", library=real_library, language="zh_CN")
    assert "不要求填报" in pdf_text(tmp_path / "bj.pdf").replace("\n", "")


def test_outside_hospital_report_says_everything_is_reference(db, real_library) -> None:  # type: ignore[no-untyped-def]
    from auditapp.reports.blocks import jurisdiction_note
    from auditapp.reports.data import visit_report_data
    from auditapp.reports.styles import make_styles
    from auditapp.reports.words import Wording

    inst = _inst(db, "成都医院", "四川省成都市")
    v, _ = _detail(db, inst, real_library)
    data = visit_report_data(db, v.id, library=real_library, language="zh_CN")
    assert data.jurisdiction.outside and data.jurisdiction.binding_items == 0
    note = jurisdiction_note(data.jurisdiction, inst.name, make_styles(), Wording("zh_CN"))[-1]
    assert "不在任何依据文件的适用范围内" in note.text and "全部" in note.text


# --- sync: indicator values and the frozen walk travel like everything else ------------------


def test_indicator_values_and_frozen_walk_sync_between_laptops(tmp_path, real_library) -> None:  # type: ignore[no-untyped-def]
    from test_sync_support import assert_same, device, direct_sync, package_sync

    a, b = device(tmp_path, "a"), device(tmp_path, "b")
    try:
        inst = _inst(a, "渝北同步医院", "重庆市渝北区")
        visit = visits.start_visit(a, institution=inst.id, inspector="院长", library=real_library, binding_only=True)
        indicators.set_indicator_value(a, institution=inst.id, indicator="indicators.booking-rate", period="2026-Q2",
                                       value="61", data_source="HIS", library=real_library, today=TODAY)
        package_sync(a, b, tmp_path)
        assert_same(a, b)
        there = indicators.list_indicator_values(b, institution=inst.id, library=real_library)
        assert [(v.indicator_id, v.value, v.data_source) for v in there] == [("indicators.booking-rate", "61", "HIS")]
        detail = visits.visit_detail(b, visit.id)
        assert detail.jurisdiction.binding_only and all(v.is_binding for v in detail.items)
        # corrected on b, withdrawn on a afterwards: direct sync both ways ends the same on both
        target = str(tmp_path / "shared")
        indicators.set_indicator_value(b, institution=inst.id, indicator="indicators.booking-rate", period="2026-Q2",
                                       value="62", library=real_library, today=TODAY)
        direct_sync(b, target)
        direct_sync(a, target)
        assert [v.value for v in indicators.list_indicator_values(a, institution=inst.id, library=real_library)] == ["62"]
        indicators.clear_indicator_value(a, institution=inst.id, indicator="indicators.booking-rate", period="2026-Q2",
                                         library=real_library)
        direct_sync(a, target)
        direct_sync(b, target)
        assert indicators.list_indicator_values(b, institution=inst.id, library=real_library) == []
        assert_same(a, b)
    finally:
        a.close()
        b.close()
