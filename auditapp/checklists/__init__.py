"""The checklist engine: YAML files → validated models, applicability, binding, walk order, snapshots."""

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

__all__ = [
    "Basis", "Checklist", "Indicator", "IndicatorSet", "IndicatorTarget", "InstitutionProfile", "Item", "ItemBinding",
    "Jurisdiction", "Library", "Period", "Region", "Response", "Section", "SourceDocument", "Target", "Template",
    "WalkStage", "WalkStep", "applicable_indicators", "applicable_items", "checklist_applies", "checklist_from_snapshot",
    "indicator_verdict", "item_applies", "item_binding", "known_regions", "load_checklist_file", "load_library",
    "normalise_region", "parse_region", "snapshot_json", "target_in_force", "validate_paths", "walk_order",
]
