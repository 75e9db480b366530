"""Sync state: conflicts found by merges, what each peer is known up to, photo files in the database.

- ``sync_conflicts``: both values of a genuine conflict, for the user to decide.
- ``sync_peers``: per other replica, the time on *its* clock up to which its changes
  have been merged here (conflict detection needs it).
- ``photo_blobs``: photo files of replicas that have no folder (a PostgreSQL server).

On PostgreSQL every foreign key is also made DEFERRABLE (still checked immediately
unless a transaction asks otherwise): when two devices created the same logical record
(the same answer, the same department name …) under different ids, a merge renames one
id to the other and its references in one transaction, which needs the check at commit.
SQLite gets the same with ``PRAGMA defer_foreign_keys``, so its tables are not rebuilt.
Migrations that add foreign keys later must declare them deferrable on PostgreSQL too.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_FOREIGN_KEYS = sa.text(
    "SELECT c.conname, t.relname FROM pg_constraint c"
    " JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = c.connamespace"
    " WHERE c.contype = 'f' AND n.nspname = current_schema() AND c.condeferrable = :deferrable"
)


def _set_deferrable(deferrable: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    clause = "DEFERRABLE INITIALLY IMMEDIATE" if deferrable else "NOT DEFERRABLE"
    for name, table in bind.execute(_FOREIGN_KEYS, {"deferrable": not deferrable}).all():
        op.execute(f'ALTER TABLE "{table}" ALTER CONSTRAINT "{name}" {clause}')


def upgrade() -> None:
    op.create_table(
        "photo_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_photo_blobs")),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("local_values", sa.JSON(), nullable=True),
        sa.Column("remote_values", sa.JSON(), nullable=True),
        sa.Column("local_device", sa.String(length=36), nullable=False),
        sa.Column("remote_device", sa.String(length=36), nullable=False),
        sa.Column("local_updated_at", sa.DateTime(), nullable=True),
        sa.Column("remote_updated_at", sa.DateTime(), nullable=True),
        sa.Column("applied", sa.String(length=8), nullable=False),
        sa.Column("peer_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolution", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
        sa.UniqueConstraint("signature", name=op.f("uq_sync_conflicts_signature")),
    )
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_conflicts_record_id"), ["record_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_conflicts_resolved"), ["resolved"], unique=False)
    op.create_table(
        "sync_peers",
        sa.Column("peer_id", sa.String(length=36), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("known_at", sa.DateTime(), nullable=True),
        sa.Column("merged_until", sa.DateTime(), nullable=True),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.Column("last_source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("peer_id", name=op.f("pk_sync_peers")),
    )
    _set_deferrable(True)


def downgrade() -> None:
    _set_deferrable(False)
    op.drop_table("sync_peers")
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_conflicts_resolved"))
        batch_op.drop_index(batch_op.f("ix_sync_conflicts_record_id"))
    op.drop_table("sync_conflicts")
    op.drop_table("photo_blobs")
