"""Burn-rate alert episodes of availability objectives.

Revision ID: 0030_live_burn_alerts
Revises: 0029_live_periods
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030_live_burn_alerts"
down_revision = "0029_live_periods"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "live_burn_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("objective_index", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(20), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notified", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_live_burn_alerts_agreement_id_agreements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_burn_alerts")),
        sa.UniqueConstraint(
            "agreement_id",
            "objective_index",
            "rule",
            "started_at",
            name=op.f("uq_live_burn_alerts_agreement_id_objective_index_rule_started_at"),
        ),
    )
    op.create_index(op.f("ix_live_burn_alerts_agreement_id"), "live_burn_alerts", ["agreement_id"])
    op.create_index(
        "uq_live_burn_alerts_open",
        "live_burn_alerts",
        ["agreement_id", "objective_index", "rule"],
        unique=True,
        sqlite_where=sa.text("ended_at IS NULL"),
        postgresql_where=sa.text("ended_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_live_burn_alerts_open", table_name="live_burn_alerts")
    op.drop_index(op.f("ix_live_burn_alerts_agreement_id"), table_name="live_burn_alerts")
    op.drop_table("live_burn_alerts")
