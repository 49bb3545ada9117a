"""The agreement version each live firing was recorded under: a breach of the terms then in force
stands when a later version with other terms goes live and the clock is carried over to it.

Revision ID: 0027_live_firing_versions
Revises: 0026_webhook_signing_secrets
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027_live_firing_versions"
down_revision = "0026_webhook_signing_secrets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("live_firings") as batch:
        batch.add_column(sa.Column("version_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_live_firings_version_id_agreement_versions", "agreement_versions", ["version_id"], ["id"]
        )
    # Every firing so far was recorded under the version its clock runs under (clocks were never
    # carried from one version to another before this revision).
    op.execute(
        "UPDATE live_firings SET version_id = "
        "(SELECT version_id FROM live_clocks WHERE live_clocks.id = live_firings.clock_id)"
    )
    with op.batch_alter_table("live_firings") as batch:
        batch.alter_column("version_id", existing_type=sa.Integer(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("live_firings") as batch:
        batch.drop_constraint("fk_live_firings_version_id_agreement_versions", type_="foreignkey")
        batch.drop_column("version_id")
