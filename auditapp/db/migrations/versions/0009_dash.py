"""Answer sums per visit and checklist section for the dashboard, kept current by triggers.

- ``stats_visit_sections`` (not synced, a cache): per visit and checklist section the
  counts of conform / nonconform / not-applicable / answered answers and the weighted
  nonconformities. The dashboard reads these ~45 rows a visit instead of grouping every
  answer by month and item (auditapp.stats.sections).
- ``stats_visit_state`` (not synced): which visits' rows are current, and for which
  item → section mapping and severity weights (``rules_key``).
- SQLite triggers on ``answers``: any insert, update or delete drops the visit's rows
  and state, whatever wrote the answer (GUI, CLI, amendment, package import, direct
  sync, trash, purge). The dashboard recomputes dropped visits on demand.

Both tables start empty: nothing existing changes, and the first dashboard fills them.
PostgreSQL gets the tables (every replica runs the same migrations) but no triggers;
there the dashboard computes the same rows into a temporary table each time.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"  # 0008_indicators.py
branch_labels = None
depends_on = None

_TRIGGERS = {
    "stats_answers_inserted": "AFTER INSERT ON answers BEGIN"
    " DELETE FROM stats_visit_state WHERE visit_id = NEW.visit_id;"
    " DELETE FROM stats_visit_sections WHERE visit_id = NEW.visit_id; END",
    "stats_answers_updated": "AFTER UPDATE ON answers BEGIN"
    " DELETE FROM stats_visit_state WHERE visit_id IN (OLD.visit_id, NEW.visit_id);"
    " DELETE FROM stats_visit_sections WHERE visit_id IN (OLD.visit_id, NEW.visit_id); END",
    "stats_answers_deleted": "AFTER DELETE ON answers BEGIN"
    " DELETE FROM stats_visit_state WHERE visit_id = OLD.visit_id;"
    " DELETE FROM stats_visit_sections WHERE visit_id = OLD.visit_id; END",
}


def upgrade() -> None:
    op.create_table(
        "stats_visit_state",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("rules_key", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_stats_visit_state")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "stats_visit_sections",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("section_key", sa.String(length=400), nullable=False),
        sa.Column("conform", sa.Integer(), nullable=False),
        sa.Column("nonconform", sa.Integer(), nullable=False),
        sa.Column("not_applicable", sa.Integer(), nullable=False),
        sa.Column("weighted_nonconform", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("visit_id", "section_key", name=op.f("pk_stats_visit_sections")),
        sqlite_with_rowid=False,  # rows clustered by visit: a visit's sums are one range read
    )
    if op.get_bind().dialect.name == "sqlite":
        for name, body in _TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("stats_visit_sections")
    op.drop_table("stats_visit_state")
