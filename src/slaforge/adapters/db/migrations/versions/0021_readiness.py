"""Readiness beside an accepted version: its configuration (frozen at go-live), the proofs that
sources and channels work, and managers' waivers; one row per (version, item) by unique constraint.

Revision ID: 0021_readiness
Revises: 0020_meeting_topics
Create Date: 2026-12-04
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0021_readiness"
down_revision = "0020_meeting_topics"
branch_labels = None
depends_on = None


def _owner_columns(table: str) -> list[Any]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f(f"fk_{table}_agreement_id_agreements")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"], ["agreement_versions.id"], name=op.f(f"fk_{table}_version_id_agreement_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "readiness_configs",
        *_owner_columns("readiness_configs"),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(254), nullable=False),
        sa.Column("went_live_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("went_live_by", sa.String(254), nullable=True),
        sa.Column("frozen_json", sa.Text(), nullable=True),
        sa.Column("frozen_sha256", sa.String(64), nullable=True),
        sa.UniqueConstraint("version_id", name=op.f("uq_readiness_configs_version_id")),
    )
    op.create_table(
        "readiness_proofs",
        *_owner_columns("readiness_proofs"),
        sa.Column("item", sa.String(80), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("version_id", "item", name=op.f("uq_readiness_proofs_version_id_item")),
    )
    op.create_table(
        "readiness_waivers",
        *_owner_columns("readiness_waivers"),
        sa.Column("item", sa.String(80), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user", sa.String(254), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("version_id", "item", name=op.f("uq_readiness_waivers_version_id_item")),
    )
    for table in ("readiness_configs", "readiness_proofs", "readiness_waivers"):
        op.create_index(op.f(f"ix_{table}_agreement_id"), table, ["agreement_id"])


def downgrade() -> None:
    for table in ("readiness_waivers", "readiness_proofs", "readiness_configs"):
        op.drop_index(op.f(f"ix_{table}_agreement_id"), table_name=table)
        op.drop_table(table)
