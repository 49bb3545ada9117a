"""Capability studies: parameters, results and provenance of each study, as JSON.

Revision ID: 0004_study
Revises: 0003_ticket_attributes
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_study"
down_revision = "0003_ticket_attributes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "capability_studies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("provenance", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capability_studies")),
    )
    op.create_index(op.f("ix_capability_studies_created_at"), "capability_studies", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_capability_studies_created_at"), table_name="capability_studies")
    op.drop_table("capability_studies")
