"""How a ledger row's values are written to cells and read back, the same way both times.

Excel, WPS and LibreOffice rewrite a workbook when they save it (dates may come back as
datetimes, whole numbers as floats, line breaks as CR LF); :func:`cell_text` brings every
value to one text form so "unchanged" means the same before and after a round trip.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from auditapp.ledger.columns import COLUMNS
from auditapp.rules import rectification as lifecycle
from auditapp.services.ledger import LedgerEntry
from auditapp.terms import VOCABULARY, label


def cell_text(value: Any) -> str:
    """One text form of a cell value, for comparing what was exported with what came back."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def entry_key(entry: LedgerEntry) -> str:
    """The hidden row key: which problem and the version of its rectification at export."""
    stamp = entry.rectification.updated_at.isoformat() if entry.rectification.updated_at else ""
    return f"{entry.finding_id}|{stamp}"


def parse_key(text: str) -> tuple[str, str] | None:
    finding_id, sep, stamp = text.partition("|")
    if not sep or not re.fullmatch(r"[0-9a-f-]{36}", finding_id):
        return None
    return finding_id, stamp


def verification_text(entry: LedgerEntry, language: str) -> str:
    rect = entry.rectification
    if rect.status in lifecycle.DONE_STATUSES and rect.verification_note:
        return rect.verification_note
    rejection = entry.last_rejection
    if rejection and rect.status not in lifecycle.DONE_STATUSES:
        return ("驳回：" if language == "zh_CN" else "Rejected: ") + rejection
    return ""


def row_values(entry: LedgerEntry, seq: int, language: str) -> dict[str, Any]:
    """The cells of one ledger row, by column key, as they are written."""
    rect = entry.rectification
    sep = "、" if language == "zh_CN" else ", "
    return {
        "seq": seq,
        "number": entry.number,
        "found_on": entry.visit_date,
        "location": entry.location,
        "statement": entry.statement,
        "basis": "\n".join(entry.basis),
        "severity": label("severity", entry.severity, language),
        "department": rect.department,
        "owner": rect.owner,
        "deadline": rect.deadline,
        "measures": rect.measures,
        "completion": rect.completion,
        "status": label("rectification_status", lifecycle.normalise_status(rect.status), language),
        "completed_on": rect.completed_on,
        "requested_deadline": rect.requested_deadline,
        "extension_reason": rect.extension_reason if rect.status == "extension_requested" else "",
        "verification": verification_text(entry, language),
        "rounds": rect.rounds,
        "photos": sep.join(p.label for p in entry.photos),
        "key": entry_key(entry),
    }


def row_texts(values: dict[str, Any]) -> dict[str, str]:
    return {c.key: cell_text(values.get(c.key)) for c in COLUMNS if c.kind not in ("photo", "key")}


# --- reading cells back ----------------------------------------------------------------------

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
# Excel's day 0 is 1899-12-30 (its serial numbers count the phantom 1900-02-29).
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: Any) -> date | None:
    """A date from a cell: a real date, an Excel serial number or a written date; raises ValueError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(value)
    text = str(value).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)  # ValueError for 2026-02-30
    # A datetime written as text ("2026-12-20 00:00:00") by a re-saving program.
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError(value) from None


def status_values() -> dict[str, str]:
    """Every word for a status in either language (and the stored value) -> the stored value."""
    out: dict[str, str] = {}
    for value, (zh, en) in VOCABULARY["rectification_status"].items():
        normalised = lifecycle.normalise_status(value)
        for word in (value, zh, en, en.title(), en.capitalize()):
            out[word.casefold()] = normalised
    return out


def parse_status(value: Any) -> str | None:
    """The stored status a cell names, or None when it names none."""
    return status_values().get(cell_text(value).casefold())
