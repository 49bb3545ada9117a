"""Topics raised for a coming meeting occurrence by either party (unique per occurrence and text,
so that a double submit stores one row).

Revision ID: 0020_meeting_topics
Revises: 0019_meeting_records
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_meeting_topics"
down_revision = "0019_meeting_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("series_key", sa.String(64), nullable=False),
        sa.Column("original_start", sa.String(16), nullable=False),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("party", sa.String(16), nullable=False),
        sa.Column("raised_by_user_id", sa.Integer(), nullable=True),
        sa.Column("raised_by", sa.String(254), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_meeting_topics_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_user_id"],
            ["users.id"],
            name=op.f("fk_meeting_topics_raised_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_topics")),
        sa.UniqueConstraint(
            "agreement_id", "series_key", "original_start", "text", name="uq_meeting_topics_occurrence_text"
        ),
    )
    op.create_index(op.f("ix_meeting_topics_agreement_id"), "meeting_topics", ["agreement_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_meeting_topics_agreement_id"), table_name="meeting_topics")
    op.drop_table("meeting_topics")
