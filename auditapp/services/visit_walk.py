"""A visit's items along the patient's path, and which of them bind the institution.

Both are frozen when a visit starts, like its checklist snapshots (``visits.walk`` and
``visits.jurisdiction``): the template's walk stages (entrance → guidance → registration
… → wards) the items are ordered by, and per item the bases that made it binding
(本地要求) for the institution rather than reference (参考). A later edit of the
templates, the documents' jurisdictions or the institution's region never reorders an
old visit or changes what its report calls binding.

A visit written by a version without walks (synced from an older laptop) has neither:
it is shown in checklist order, and its binding is judged from today's documents and
the institution's current region whenever it is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from auditapp.checklists.applicability import InstitutionProfile
from auditapp.checklists.binding import ItemBinding, basis_is_local, institution_region, item_binding
from auditapp.checklists.schema import Checklist, Item, Template, WalkStage
from auditapp.checklists.sources import SourceDocument
from auditapp.checklists.walk import WalkStep, walk_order
from auditapp.services.jurisdiction import JurisdictionInfo, documents_for


def frozen_walk(template: Template | None) -> dict[str, Any]:
    """What ``visits.walk`` holds: the template's id and its walk stages ([] = checklist order)."""
    if template is None:
        return {"template": "", "stages": []}
    return {"template": template.id, "stages": [stage.model_dump(mode="json") for stage in template.walk]}


def walk_template(walk: Mapping[str, Any] | None, checklists: Sequence[Checklist]) -> Template | None:
    """A template to order ``checklists`` by, rebuilt from a frozen walk (None: checklist order)."""
    if not walk or not walk.get("stages"):
        return None
    stages = []
    for raw in walk.get("stages") or ():
        try:
            stages.append(WalkStage.model_validate(raw))
        except ValueError:
            continue  # a stage a newer version wrote differently: its sections come at the end
    name = str(walk.get("template") or "visit")
    return Template(id="visit", title=name, checklists=[c.id for c in checklists] or ["none"], walk=stages)


def visit_steps(checklists: Sequence[Checklist], allowed: Mapping[str, Iterable[str]],
                walk: Mapping[str, Any] | None) -> list[WalkStep]:
    """The visit's items in the order of its frozen walk (every allowed item, none twice)."""
    return walk_order(checklists, walk_template(walk, checklists), allowed={k: set(v) for k, v in allowed.items()})


def frozen_jurisdiction(items: Iterable[Item], profile: InstitutionProfile, sources: Mapping[str, SourceDocument], *,
                        binding_only: bool) -> dict[str, Any]:
    """What ``visits.jurisdiction`` holds for a visit of these items (see the module doc)."""
    region = institution_region(profile, sources)
    documents, in_region = documents_for(profile, dict(sources))
    binding: dict[str, list[int]] = {}
    encouraged: dict[str, list[int]] = {}
    for item in items:
        local = [n for n, b in enumerate(item.basis) if basis_is_local(b, profile, sources, region)]
        required = [n for n in local if not item.basis[n].encouraged]
        merely = [n for n in local if item.basis[n].encouraged]
        if required:
            binding[item.id] = required
        if merely:
            encouraged[item.id] = merely
    return {
        "region": region.name,
        "documents": documents,
        "in_region": in_region,
        "binding": binding,
        "encouraged": encouraged,
        "binding_only": binding_only,
    }


@dataclass(frozen=True)
class VisitJurisdiction:
    """Binding or reference for each item of one visit: from its frozen record, or judged now.

    ``frozen`` is the visit's ``jurisdiction`` column; without it, ``profile`` and
    ``sources`` judge each item as the documents stand today (``sources`` empty: the
    library is not readable, and no item's binding is known).
    """

    frozen: Mapping[str, Any] | None
    profile: InstitutionProfile
    sources: Mapping[str, SourceDocument]

    @property
    def known(self) -> bool:
        return self.frozen is not None or bool(self.sources)

    def binding(self, item: Item) -> ItemBinding | None:
        if self.frozen is not None:
            required = _indexes(self.frozen.get("binding"), item)
            merely = _indexes(self.frozen.get("encouraged"), item)
            bases = tuple(item.basis[n] for n in required)
            return ItemBinding("binding" if bases else "reference", bases, tuple(item.basis[n] for n in merely))
        if not self.sources:
            return None
        return item_binding(item, self.profile, self.sources)

    def info(self, items: Iterable[Item]) -> JurisdictionInfo:
        bindings = [self.binding(item) for item in items]
        counted = [b for b in bindings if b is not None]
        binding_count = sum(1 for b in counted if b.is_binding)
        if self.frozen is not None:
            return JurisdictionInfo(
                region=str(self.frozen.get("region") or ""),
                documents=tuple(str(d) for d in self.frozen.get("documents") or ()),
                in_region=tuple(str(d) for d in self.frozen.get("in_region") or ()),
                binding_only=bool(self.frozen.get("binding_only")),
                binding_count=binding_count,
                reference_count=len(counted) - binding_count,
            )
        documents, in_region = documents_for(self.profile, dict(self.sources))
        return JurisdictionInfo(
            region=institution_region(self.profile, self.sources).name if self.sources else self.profile.region,
            documents=tuple(documents),
            in_region=tuple(in_region),
            binding_count=binding_count,
            reference_count=len(counted) - binding_count,
        )


def _indexes(table: Any, item: Item) -> list[int]:
    raw = table.get(item.id) if isinstance(table, Mapping) else None
    if not isinstance(raw, list):
        return []
    return [n for n in raw if isinstance(n, int) and not isinstance(n, bool) and 0 <= n < len(item.basis)]
