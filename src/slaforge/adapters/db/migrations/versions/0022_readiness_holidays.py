"""Holidays added to a live agreement's frozen calendars, one row per (configuration, calendar,
day) by unique constraint.

Revision ID: 0022_readiness_holidays
Revises: 0021_readiness
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_readiness_holidays"
down_revision = "0021_readiness"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "readiness_holidays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("config_id", sa.Integer(), nullable=False),
        sa.Column("calendar", sa.String(200), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(254), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_readiness_holidays_agreement_id_agreements")
        ),
        sa.ForeignKeyConstraint(
            ["config_id"],
            ["readiness_configs.id"],
            name=op.f("fk_readiness_holidays_config_id_readiness_configs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_readiness_holidays")),
        sa.UniqueConstraint(
            "config_id", "calendar", "day", name=op.f("uq_readiness_holidays_config_id_calendar_day")
        ),
    )
    op.create_index(op.f("ix_readiness_holidays_agreement_id"), "readiness_holidays", ["agreement_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_readiness_holidays_agreement_id"), table_name="readiness_holidays")
    op.drop_table("readiness_holidays")
