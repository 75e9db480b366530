"""Which checklist items apply to an institution (TCM-only, ▲ tertiary/lead, ＃ obstetrics).

Applicability decides whether an item is in the walk at all; whether it *binds* the
institution (its own authority requires it) is a separate question answered by
:mod:`auditapp.checklists.binding` from the documents' jurisdictions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditapp.errors import InvalidInputError

if TYPE_CHECKING:
    from auditapp.checklists.schema import Checklist, Item, Section

TCM_KINDS = ("tcm", "integrated")


@dataclass(frozen=True)
class InstitutionProfile:
    """What applicability and binding need to know about an institution.

    ``region`` is the institution's region as recorded (free text such as "重庆市渝北区");
    :func:`auditapp.checklists.regions.normalise_region` reads it.
    """

    kind: str
    level: int
    has_obstetrics: bool = False
    alliance_lead: bool = False
    region: str = ""

    @property
    def is_tcm(self) -> bool:
        return self.kind in TCM_KINDS


def tag_holds(tag: str, profile: InstitutionProfile) -> bool:
    if tag == "tcm":
        return profile.is_tcm
    if tag == "tertiary":
        # ▲ "适用于三级医院和医联体的牵头医院" (yubei-2023 附件1 注1)
        return profile.level >= 3 or profile.alliance_lead
    if tag == "obstetrics":
        # ＃ "适用于有产科的医疗机构" (yubei-2023 附件1 注2)
        return profile.has_obstetrics
    raise InvalidInputError("checklist.unknown_tag", tag=tag)


def tags_hold(tags: list[str], profile: InstitutionProfile) -> bool:
    """Every tag holds (an item with several tags applies only when all of them do)."""
    return all(tag_holds(tag, profile) for tag in tags)


def item_applies(item: Item, profile: InstitutionProfile) -> bool:
    return tags_hold(list(item.applies), profile)


def checklist_applies(checklist: Checklist, profile: InstitutionProfile) -> bool:
    return profile.kind in checklist.applies_to


def applicable_items(checklist: Checklist, profile: InstitutionProfile) -> list[tuple[Section, Item]]:
    if not checklist_applies(checklist, profile):
        return []
    return [(section, item) for section, item in checklist.items() if item_applies(item, profile)]
