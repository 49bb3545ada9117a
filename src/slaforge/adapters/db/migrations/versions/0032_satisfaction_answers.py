"""Customers' satisfaction answers about tickets (CSAT, NPS).

Revision ID: 0032_satisfaction_answers
Revises: 0031_live_claims
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0032_satisfaction_answers"
down_revision = "0031_live_claims"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "satisfaction_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scale", sa.String(10), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("dedupe_key", sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_satisfaction_answers_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_satisfaction_answers_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_satisfaction_answers")),
        sa.UniqueConstraint(
            "ticket_id", "dedupe_key", name=op.f("uq_satisfaction_answers_ticket_id_dedupe_key")
        ),
    )
    op.create_index(op.f("ix_satisfaction_answers_ticket_id"), "satisfaction_answers", ["ticket_id"])
    op.create_index(op.f("ix_satisfaction_answers_customer_id"), "satisfaction_answers", ["customer_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_satisfaction_answers_customer_id"), table_name="satisfaction_answers")
    op.drop_index(op.f("ix_satisfaction_answers_ticket_id"), table_name="satisfaction_answers")
    op.drop_table("satisfaction_answers")
