"""Records by id, id prefix or name: one set of rules in auditapp.lookups for every caller."""

from __future__ import annotations

import pytest

from auditapp import lookups
from auditapp.db.models import LEADER_ROLES, Institution, Visit, utcnow
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.services import institutions, leaders, visits


def _with_ids(db, ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        for n, record_id in enumerate(ids):
            session.add(Institution(id=record_id, name=f"医院{n}", kind="general", level=2))


def test_an_id_or_a_long_enough_prefix_finds_the_record(db) -> None:  # type: ignore[no-untyped-def]
    _with_ids(db, ["abcd1111-0000-4000-8000-000000000001", "abce2222-0000-4000-8000-000000000002"])
    with db.session() as session:
        assert lookups.require_institution(session, "abcd1111-0000-4000-8000-000000000001").name == "医院0"
        assert lookups.require_institution(session, "  abcd1 ").name == "医院0"  # typed with spaces
        assert lookups.by_id_or_prefix(session, Institution, "abc", "institution") is None  # under MIN_PREFIX
        with pytest.raises(NotFoundError) as missing:
            lookups.require_institution(session, "abc")
        assert missing.value.code == "institution.not_found"


def test_an_ambiguous_prefix_names_the_candidates(db) -> None:  # type: ignore[no-untyped-def]
    _with_ids(db, ["abcd1111-0000-4000-8000-000000000001", "abcd2222-0000-4000-8000-000000000002"])
    with db.session() as session, pytest.raises(InvalidInputError) as ambiguous:
        lookups.require_institution(session, "abcd")
    assert ambiguous.value.code == "lookup.ambiguous_prefix"
    assert "abcd1111" in ambiguous.value.message("en") and "医疗机构" in ambiguous.value.message("zh_CN")


def test_deleted_records_are_not_found_by_id_or_prefix(db, fixture_library) -> None:  # type: ignore[no-untyped-def]
    inst = institutions.add_institution(db, name="已删医院", kind="general", level=2)
    visit = visits.start_visit(db, institution=inst.id, inspector="王", library=fixture_library)
    with db.session() as session:
        session.get(Visit, visit.id).deleted_at = utcnow()  # type: ignore[union-attr]
    with db.session() as session:
        for ref in (visit.id, visit.id[:8]):
            with pytest.raises(NotFoundError) as gone:
                lookups.require_visit(session, ref)
            assert gone.value.code == "visit.not_found"


def test_names_and_the_services_use_the_same_lookup(db, fixture_library) -> None:  # type: ignore[no-untyped-def]
    inst = institutions.add_institution(db, name="同名医院", kind="general", level=2)
    visit = visits.start_visit(db, institution="同名医院", inspector="王", library=fixture_library)
    assert visit.institution_id == inst.id
    # A service given a prefix resolves it exactly as the lookup does.
    assert visits.visit_detail(db, visit.id[:8]).visit.id == visit.id
    with db.session() as session:
        assert lookups.require_institution(session, "同名医院").id == inst.id


def test_a_leader_by_name_needs_the_institution(db) -> None:  # type: ignore[no-untyped-def]
    inst = institutions.add_institution(db, name="领导医院", kind="general", level=2)
    other = institutions.add_institution(db, name="别家医院", kind="general", level=2)
    leader = leaders.add_leader(db, institution=inst.id, name="张院长", role=LEADER_ROLES[0])
    with db.session() as session:
        assert lookups.require_leader(session, "张院长", institution_id=inst.id).id == leader.id
        assert lookups.require_leader(session, leader.id[:8]).id == leader.id
        with pytest.raises(NotFoundError):
            lookups.require_leader(session, "张院长")  # a name alone is not enough
        with pytest.raises(InvalidInputError) as elsewhere:
            lookups.require_leader(session, leader.id, institution_id=other.id)
        assert elsewhere.value.code == "leader.other_institution"
