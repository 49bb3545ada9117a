"""Live reports as delivered, one per report definition and period.

Revision ID: 0033_live_reports
Revises: 0032_satisfaction_answers
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0033_live_reports"
down_revision = "0032_satisfaction_answers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "live_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("definition_index", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("period", sa.String(20), nullable=False),
        sa.Column("period_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_live_reports_agreement_id_agreements")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["agreement_versions.id"],
            name=op.f("fk_live_reports_version_id_agreement_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_reports")),
        sa.UniqueConstraint(
            "agreement_id",
            "definition_index",
            "period",
            name=op.f("uq_live_reports_agreement_id_definition_index_period"),
        ),
    )
    op.create_index(op.f("ix_live_reports_agreement_id"), "live_reports", ["agreement_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_live_reports_agreement_id"), table_name="live_reports")
    op.drop_table("live_reports")
