"""What a payment webhook means to slaforge, whichever system sent it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from slaforge.adapters.platform.signature import WebhookRefused

__all__ = ["PaymentEvent", "PaymentKind", "WebhookRefused"]


class PaymentKind(StrEnum):
    PAID = "paid"  # money arrived: the attached version may be accepted
    PENDING = "pending"  # a checkout finished but the money has not arrived (delayed methods)
    REFUNDED = "refunded"
    DISPUTED = "disputed"
    OTHER = "other"  # an event type slaforge records but does not act on


@dataclass(frozen=True, slots=True)
class PaymentEvent:
    """One verified webhook event.

    `order_refs` are the ids that may name the order, most specific first (an explicit
    `order_id` in metadata, then the checkout's client reference, then the object's own id);
    `payment_id` is what later refunds and disputes of the same payment refer to.
    """

    provider: str
    event_id: str
    type: str
    kind: PaymentKind
    payload_sha256: str
    order_refs: tuple[str, ...] = ()
    payment_id: str | None = None
    amount: int | None = None  # minor units (cents)
    currency: str | None = None  # lower-case ISO 4217, as Stripe writes it
    customer_ref: str | None = None
    occurred_at: datetime | None = None
