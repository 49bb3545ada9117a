"""Closed compliance periods and their adjustments.

Revision ID: 0029_live_periods
Revises: 0028_live_availability
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029_live_periods"
down_revision = "0028_live_availability"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "live_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("objective_index", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(20), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_live_periods_agreement_id_agreements")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["agreement_versions.id"],
            name=op.f("fk_live_periods_version_id_agreement_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_periods")),
        sa.UniqueConstraint(
            "agreement_id",
            "objective_index",
            "period_start",
            name=op.f("uq_live_periods_agreement_id_objective_index_period_start"),
        ),
    )
    op.create_index(op.f("ix_live_periods_agreement_id"), "live_periods", ["agreement_id"])
    op.create_table(
        "live_period_adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["live_periods.id"],
            name=op.f("fk_live_period_adjustments_period_id_live_periods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_period_adjustments")),
        sa.UniqueConstraint("period_id", "sha256", name=op.f("uq_live_period_adjustments_period_id_sha256")),
    )
    op.create_index(op.f("ix_live_period_adjustments_period_id"), "live_period_adjustments", ["period_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_live_period_adjustments_period_id"), table_name="live_period_adjustments")
    op.drop_table("live_period_adjustments")
    op.drop_index(op.f("ix_live_periods_agreement_id"), table_name="live_periods")
    op.drop_table("live_periods")
