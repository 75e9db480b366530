"""A date typed in the window beyond the one range (auditapp.rules.dates) gets the record
rule's message, in the window's language, and nothing is saved."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt

from auditapp.services import institutions, rectifications, visits
from gui_support import record_messages
from ui.app import create_application
from ui.rectifications import RectificationsWidget


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("typed", ["2150-01-01", "1969/12/31", "2101年1月1日"])
def test_a_deadline_beyond_the_range_is_refused_with_the_range_named(
    qtbot: Any, db: Any, fixture_library: Any, monkeypatch: pytest.MonkeyPatch, language: str, typed: str
) -> None:
    create_application(language=language)
    inst = institutions.add_institution(db, name="测试区人民医院", kind="general", level=2)
    visit = visits.start_visit(db, institution=inst.id, inspector="李书记", visit_date=date(2026, 11, 3),
                               library=fixture_library)
    visits.add_finding(db, visit.id, text="停车场入口无空余车位提示", area="停车场", severity="major")
    log = record_messages(monkeypatch)
    widget = RectificationsWidget(db)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    widget.set_scope(institution_id=inst.id)
    widget.table.selectRow(0)
    finding_id = widget.current_finding_id()
    qtbot.keyClicks(widget.deadline_edit.line, typed) if typed.isascii() else widget.deadline_edit.line.setText(typed)
    qtbot.keyClick(widget.deadline_edit.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(log.shown), timeout=5000)
    shown = log.shown[-1]
    assert shown.kind == "error" and "1970-01-01" in shown.text and "2100-12-31" in shown.text, shown
    assert ("期限" in shown.text) if language == "zh_CN" else ("deadline" in shown.text), shown
    rect = next(r for r in rectifications.list_rectifications(db) if r.finding.id == finding_id).rectification
    assert rect.deadline is None
