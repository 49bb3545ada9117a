"""Underpinning contracts (OLAs and UCs) and the objectives that rest on them.

Revision ID: 0014_underpinning
Revises: 0013_sessions
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_underpinning"
down_revision = "0013_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "underpinning_contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("counterparty", sa.String(200), nullable=False),
        sa.Column("calendar", sa.JSON(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_underpinning_contracts")),
        sa.UniqueConstraint("kind", "name", name=op.f("uq_underpinning_contracts_kind_name")),
    )
    op.create_table(
        "objective_underpinnings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("objective_index", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("linked_by", sa.String(254), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["agreement_versions.id"], name="fk_objective_underpinnings_version_id"
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["underpinning_contracts.id"], name="fk_objective_underpinnings_contract_id"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objective_underpinnings")),
        sa.UniqueConstraint(
            "version_id",
            "objective_index",
            "contract_id",
            name="uq_objective_underpinnings_link",
        ),
    )
    op.create_index(
        op.f("ix_objective_underpinnings_version_id"), "objective_underpinnings", ["version_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_objective_underpinnings_version_id"), table_name="objective_underpinnings")
    op.drop_table("objective_underpinnings")
    op.drop_table("underpinning_contracts")
