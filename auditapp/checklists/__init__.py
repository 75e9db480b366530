"""The checklist engine: YAML files → validated models, applicability, snapshots."""

from auditapp.checklists.applicability import InstitutionProfile, applicable_items, checklist_applies, item_applies
from auditapp.checklists.loader import Library, load_checklist_file, load_library, validate_paths
from auditapp.checklists.schema import Basis, Checklist, Item, Response, Section, Target, Template
from auditapp.checklists.snapshot import checklist_from_snapshot, snapshot_json
from auditapp.checklists.sources import SourceDocument

__all__ = [
    "Basis", "Checklist", "InstitutionProfile", "Item", "Library", "Response", "Section", "SourceDocument",
    "Target", "Template", "applicable_items", "checklist_applies", "checklist_from_snapshot", "item_applies",
    "load_checklist_file", "load_library", "snapshot_json", "validate_paths",
]
