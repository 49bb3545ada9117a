"""Stripe webhook events shaped as Stripe sends them, signed with the stripe library's own helper."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

import stripe

SECRET = "whsec_test_" + "s3cr3t" * 6


def event(
    event_type: str, obj: dict[str, Any], *, event_id: str | None = None, created: int | None = None
) -> bytes:
    body = {
        "id": event_id or f"evt_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": "2024-06-20",
        "created": created or int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
        "data": {"object": obj},
    }
    return json.dumps(body, indent=2).encode("utf-8")


def checkout_completed(order_id: str, *, amount: int = 120000, currency: str = "eur", **kw: Any) -> bytes:
    obj = {
        "id": f"cs_test_{secrets.token_hex(8)}",
        "object": "checkout.session",
        "amount_total": amount,
        "currency": currency,
        "client_reference_id": order_id,
        "customer": "cus_test_1",
        "metadata": {},
        "mode": "payment",
        "payment_intent": kw.pop("payment_intent", f"pi_{secrets.token_hex(8)}"),
        "payment_status": kw.pop("payment_status", "paid"),
        "status": "complete",
    }
    return event("checkout.session.completed", obj, **kw)


def payment_intent_succeeded(order_id: str, *, payment_intent: str, amount: int = 120000, **kw: Any) -> bytes:
    obj = {
        "id": payment_intent,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount,
        "currency": "eur",
        "customer": "cus_test_1",
        "metadata": {"order_id": order_id},
        "status": "succeeded",
    }
    return event("payment_intent.succeeded", obj, **kw)


def invoice_paid(order_id: str, *, amount: int = 120000, **kw: Any) -> bytes:
    obj = {
        "id": f"in_{secrets.token_hex(8)}",
        "object": "invoice",
        "amount_paid": amount,
        "currency": "eur",
        "customer": "cus_test_1",
        "metadata": {"order_id": order_id},
        "payment_intent": kw.pop("payment_intent", f"pi_{secrets.token_hex(8)}"),
        "status": "paid",
    }
    return event("invoice.paid", obj, **kw)


def charge_refunded(payment_intent: str, *, amount: int = 120000, **kw: Any) -> bytes:
    obj = {
        "id": f"ch_{secrets.token_hex(8)}",
        "object": "charge",
        "amount": amount,
        "amount_refunded": amount,
        "currency": "eur",
        "payment_intent": payment_intent,
        "metadata": {},
        "refunded": True,
    }
    return event("charge.refunded", obj, **kw)


def dispute_created(payment_intent: str, *, amount: int = 120000, **kw: Any) -> bytes:
    obj = {
        "id": f"dp_{secrets.token_hex(8)}",
        "object": "dispute",
        "amount": amount,
        "currency": "eur",
        "charge": f"ch_{secrets.token_hex(8)}",
        "payment_intent": payment_intent,
        "reason": "fraudulent",
        "status": "needs_response",
    }
    return event("charge.dispute.created", obj, **kw)


def sign(payload: bytes, *, secret: str = SECRET, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header exactly as Stripe builds it (the library's own helper)."""
    return str(
        stripe.WebhookSignature.generate_signature_header(
            payload.decode("utf-8"), secret, timestamp=timestamp
        )
    )
