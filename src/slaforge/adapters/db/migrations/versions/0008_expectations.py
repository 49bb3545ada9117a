"""Customer expectations and the invitations to the expectations questionnaire.

Revision ID: 0008_expectations
Revises: 0007_acceptance
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_expectations"
down_revision = "0007_acceptance"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "expectations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(30), nullable=False),
        sa.Column("priority", sa.String(50), nullable=True),
        sa.Column("target_seconds", sa.Float(), nullable=True),
        sa.Column("target_percent", sa.Float(), nullable=True),
        sa.Column("importance", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("recorded_by", sa.String(254), nullable=False),
        sa.Column("recorded_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_expectations_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expectations")),
    )
    op.create_index(op.f("ix_expectations_customer_id"), "expectations", ["customer_id"])

    op.create_table(
        "expectation_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.Column("used_at", _TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_expectation_invites_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expectation_invites")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_expectation_invites_token_hash")),
    )
    op.create_index(op.f("ix_expectation_invites_customer_id"), "expectation_invites", ["customer_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_expectation_invites_customer_id"), table_name="expectation_invites")
    op.drop_table("expectation_invites")
    op.drop_index(op.f("ix_expectations_customer_id"), table_name="expectations")
    op.drop_table("expectations")
