"""Live SLA clocks (one per ticket, live agreement and objective; due and fire instants indexed)
and their firings (ladder steps and breaches), one per clock, cycle and step by unique constraint.

Revision ID: 0025_live_clocks
Revises: 0024_ingestion_tokens
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025_live_clocks"
down_revision = "0024_ingestion_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "live_clocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("objective_index", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(30), nullable=False),
        sa.Column("config_sha256", sa.String(64), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("breached", sa.Boolean(), nullable=False),
        sa.Column("breached_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("priority", sa.String(50), nullable=True),
        sa.Column("target_seconds", sa.Float(), nullable=True),
        sa.Column("elapsed_seconds", sa.Float(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("risk_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_fire_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_live_clocks_ticket_id_tickets"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_live_clocks_agreement_id_agreements")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["agreement_versions.id"],
            name=op.f("fk_live_clocks_version_id_agreement_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_live_clocks_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_clocks")),
        sa.UniqueConstraint(
            "ticket_id",
            "agreement_id",
            "objective_index",
            name=op.f("uq_live_clocks_ticket_id_agreement_id_objective_index"),
        ),
    )
    op.create_index(op.f("ix_live_clocks_ticket_id"), "live_clocks", ["ticket_id"])
    op.create_index(op.f("ix_live_clocks_customer_id"), "live_clocks", ["customer_id"])
    op.create_index("ix_live_clocks_next_fire_at", "live_clocks", ["next_fire_at"])
    op.create_index("ix_live_clocks_agreement_due", "live_clocks", ["agreement_id", "due_at"])
    op.create_index("ix_live_clocks_risk_at", "live_clocks", ["risk_at"])
    op.create_table(
        "live_firings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clock_id", sa.Integer(), nullable=False),
        sa.Column("cycle_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified", sa.JSON(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["clock_id"],
            ["live_clocks.id"],
            name=op.f("fk_live_firings_clock_id_live_clocks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_firings")),
        sa.UniqueConstraint(
            "clock_id",
            "cycle_started_at",
            "step",
            name=op.f("uq_live_firings_clock_id_cycle_started_at_step"),
        ),
    )
    op.create_index(op.f("ix_live_firings_clock_id"), "live_firings", ["clock_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_live_firings_clock_id"), table_name="live_firings")
    op.drop_table("live_firings")
    for name in ("ix_live_clocks_risk_at", "ix_live_clocks_agreement_due", "ix_live_clocks_next_fire_at"):
        op.drop_index(name, table_name="live_clocks")
    op.drop_index(op.f("ix_live_clocks_customer_id"), table_name="live_clocks")
    op.drop_index(op.f("ix_live_clocks_ticket_id"), table_name="live_clocks")
    op.drop_table("live_clocks")
