"""Customers' claims of service credits, and the provider's decisions.

Revision ID: 0031_live_claims
Revises: 0030_live_burn_alerts
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0031_live_claims"
down_revision = "0030_live_burn_alerts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "live_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("objective_index", sa.Integer(), nullable=False),
        sa.Column("period_label", sa.String(20), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("credit", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("filed_by", sa.String(320), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("decided_by", sa.String(320), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_live_claims_agreement_id_agreements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_claims")),
        sa.UniqueConstraint(
            "agreement_id",
            "objective_index",
            "period_start",
            name=op.f("uq_live_claims_agreement_id_objective_index_period_start"),
        ),
    )
    op.create_index(op.f("ix_live_claims_agreement_id"), "live_claims", ["agreement_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_live_claims_agreement_id"), table_name="live_claims")
    op.drop_table("live_claims")
