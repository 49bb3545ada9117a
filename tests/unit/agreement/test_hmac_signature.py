"""slaforge's HMAC webhook signature and the generic payment webhook built on it."""

from __future__ import annotations

import json

import pytest

from slaforge.adapters.agreement.payments import generic
from slaforge.adapters.agreement.payments.events import PaymentKind, WebhookRefused
from slaforge.adapters.platform import signature
from slaforge.domain.errors import InvalidInput

SECRET = "generic-webhook-secret-for-tests"
NOW = 1_800_000_000


def _body(**fields: object) -> bytes:
    base = {
        "id": "evt-1",
        "type": "payment.succeeded",
        "order_id": "ORD-1",
        "amount": 5000,
        "currency": "EUR",
    }
    return json.dumps({**base, **fields}).encode()


def test_the_header_is_timestamp_and_hmac_sha256_over_timestamp_dot_body():
    import hashlib
    import hmac

    body = b'{"a":1}'
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + body, hashlib.sha256).hexdigest()
    assert signature.sign(body, SECRET, NOW) == f"t={NOW},v1={expected}"


def test_a_good_signature_within_the_window_verifies():
    body = _body()
    assert signature.verify(body, signature.sign(body, SECRET, NOW - 299), SECRET, now=NOW) == NOW - 299


def test_any_of_several_signatures_may_match_while_a_secret_is_rotated():
    body = _body()
    good = signature.sign(body, SECRET, NOW).split(",")[1]
    header = f"t={NOW},v1={'0' * 64},{good}"
    signature.verify(body, header, SECRET, now=NOW)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "missing"),
        ("", "missing"),
        ("v1=abc", "no timestamp"),
        (f"t={NOW}", "no v1 signature"),
        ("t=soon,v1=abc", "not a number"),
        (f"t={NOW},v1={'0' * 64}", "does not match"),
    ],
)
def test_bad_headers_are_refused_with_a_clear_reason(header, message):
    with pytest.raises(WebhookRefused, match=message):
        signature.verify(_body(), header, SECRET, now=NOW)


def test_a_stale_timestamp_is_refused():
    body = _body()
    with pytest.raises(WebhookRefused, match="outside the 300 s window"):
        signature.verify(body, signature.sign(body, SECRET, NOW - 301), SECRET, now=NOW)


def test_a_timestamp_far_in_the_future_is_refused():
    body = _body()
    with pytest.raises(WebhookRefused, match="window"):
        signature.verify(body, signature.sign(body, SECRET, NOW + 3600), SECRET, now=NOW)


def test_a_signature_made_with_another_secret_is_refused():
    body = _body()
    with pytest.raises(WebhookRefused, match="does not match"):
        signature.verify(body, signature.sign(body, "another-secret", NOW), SECRET, now=NOW)


def test_without_a_secret_nothing_verifies():
    body = _body()
    with pytest.raises(WebhookRefused, match="no webhook secret"):
        signature.verify(body, signature.sign(body, "", NOW), "", now=NOW)


def test_the_generic_webhook_maps_its_fields():
    body = _body(payment_id="pay-7", customer="acme", created=NOW)
    event = generic.verify_and_parse(body, signature.sign(body, SECRET, NOW), SECRET, now=NOW)
    assert event.provider == "generic"
    assert event.kind is PaymentKind.PAID
    assert event.order_refs == ("ORD-1",)
    assert (event.payment_id, event.amount, event.currency) == ("pay-7", 5000, "eur")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"id": ""}, "id"),
        ({"type": "payment.maybe"}, "type"),
        ({"order_id": None}, "order_id"),
        ({"amount": 12.5}, "amount"),
        ({"amount": -1}, "amount"),
        ({"created": "yesterday"}, "created"),
    ],
)
def test_a_signed_generic_body_with_a_bad_field_names_the_field(fields, field):
    body = _body(**fields)
    with pytest.raises(InvalidInput) as info:
        generic.verify_and_parse(body, signature.sign(body, SECRET, NOW), SECRET, now=NOW)
    assert info.value.field == field


def test_a_refund_needs_no_order_id():
    body = json.dumps({"id": "evt-2", "type": "payment.refunded", "payment_id": "pay-7"}).encode()
    event = generic.verify_and_parse(body, signature.sign(body, SECRET, NOW), SECRET, now=NOW)
    assert event.kind is PaymentKind.REFUNDED
    assert event.payment_id == "pay-7"
