"""The rectification list (and so the ledger) loads its rows in a fixed number of queries, same rows as before.

``_old_finding_info`` is the row builder as it was before the batching (six queries a
row), kept as the reference; the fixture has what a row gathers from elsewhere: photos
by finding and by answer, after-photos, pins on a floor plan, carried-over problems
(which show their original's rectification), departments and measured values.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from auditapp.db.models import Answer, Finding, FloorPlan, MapPin, Photo, Rectification, Visit, new_id, utcnow
from auditapp.language import current_language
from auditapp.services import floorplans, rectifications, visits
from auditapp.services.common import department_name
from auditapp.services.visits import (
    FindingInfo,
    ItemIndex,
    LocationInfo,
    MeasuredInfo,
    PinnedPlace,
    _origin,
    item_index,
    rectification_info,
    source_finding,
)
from test_dashboard import BASICS, TODAY, _answer, seed_world


@pytest.fixture
def world(db, fixture_library):  # type: ignore[no-untyped-def]
    """test_dashboard's two hospitals, seeded into this test's own database."""
    return {**seed_world(db, fixture_library), "lib": fixture_library}


def _old_places(session: Session, finding_ids: list[str], answer_ids: list[str]) -> tuple[PinnedPlace, ...]:
    condition: ColumnElement[bool] = MapPin.finding_id.in_(finding_ids)
    if answer_ids:
        condition = condition | MapPin.answer_id.in_(answer_ids)
    rows = session.execute(
        select(MapPin, FloorPlan)
        .join(FloorPlan, FloorPlan.id == MapPin.floor_plan_id)
        .where(condition, MapPin.deleted_at.is_(None), FloorPlan.deleted_at.is_(None))
        .order_by(MapPin.created_at)
    ).all()
    return tuple(
        PinnedPlace(plan_id=plan.id, plan_name=plan.name, floor=plan.floor, pin_label=pin.label) for pin, plan in rows
    )


def _old_finding_info(
    session: Session,
    finding: Finding,
    *,
    today: date | None = None,
    items: dict[str, ItemIndex] | None = None,
    language: str | None = None,
) -> FindingInfo:
    """A finding as every screen and report shows it: what to fix, measured against what, where.

    A carried-over finding shows the rectification, statement, value and pins of the
    finding it re-checks. ``items`` caches the visits' item indexes across calls.
    """
    language = language or current_language()
    original = source_finding(session, finding)
    rect = session.scalar(
        select(Rectification).where(Rectification.finding_id == original.id, Rectification.deleted_at.is_(None))
    )
    photo_count = session.scalar(
        select(func.count(Photo.id)).where(
            Photo.deleted_at.is_(None),
            (Photo.finding_id == finding.id) | ((Photo.answer_id == finding.answer_id) & (Photo.answer_id.is_not(None))),
        )
    )
    answer = session.get(Answer, original.answer_id) if original.answer_id else None
    item = None
    if original.item_id:
        found = item_index(session, original.visit_id, items).get(original.item_id)
        item = found[2] if found else None
    statement = finding.text
    question = ""
    measured = None
    if item is not None:
        question = item.question_en if language == "en" and item.question_en else item.question
        if original.source == "checklist":
            note = answer.note.strip() if answer is not None else ""
            statement = note or item.problem_statement(language)
        if answer is not None and answer.value.strip() and item.response.type in ("number", "duration"):
            target = item.response.target
            measured = MeasuredInfo(
                value=answer.value.strip(),
                unit=item.response.unit,
                target=target.display() if target else "",
            )
    chain = [finding.id] if finding.id == original.id else [finding.id, original.id]
    answer_ids = [a for a in (finding.answer_id, original.answer_id) if a]
    return FindingInfo(
        id=finding.id,
        visit_id=finding.visit_id,
        seq=finding.seq,
        source=finding.source,
        item_id=finding.item_id,
        text=finding.text,
        area=finding.area,
        severity=finding.severity,
        department=department_name(session, finding.department_id),
        carried_from_id=finding.carried_from_id,
        rectification=rectification_info(session, rect, today) if rect else None,
        photo_count=photo_count or 0,
        statement=statement,
        question=question,
        measured=measured,
        location=LocationInfo(area=finding.area, plans=_old_places(session, chain, answer_ids)),
        basis=tuple(
            {k: str(b.get(k, "")) for k in ("source", "clause", "quote")}
            for b in (original.basis or [])
            if isinstance(b, dict) and b.get("source")
        ),
        updated_at=finding.updated_at,
        origin=_origin(original.basis or []),
    )




def _old_rows(db, **filters):  # type: ignore[no-untyped-def]
    """The rows as the list built them one finding at a time."""
    with db.session() as session:
        rows = []
        item_cache: dict = {}  # type: ignore[type-arg]
        for finding, v in session.execute(
            select(Finding, Visit).join(Visit, Visit.id == Finding.visit_id)
            .where(Finding.deleted_at.is_(None), Visit.deleted_at.is_(None), *filters.get("where", ()))
            .order_by(Visit.visit_date, Finding.seq)
        ).all():
            info = _old_finding_info(session, finding, today=TODAY, items=item_cache)
            if info.rectification is not None:
                rows.append(rectifications.RectificationRow(
                    finding=info, rectification=info.rectification, visit_id=v.id, visit_date=v.visit_date,
                    institution_name=v.institution.name,
                ))
        return rows


def test_rows_equal_the_one_finding_at_a_time_computation(db, world, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    v1, v2, _v3 = world["v"]
    lib = world["lib"]
    # A later visit carries 甲's open problems over (copies showing the originals' rectifications).
    v4 = visits.start_visit(db, institution=world["a"].id, inspector="张院长", visit_date=date(2026, 3, 18), library=lib)
    visits.add_finding(db, v4.id, text="候诊区座椅破损", area="二楼候诊区", department="总务科", severity="major")
    _answer(db, v4.id, BASICS[4], "nonconform")  # a measured wait over its target
    plan_png = tmp_path / "plan.png"
    Image.new("RGB", (400, 300), (230, 230, 230)).save(plan_png)
    plan = floorplans.add_floor_plan(db, world["a"].id, plan_png, name="门诊楼一层", floor="1F")
    listed = rectifications.list_rectifications(db, today=TODAY)
    first, second = listed[0].finding, listed[1].finding
    floorplans.add_pin(db, plan.id, kind="finding", x=0.2, y=0.3, label="A", visit=v1.id, finding=first.id)
    floorplans.add_pin(db, plan.id, kind="finding", x=0.5, y=0.5, label="B", visit=v2.id, item_id=BASICS[0])
    # Photos: one on a finding, one on a nonconforming answer, an after-photo of a rectification.
    with db.session() as session:
        answer_id = session.scalar(select(Answer.id).where(Answer.visit_id == v2.id, Answer.item_id == BASICS[0]))
    now = utcnow()
    base = {"kind": "evidence", "sha256": "0" * 64, "thumb_sha256": "0" * 64, "width": 1, "height": 1, "byte_size": 0,
            "annotations": [], "device_id": db.device_id, "created_at": now, "updated_at": now,
            "finding_id": None, "answer_id": None, "rectification_id": None}
    with db.engine.begin() as conn:
        conn.execute(sa.insert(Photo), [
            dict(base, id=new_id(), visit_id=v1.id, finding_id=first.id),
            dict(base, id=new_id(), visit_id=v2.id, answer_id=answer_id),
            dict(base, id=new_id(), visit_id=v1.id, kind="after", rectification_id=second.rectification.id),  # type: ignore[union-attr]
        ])
    rectifications.update_rectification(db, second.id, owner="张主任", measures="更换", deadline=date(2026, 3, 1))

    new = rectifications.list_rectifications(db, today=TODAY)
    assert new == _old_rows(db, where=[Finding.carried_from_id.is_(None)])
    per_visit = rectifications.list_rectifications(db, visit=v4.id, today=TODAY)
    assert per_visit == _old_rows(db, where=[Visit.id == v4.id])
    monkeypatch.setattr(visits, "_INFO_CHUNK", 2)  # rows read in chunks: the same rows
    assert rectifications.list_rectifications(db, today=TODAY) == new
    # The fixture reaches what it is there for.
    assert any(r.finding.carried_from_id for r in per_visit)
    assert any(r.finding.photo_count for r in new) and any(r.rectification.after_photo_count for r in new)
    assert any(r.finding.location.plans for r in new) and any(r.finding.measured for r in new)


def test_the_list_takes_a_fixed_number_of_queries(db, world) -> None:  # type: ignore[no-untyped-def]
    counted: list[str] = []

    def count(*_args: object) -> None:
        counted.append("q")

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        few = len(rectifications.list_rectifications(db, today=TODAY))
        few_queries = len(counted)
        for n in range(20):
            visits.add_finding(db, world["w"][0].id, text=f"问题{n}", area="门诊", department="总务科")
        counted.clear()
        many = len(rectifications.list_rectifications(db, today=TODAY))
        assert many == few + 20
        assert len(counted) <= few_queries + 2  # not a query per row
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
