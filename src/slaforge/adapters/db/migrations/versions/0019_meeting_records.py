"""Meeting records: the minutes of a held occurrence, its action items (one task each, the unique
key deciding between parallel saves), and each user's secret calendar feed (its token's hash).

Revision ID: 0019_meeting_records
Revises: 0018_responsibility_acks
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_meeting_records"
down_revision = "0018_responsibility_acks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("series_key", sa.String(64), nullable=False),
        sa.Column("original_start", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attendance", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(254), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(254), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_meeting_minutes_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_minutes")),
        sa.UniqueConstraint(
            "agreement_id",
            "series_key",
            "original_start",
            name=op.f("uq_meeting_minutes_agreement_id_series_key_original_start"),
        ),
    )
    op.create_index(op.f("ix_meeting_minutes_agreement_id"), "meeting_minutes", ["agreement_id"])
    op.create_table(
        "meeting_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("series_key", sa.String(64), nullable=False),
        sa.Column("original_start", sa.String(16), nullable=False),
        sa.Column("action_key", sa.String(50), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_meeting_actions_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_meeting_actions_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_actions")),
        sa.UniqueConstraint(
            "agreement_id",
            "series_key",
            "original_start",
            "action_key",
            name="uq_meeting_actions_occurrence_key",
        ),
    )
    op.create_index(op.f("ix_meeting_actions_agreement_id"), "meeting_actions", ["agreement_id"])
    op.create_index(op.f("ix_meeting_actions_task_id"), "meeting_actions", ["task_id"])
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_calendar_feeds_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("user_id", name=op.f("uq_calendar_feeds_user_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("calendar_feeds")
    op.drop_index(op.f("ix_meeting_actions_task_id"), table_name="meeting_actions")
    op.drop_index(op.f("ix_meeting_actions_agreement_id"), table_name="meeting_actions")
    op.drop_table("meeting_actions")
    op.drop_index(op.f("ix_meeting_minutes_agreement_id"), table_name="meeting_minutes")
    op.drop_table("meeting_minutes")
