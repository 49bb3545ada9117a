"""Stripe webhooks as Stripe sends them: `Stripe-Signature` verified by the official library.

Which Stripe events mean what (everything else is recorded as OTHER and not acted on):
- checkout.session.completed / .async_payment_succeeded → PAID (PENDING while `payment_status`
  says the money has not arrived, e.g. a bank debit)
- payment_intent.succeeded, invoice.paid → PAID
- charge.refunded → REFUNDED; charge.dispute.created → DISPUTED
The order is named by `metadata.order_id`, else the checkout's `client_reference_id`, else the
object's own id, so an order can be registered under whichever id the shop knows.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import stripe

from slaforge.adapters.agreement.payments.events import PaymentEvent, PaymentKind, WebhookRefused

PROVIDER = "stripe"
HEADER = "Stripe-Signature"

_PAID_CHECKOUT = {"paid", "no_payment_required"}


def verify_and_parse(
    payload: bytes, header: str | None, secret: str, *, tolerance: int = 300
) -> PaymentEvent:
    """Verify with `stripe.Webhook.construct_event` (signature, then age), then map the event.

    The library checks the age against the wall clock: that is the point of the check, so it is
    not routed through slaforge's injectable clock.
    """
    if not secret:
        raise WebhookRefused("no Stripe webhook secret is configured (SLAFORGE_STRIPE_WEBHOOK_SECRET)")
    try:
        stripe.Webhook.construct_event(payload, header, secret, tolerance=tolerance)
    except stripe.SignatureVerificationError as exc:
        raise WebhookRefused(f"{HEADER}: {exc.user_message or exc}") from exc
    except (ValueError, UnicodeDecodeError) as exc:  # signed, but not JSON
        raise WebhookRefused(f"the webhook body is not valid JSON: {exc}") from exc
    # The library refuses a timestamp too old but not one in the future; the generic webhook refuses
    # both, and so does this one (a clock far ahead would otherwise stretch the replay window).
    signed_at = _timestamp(header or "")
    if signed_at is not None and signed_at > time.time() + tolerance:
        raise WebhookRefused(f"{HEADER}: the timestamp {signed_at} is in the future, beyond the tolerance")
    # Read the verified bytes as plain JSON: simpler to map than the library's typed objects.
    event = json.loads(payload)
    if not isinstance(event, dict):
        raise WebhookRefused("the webhook body is not a JSON object")
    return map_event(event, hashlib.sha256(payload).hexdigest())


def _timestamp(header: str) -> int | None:
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            return int(value)
    return None


def _id(value: Any) -> str | None:
    # Stripe sends related objects as an id, or as the object itself when expanded.
    if isinstance(value, str) and value:
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


def _refs(*candidates: Any) -> tuple[str, ...]:
    seen: list[str] = []
    for value in candidates:
        if isinstance(value, str) and value and value not in seen:
            seen.append(value)
    return tuple(seen)


def _metadata(obj: Mapping[str, Any], *path: str) -> Mapping[str, Any]:
    node: Any = obj
    for key in path:
        node = node.get(key) if isinstance(node, Mapping) else None
    meta = node.get("metadata") if isinstance(node, Mapping) else None
    return meta if isinstance(meta, Mapping) else {}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def map_event(event: Mapping[str, Any], payload_sha256: str) -> PaymentEvent:
    event_id, event_type = event.get("id"), event.get("type")
    if not isinstance(event_id, str) or not event_id or not isinstance(event_type, str):
        raise WebhookRefused("the Stripe event has no id or type")
    data = event.get("data")
    obj: Mapping[str, Any] = data.get("object", {}) if isinstance(data, Mapping) else {}
    if not isinstance(obj, Mapping):
        obj = {}
    created = event.get("created")
    occurred = datetime.fromtimestamp(created, UTC) if isinstance(created, int) else None
    base: dict[str, Any] = {
        "provider": PROVIDER,
        "event_id": event_id,
        "type": event_type,
        "payload_sha256": payload_sha256,
        "occurred_at": occurred,
        "currency": obj.get("currency") if isinstance(obj.get("currency"), str) else None,
        "customer_ref": _id(obj.get("customer")),
    }
    own_id = _id(obj.get("id"))
    order_meta = _metadata(obj).get("order_id")

    if event_type in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
        paid = event_type.endswith("succeeded") or obj.get("payment_status") in _PAID_CHECKOUT
        return PaymentEvent(
            **base,
            kind=PaymentKind.PAID if paid else PaymentKind.PENDING,
            order_refs=_refs(order_meta, obj.get("client_reference_id"), own_id),
            payment_id=_id(obj.get("payment_intent")) or _id(obj.get("invoice")) or own_id,
            amount=_int(obj.get("amount_total")),
        )
    if event_type == "payment_intent.succeeded":
        return PaymentEvent(
            **base,
            kind=PaymentKind.PAID,
            order_refs=_refs(order_meta, own_id),
            payment_id=own_id,
            amount=_int(obj.get("amount_received")),
        )
    if event_type == "invoice.paid":
        sub_meta = _metadata(obj, "subscription_details").get("order_id")
        return PaymentEvent(
            **base,
            kind=PaymentKind.PAID,
            order_refs=_refs(order_meta, sub_meta, own_id),
            payment_id=_id(obj.get("payment_intent")) or _id(obj.get("charge")) or own_id,
            amount=_int(obj.get("amount_paid")),
        )
    if event_type == "charge.refunded":
        return PaymentEvent(
            **base,
            kind=PaymentKind.REFUNDED,
            order_refs=_refs(order_meta),
            payment_id=_id(obj.get("payment_intent")) or own_id,
            amount=_int(obj.get("amount_refunded")),
        )
    if event_type == "charge.dispute.created":
        return PaymentEvent(
            **base,
            kind=PaymentKind.DISPUTED,
            order_refs=_refs(order_meta),
            payment_id=_id(obj.get("payment_intent")) or _id(obj.get("charge")),
            amount=_int(obj.get("amount")),
        )
    return PaymentEvent(**base, kind=PaymentKind.OTHER, order_refs=_refs(order_meta))
