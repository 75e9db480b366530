"""Which checklist items apply to an institution (TCM-only, ▲ tertiary/lead, ＃ obstetrics)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditapp.checklists.schema import Checklist, Item, Section

TCM_KINDS = ("tcm", "integrated")


@dataclass(frozen=True)
class InstitutionProfile:
    kind: str
    level: int
    has_obstetrics: bool = False
    alliance_lead: bool = False


def tag_holds(tag: str, profile: InstitutionProfile) -> bool:
    if tag == "tcm":
        return profile.kind in TCM_KINDS
    if tag == "tertiary":
        # ▲ "适用于三级医院和医联体的牵头医院" (yubei-2023 附件1 注1)
        return profile.level >= 3 or profile.alliance_lead
    if tag == "obstetrics":
        # ＃ "适用于有产科的医疗机构" (yubei-2023 附件1 注2)
        return profile.has_obstetrics
    raise ValueError(f"unknown applicability tag {tag!r}")


def item_applies(item: Item, profile: InstitutionProfile) -> bool:
    return all(tag_holds(tag, profile) for tag in item.applies)


def checklist_applies(checklist: Checklist, profile: InstitutionProfile) -> bool:
    return profile.kind in checklist.applies_to


def applicable_items(checklist: Checklist, profile: InstitutionProfile) -> list[tuple[Section, Item]]:
    if not checklist_applies(checklist, profile):
        return []
    return [(section, item) for section, item in checklist.items() if item_applies(item, profile)]
