"""How checklist content reads in the window: the reader's language, document titles
instead of short names, targets with proper signs.

Checklist files carry Chinese text with optional English (``title_en``, ``question_en``)
and cite documents by short name (``yubei-2023``); people read the title.
"""

from __future__ import annotations

from auditapp.checklists import Library
from auditapp.checklists.schema import Target, unit_label
from ui.i18n import current_language, is_chinese


def localized(chinese: str, english: str = "") -> str:
    """The Chinese text, or its English version in English mode when there is one."""
    return chinese if is_chinese() or not english else english


def target_text(target: Target, unit: str = "") -> str:
    """"≤ 30 分钟" rather than "<= 30": the core's one display of a target, in the window's language."""
    return target.display(unit, current_language())


def unit_text(unit: str) -> str:
    return unit_label(unit, current_language())


def source_title(library: Library | None, short_name: str) -> str:
    """The cited document's title (its short name only when the library lacks it)."""
    if library is not None:
        document = library.sources.get(short_name)
        if document is not None:
            return document.title
    return short_name


def checklist_title(library: Library | None, checklist_id: str) -> str:
    checklist = library.checklists.get(checklist_id) if library is not None else None
    return localized(checklist.title, checklist.title_en) if checklist else checklist_id


def section_title(library: Library | None, checklist_id: str, section_id: str, fallback: str) -> str:
    """A section's title in the reader's language (the visit's snapshot holds the Chinese)."""
    if is_chinese() or library is None:
        return fallback
    checklist = library.checklists.get(checklist_id)
    section = next((s for s in checklist.sections if s.id == section_id), None) if checklist else None
    return section.title_en if section is not None and section.title_en else fallback
