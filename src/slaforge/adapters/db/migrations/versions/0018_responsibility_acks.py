"""Acknowledgements of the customer's responsibilities: live state beside an agreement version's
frozen terms, one row per (version, activity), the unique constraint deciding between concurrent
acknowledgements.

Revision ID: 0018_responsibility_acks
Revises: 0017_tasks
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_responsibility_acks"
down_revision = "0017_tasks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "responsibility_acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("activity_key", sa.String(50), nullable=False),
        sa.Column("user", sa.String(254), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_responsibility_acknowledgements_agreement_id_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["agreement_versions.id"],
            name="fk_responsibility_acks_version_id",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responsibility_acknowledgements")),
        sa.UniqueConstraint(
            "version_id",
            "activity_key",
            name=op.f("uq_responsibility_acknowledgements_version_id_activity_key"),
        ),
    )
    op.create_index(
        op.f("ix_responsibility_acknowledgements_agreement_id"),
        "responsibility_acknowledgements",
        ["agreement_id"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_responsibility_acknowledgements_agreement_id"), table_name="responsibility_acknowledgements"
    )
    op.drop_table("responsibility_acknowledgements")
