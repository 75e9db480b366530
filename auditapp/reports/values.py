"""How measured values, targets and minutes read on paper: one place for every report.

Targets arrive already written the reader's way by ``Target.text()`` ("≤ 30"); units
come from the checklist ("min", "分钟", "%") and are worded by ``checklists.schema.unit_label``,
the same words ``MeasuredInfo.text`` uses on screen.
"""

from __future__ import annotations

from auditapp.checklists.schema import unit_label
from auditapp.reports.contents import Measured
from auditapp.reports.words import Wording


def number_text(value: float) -> str:
    """42 → "42", 26.64 → "26.6" (one decimal at most)."""
    rounded = round(value, 1)
    return f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"


def unit_text(unit: str, w: Wording) -> str:
    return unit_label(unit, w.language) if unit else ""


def with_unit(value: str, unit: str, w: Wording) -> str:
    """ "60" and "min" → "60 分钟"; "95" and "%" → "95%"; a value that already names its unit stays."""
    value = value.strip()
    if not value or not unit or unit in value:
        return value
    word = unit_text(unit, w)
    return f"{value}{word}" if word == "%" else f"{value} {word}"


def target_text(target: str, unit: str, w: Wording) -> str:
    """ "≤ 30" and "min" → "≤ 30 分钟"."""
    return with_unit(target, unit, w) if target else ""


def measured_text(measured: Measured, w: Wording) -> str:
    """ "实测 60 分钟（要求 ≤ 30 分钟）" / "measured 60 min (target ≤ 30 min)"."""
    value = with_unit(measured.value, measured.unit, w) or "—"
    if measured.target:
        return w("measured", value=value, target=target_text(measured.target, measured.unit, w))
    return w("measured_no_target", value=value)


def minutes_text(minutes: float | None, w: Wording) -> str:
    """A time span in minutes; a negative one (the later step came first) reads "提前 26.6 分钟"."""
    if minutes is None:
        return "—"
    if minutes < 0:
        return w("visit.early", minutes=number_text(-minutes))
    return w("visit.minutes", minutes=number_text(minutes))
