"""Ingestion tokens: a secret per agreement that lets a tracking system deliver that agreement's
customer's tickets (only the SHA-256 is stored; revoked, it is refused), and the arrivals — which
token delivered which ticket event — that prove a clause's event-API source. One arrival per
event by unique constraint: the same delivery twice is one arrival."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime


class IngestionToken(Base):
    __tablename__ = "ingestion_tokens"
    __table_args__ = (UniqueConstraint("digest"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    label: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(254))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # The secret the tracking system signs its webhooks with (Zendesk makes it; for Jira and
    # ServiceNow the provider chooses it). Kept as given: verifying an HMAC needs the key itself.
    signing_secret: Mapped[str | None] = mapped_column(String(200), default=None)


class IngestionArrival(Base):
    __tablename__ = "ingestion_arrivals"
    __table_args__ = (UniqueConstraint("event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("ingestion_tokens.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("ticket_events.id", ondelete="CASCADE"))
    system: Mapped[str] = mapped_column(String(30))  # "api", or the webhook's system
    at: Mapped[datetime] = mapped_column(UtcDateTime)
