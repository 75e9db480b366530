"""The home screen's visit list (``visits.list_visits``) from grouped queries, the same rows as before.

``_old_visit_info`` is the computation the list used until it was batched — one visit
at a time, every answer loaded as an ORM object — kept here as the reference. The
fixture covers what the counts must get right: answers to items outside the visit's
walk, tombstoned answers, a severity chosen on the answer, open rectifications of
carried-over problems, amendments, and visits with no answers at all.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from auditapp.db.models import Finding, Rectification, Visit, VisitAmendment
from auditapp.rules.rectification import OPEN_STATUSES
from auditapp.scoring import score_answers
from auditapp.services import visits
from auditapp.services.visits import VisitInfo, _amendment_info, _answers, _visit_checklists, _visit_items
from test_dashboard import BASICS, _answer, seed_world


@pytest.fixture
def world(db, fixture_library):  # type: ignore[no-untyped-def]
    """test_dashboard's two hospitals, seeded into this test's own database."""
    return {**seed_world(db, fixture_library), "lib": fixture_library}


def _old_visit_info(session: Session, visit: Visit) -> VisitInfo:
    items = _visit_items(session, visit)
    item_ids = {item.id for _c, _s, item in items}
    answers = [a for a in _answers(session, visit.id).values() if a.item_id in item_ids]
    open_rect = session.scalar(
        select(func.count(Rectification.id))
        .join(Finding, Rectification.finding_id == func.coalesce(Finding.carried_from_id, Finding.id))
        .where(
            Finding.visit_id == visit.id,
            Finding.deleted_at.is_(None),
            Rectification.deleted_at.is_(None),
            Rectification.status.in_(OPEN_STATUSES),
        )
    )
    amendments = session.scalars(
        select(VisitAmendment)
        .where(VisitAmendment.visit_id == visit.id, VisitAmendment.deleted_at.is_(None))
        .order_by(VisitAmendment.at)
    ).all()
    severity_of = {item.id: item.severity for _c, _s, item in items}
    return VisitInfo(
        id=visit.id,
        institution_id=visit.institution_id,
        institution_name=visit.institution.name,
        mode=visit.mode,
        inspector=visit.inspector,
        visit_date=visit.visit_date,
        status=visit.status,
        report_number=visit.report_number,
        checklist_ids=[c.id for _vc, c in _visit_checklists(session, visit)],
        item_count=len(items),
        answered_count=sum(1 for a in answers if a.result is not None),
        score=score_answers((a.result, a.severity or severity_of.get(a.item_id, "minor")) for a in answers),
        open_rectifications=open_rect or 0,
        finalized_at=visit.finalized_at,
        amendments=tuple(_amendment_info(a) for a in amendments),
        template_id=str((visit.walk or {}).get("template") or ""),
        binding_only=bool((visit.jurisdiction or {}).get("binding_only")),
    )


def _old_list(db, institution: str | None = None) -> list[VisitInfo]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        query = select(Visit).where(Visit.deleted_at.is_(None))
        if institution:
            query = query.where(Visit.institution_id == institution)
        rows = session.scalars(query.order_by(Visit.visit_date.desc(), Visit.started_at.desc())).all()
        return [_old_visit_info(session, v) for v in rows]


def test_list_rows_equal_the_one_visit_at_a_time_computation(db, world) -> None:  # type: ignore[no-untyped-def]
    v1, v2, v3 = world["v"]
    lib = world["lib"]
    visits.finalize_visit(db, v1.id)
    visits.begin_amendment(db, v1.id, "复核更正")
    visits.answer_item(db, v1.id, BASICS[3], result="nonconform", severity="critical", amend=True, reason="复核更正")
    visits.clear_answer(db, v2.id, BASICS[1])  # a tombstoned answer (and its problem)
    # A later visit of 甲 carries the open problems over; one with no answers at all.
    v4 = visits.start_visit(db, institution=world["a"].id, inspector="张院长", visit_date=date(2026, 4, 10), library=lib)
    _answer(db, v4.id, BASICS[2], "conform")
    visits.start_visit(db, institution=world["b"].id, inspector="王督导", mode="bureau", visit_date=date(2026, 4, 12), library=lib)
    # An answer to an item the visit does not walk (as an old sync could leave one): not counted.
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO answers (id, visit_id, item_id, checklist_id, result, value, note, severity, created_at,"
            " updated_at, device_id) VALUES ('stray', ?, 'basics.nowhere.gone', 'basics', 'nonconform', '', '',"
            " 'major', '2026-03-01 00:00:00', '2026-03-01 00:00:00', 'other')",
            (v3.id,),
        )

    new = visits.list_visits(db)
    old = _old_list(db)
    assert new == old
    assert len(new) == 7
    for inst in (world["a"], world["b"]):
        assert visits.list_visits(db, institution=inst.id) == _old_list(db, inst.id)
    # The fixture reaches the cases it is there for.
    by_id = {v.id: v for v in new}
    assert by_id[v1.id].amended and by_id[v1.id].score.weighted_nonconform > by_id[v1.id].score.nonconform
    assert by_id[v4.id].open_rectifications > 0  # carried-over problems' rectifications
    assert by_id[v3.id].answered_count == 1  # the stray answer left out
    assert visits.get_visit(db, v2.id) == by_id[v2.id]
    assert next(v.answered_count for v in new if v.institution_name == "乙医院") == 0
