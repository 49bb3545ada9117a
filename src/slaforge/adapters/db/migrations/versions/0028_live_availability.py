"""What live availability objectives fired: each month's ladder steps and breach, once; and the
services live agreements' availability objectives name (their customers see those services).

Revision ID: 0028_live_availability
Revises: 0027_live_firing_versions
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028_live_availability"
down_revision = "0027_live_firing_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agreement_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_agreement_services_agreement_id_agreements")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_agreement_services_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_services")),
        sa.UniqueConstraint(
            "agreement_id", "service_id", name=op.f("uq_agreement_services_agreement_id_service_id")
        ),
    )
    op.create_index(op.f("ix_agreement_services_agreement_id"), "agreement_services", ["agreement_id"])
    op.create_table(
        "live_availability_firings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("objective_index", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified", sa.JSON(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name="fk_live_availability_firings_agreement_id_agreements"
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["agreement_versions.id"],
            name="fk_live_availability_firings_version_id_agreement_versions",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_live_availability_firings"),
        sa.UniqueConstraint(
            "agreement_id",
            "objective_index",
            "month",
            "step",
            name=op.f("uq_live_availability_firings_agreement_id_objective_index_month_step"),
        ),
    )
    op.create_index(
        op.f("ix_live_availability_firings_agreement_id"), "live_availability_firings", ["agreement_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_live_availability_firings_agreement_id", table_name="live_availability_firings")
    op.drop_table("live_availability_firings")
    op.drop_index(op.f("ix_agreement_services_agreement_id"), table_name="agreement_services")
    op.drop_table("agreement_services")
