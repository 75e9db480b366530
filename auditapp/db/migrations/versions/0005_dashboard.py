"""Leaders' monthly duty and the dashboard: the leadership roster, visit plans, indexes for statistics.

- ``leaders`` (synced): each institution's leadership team (领导班子成员) with role and
  the dates in office; every leader owes one experience visit a month (yubei-2023 四(四)).
- ``visit_plans`` (synced): who walks which route (checklist) in which month.
- ``visits.leader_id``: the roster leader who walked; NULL for bureau inspectors and for
  every visit recorded before the roster existed (their typed name is kept and still
  matched to the roster by name, see auditapp.stats.duty).
- Indexes that let the dashboard aggregate in SQL without touching table rows: answers
  by visit with result, severity and value (covering), visits by institution and date.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
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
        "leaders",
        *_sync_columns(),
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("active_from", sa.Date(), nullable=True),
        sa.Column("active_to", sa.Date(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institutions.id"], name=op.f("fk_leaders_institution_id_institutions"),
            **_fk_kwargs(),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leaders")),
        sa.UniqueConstraint("institution_id", "name", name=op.f("uq_leaders_institution_id_name")),
    )
    op.create_index(op.f("ix_leaders_institution_id"), "leaders", ["institution_id"])
    op.create_index(op.f("ix_leaders_updated_at"), "leaders", ["updated_at"])

    op.create_table(
        "visit_plans",
        *_sync_columns(),
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("leader_id", sa.String(length=36), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institutions.id"], name=op.f("fk_visit_plans_institution_id_institutions"),
            **_fk_kwargs(),
        ),
        sa.ForeignKeyConstraint(
            ["leader_id"], ["leaders.id"], name=op.f("fk_visit_plans_leader_id_leaders"), **_fk_kwargs()
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_plans")),
        sa.UniqueConstraint("leader_id", "month", name=op.f("uq_visit_plans_leader_id_month")),
    )
    op.create_index(op.f("ix_visit_plans_institution_id"), "visit_plans", ["institution_id"])
    op.create_index(op.f("ix_visit_plans_leader_id"), "visit_plans", ["leader_id"])
    op.create_index(op.f("ix_visit_plans_updated_at"), "visit_plans", ["updated_at"])

    # A nullable column with an inline reference: SQLite adds it with ALTER TABLE, so the
    # visits table (referenced by most others) is not rebuilt.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE visits ADD COLUMN leader_id VARCHAR(36)"
            " CONSTRAINT fk_visits_leader_id_leaders REFERENCES leaders (id)"
        )
    else:
        op.add_column("visits", sa.Column("leader_id", sa.String(length=36), nullable=True))
        op.create_foreign_key(
            op.f("fk_visits_leader_id_leaders"), "visits", "leaders", ["leader_id"], ["id"], **_fk_kwargs()
        )
    op.create_index(op.f("ix_visits_leader_id"), "visits", ["leader_id"])

    op.create_index(
        "ix_answers_stats", "answers", ["visit_id", "result", "severity", "checklist_id", "item_id", "value", "deleted_at"]
    )
    op.create_index("ix_visits_institution_date", "visits", ["institution_id", "visit_date"])


def downgrade() -> None:
    op.drop_index("ix_visits_institution_date", table_name="visits")
    op.drop_index("ix_answers_stats", table_name="answers")
    op.drop_index(op.f("ix_visits_leader_id"), table_name="visits")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f("fk_visits_leader_id_leaders"), "visits", type_="foreignkey")
    # SQLite (3.35+) drops a column that only it references with ALTER TABLE.
    op.execute("ALTER TABLE visits DROP COLUMN leader_id")
    for table in ("visit_plans", "leaders"):
        op.drop_table(table)
