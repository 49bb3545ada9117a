"""Core schema: calendars, customers, services, import batches, tickets, events, outages.

Revision ID: 0001_core
Revises:
Create Date: 2026-11-25

Written from the models by hand (autogenerate, then cleaned); runs on SQLite and PostgreSQL.
Instants are `timestamp with time zone`; the models read them back as aware UTC on both.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.Column[Any]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _ts(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "calendars",
        _id(),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendars")),
        sa.UniqueConstraint("name", name=op.f("uq_calendars_name")),
    )
    op.create_table(
        "customers",
        _id(),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("name", name=op.f("uq_customers_name")),
        sa.UniqueConstraint("slug", name=op.f("uq_customers_slug")),
    )
    op.create_table(
        "import_batches",
        _id(),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("mapping", sa.String(length=200), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_accepted", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        _ts("started_at"),
        _ts("finished_at", nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_index(op.f("ix_import_batches_file_sha256"), "import_batches", ["file_sha256"])
    op.create_table(
        "import_rejections",
        _id(),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=True),
        sa.Column("column", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        _fk("import_rejections", "batch_id", "import_batches", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_rejections")),
    )
    op.create_index(op.f("ix_import_rejections_batch_id"), "import_rejections", ["batch_id"])
    op.create_table(
        "services",
        _id(),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=True),
        _ts("created_at"),
        _fk("services", "calendar_id", "calendars", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services")),
        sa.UniqueConstraint("name", name=op.f("uq_services_name")),
    )
    op.create_index(op.f("ix_services_calendar_id"), "services", ["calendar_id"])
    op.create_table(
        "outages",
        _id(),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        _ts("started_at"),
        _ts("ended_at", nullable=True),
        sa.Column("planned", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        _fk("outages", "service_id", "services", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outages")),
        sa.UniqueConstraint("source", "external_id", name=op.f("uq_outages_source_external_id")),
    )
    op.create_index("ix_outages_service_started", "outages", ["service_id", "started_at"])
    op.create_table(
        "tickets",
        _id(),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("priority", sa.String(length=50), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=100), nullable=False),
        _ts("created_at"),
        _ts("first_response_at", nullable=True),
        _ts("resolved_at", nullable=True),
        _ts("closed_at", nullable=True),
        _fk("tickets", "batch_id", "import_batches", "SET NULL"),
        _fk("tickets", "customer_id", "customers", "RESTRICT"),
        _fk("tickets", "service_id", "services", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint("source", "external_id", name=op.f("uq_tickets_source_external_id")),
    )
    op.create_index(op.f("ix_tickets_batch_id"), "tickets", ["batch_id"])
    op.create_index(op.f("ix_tickets_service_id"), "tickets", ["service_id"])
    op.create_index(
        "ix_tickets_customer_priority_created", "tickets", ["customer_id", "priority", "created_at"]
    )
    op.create_index("ix_tickets_priority_created", "tickets", ["priority", "created_at"])
    op.create_table(
        "ticket_events",
        _id(),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        _ts("at"),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=100), nullable=True),
        sa.Column("priority", sa.String(length=50), nullable=True),
        sa.Column("dedupe_key", sa.String(length=64), nullable=False),
        _fk("ticket_events", "ticket_id", "tickets", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_events")),
        sa.UniqueConstraint("ticket_id", "dedupe_key", name=op.f("uq_ticket_events_ticket_id_dedupe_key")),
    )
    op.create_index("ix_ticket_events_ticket_at", "ticket_events", ["ticket_id", "at"])


def downgrade() -> None:
    # Children before parents; dropping a table drops its indexes on both databases.
    for table in (
        "ticket_events",
        "tickets",
        "outages",
        "services",
        "import_rejections",
        "import_batches",
        "customers",
        "calendars",
    ):
        op.drop_table(table)
