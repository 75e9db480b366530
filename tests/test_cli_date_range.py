"""One date range (auditapp.rules.dates) for every way a date enters: the command line's
types, the record rules (services, GUI, packages, sync) and a department's ledger workbook.
The edges are accepted everywhere, the day beyond them refused everywhere."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from auditapp.cli import types
from auditapp.db import validation
from auditapp.errors import InvalidInputError
from auditapp.ledger.export import export_ledger
from auditapp.ledger.read import LedgerInvalidError, import_ledger
from auditapp.rules import dates
from auditapp.services import rectifications
from auditapp.services.institutions import add_institution
from auditapp.services.visits import start_visit
from ledger_support import TODAY, fill, seed

EDGES = [dates.DATE_MIN, dates.DATE_MAX]
BEYOND = [dates.DATE_MIN - timedelta(days=1), dates.DATE_MAX + timedelta(days=1)]


def test_the_range_is_stated_once() -> None:
    assert (validation.DATE_MIN, validation.DATE_MAX) == (dates.DATE_MIN, dates.DATE_MAX) == (
        date(1970, 1, 1), date(2100, 12, 31))
    assert types.DATE_MIN is dates.DATE_MIN and types.DATE_MAX is dates.DATE_MAX


@pytest.mark.parametrize("day", EDGES + BEYOND, ids=str)
def test_the_command_line_and_the_record_rules_agree(day: date) -> None:
    inside = dates.in_range(day)
    rule = validation.rule_for("visits", "visit_date")
    try:
        types.iso_date(day.isoformat())
        cli_ok = True
    except InvalidInputError as exc:
        assert exc.code == "cli.date_out_of_range"
        cli_ok = False
    try:
        validation.check_value(rule, day)
        record_ok = True
    except validation.RecordError as exc:
        assert exc.code == "record.date_out_of_range"
        record_ok = False
    assert cli_ok == record_ok == inside


@pytest.mark.parametrize("day", EDGES + BEYOND, ids=str)
def test_times_and_months_keep_to_the_same_range(day: date) -> None:
    inside = dates.in_range(day)
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    rule = validation.rule_for("journey_steps", next(n for n in validation.RULES["journey_steps"]
                                                    if validation.RULES["journey_steps"][n].kind == "datetime"))
    for check in (lambda: types.local_time(moment.isoformat()), lambda: validation.check_value(rule, moment)):
        if inside:
            check()
        else:
            with pytest.raises(InvalidInputError):
                check()
    month = f"{day.year:04d}-{day.month:02d}"
    if inside:
        assert types.year_month(month) == month
    else:
        with pytest.raises(InvalidInputError):
            types.year_month(month)


def test_a_service_refuses_a_date_beyond_the_range(db: Any, fixture_library: Any) -> None:
    # The GUI's date fields and the services reach the same rule at the record.
    inst = add_institution(db, name="甲医院", kind="tcm", level=3)
    for day in BEYOND:
        with pytest.raises(validation.RecordError) as info:
            start_visit(db, institution=inst.id, inspector="王", library=fixture_library, visit_date=day)
        assert "1970-01-01" in info.value.message("en") and "2100-12-31" in info.value.message("en")
    visit = start_visit(db, institution=inst.id, inspector="王", library=fixture_library, visit_date=dates.DATE_MAX)
    assert visit.visit_date == dates.DATE_MAX


@pytest.mark.parametrize("value", ["2150-01-01", "1969-12-31", date(2101, 1, 1)], ids=str)
def test_a_ledger_date_beyond_the_range_is_a_cell_problem(db: Any, fixture_library: Any, tmp_path: Path, value: Any) -> None:
    world = seed(db, fixture_library, tmp_path)
    book = tmp_path / "总务科.xlsx"
    export_ledger(db, book, visit=world["visit"].id, for_department="总务科", today=TODAY)
    filled = fill(book, tmp_path / "back.xlsx", {world["open"].id: {"completed_on": value}})
    before = [(r.finding.id, r.rectification.status, r.rectification.completed_on)
              for r in rectifications.list_rectifications(db)]
    with pytest.raises(LedgerInvalidError) as caught:
        import_ledger(db, filled, today=TODAY)
    assert "ledger.date_out_of_range" in caught.value.codes
    assert "outside the accepted range (1970-01-01 to 2100-12-31)" in caught.value.message()
    assert "column N" in caught.value.message()
    after = [(r.finding.id, r.rectification.status, r.rectification.completed_on)
             for r in rectifications.list_rectifications(db)]
    assert after == before
