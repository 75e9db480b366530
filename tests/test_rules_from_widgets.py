"""Rules that used to be computed inside widgets, now one service call each (issue 14).

Default checklists of a new visit, an institution's departments saved with it, which AED
states are problems, "finalized: redactions only" for photos, and the rectification list's
"not yet verified" / "no department" filters.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from auditapp.errors import InvalidInputError, VisitFinalizedError
from auditapp.services import floorplans, institutions, photos, rectifications, visits
from auditapp.services.pin_kinds import AED_STATUSES
from test_photo_ingest import camera_jpeg


def _library_with_template(library, checklists: list[str]):  # type: ignore[no-untyped-def]
    general = library.templates["general"].model_copy(update={"checklists": checklists})
    return dataclasses.replace(library, templates={**library.templates, "general": general})


def test_default_checklists_are_the_template_limited_to_what_applies(db, fixture_library) -> None:  # type: ignore[no-untyped-def]
    general = institutions.add_institution(db, name="综合医院", kind="general", level=2)
    tcm = institutions.add_institution(db, name="中医院", kind="tcm", level=3)
    assert visits.default_checklist_ids(fixture_library, general.profile) == ["basics"]
    assert visits.default_checklist_ids(fixture_library, tcm.profile) == ["basics", "tcm-extra"]
    # A template naming a checklist that does not apply (tcm-extra on a general hospital):
    # before, start_visit put it on the visit while the dialog left it unticked.
    library = _library_with_template(fixture_library, ["basics", "tcm-extra"])
    assert visits.default_checklist_ids(library, general.profile) == ["basics"]
    started = visits.start_visit(db, institution=general.id, inspector="王", library=library)
    assert started.checklist_ids == ["basics"]


def test_without_a_template_every_applicable_checklist_is_the_default(fixture_library) -> None:  # type: ignore[no-untyped-def]
    from auditapp.checklists.applicability import InstitutionProfile

    library = dataclasses.replace(fixture_library, templates={})
    profile = InstitutionProfile(kind="tcm", level=3, has_obstetrics=False, alliance_lead=False, region="")
    assert visits.default_checklist_ids(library, profile) == [c.id for c in library.applicable_checklists(profile)]
    profile = InstitutionProfile(kind="general", level=3, has_obstetrics=False, alliance_lead=False, region="")
    assert "tcm-extra" not in visits.default_checklist_ids(library, profile)


def test_departments_are_saved_with_the_institution_in_one_transaction(db) -> None:  # type: ignore[no-untyped-def]
    inst = institutions.add_institution(db, name="县医院", kind="general", level=2, departments=["内科"])
    institutions.update_institution(db, inst.id, region="淮安", departments=["内科", "外科", " ", "药剂科"])
    assert sorted(d.name for d in institutions.list_departments(db, inst.id)) == ["内科", "外科", "药剂科"]
    # A refused edit (bad level) saves no department either.
    with pytest.raises(InvalidInputError):
        institutions.update_institution(db, inst.id, level=9, departments=["放射科"])
    assert "放射科" not in {d.name for d in institutions.list_departments(db, inst.id)}


def test_aed_problem_states_are_the_service_rule() -> None:
    problems = {s for s in AED_STATUSES if floorplans.aed_has_problem(s)}
    assert problems == {"faulty", "missing", "blocked"}  # unchecked ("") and "ok" are not problems


def test_only_redactions_may_change_on_a_finalized_visit(db, fixture_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inst = institutions.add_institution(db, name="照片医院", kind="tcm", level=3)
    visit = visits.start_visit(db, institution=inst.id, inspector="王", library=fixture_library)
    finding = visits.add_finding(db, visit.id, text="轮椅损坏")
    [evidence] = photos.add_photos(db, visit.id, [camera_jpeg(tmp_path / "a.jpg")], finding_id=finding.id)
    assert not photos.redactions_only(db, evidence.id)
    visits.finalize_visit(db, visit.id)
    assert photos.redactions_only(db, evidence.id)
    [after] = photos.add_photos(db, visit.id, [camera_jpeg(tmp_path / "c.jpg")], rectification_id=finding.id)
    assert not photos.redactions_only(db, after.id)  # the rectification goes on after finalizing
    photos.set_annotations(db, evidence.id, [{"kind": "redact", "x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2}])
    with pytest.raises(VisitFinalizedError):
        photos.set_annotations(db, evidence.id, [{"kind": "arrow", "x1": 0, "y1": 0, "x2": 0.5, "y2": 0.5}])


def test_rectification_filters_unverified_and_no_department(db, fixture_library) -> None:  # type: ignore[no-untyped-def]
    inst = institutions.add_institution(db, name="整改医院", kind="tcm", level=3)
    visit = visits.start_visit(db, institution=inst.id, inspector="王", library=fixture_library)
    with_dept = visits.add_finding(db, visit.id, text="指示牌缺失", department="门诊部")
    without = visits.add_finding(db, visit.id, text="座椅不足")
    rectifications.update_rectification(db, with_dept.id, status="in_progress")
    ids = lambda rows: {r.finding.id for r in rows}  # noqa: E731
    assert ids(rectifications.list_rectifications(db, visit=visit.id, status=rectifications.UNVERIFIED)) == {
        with_dept.id,
        without.id,
    }
    assert ids(rectifications.list_rectifications(db, visit=visit.id, department="")) == {without.id}
    assert ids(rectifications.list_rectifications(db, visit=visit.id, department="门诊部")) == {with_dept.id}
    assert ids(rectifications.list_rectifications(db, visit=visit.id, department=None)) == {with_dept.id, without.id}
