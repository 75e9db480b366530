"""The full rectification lifecycle, amendments of finalized visits, citations on findings.

- ``rectifications``: rounds (驳回/重新整改 counted), a pending extension request
  (requested deadline, reason, the status to return to), the verification note and when
  it was closed (销号). Rows in the old ``reopened`` status become ``in_progress`` with
  one round counted — what "reopened" meant.
- ``rectification_events``: the action that made the change and, for extensions, the
  deadline asked for or granted. Old rows get the action their status change implies.
- ``visits.amended_at`` and the synced ``visit_amendments`` table: a finalized visit
  changed with a reason given once.
- ``findings.basis``: citations for findings no checklist item carries (a timed wait
  over its target, a faulty AED).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Old status change -> the action that makes it now (for the history of old rows).
_OLD_ACTIONS = {
    (None, "open"): "create",
    ("open", "in_progress"): "start",
    ("reopened", "in_progress"): "start",
    ("open", "reported_fixed"): "report",
    ("in_progress", "reported_fixed"): "report",
    ("reopened", "reported_fixed"): "report",
    ("open", "verified"): "verify",
    ("in_progress", "verified"): "verify",
    ("reported_fixed", "verified"): "verify",
    ("reopened", "verified"): "verify",
    ("reported_fixed", "in_progress"): "reject",
    ("reported_fixed", "reopened"): "reject",
    ("verified", "reopened"): "reopen",
}


def _fk_kwargs() -> dict[str, object]:
    # PostgreSQL foreign keys are DEFERRABLE (see 0003): merges rename ids in one transaction.
    if op.get_bind().dialect.name == "postgresql":
        return {"deferrable": True, "initially": "IMMEDIATE"}
    return {}


def upgrade() -> None:
    with op.batch_alter_table("rectifications") as batch:
        batch.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("verification_note", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("rounds", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("requested_deadline", sa.Date(), nullable=True))
        batch.add_column(sa.Column("extension_reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("status_before_extension", sa.String(length=20), nullable=False, server_default=""))
    with op.batch_alter_table("rectification_events") as batch:
        batch.add_column(sa.Column("action", sa.String(length=24), nullable=False, server_default=""))
        batch.add_column(sa.Column("deadline", sa.Date(), nullable=True))
    with op.batch_alter_table("visits") as batch:
        batch.add_column(sa.Column("amended_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("findings") as batch:
        batch.add_column(sa.Column("basis", sa.JSON(), nullable=False, server_default="[]"))

    op.create_table(
        "visit_amendments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_visit_amendments_visit_id_visits"), **_fk_kwargs()
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_amendments")),
    )
    op.create_index(op.f("ix_visit_amendments_updated_at"), "visit_amendments", ["updated_at"])
    op.create_index(op.f("ix_visit_amendments_visit_id"), "visit_amendments", ["visit_id"])

    bind = op.get_bind()
    events = sa.table(
        "rectification_events",
        sa.column("id", sa.String),
        sa.column("status_from", sa.String),
        sa.column("status_to", sa.String),
        sa.column("action", sa.String),
    )
    for (status_from, status_to), action in _OLD_ACTIONS.items():
        condition = events.c.status_from.is_(None) if status_from is None else events.c.status_from == status_from
        bind.execute(
            events.update().where(condition, events.c.status_to == status_to, events.c.action == "").values(action=action)
        )
    rects = sa.table("rectifications", sa.column("status", sa.String), sa.column("rounds", sa.Integer))
    bind.execute(rects.update().where(rects.c.status == "reopened").values(status="in_progress", rounds=rects.c.rounds + 1))


def downgrade() -> None:
    op.drop_index(op.f("ix_visit_amendments_visit_id"), table_name="visit_amendments")
    op.drop_index(op.f("ix_visit_amendments_updated_at"), table_name="visit_amendments")
    op.drop_table("visit_amendments")
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("basis")
    with op.batch_alter_table("visits") as batch:
        batch.drop_column("amended_at")
    with op.batch_alter_table("rectification_events") as batch:
        batch.drop_column("deadline")
        batch.drop_column("action")
    with op.batch_alter_table("rectifications") as batch:
        for column in ("status_before_extension", "extension_reason", "requested_deadline", "rounds",
                       "verification_note", "closed_at"):
            batch.drop_column(column)
