"""Stripe test events, built and signed as Stripe does (the demo uses them; nothing else should).

The signature comes from the stripe library's own `WebhookSignature.generate_signature_header`,
so verifying it exercises exactly the code path of a real delivery.
"""

from __future__ import annotations

import json
import secrets
import time

import stripe


def checkout_session_completed(
    *, order_id: str, amount: int, currency: str, created: int | None = None
) -> tuple[str, str, bytes]:
    """(event id, payment intent id, JSON body) of a paid Checkout Session in test mode."""
    event_id, intent = f"evt_test_{secrets.token_hex(12)}", f"pi_test_{secrets.token_hex(12)}"
    body = {
        "id": event_id,
        "object": "event",
        "api_version": "2024-06-20",
        "created": created or int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": "checkout.session.completed",
        "data": {
            "object": {
                "id": f"cs_test_{secrets.token_hex(12)}",
                "object": "checkout.session",
                "amount_total": amount,
                "currency": currency.lower(),
                "client_reference_id": order_id,
                "metadata": {"order_id": order_id},
                "mode": "payment",
                "payment_intent": intent,
                "payment_status": "paid",
                "status": "complete",
            }
        },
    }
    return event_id, intent, json.dumps(body, indent=2).encode("utf-8")


def signature_header(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header for `payload`, exactly as Stripe computes it."""
    header: str = stripe.WebhookSignature.generate_signature_header(
        payload.decode("utf-8"), secret, timestamp=timestamp
    )
    return header
