"""Stripe webhooks: real signed payloads verified by `stripe.Webhook.construct_event`, then mapped."""

from __future__ import annotations

import time

import pytest

from slaforge.adapters.agreement.payments import stripe_webhooks
from slaforge.adapters.agreement.payments.events import PaymentKind, WebhookRefused
from tests import stripe_events as se


def test_a_genuinely_signed_checkout_session_is_a_payment_for_its_order():
    payload = se.checkout_completed("ORD-1", payment_intent="pi_abc", event_id="evt_1")
    event = stripe_webhooks.verify_and_parse(payload, se.sign(payload), se.SECRET)
    assert event.provider == "stripe"
    assert event.event_id == "evt_1"
    assert event.kind is PaymentKind.PAID
    assert event.order_refs[0] == "ORD-1"
    assert event.payment_id == "pi_abc"
    assert (event.amount, event.currency, event.customer_ref) == (120000, "eur", "cus_test_1")
    assert len(event.payload_sha256) == 64


@pytest.mark.parametrize(
    ("payload", "kind", "payment_id"),
    [
        (se.payment_intent_succeeded("ORD-2", payment_intent="pi_2"), PaymentKind.PAID, "pi_2"),
        (se.invoice_paid("ORD-2", payment_intent="pi_3"), PaymentKind.PAID, "pi_3"),
        (se.charge_refunded("pi_4"), PaymentKind.REFUNDED, "pi_4"),
        (se.dispute_created("pi_5"), PaymentKind.DISPUTED, "pi_5"),
        (
            se.checkout_completed("ORD-2", payment_intent="pi_6", payment_status="unpaid"),
            PaymentKind.PENDING,
            "pi_6",
        ),
        (se.event("customer.created", {"id": "cus_1", "object": "customer"}), PaymentKind.OTHER, None),
    ],
)
def test_each_stripe_event_type_maps_to_what_it_means(payload, kind, payment_id):
    event = stripe_webhooks.verify_and_parse(payload, se.sign(payload), se.SECRET)
    assert event.kind is kind
    assert event.payment_id == payment_id


def test_paid_events_name_their_order_by_metadata_first():
    payload = se.invoice_paid("ORD-9")
    event = stripe_webhooks.verify_and_parse(payload, se.sign(payload), se.SECRET)
    assert event.order_refs[0] == "ORD-9"


def test_a_forged_signature_is_refused():
    payload = se.checkout_completed("ORD-1")
    forged = se.sign(payload, secret="whsec_someone_else")
    with pytest.raises(WebhookRefused, match="No signatures found matching"):
        stripe_webhooks.verify_and_parse(payload, forged, se.SECRET)


def test_a_body_changed_after_signing_is_refused():
    payload = se.checkout_completed("ORD-1", amount=100)
    header = se.sign(payload)
    with pytest.raises(WebhookRefused):
        stripe_webhooks.verify_and_parse(payload.replace(b"100", b"1"), header, se.SECRET)


def test_a_stale_timestamp_is_refused_even_with_a_good_signature():
    payload = se.checkout_completed("ORD-1")
    header = se.sign(payload, timestamp=int(time.time()) - 301)
    with pytest.raises(WebhookRefused, match="tolerance"):
        stripe_webhooks.verify_and_parse(payload, header, se.SECRET)


def test_a_timestamp_in_the_future_is_refused_even_with_a_good_signature():
    payload = se.checkout_completed("ORD-1")
    header = se.sign(payload, timestamp=int(time.time()) + 301)
    with pytest.raises(WebhookRefused, match="future"):
        stripe_webhooks.verify_and_parse(payload, header, se.SECRET)
    near = se.sign(payload, timestamp=int(time.time()) + 60)  # clocks a minute apart still agree
    assert stripe_webhooks.verify_and_parse(payload, near, se.SECRET).order_refs[0] == "ORD-1"


@pytest.mark.parametrize("header", [None, "", "garbage", "t=123", "v1=abc"])
def test_a_missing_or_malformed_header_is_refused(header):
    payload = se.checkout_completed("ORD-1")
    with pytest.raises(WebhookRefused):
        stripe_webhooks.verify_and_parse(payload, header, se.SECRET)


def test_without_a_configured_secret_every_webhook_is_refused():
    payload = se.checkout_completed("ORD-1")
    with pytest.raises(WebhookRefused, match="no Stripe webhook secret"):
        stripe_webhooks.verify_and_parse(payload, se.sign(payload), "")


def test_a_signed_body_that_is_not_json_is_refused():
    payload = b"not json"
    with pytest.raises(WebhookRefused, match="JSON"):
        stripe_webhooks.verify_and_parse(payload, se.sign(payload), se.SECRET)
