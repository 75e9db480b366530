"""Visits freeze their patient-path walk and which items bound the institution.

- ``visits.walk``: the template's walk stages the visit follows (entrance → guidance →
  registration … → wards), so a visit keeps its order for ever like its snapshots.
- ``visits.jurisdiction``: the institution's region when the visit started, the
  documents that bound it, per item the bases that made it binding (本地要求) rather
  than reference (参考), and whether the visit was limited to binding items.

Existing visits get both from the checklist library installed now: the walk of the
template a new visit of those checklists would use (the institution's default template
when it holds them all), and the binding of each of their items for the institution as
recorded. When the library cannot be loaded the columns stay empty: the visit is then
shown in checklist order and judged against the documents whenever it is read. Nothing
else of a visit changes: its snapshots, answers and findings are as they were.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import json
import logging
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"  # 0006_ledger.py
branch_labels = None
depends_on = None

log = logging.getLogger("auditapp.db")


def upgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.add_column(sa.Column("walk", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("jurisdiction", sa.JSON(), nullable=True))
    _freeze_existing_visits()


def _freeze_existing_visits() -> None:
    bind = op.get_bind()
    visits = bind.execute(
        sa.text(
            "SELECT v.id, i.kind, i.level, i.has_obstetrics, i.alliance_lead, i.region"
            " FROM visits v JOIN institutions i ON i.id = v.institution_id"
        )
    ).all()
    if not visits:
        return
    try:
        from auditapp.checklists import load_library

        library = load_library()
    except Exception:
        log.warning("checklist library not loadable: old visits keep checklist order", exc_info=True)
        return
    from auditapp.checklists import InstitutionProfile, checklist_from_snapshot
    from auditapp.services.visit_walk import frozen_jurisdiction, frozen_walk

    table = sa.table("visits", sa.column("id", sa.String), sa.column("walk", sa.JSON),
                     sa.column("jurisdiction", sa.JSON))
    for visit_id, kind, level, obstetrics, lead, region in visits:
        rows = bind.execute(
            sa.text(
                "SELECT s.content, vc.applicable_item_ids FROM visit_checklists vc"
                " JOIN checklist_snapshots s ON s.id = vc.snapshot_id"
                " WHERE vc.visit_id = :v AND vc.deleted_at IS NULL ORDER BY vc.sort_order"
            ),
            {"v": visit_id},
        ).all()
        try:
            checklists = [checklist_from_snapshot(content) for content, _ids in rows]
            profile = InstitutionProfile(kind=kind, level=int(level), has_obstetrics=bool(obstetrics),
                                         alliance_lead=bool(lead), region=region or "")
            template = library.walk_template([c.id for c in checklists], profile)
            allowed = [item_id for _content, ids in rows for item_id in _ids_of(ids)]
            items = [item for c in checklists for _s, item in c.items() if item.id in set(allowed)]
            walk = frozen_walk(template)
            jurisdiction = frozen_jurisdiction(items, profile, library.sources, binding_only=False)
        except Exception:
            log.warning("visit %s: walk not frozen", visit_id, exc_info=True)
            continue
        bind.execute(table.update().where(table.c.id == visit_id).values(walk=walk, jurisdiction=jurisdiction))


def _ids_of(raw: Any) -> list[str]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return []
    return [str(i) for i in raw] if isinstance(raw, list) else []


def downgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.drop_column("jurisdiction")
        batch.drop_column("walk")
