"""Words and colours of pins, shared by the markers, the AED map and the menus.

Pins are numbered the way the visit report numbers them (by kind, then by creation), so
"AED 2" on screen is "AED 2" on paper.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
)
from PySide6.QtGui import (
    QColor,
)
from PySide6.QtWidgets import (
    QWidget,
)

from auditapp.services import floorplans
from auditapp.services.floorplans import PinInfo
from auditapp.services.pin_kinds import AED_STATUSES, PIN_KINDS

TOUCH_HEIGHT = 40  # px: a fingertip on a 13-inch touch screen needs about this much

KIND_TEXT = {
    "aed": QT_TRANSLATE_NOOP("FloorPlanPanel", "AED"),
    "finding": QT_TRANSLATE_NOOP("FloorPlanPanel", "Problem"),
    "facility": QT_TRANSLATE_NOOP("FloorPlanPanel", "Facility"),
}
AED_STATUS_TEXT = {
    "": QT_TRANSLATE_NOOP("FloorPlanPanel", "Not checked"),
    "ok": QT_TRANSLATE_NOOP("FloorPlanPanel", "OK"),
    "faulty": QT_TRANSLATE_NOOP("FloorPlanPanel", "Faulty / supplies expired"),
    "missing": QT_TRANSLATE_NOOP("FloorPlanPanel", "Not found"),
    "blocked": QT_TRANSLATE_NOOP("FloorPlanPanel", "Blocked / not reachable"),
}
assert set(KIND_TEXT) == set(PIN_KINDS) and set(AED_STATUS_TEXT) == set(AED_STATUSES)

GREEN = QColor("#15803d")
GREY = QColor("#6b7280")  # an AED nobody has checked yet: neither fine nor faulty
RED = QColor("#dc2626")
BLUE = QColor("#1d4ed8")
SELECTION = QColor("#f59e0b")


def kind_text(kind: str) -> str:
    return QCoreApplication.translate("FloorPlanPanel", str(KIND_TEXT.get(kind, kind)))


def aed_status_text(status: str) -> str:
    return QCoreApplication.translate("FloorPlanPanel", str(AED_STATUS_TEXT.get(status, status)))


def pin_colour(pin: PinInfo) -> QColor:
    """AEDs green only when checked OK, red when faulty, missing or blocked, grey while not
    checked (green would read as "fine"); problems red; facilities blue."""
    if pin.kind == "aed":
        if floorplans.aed_has_problem(pin.status):
            return RED
        return GREEN if pin.status == "ok" else GREY
    if pin.kind == "finding":
        return RED
    return BLUE


def numbered(pins: list[PinInfo]) -> list[tuple[int, PinInfo]]:
    """Number pins like the visit report: by kind (alphabetical), then in creation order.

    ``list_pins`` returns creation order; a stable sort by kind keeps it within a kind.
    """
    return list(enumerate(sorted(pins, key=lambda p: p.kind), start=1))


W = TypeVar("W", bound=QWidget)


def touch(widget: W) -> W:
    """At least a fingertip high (TOUCH_HEIGHT)."""
    widget.setMinimumHeight(TOUCH_HEIGHT)
    return widget

