"""Floor plans (平面图) with pins: where the AEDs hang, where problems were seen, where facilities are.

- :mod:`.panel` — :class:`FloorPlanPanel`, the plans of one institution on screen;
- :mod:`.pin_editing` — placing, moving, checking, linking, deleting pins (undoable);
- :mod:`.controls` — the panel's tool bar and the bar under the plan for the selected pin;
- :mod:`.aed_map` — the AED map beside the plan;
- :mod:`.plan_view`, :mod:`.pin_item` — the zoomable view and the pin markers;
- :mod:`.dialogs` — choosing a plan image, editing a pin, linking a problem pin;
- :mod:`.pin_style` — the words and colours of pins.
"""

from ui.floorplan_view.aed_map import AedMapModel, AedRow
from ui.floorplan_view.dialogs import LinkChooserDialog, PinEditDialog, PlanImportDialog, choose_plan_file
from ui.floorplan_view.panel import FloorPlanPanel
from ui.floorplan_view.pin_item import PinItem
from ui.floorplan_view.pin_style import BLUE, GREEN, GREY, RED, aed_status_text, kind_text, numbered, pin_colour
from ui.floorplan_view.plan_view import PlanView

__all__ = [
    "BLUE", "GREEN", "GREY", "RED", "AedMapModel", "AedRow", "FloorPlanPanel", "LinkChooserDialog", "PinEditDialog",
    "PinItem", "PlanImportDialog", "PlanView", "aed_status_text", "choose_plan_file", "kind_text", "numbered", "pin_colour",
]
