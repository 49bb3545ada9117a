"""Keyed audit entries: each entry records the id of the audit key (HMAC-SHA-256) it was sealed
under. Entries already written keep key_id NULL and their plain SHA-256 hash: a migration holds no
key and so cannot re-seal them, and re-sealing would vouch for whatever the table holds now. They
verify as "unkeyed" and are covered by the first keyed entry written after them (its seal covers
their last hash); see docs/security.md.

Revision ID: 0012_audit_keyed
Revises: 0011_import_batch_unique
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_audit_keyed"
down_revision = "0011_import_batch_unique"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entries") as batch:
        batch.add_column(sa.Column("key_id", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_column("key_id")
