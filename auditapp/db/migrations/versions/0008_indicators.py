"""Indicator reports: city annex indicators filled in per period, apart from the walk.

- ``indicator_snapshots``: an indicator set frozen as canonical JSON (like checklist
  snapshots), so a period is always judged by the targets it was entered against.
- ``indicator_values``: one institution's value for one indicator and one period, with
  the data source and a note; unique per institution, indicator and period.

Old visits that answered the retired ``indicators`` checklist keep their snapshot and
answers unchanged; the indicator report shows those answers as legacy values.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"  # 0007_walk.py
branch_labels = None
depends_on = None


def _fk_kwargs() -> dict[str, object]:
    # PostgreSQL foreign keys are DEFERRABLE (see 0003): merges rename ids in one transaction.
    if op.get_bind().dialect.name == "postgresql":
        return {"deferrable": True, "initially": "IMMEDIATE"}
    return {}


def _sync_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "indicator_snapshots",
        sa.Column("set_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        *_sync_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_snapshots")),
        sa.UniqueConstraint("sha256", name=op.f("uq_indicator_snapshots_sha256")),
    )
    with op.batch_alter_table("indicator_snapshots") as batch:
        batch.create_index(batch.f("ix_indicator_snapshots_set_id"), ["set_id"], unique=False)
        batch.create_index(batch.f("ix_indicator_snapshots_updated_at"), ["updated_at"], unique=False)
    op.create_table(
        "indicator_values",
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("snapshot_id", sa.String(length=36), nullable=False),
        sa.Column("set_id", sa.String(length=100), nullable=False),
        sa.Column("indicator_id", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("data_source", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        *_sync_columns(),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"],
                                name=op.f("fk_indicator_values_institution_id_institutions"), **_fk_kwargs()),
        sa.ForeignKeyConstraint(["snapshot_id"], ["indicator_snapshots.id"],
                                name=op.f("fk_indicator_values_snapshot_id_indicator_snapshots"), **_fk_kwargs()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_values")),
        sa.UniqueConstraint("institution_id", "indicator_id", "period",
                            name=op.f("uq_indicator_values_institution_id_indicator_id_period")),
    )
    with op.batch_alter_table("indicator_values") as batch:
        batch.create_index(batch.f("ix_indicator_values_institution_id"), ["institution_id"], unique=False)
        batch.create_index(batch.f("ix_indicator_values_updated_at"), ["updated_at"], unique=False)


def downgrade() -> None:
    op.drop_table("indicator_values")
    op.drop_table("indicator_snapshots")
