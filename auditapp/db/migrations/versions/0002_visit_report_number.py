"""Visits get a report number printed on rectification lists ("2026-11-003").

Existing visits are numbered in the order they started, per institution and year, so
reports of old visits carry a stable number too.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.add_column(sa.Column("report_number", sa.String(length=40), nullable=False, server_default=""))
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, institution_id, visit_date FROM visits ORDER BY institution_id, visit_date, started_at, id")
    ).fetchall()
    counters: dict[tuple[str, str], int] = {}
    for visit_id, institution_id, visit_date in rows:
        year = str(visit_date)[:4]
        key = (institution_id, year)
        counters[key] = counters.get(key, 0) + 1
        month = str(visit_date)[5:7]
        conn.execute(
            sa.text("UPDATE visits SET report_number = :n WHERE id = :id"),
            {"n": f"{year}-{month}-{counters[key]:03d}", "id": visit_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.drop_column("report_number")
