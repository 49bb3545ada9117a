"""The audit chain's head: one row with the last entry's number and hash and the entry count,
written with every entry, so that entries deleted from the end of the chain are detected.

Revision ID: 0009_audit_head
Revises: 0008_expectations
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_audit_head"
down_revision = "0008_expectations"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    # Backfill from the chain as it stands: its end is taken on trust once, here.
    bind = op.get_bind()
    last = bind.execute(sa.text("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1")).first()
    count = bind.execute(sa.text("SELECT count(*) FROM audit_entries")).scalar() or 0
    bind.execute(
        sa.text("INSERT INTO audit_head (id, last_seq, last_hash, entries) VALUES (1, :seq, :hash, :n)"),
        {"seq": last[0] if last else 0, "hash": last[1] if last else GENESIS, "n": count},
    )


def downgrade() -> None:
    op.drop_table("audit_head")
