"""Service history, imported or live: tickets and their events, outages, and import batches.

Uniqueness makes ingestion idempotent: a ticket is keyed by (source, external_id), an event by
(ticket_id, dedupe_key), an outage by (source, external_id); the same thing delivered twice
lands once. A file (by content) has one import batch, however many uploads of it race, unless
it is imported again on request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime


class ImportBatch(Base):
    """One run of an importer over one file; `file_sha256` detects the same file imported twice."""

    __tablename__ = "import_batches"
    __table_args__ = (
        # One batch per file content, under any source (as the import's own check refuses it),
        # except imports asked for again on purpose: two uploads racing cannot both pass.
        Index(
            "uq_import_batches_file_sha256",
            "file_sha256",
            unique=True,
            postgresql_where=text("NOT again"),
            sqlite_where=text("NOT again"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(100))  # the source key tickets are stored under
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    mapping: Mapped[str] = mapped_column(String(200))  # importer and options, e.g. time zone
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_accepted: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    status: Mapped[str] = mapped_column(String(20))  # running, completed, partial
    # The statuses the mapping said pause the clocks ([] = none pause); None when it said nothing,
    # and a study then reads the status names (the default rule).
    pause_statuses: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    # Imported again on request (allow_duplicate_file / --yes): outside the one-batch-per-file key.
    again: Mapped[bool] = mapped_column(Boolean, default=False)


class ImportRejection(Base):
    """A row an import could not use, with where (row, column) and why."""

    __tablename__ = "import_rejections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"), index=True)
    row: Mapped[int | None] = mapped_column(Integer, default=None)  # line in the file; header is 1
    column: Mapped[str | None] = mapped_column(String(200), default=None)
    reason: Mapped[str] = mapped_column(Text)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        Index("ix_tickets_customer_priority_created", "customer_id", "priority", "created_at"),
        Index("ix_tickets_priority_created", "priority", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Where the ticket comes from ("servicenow", "api", …); external ids are unique only within it.
    source: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str] = mapped_column(String(100))
    batch_id: Mapped[int | None] = mapped_column(  # the import that last wrote it; None when live
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True, default=None
    )
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="RESTRICT"), default=None
    )
    service_id: Mapped[int | None] = mapped_column(
        ForeignKey("services.id", ondelete="RESTRICT"), index=True, default=None
    )
    priority: Mapped[str] = mapped_column(String(50))
    category: Mapped[str | None] = mapped_column(String(200), default=None)
    status: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # The source's other fields worth keeping, e.g. {"made_sla": true} from ServiceNow.
    attributes: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class TicketEvent(Base):
    """One thing that happened to a ticket; `kind` is a value of domain EventKind."""

    __tablename__ = "ticket_events"
    __table_args__ = (
        UniqueConstraint("ticket_id", "dedupe_key"),
        Index("ix_ticket_events_ticket_at", "ticket_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str | None] = mapped_column(String(100), default=None)
    priority: Mapped[str | None] = mapped_column(String(50), default=None)
    # Given by the sender (webhook delivery id) or derived from the content by an importer.
    dedupe_key: Mapped[str] = mapped_column(String(64))


class Outage(Base):
    __tablename__ = "outages"
    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        Index("ix_outages_service_started", "service_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str | None] = mapped_column(String(100), default=None)  # None: entered by hand
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)  # None: still going on
    planned: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")
