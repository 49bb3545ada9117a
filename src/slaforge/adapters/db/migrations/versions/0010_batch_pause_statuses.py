"""Each import batch keeps the pause statuses its mapping listed (NULL: the mapping listed none,
so a study falls back to reading status names), so that a study applies the user's own rule.

Revision ID: 0010_batch_pause_statuses
Revises: 0009_audit_head
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_batch_pause_statuses"
down_revision = "0009_audit_head"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_batches") as batch:
        batch.add_column(sa.Column("pause_statuses", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_batches") as batch:
        batch.drop_column("pause_statuses")
