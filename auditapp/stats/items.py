"""Checklist items and sections as the visits' snapshots define them, for labelling figures.

The database knows items only by id; their sections (the heat map's rows) and problem
statements live in the frozen snapshots. Each snapshot is parsed once per process
(they never change), newest version last so its wording wins.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from auditapp.db.models import ChecklistSnapshot


@dataclass(frozen=True)
class ItemLabel:
    checklist_id: str
    checklist_title: str
    checklist_title_en: str
    section_id: str
    section_title: str
    section_title_en: str
    problem_zh: str
    problem_en: str
    basis: tuple[tuple[str, str, str], ...] = ()  # (source short name, clause, quote)

    @property
    def section_key(self) -> str:
        return f"{self.checklist_id}/{self.section_id}"

    def section(self, language: str) -> str:
        return self.section_title_en if language == "en" and self.section_title_en else self.section_title

    def problem(self, language: str) -> str:
        return self.problem_en if language == "en" else self.problem_zh

    def checklist(self, language: str) -> str:
        return self.checklist_title_en if language == "en" and self.checklist_title_en else self.checklist_title


def _parse(sha256: str, content: str) -> tuple[tuple[str, ItemLabel], ...]:
    from auditapp.checklists import checklist_from_snapshot

    checklist = checklist_from_snapshot(content)
    out = []
    for section, item in checklist.items():
        out.append(
            (
                item.id,
                ItemLabel(
                    checklist_id=checklist.id,
                    checklist_title=checklist.title,
                    checklist_title_en=checklist.title_en,
                    section_id=section.id,
                    section_title=section.title,
                    section_title_en=section.title_en,
                    problem_zh=item.problem_statement("zh_CN"),
                    problem_en=item.problem_statement("en"),
                    basis=tuple((b.source, b.clause, b.quote) for b in item.basis),
                ),
            )
        )
    return tuple(out)


def item_labels(conn: sa.Connection) -> dict[str, ItemLabel]:
    """Every item id any snapshot in the database knows, with its section and statement."""
    snap = ChecklistSnapshot.__table__
    shas = conn.execute(
        sa.select(snap.c.sha256).where(snap.c.deleted_at.is_(None)).order_by(snap.c.checklist_id, snap.c.version)
    ).scalars().all()
    labels: dict[str, ItemLabel] = {}
    for sha in shas:
        cached = _CONTENT.get(sha)
        if cached is None:
            content = conn.execute(sa.select(snap.c.content).where(snap.c.sha256 == sha)).scalar_one()
            cached = _CONTENT[sha] = _parse(sha, content)
        labels.update(cached)
    return labels


# Parsed snapshots by hash: reading a snapshot's content costs more than parsing is worth repeating.
_CONTENT: dict[str, tuple[tuple[str, ItemLabel], ...]] = {}


def section_order(labels: dict[str, ItemLabel]) -> list[str]:
    """Section keys in checklist order (the patient's path within each checklist)."""
    seen: dict[str, None] = {}
    for label in labels.values():
        seen.setdefault(label.section_key, None)
    return list(seen)
