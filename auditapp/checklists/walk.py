"""The order of a visit's items along the patient's path, from the template's walk.

A visit combines several checklists (signage, booking, toilets …), each cut into sections
by area. The leader does not walk checklist by checklist: they go entrance → guidance and
signs → registration and booking → waiting → consultation → payment → pharmacy → toilets,
emergency, wards. The template's ``walk`` names, stage by stage, which checklist sections
are walked there; :func:`walk_order` turns a visit's checklists into that sequence.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from auditapp.checklists.schema import Checklist, Item, Section, Template, WalkStage

# Stage of sections the template does not place (old snapshots, custom selections).
OTHER_STAGE = WalkStage(id="other", title="其他", title_en="Other", sections=["other.other"])


@dataclass(frozen=True)
class WalkStep:
    """One item in walk order, with where it sits."""

    stage: WalkStage
    checklist: Checklist
    section: Section
    item: Item


def walk_order(
    checklists: Sequence[Checklist],
    template: Template | None = None,
    *,
    allowed: Mapping[str, Collection[str]] | None = None,
) -> list[WalkStep]:
    """The items of ``checklists`` in the order of the patient's path.

    Args:
        checklists: the visit's checklists (snapshots), in the visit's checklist order.
        template: the template whose ``walk`` gives the order; ``None`` or a template
            without a walk keeps checklist order.
        allowed: per checklist id, the item ids the visit froze as applicable
            (``VisitChecklist.applicable_item_ids``); items not listed are left out.
            ``None`` keeps every item.

    Returns:
        One step per item: stage by stage as the template walks them; within a stage,
        section by section as listed; within a section, items in file order. Sections the
        walk does not name (an old snapshot's section that has since been renamed, a
        checklist outside the template) follow at the end in checklist order, so no item
        is ever dropped.
    """
    by_id = {c.id: c for c in checklists}
    placed: set[tuple[str, str]] = set()
    steps: list[WalkStep] = []

    def add(stage: WalkStage, checklist: Checklist, section: Section) -> None:
        keep = None if allowed is None else set(allowed.get(checklist.id, ()))
        for item in section.items:
            if keep is None or item.id in keep:
                steps.append(WalkStep(stage, checklist, section, item))

    for stage in template.walk if template is not None else []:
        for ref in stage.sections:
            checklist_id, _, section_id = ref.partition(".")
            checklist = by_id.get(checklist_id)
            if checklist is None or (checklist_id, section_id) in placed:
                continue
            section = next((s for s in checklist.sections if s.id == section_id), None)
            if section is None:
                continue
            placed.add((checklist_id, section_id))
            add(stage, checklist, section)
    for checklist in checklists:
        for section in checklist.sections:
            if (checklist.id, section.id) not in placed:
                add(OTHER_STAGE if template is not None and template.walk else _checklist_stage(checklist), checklist, section)
    return steps


def _checklist_stage(checklist: Checklist) -> WalkStage:
    """Without a walk, each checklist is its own stage."""
    return WalkStage(id=checklist.id, title=checklist.title, title_en=checklist.title_en,
                     sections=[f"{checklist.id}.{s.id}" for s in checklist.sections])
