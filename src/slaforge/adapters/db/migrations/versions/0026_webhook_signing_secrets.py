"""The signing secret a tracking system signs its webhooks with, per ingestion token.

Revision ID: 0026_webhook_signing_secrets
Revises: 0025_live_clocks
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026_webhook_signing_secrets"
down_revision = "0025_live_clocks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ingestion_tokens") as batch:
        batch.add_column(sa.Column("signing_secret", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ingestion_tokens") as batch:
        batch.drop_column("signing_secret")
