"""Acceptance by payment: genuinely signed Stripe events through the service path.

Each event is built as Stripe sends it and verified by `stripe.Webhook.construct_event` before
slaforge acts on it, exactly as the webhook route does.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from slaforge.adapters.agreement.payments import stripe_webhooks
from slaforge.adapters.agreement.payments.events import PaymentEvent
from slaforge.adapters.db.models import (
    Acceptance,
    Agreement,
    AgreementVersion,
    Notification,
    Order,
    WebhookEvent,
)
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.platform.notify import NotifyConfig
from slaforge.services.agreement import decisions, drafts, payments, reading, versions
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork
from tests import stripe_events as se
from tests.agreement_setup import MANAGER, NOW, draft, offer

LATER = NOW + timedelta(hours=2)


def _verified(payload: bytes) -> PaymentEvent:
    return stripe_webhooks.verify_and_parse(payload, se.sign(payload), se.SECRET)


def _attach(
    uow: UnitOfWork, customer_id: int, version_id: int | None, order_id: str = "ORD-1", amount: int = 120000
):
    return payments.attach_order(
        uow=uow,
        actor=MANAGER,
        provider="stripe",
        external_id=order_id,
        customer_id=customer_id,
        version_id=version_id,
        amount=amount,
        currency="EUR",
        now=NOW,
    )


def _count(uow: UnitOfWork, model: type) -> int:
    with uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def _state(uow: UnitOfWork, version_id: int) -> str:
    return reading.get_version(uow=uow, version_id=version_id).state


@pytest.fixture
def offered(uow: UnitOfWork):
    d = draft(uow)
    content_hash = offer(uow, d.version_id)
    _attach(uow, d.customer_id, d.version_id)
    return d, content_hash


def test_paying_the_order_accepts_the_attached_version_with_the_payment_as_evidence(uow, offered):
    d, content_hash = offered
    payload = se.checkout_completed("ORD-1", payment_intent="pi_1", event_id="evt_paid")
    result = payments.handle_payment_event(uow=uow, event=_verified(payload), now=LATER)
    assert result.accepted
    assert not result.duplicate
    assert not result.flagged
    assert _state(uow, d.version_id) == "accepted"
    with uow:
        [acceptance] = uow.session.scalars(select(Acceptance)).all()
        assert (acceptance.method, acceptance.decision) == ("payment", "accept")
        assert acceptance.payment_id == "pi_1"
        assert acceptance.webhook_event_id == "evt_paid"
        assert acceptance.accepted_hash == content_hash
        order = uow.session.scalars(select(Order)).one()
        assert (order.status, order.payment_id, order.flagged_reason) == ("paid", "pi_1", None)
    actions = [e.action for e in audit.entries_for(uow=uow, subject_type="order", subject_id=order.id)]
    assert actions == ["order.attached", "payment.paid"]
    agreement_actions = [
        e.action for e in audit.entries_for(uow=uow, subject_type="agreement", subject_id=d.agreement_id)
    ]
    assert "agreement.accepted" in agreement_actions
    assert audit.verify(uow=uow).ok


def test_the_same_event_delivered_twice_counts_once(uow, offered):
    payload = se.checkout_completed("ORD-1", event_id="evt_twice")
    first = payments.handle_payment_event(uow=uow, event=_verified(payload), now=LATER)
    second = payments.handle_payment_event(
        uow=uow, event=_verified(payload), now=LATER + timedelta(minutes=1)
    )
    assert first.accepted
    assert second.duplicate
    assert second.outcome == "duplicate, ignored"
    assert _count(uow, WebhookEvent) == 1
    assert _count(uow, Acceptance) == 1


def test_checkout_and_payment_intent_events_of_one_payment_accept_once(uow, offered):
    _d, _ = offered
    payments.handle_payment_event(
        uow=uow, event=_verified(se.checkout_completed("ORD-1", payment_intent="pi_9")), now=LATER
    )
    again = payments.handle_payment_event(
        uow=uow, event=_verified(se.payment_intent_succeeded("ORD-1", payment_intent="pi_9")), now=LATER
    )
    assert not again.duplicate
    assert not again.accepted
    assert not again.flagged
    assert "already recorded" in again.outcome
    assert _count(uow, Acceptance) == 1
    assert _count(uow, WebhookEvent) == 2


def test_invoice_paid_accepts_too(uow, offered):
    d, _ = offered
    result = payments.handle_payment_event(uow=uow, event=_verified(se.invoice_paid("ORD-1")), now=LATER)
    assert result.accepted
    assert _state(uow, d.version_id) == "accepted"


def test_a_checkout_whose_money_has_not_arrived_accepts_nothing(uow, offered):
    d, _ = offered
    payload = se.checkout_completed("ORD-1", payment_status="unpaid")
    result = payments.handle_payment_event(uow=uow, event=_verified(payload), now=LATER)
    assert not result.accepted
    assert _state(uow, d.version_id) == "offered"


def test_paying_for_a_withdrawn_version_is_recorded_and_flagged_never_accepted(uow, offered):
    d, _ = offered
    decisions.withdraw_version(
        uow=uow, version_id=d.version_id, actor=MANAGER.email, now=NOW + timedelta(hours=1)
    )
    result = payments.handle_payment_event(
        uow=uow, event=_verified(se.checkout_completed("ORD-1")), now=LATER
    )
    assert result.flagged
    assert not result.accepted
    assert "withdrawn" in result.outcome
    assert _state(uow, d.version_id) == "withdrawn"
    with uow:
        order = uow.session.scalars(select(Order)).one()
        assert order.status == "paid"
        assert "withdrawn" in (order.flagged_reason or "")
        assert "withdrawn" in (uow.session.get(Agreement, d.agreement_id).review_reason or "")
    assert _count(uow, Acceptance) == 0


def test_paying_for_a_superseded_version_accepts_nothing_else(uow):
    d = draft(uow)
    offer(uow, d.version_id)
    _attach(uow, d.customer_id, d.version_id, "ORD-OLD")
    payments.handle_payment_event(uow=uow, event=_verified(se.checkout_completed("ORD-OLD")), now=LATER)
    newer = drafts.new_version(uow=uow, agreement_id=d.agreement_id, actor=MANAGER.email, now=LATER)
    versions.offer_version(
        uow=uow, version_id=newer.version_id, actor=MANAGER.email, now=LATER, expires_at=None
    )
    _attach(uow, d.customer_id, newer.version_id, "ORD-NEW")
    payments.handle_payment_event(uow=uow, event=_verified(se.checkout_completed("ORD-NEW")), now=LATER)
    assert _state(uow, d.version_id) == "superseded"
    # A late payment of another order still pointing at version 1:
    payments.attach_order(
        uow=uow,
        actor=MANAGER,
        provider="stripe",
        external_id="ORD-LATE",
        customer_id=d.customer_id,
        version_id=d.version_id,
        amount=120000,
        currency="eur",
        now=LATER,
    )
    result = payments.handle_payment_event(
        uow=uow, event=_verified(se.checkout_completed("ORD-LATE")), now=LATER
    )
    assert result.flagged
    assert not result.accepted
    assert "superseded" in result.outcome
    assert _state(uow, d.version_id) == "superseded"
    assert _state(uow, newer.version_id) == "accepted"


def test_an_expired_offer_is_not_accepted_by_a_late_payment(uow):
    d = draft(uow)
    offer(uow, d.version_id, days=1)
    _attach(uow, d.customer_id, d.version_id)
    result = payments.handle_payment_event(
        uow=uow, event=_verified(se.checkout_completed("ORD-1")), now=NOW + timedelta(days=2)
    )
    assert result.flagged
    assert not result.accepted
    assert "expired" in result.outcome


@pytest.mark.parametrize("version", [False, True])
def test_an_order_without_a_version_or_unknown_to_slaforge_is_recorded_and_flagged(uow, version):
    d = draft(uow)
    if version:
        _attach(uow, d.customer_id, None, "ORD-BARE")
    result = payments.handle_payment_event(
        uow=uow, event=_verified(se.checkout_completed("ORD-BARE")), now=LATER
    )
    assert result.flagged
    assert not result.accepted
    with uow:
        order = uow.session.scalars(select(Order).where(Order.external_id == "ORD-BARE")).one()
        assert order.status == "paid"
        assert order.flagged_reason
    assert _count(uow, Acceptance) == 0


def test_a_payment_of_another_amount_is_flagged_not_accepted(uow, offered):
    d, _ = offered
    result = payments.handle_payment_event(
        uow=uow, event=_verified(se.checkout_completed("ORD-1", amount=100)), now=LATER
    )
    assert result.flagged
    assert not result.accepted
    assert "1200.00 EUR" in result.outcome
    assert _state(uow, d.version_id) == "offered"


@pytest.mark.parametrize("reversal", [se.charge_refunded, se.dispute_created])
def test_a_refund_or_dispute_of_the_payment_flags_the_agreement_for_review(uow, offered, reversal):
    d, _ = offered
    payments.handle_payment_event(
        uow=uow, event=_verified(se.checkout_completed("ORD-1", payment_intent="pi_r")), now=LATER
    )
    result = payments.handle_payment_event(
        uow=uow, event=_verified(reversal("pi_r")), now=LATER + timedelta(days=3)
    )
    assert result.flagged
    with uow:
        order = uow.session.scalars(select(Order)).one()
        assert order.status in ("refunded", "disputed")
        agreement = uow.session.get(Agreement, d.agreement_id)
        assert "pi_r" in (agreement.review_reason or "")
        assert (
            uow.session.get(AgreementVersion, d.version_id).state == "accepted"
        )  # the record stays as it was
    assert audit.verify(uow=uow).ok


def test_acceptance_by_payment_queues_notifications_in_the_same_transaction(uow, offered):
    notify = NotifyConfig(webhook_urls=("http://hooks.test/sla",), provider_email="sla@provider.test")
    payments.handle_payment_event(
        uow=uow, event=_verified(se.checkout_completed("ORD-1")), now=LATER, notify=notify
    )
    with uow:
        rows = uow.session.scalars(select(Notification).order_by(Notification.id)).all()
        assert {(r.channel, r.recipient, r.event) for r in rows} == {
            ("email", "sla@provider.test", "agreement.accepted"),
            ("webhook", "http://hooks.test/sla", "agreement.accepted"),
        }


def test_orders_cannot_be_reattached_once_paid(uow, offered):
    d, _ = offered
    payments.handle_payment_event(uow=uow, event=_verified(se.checkout_completed("ORD-1")), now=LATER)
    from slaforge.domain.errors import Conflict

    with pytest.raises(Conflict, match="already paid"):
        _attach(uow, d.customer_id, d.version_id)


def test_two_concurrent_deliveries_of_one_event_count_once(session_factory, offered):
    import threading

    payload = se.checkout_completed("ORD-1", event_id="evt_race")
    results = []
    barrier = threading.Barrier(2)

    def deliver():
        barrier.wait()
        results.append(
            payments.handle_payment_event(
                uow=SqlAlchemyUnitOfWork(session_factory), event=_verified(payload), now=LATER
            )
        )

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(r.duplicate for r in results) == [False, True]
    uow = SqlAlchemyUnitOfWork(session_factory)
    assert _count(uow, Acceptance) == 1
    assert _count(uow, WebhookEvent) == 1
