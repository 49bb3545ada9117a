"""Attack test (issue 10, item 4): parallel signed payments with different payment ids for one
open order give what the same payments one after the other give: exactly one accepts the
attached version, the order keeps that payment's id, and every other payment is flagged as a
possible double charge. The decisions are serialised on the order's row."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import Acceptance, WebhookEvent
from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from slaforge.entrypoints.asgi import build_app
from slaforge.services.agreement import payments, reading
from slaforge.services.platform import accounts
from slaforge.services.platform import tokens as api_tokens
from tests import stripe_events as se
from tests.agreement_setup import NOW, Drafted, draft, offer
from tests.integration.api.live_server import LiveServer
from tests.parallel import at_once

PAYMENTS = 25


@pytest.fixture
def container(database_url: str, engine: Engine, session_factory: sessionmaker[Session]) -> Container:
    settings = Settings(
        database_url=database_url, environment="test", secret_key="t" * 40, stripe_webhook_secret=se.SECRET
    )
    return bootstrap(
        settings, engine=engine, session_factory=session_factory, clock=lambda: NOW + timedelta(hours=1)
    )


@pytest.fixture
def client(container: Container) -> Iterator[httpx.Client]:
    with LiveServer(build_app(container)) as live, httpx.Client(base_url=live.url, timeout=120) as http:
        yield http


@pytest.fixture
def ordered(container: Container, client: httpx.Client) -> Drafted:
    """An offered version and the open order ORD-1 whose payment accepts it."""
    d = draft(container.system_uow())
    offer(container.system_uow(), d.version_id)
    accounts.create_user(
        uow=container.system_uow(), actor=None, email="m@p.test", password="x" * 12, role="manager"
    )
    _, secret = api_tokens.create_token_for_email(
        uow=container.system_uow(), email="m@p.test", name="t", days=1, now=datetime.now(UTC)
    )
    order = {"external_id": "ORD-1", "customer_id": d.customer_id, "version_id": d.version_id}
    answer = client.post(
        "/api/v1/orders",
        json={**order, "amount": 120000, "currency": "EUR"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status_code == 201, answer.text
    return d


def _count(container: Container, model: type) -> int:
    with container.system_uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def test_parallel_payments_of_one_order_accept_once_and_flag_the_others(
    container: Container, client: httpx.Client, ordered: Drafted
) -> None:
    payment_ids = [f"pi_race_{i:02d}_{secrets.token_hex(4)}" for i in range(PAYMENTS)]

    def pay(payment_id: str) -> httpx.Response:
        payload = se.checkout_completed("ORD-1", payment_intent=payment_id)
        return client.post(
            "/api/v1/webhooks/stripe",
            content=payload,
            headers={"Stripe-Signature": se.sign(payload), "Content-Type": "application/json"},
        )

    answers = at_once(pay, payment_ids)
    assert [a.status_code for a in answers] == [200] * PAYMENTS, [a.text for a in answers if a.status_code != 200]
    acks = [a.json() for a in answers]
    accepted = [pid for pid, ack in zip(payment_ids, acks, strict=True) if ack["accepted"]]
    assert len(accepted) == 1, [ack["outcome"] for ack in acks]
    others = [(pid, ack) for pid, ack in zip(payment_ids, acks, strict=True) if pid != accepted[0]]
    for pid, ack in others:  # each one as the sequence answers it: a possible double charge
        assert ack["flagged"] is True, ack
        assert ack["outcome"] == f"order was already paid and was paid again ({pid}): check for a double charge"
    (order,) = payments.list_orders(uow=container.system_uow())
    assert (order.status, order.payment_id) == ("paid", accepted[0])
    assert order.flagged_reason is not None
    assert sorted(r.split("(")[1].split(")")[0] for r in order.flagged_reason.split("; ")) == sorted(
        pid for pid, _ in others
    )
    assert reading.get_version(uow=container.system_uow(), version_id=ordered.version_id).state == "accepted"
    assert _count(container, Acceptance) == 1
    assert _count(container, WebhookEvent) == PAYMENTS


def test_parallel_payments_naming_an_unknown_order_record_it_once_and_flag_each(
    container: Container, client: httpx.Client
) -> None:
    # In sequence the first payment records the unknown order (flagged), and each later one finds
    # it paid and flags a possible double charge; in parallel they all start by not finding it.
    payment_ids = [f"pi_ghost_{i:02d}_{secrets.token_hex(4)}" for i in range(PAYMENTS)]

    def pay(payment_id: str) -> httpx.Response:
        payload = se.checkout_completed("ORD-GHOST", payment_intent=payment_id)
        return client.post(
            "/api/v1/webhooks/stripe",
            content=payload,
            headers={"Stripe-Signature": se.sign(payload), "Content-Type": "application/json"},
        )

    answers = at_once(pay, payment_ids)
    assert Counter(a.status_code for a in answers) == Counter({200: PAYMENTS})
    acks = [a.json() for a in answers]
    assert all(ack["flagged"] and not ack["accepted"] for ack in acks), acks
    first = [pid for pid, ack in zip(payment_ids, acks, strict=True) if "knows no order" in ack["outcome"]]
    assert len(first) == 1, [ack["outcome"] for ack in acks]
    (order,) = payments.list_orders(uow=container.system_uow())
    assert (order.external_id, order.payment_id) == ("ORD-GHOST", first[0])
    assert _count(container, WebhookEvent) == PAYMENTS
