"""Meeting exceptions: one occurrence of a series moved or cancelled, once per occurrence.

Revision ID: 0016_meetings
Revises: 0014_underpinning
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_meetings"
down_revision = "0014_underpinning"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_exceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("series_key", sa.String(length=64), nullable=False),
        sa.Column("original_start", sa.String(length=16), nullable=False),
        sa.Column("new_start", sa.String(length=16), nullable=True),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=254), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agreement_id", "series_key", "original_start"),
    )
    op.create_index(
        op.f("ix_meeting_exceptions_agreement_id"), "meeting_exceptions", ["agreement_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_meeting_exceptions_agreement_id"), table_name="meeting_exceptions")
    op.drop_table("meeting_exceptions")
