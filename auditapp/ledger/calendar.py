"""Rectification deadlines as an iCalendar (.ics) file, written with the ``icalendar`` library.

Offices keep their own calendars (Outlook, WPS, phones); one all-day event per open
rectification on its deadline, with a reminder three days before, lets them see the
deadlines there. Each event's UID is the rectification's, so importing a newer file
updates the events instead of doubling them; CATEGORIES names the department.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from auditapp import __version__
from auditapp.db import Database
from auditapp.errors import NotFoundError
from auditapp.language import current_language
from auditapp.ledger.export import check_output, save_atomically
from auditapp.rules import rectification as lifecycle
from auditapp.services.ledger import ledger
from auditapp.terms import label

REMIND_DAYS = 3


@dataclass(frozen=True)
class CalendarExport:
    path: Path
    events: int
    departments: tuple[str, ...]
    byte_size: int


def deadline_calendar(
    db: Database,
    output: Path,
    *,
    visit: str | None = None,
    institution: str | None = None,
    department: str | None = None,
    language: str | None = None,
    today: date | None = None,
) -> CalendarExport:
    """Write the deadlines of the open rectifications (of one department, or all) as .ics."""
    output = check_output(Path(output), ".ics")
    language = language or current_language()
    zh = language == "zh_CN"
    data = ledger(db, visit=visit, institution=institution, department=department, open_only=True, today=today)
    entries = [e for e in data.entries if e.rectification.deadline and lifecycle.is_open(e.rectification.status)]
    if not entries:
        raise NotFoundError("calendar.no_deadlines")
    cal = Calendar()
    cal.add("prodid", f"-//auditapp//{__version__}//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = f"{data.scope.institution_name} 整改期限" if zh else f"{data.scope.institution_name} rectification deadlines"
    if data.scope.department:
        name += f"（{data.scope.department}）" if zh else f" ({data.scope.department})"
    cal.add("x-wr-calname", name)
    stamp = datetime.now(UTC)
    for e in entries:
        rect = e.rectification
        assert rect.deadline is not None
        event = Event()
        event.add("uid", f"{rect.id}@auditapp")
        event.add("dtstamp", stamp)
        event.add("dtstart", rect.deadline)
        event.add("dtend", rect.deadline + timedelta(days=1))
        who = rect.department or ("未指定科室" if zh else "no department")
        event.add("summary", f"【整改期限】{who}：{e.statement}" if zh else f"[Deadline] {who}: {e.statement}")
        lines = [
            f"{'问题编号' if zh else 'Problem'}: {e.number}",
            f"{'位置' if zh else 'Place'}: {e.location}" if e.location else "",
            f"{'状态' if zh else 'Status'}: {label('rectification_status', lifecycle.normalise_status(rect.status), language)}",
            f"{'责任人' if zh else 'Owner'}: {rect.owner}" if rect.owner else "",
            f"{'整改措施' if zh else 'Measures'}: {rect.measures}" if rect.measures else "",
        ]
        event.add("description", "\n".join(line for line in lines if line))
        if rect.department:
            event.add("categories", [rect.department])
        if e.location:
            event.add("location", e.location)
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event["summary"])
        alarm.add("trigger", timedelta(days=-REMIND_DAYS))
        event.add_component(alarm)
        cal.add_component(event)
    size = save_atomically(output, lambda p: p.write_bytes(cal.to_ical()))
    return CalendarExport(path=output, events=len(entries),
                          departments=tuple(sorted({e.department for e in entries})), byte_size=size)
