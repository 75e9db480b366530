"""Where an institution is and which documents bind it: regions typed by people, read one way.

Institutions record their region as typed (``渝北区``, ``重庆 渝北区``); it is stored in the
canonical form (``重庆市渝北区``) through :func:`normalise_institution_region`, completed
from the regions the source documents name, so binding never depends on how it was typed.
The documents come from the checklist library's source index (``checklists/sources``),
read once and kept while the index file is unchanged: reading every checklist file only to
know five documents' regions would cost a second on every save of an institution.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auditapp.checklists.applicability import InstitutionProfile
from auditapp.checklists.binding import institution_region
from auditapp.checklists.regions import known_regions, normalise_region
from auditapp.checklists.sources import SourceDocument, load_sources
from auditapp.errors import AuditAppError

_CACHE: dict[Path, tuple[float, dict[str, SourceDocument]]] = {}


def current_sources(library_dir: Path | None = None) -> dict[str, SourceDocument]:
    """The source documents of the checklist library (``{}`` when they cannot be read)."""
    from auditapp import paths

    folder = (Path(library_dir) if library_dir is not None else paths.checklists_dir()) / "sources"
    index = folder / "index.yaml"
    try:
        stamp = index.stat().st_mtime
    except OSError:
        return {}
    cached = _CACHE.get(folder)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        sources, _problems = load_sources(folder)
    except (OSError, AuditAppError):
        return {}
    _CACHE[folder] = (stamp, sources)
    return sources


def document_regions(sources: dict[str, SourceDocument]) -> list[str]:
    return [doc.region.name for doc in sources.values() if doc.region is not None and not doc.region.is_empty]


def region_choices(sources: dict[str, SourceDocument] | None = None) -> list[str]:
    """The regions a chooser offers: those the documents bind and every region above them."""
    return known_regions(document_regions(current_sources() if sources is None else sources))


def normalise_institution_region(text: str, sources: dict[str, SourceDocument] | None = None) -> str:
    """The canonical form of a typed region: ``渝北区`` → ``重庆市渝北区``, ``北京`` → ``北京市``."""
    return normalise_region(text, document_regions(current_sources() if sources is None else sources))


@dataclass(frozen=True)
class JurisdictionInfo:
    """An institution's place among the documents: what a dialog or a report says about it.

    ``documents`` bind the institution (their region holds it and they address its kind);
    ``in_region`` are all documents whose region holds it (a TCM-only document of the
    province is in region for a general hospital but does not bind it). ``outside``: no
    document's region holds the institution, so every item is reference.
    """

    region: str
    documents: tuple[str, ...]
    in_region: tuple[str, ...]
    binding_only: bool = False
    binding_count: int = 0
    reference_count: int = 0

    @property
    def outside(self) -> bool:
        return not self.in_region

    @property
    def bound(self) -> bool:
        return bool(self.documents)


def documents_for(profile: InstitutionProfile, sources: dict[str, SourceDocument]) -> tuple[list[str], list[str]]:
    """(binding documents, documents of the institution's region), by short name in index order."""
    region = institution_region(profile, sources)
    if region.is_empty:
        return [], []
    in_region = [name for name, doc in sources.items()
                 if doc.region is not None and not doc.region.is_empty and doc.region.contains(region)]
    binding = [name for name in in_region if not sources[name].tcm_only or profile.is_tcm]
    return binding, in_region


def institution_jurisdiction(profile: InstitutionProfile, sources: dict[str, SourceDocument] | None = None) -> JurisdictionInfo:
    """Where the institution stands before any visit (the new-visit and institution dialogs)."""
    sources = current_sources() if sources is None else sources
    binding, in_region = documents_for(profile, sources)
    return JurisdictionInfo(region=institution_region(profile, sources).name, documents=tuple(binding),
                            in_region=tuple(in_region))


def documents_words(names: tuple[str, ...] | list[str], sources: dict[str, SourceDocument], language: str) -> str:
    """The documents' titles in 《》, joined for a sentence ("" when none)."""
    titles = [f"《{sources[n].title}》" if n in sources else n for n in names]
    return ("、" if language == "zh_CN" else ", ").join(titles)

