"""What a department reports back through its ledger workbook (整改台账回执).

- ``rectifications.completion``: the department's account of what was done (整改完成情况),
  beside the planned measures (整改措施).
- ``rectifications.completed_on``: the day the department says the fix was finished (完成日期).
- ``rectifications.ledger_receipt``: a fingerprint of the last ledger row imported into it,
  so importing the same returned workbook again is recognised and changes nothing.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"  # 0005_dashboard.py
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rectifications") as batch:
        batch.add_column(sa.Column("completion", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("completed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("ledger_receipt", sa.String(length=64), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("rectifications") as batch:
        for column in ("ledger_receipt", "completed_on", "completion"):
            batch.drop_column(column)
