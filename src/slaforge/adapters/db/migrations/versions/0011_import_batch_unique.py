"""One import batch per file: a unique key on the file's content hash, so that parallel uploads
of one file cannot each create a batch; an import asked for again on purpose (`again`) is
outside the key. Batches that already repeat a file are marked as such (all but the first).

Revision ID: 0011_import_batch_unique
Revises: 0010_batch_pause_statuses
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_import_batch_unique"
down_revision = "0010_batch_pause_statuses"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_batches") as batch:
        batch.add_column(sa.Column("again", sa.Boolean(), nullable=False, server_default=sa.false()))
    batches = sa.table(
        "import_batches", sa.column("id", sa.Integer()), sa.column("file_sha256"), sa.column("again")
    )
    first = sa.select(sa.func.min(batches.c.id)).group_by(batches.c.file_sha256)
    op.execute(batches.update().where(batches.c.id.not_in(first)).values(again=True))
    op.create_index(
        "uq_import_batches_file_sha256",
        "import_batches",
        ["file_sha256"],
        unique=True,
        postgresql_where=sa.text("NOT again"),
        sqlite_where=sa.text("NOT again"),
    )


def downgrade() -> None:
    op.drop_index("uq_import_batches_file_sha256", table_name="import_batches")
    with op.batch_alter_table("import_batches") as batch:
        batch.drop_column("again")
