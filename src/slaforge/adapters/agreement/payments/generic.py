"""The generic payment webhook for systems other than Stripe: HMAC-signed JSON of a fixed shape.

Body (JSON object): `id` (the event id, unique per sender), `type` (payment.succeeded,
payment.pending, payment.refunded, payment.disputed), `order_id`, and optionally `payment_id`,
`amount` (integer minor units), `currency`, `customer`, `created` (unix seconds).
Header: `X-Slaforge-Signature: t=…,v1=…` (see signature.py).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from slaforge.adapters.agreement.payments.events import PaymentEvent, PaymentKind, WebhookRefused
from slaforge.adapters.platform import signature
from slaforge.domain.errors import InvalidInput

PROVIDER = "generic"
HEADER = signature.HEADER
KINDS = {
    "payment.succeeded": PaymentKind.PAID,
    "payment.pending": PaymentKind.PENDING,
    "payment.refunded": PaymentKind.REFUNDED,
    "payment.disputed": PaymentKind.DISPUTED,
}


def verify_and_parse(
    payload: bytes,
    header: str | None,
    secret: str,
    *,
    now: float,
    tolerance: int = signature.DEFAULT_TOLERANCE,
) -> PaymentEvent:
    signature.verify(payload, header, secret, now=now, tolerance=tolerance)
    try:
        body = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookRefused(f"the webhook body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise WebhookRefused("the webhook body is not a JSON object")
    return parse(body, hashlib.sha256(payload).hexdigest())


def _required(body: dict[str, Any], field: str) -> str:
    value = body.get(field)
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise InvalidInput("must be a non-empty string of at most 200 characters", field=field, value=value)
    return value.strip()


def _text(body: dict[str, Any], field: str, *, required: bool = False) -> str | None:
    if body.get(field) is None and not required:
        return None
    return _required(body, field)


def parse(body: dict[str, Any], payload_sha256: str) -> PaymentEvent:
    event_id = _required(body, "id")
    event_type = _required(body, "type")
    if event_type not in KINDS:
        allowed = ", ".join(KINDS)
        raise InvalidInput(f"unknown event type (allowed: {allowed})", field="type", value=event_type)
    order_id = _text(body, "order_id", required=event_type == "payment.succeeded")
    amount = body.get("amount")
    if amount is not None and (not isinstance(amount, int) or isinstance(amount, bool) or amount < 0):
        raise InvalidInput("must be a whole number of minor units (cents)", field="amount", value=amount)
    currency = _text(body, "currency")
    created = body.get("created")
    if created is not None and (not isinstance(created, int) or isinstance(created, bool)):
        raise InvalidInput("must be unix seconds", field="created", value=created)
    return PaymentEvent(
        provider=PROVIDER,
        event_id=event_id,
        type=event_type,
        kind=KINDS[event_type],
        payload_sha256=payload_sha256,
        order_refs=(order_id,) if order_id else (),
        payment_id=_text(body, "payment_id") or order_id,
        amount=amount,
        currency=currency.lower() if currency else None,
        customer_ref=_text(body, "customer"),
        occurred_at=datetime.fromtimestamp(created, UTC) if created is not None else None,
    )
