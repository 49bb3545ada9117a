"""Ingestion tokens per agreement (only their SHA-256) and the arrivals they delivered, one per
ticket event by unique constraint.

Revision ID: 0024_ingestion_tokens
Revises: 0023_shadow_runs
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024_ingestion_tokens"
down_revision = "0023_shadow_runs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ingestion_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_ingestion_tokens_agreement_id_agreements")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_ingestion_tokens_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingestion_tokens")),
        sa.UniqueConstraint("digest", name=op.f("uq_ingestion_tokens_digest")),
    )
    op.create_index(op.f("ix_ingestion_tokens_agreement_id"), "ingestion_tokens", ["agreement_id"])
    op.create_table(
        "ingestion_arrivals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(30), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["ingestion_tokens.id"],
            name=op.f("fk_ingestion_arrivals_token_id_ingestion_tokens"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ingestion_arrivals_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["ticket_events.id"],
            name=op.f("fk_ingestion_arrivals_event_id_ticket_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingestion_arrivals")),
        sa.UniqueConstraint("event_id", name=op.f("uq_ingestion_arrivals_event_id")),
    )
    op.create_index(op.f("ix_ingestion_arrivals_token_id"), "ingestion_arrivals", ["token_id"])
    op.create_index(op.f("ix_ingestion_arrivals_ticket_id"), "ingestion_arrivals", ["ticket_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_ingestion_arrivals_ticket_id"), table_name="ingestion_arrivals")
    op.drop_index(op.f("ix_ingestion_arrivals_token_id"), table_name="ingestion_arrivals")
    op.drop_table("ingestion_arrivals")
    op.drop_index(op.f("ix_ingestion_tokens_agreement_id"), table_name="ingestion_tokens")
    op.drop_table("ingestion_tokens")
