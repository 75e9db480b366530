"""Whether an item binds an institution or is good practice written elsewhere.

An item is **binding** (本地要求) for an institution when one of its bases is a document
of the institution's jurisdiction — its region lies in the document's region — that
applies to the institution's kind (a TCM-only document or sentence binds TCM institutions
only) and that requires rather than encourages (鼓励…/有条件的…/探索… bases are good
practice even at home). Otherwise the item is **reference** (参考): a hospital of 北京市 is
not bound by 渝北区's plan, but may still walk the item as good practice. A hospital
outside all the documents' regions gets every item as reference.

Pure functions over an item, an institution profile and the source documents, so the
services, the GUI and the reports can all ask the same question the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from auditapp.checklists.applicability import InstitutionProfile
from auditapp.checklists.regions import Region, normalise_region, parse_region
from auditapp.checklists.schema import Basis, Item
from auditapp.checklists.sources import SourceDocument

BindingStatus = Literal["binding", "reference"]


@dataclass(frozen=True)
class ItemBinding:
    """The answer for one item and one institution.

    ``bases`` are the bases that bind (empty for reference); ``encouraged`` the bases of the
    institution's own jurisdiction that only encourage it, so a reader can be told "本地文件鼓励".
    """

    status: BindingStatus
    bases: tuple[Basis, ...] = ()
    encouraged: tuple[Basis, ...] = ()

    @property
    def is_binding(self) -> bool:
        return self.status == "binding"


def institution_region(profile: InstitutionProfile, sources: Mapping[str, SourceDocument]) -> Region:
    """The institution's region, completed from the documents' regions ("渝北区" → 重庆市渝北区)."""
    known = [doc.region for doc in sources.values() if doc.region is not None]
    return parse_region(normalise_region(profile.region, known))


def basis_scope_fits(basis: Basis, doc: SourceDocument, profile: InstitutionProfile) -> bool:
    """Whether the document (and the sentence) addresses institutions of this kind."""
    if doc.tcm_only or basis.tcm_only:
        return profile.is_tcm
    return True


def basis_is_local(basis: Basis, profile: InstitutionProfile, sources: Mapping[str, SourceDocument],
                   region: Region | None = None) -> bool:
    """The basis is a document of the institution's jurisdiction addressing its kind."""
    doc = sources.get(basis.source)
    if doc is None or doc.region is None or doc.region.is_empty:
        return False
    region = region if region is not None else institution_region(profile, sources)
    return not region.is_empty and doc.region.contains(region) and basis_scope_fits(basis, doc, profile)


def item_binding(item: Item, profile: InstitutionProfile, sources: Mapping[str, SourceDocument]) -> ItemBinding:
    """Binding or reference for this institution, with the bases that make it so.

    ``sources`` are the library's documents (``library.sources``); an item of an old
    visit's snapshot is judged against today's jurisdictions, which is what a reader of the
    report wants to know.
    """
    region = institution_region(profile, sources)
    local = [b for b in item.basis if basis_is_local(b, profile, sources, region)]
    binding = tuple(b for b in local if not b.encouraged)
    encouraged = tuple(b for b in local if b.encouraged)
    return ItemBinding("binding" if binding else "reference", binding, encouraged)


def binding_summary(items: Iterable[Item], profile: InstitutionProfile,
                    sources: Mapping[str, SourceDocument]) -> dict[BindingStatus, int]:
    """How many of ``items`` bind the institution and how many are reference."""
    counts: dict[BindingStatus, int] = {"binding": 0, "reference": 0}
    for item in items:
        counts[item_binding(item, profile, sources).status] += 1
    return counts


def jurisdiction_regions(sources: Mapping[str, SourceDocument]) -> list[str]:
    """The regions the documents bind, for a chooser (see :func:`regions.known_regions`)."""
    from auditapp.checklists.regions import known_regions

    return known_regions(doc.region for doc in sources.values() if doc.region is not None)
