"""How customers agree: signature links, orders paid through webhooks, received webhook events,
and the notification outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime, utcnow


class SignatureLink(Base):
    """A single-use, expiring link to one offered version; only the token's SHA-256 is stored."""

    __tablename__ = "signature_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    used_for: Mapped[str | None] = mapped_column(String(20), nullable=True)  # accept, reject, counter


class Order(Base):
    """An order in the provider's shop or billing system; paying it may accept the attached version.

    `customer_id` and `version_id` are empty for a payment slaforge had never heard of: it is
    still recorded (and flagged) rather than dropped.
    """

    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("provider", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(50))
    external_id: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), nullable=True, index=True)
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreement_versions.id"), nullable=True, index=True
    )
    amount: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # minor units (cents)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)  # lower-case ISO 4217
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, paid, refunded, disputed
    payment_id: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    flagged_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    flagged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class WebhookEvent(Base):
    """Every verified webhook event, once: (provider, event_id) is the idempotency key."""

    __tablename__ = "webhook_events"
    __table_args__ = (UniqueConstraint("provider", "event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(50))
    event_id: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    outcome: Mapped[str] = mapped_column(Text)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), nullable=True, index=True)


class Notification(Base):
    """The outbox: queued in the transaction of the change it reports, delivered and retried later."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(300), unique=True)
    channel: Mapped[str] = mapped_column(String(20))  # email, webhook, slack
    recipient: Mapped[str] = mapped_column(String(1000))
    event: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending, sent, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
