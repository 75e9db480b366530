"""The checklist engine: YAML files → validated models, applicability, binding, walk order, snapshots.

The names below are loaded from their submodules on first use (PEP 562), not when the
package is imported: ``from auditapp.checklists import InstitutionProfile`` loads
``applicability`` alone, while the YAML reader, the source documents and the indicator
sets load only for the code that reads checklist files. That keeps them out of the main
window's start-up (the visit list needs the snapshot models, not the library files).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditapp.checklists.applicability import InstitutionProfile, applicable_items, checklist_applies, item_applies
    from auditapp.checklists.binding import ItemBinding, item_binding
    from auditapp.checklists.indicators import (
        Indicator,
        IndicatorSet,
        IndicatorTarget,
        Period,
        applicable_indicators,
        indicator_verdict,
        target_in_force,
    )
    from auditapp.checklists.loader import Library, load_checklist_file, load_library, validate_paths
    from auditapp.checklists.regions import Region, known_regions, normalise_region, parse_region
    from auditapp.checklists.schema import Basis, Checklist, Item, Response, Section, Target, Template, WalkStage
    from auditapp.checklists.snapshot import checklist_from_snapshot, snapshot_json
    from auditapp.checklists.sources import Jurisdiction, SourceDocument
    from auditapp.checklists.walk import WalkStep, walk_order

# Which submodule holds each public name.
_SUBMODULE_OF = {
    **dict.fromkeys(("InstitutionProfile", "applicable_items", "checklist_applies", "item_applies"), "applicability"),
    **dict.fromkeys(("ItemBinding", "item_binding"), "binding"),
    **dict.fromkeys(
        ("Indicator", "IndicatorSet", "IndicatorTarget", "Period", "applicable_indicators", "indicator_verdict",
         "target_in_force"),
        "indicators",
    ),
    **dict.fromkeys(("Library", "load_checklist_file", "load_library", "validate_paths"), "loader"),
    **dict.fromkeys(("Region", "known_regions", "normalise_region", "parse_region"), "regions"),
    **dict.fromkeys(("Basis", "Checklist", "Item", "Response", "Section", "Target", "Template", "WalkStage"), "schema"),
    **dict.fromkeys(("checklist_from_snapshot", "snapshot_json"), "snapshot"),
    **dict.fromkeys(("Jurisdiction", "SourceDocument"), "sources"),
    **dict.fromkeys(("WalkStep", "walk_order"), "walk"),
}


def __getattr__(name: str) -> Any:
    submodule = _SUBMODULE_OF.get(name)
    if submodule is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{submodule}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_SUBMODULE_OF})


__all__ = [
    "Basis", "Checklist", "Indicator", "IndicatorSet", "IndicatorTarget", "InstitutionProfile", "Item", "ItemBinding",
    "Jurisdiction", "Library", "Period", "Region", "Response", "Section", "SourceDocument", "Target", "Template",
    "WalkStage", "WalkStep", "applicable_indicators", "applicable_items", "checklist_applies", "checklist_from_snapshot",
    "indicator_verdict", "item_applies", "item_binding", "known_regions", "load_checklist_file", "load_library",
    "normalise_region", "parse_region", "snapshot_json", "target_in_force", "validate_paths", "walk_order",
]
