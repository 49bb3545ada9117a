"""The webhook endpoints over HTTP: signed bodies accepted, forged, stale and replayed ones refused."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select

from slaforge.adapters.db.models import Acceptance, WebhookEvent
from slaforge.adapters.platform import signature
from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from slaforge.entrypoints.asgi import build_app
from slaforge.services.agreement import reading
from slaforge.services.platform import accounts
from slaforge.services.platform import tokens as api_tokens
from tests import stripe_events as se
from tests.agreement_setup import NOW, draft, offer
from tests.integration.api.live_server import LiveServer

GENERIC_SECRET = "generic-payments-secret-for-tests"


@pytest.fixture
def container(database_url, engine, session_factory) -> Container:
    settings = Settings(
        database_url=database_url,
        environment="test",
        secret_key="t" * 40,
        stripe_webhook_secret=se.SECRET,
        payment_webhook_secret=GENERIC_SECRET,
    )
    # The business clock is fixed an hour after the offer; signature ages use the wall clock.
    return bootstrap(
        settings, engine=engine, session_factory=session_factory, clock=lambda: NOW + timedelta(hours=1)
    )


@pytest.fixture
def client(container: Container) -> Iterator[httpx.Client]:
    with LiveServer(build_app(container)) as live, httpx.Client(base_url=live.url, timeout=30) as http:
        yield http


@pytest.fixture
def version(container: Container, client: httpx.Client):
    uow = container.system_uow()
    d = draft(uow)
    offer(uow, d.version_id)
    accounts.create_user(
        uow=container.system_uow(), actor=None, email="m@p.test", password="x" * 12, role="manager"
    )
    _, secret = api_tokens.create_token_for_email(
        uow=container.system_uow(), email="m@p.test", name="t", days=1, now=datetime.now(UTC)
    )
    answer = client.post(
        "/api/v1/orders",
        json={
            "external_id": "ORD-1",
            "customer_id": d.customer_id,
            "version_id": d.version_id,
            "amount": 120000,
            "currency": "EUR",
        },
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "open"
    return d


def _post_stripe(client: httpx.Client, payload: bytes, header: str) -> httpx.Response:
    return client.post(
        "/api/v1/webhooks/stripe",
        content=payload,
        headers={"Stripe-Signature": header, "Content-Type": "application/json"},
    )


def _count(container: Container, model: type) -> int:
    with container.system_uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_signed_stripe_event_accepts_and_its_replay_is_ignored(client, container, version):
    payload = se.checkout_completed("ORD-1", event_id="evt_http")
    first = _post_stripe(client, payload, se.sign(payload))
    assert first.status_code == 200, first.text
    assert first.json()["accepted"] is True
    assert reading.get_version(uow=container.system_uow(), version_id=version.version_id).state == "accepted"
    replay = _post_stripe(client, payload, se.sign(payload))
    assert replay.status_code == 200
    assert replay.json()["duplicate"] is True
    assert replay.json()["outcome"] == "duplicate, ignored"
    assert _count(container, Acceptance) == 1
    assert _count(container, WebhookEvent) == 1


def test_a_forged_stripe_signature_is_a_400_problem_and_changes_nothing(client, container, version):
    payload = se.checkout_completed("ORD-1")
    answer = _post_stripe(client, payload, se.sign(payload, secret="whsec_forger"))
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "Stripe-Signature" in answer.json()["detail"]
    assert _count(container, WebhookEvent) == 0
    assert reading.get_version(uow=container.system_uow(), version_id=version.version_id).state == "offered"


def test_a_stale_stripe_timestamp_is_a_400_problem(client, container, version):
    payload = se.checkout_completed("ORD-1")
    answer = _post_stripe(client, payload, se.sign(payload, timestamp=int(time.time()) - 3600))
    assert answer.status_code == 400
    assert "tolerance" in answer.json()["detail"]
    assert _count(container, WebhookEvent) == 0


def test_a_stripe_event_without_a_signature_is_refused(client, version):
    answer = client.post("/api/v1/webhooks/stripe", content=se.checkout_completed("ORD-1"))
    assert answer.status_code == 400


def _post_generic(
    client: httpx.Client, body: dict[str, object], *, secret: str = GENERIC_SECRET, age: int = 0
):
    raw = json.dumps(body).encode()
    header = signature.sign(raw, secret, int(time.time()) - age)
    return client.post("/api/v1/webhooks/payments", content=raw, headers={signature.HEADER: header})


def test_the_generic_webhook_accepts_signed_events_and_refuses_forged_stale_and_replayed_ones(
    client, container, version
):
    body = {
        "id": "pay-evt-1",
        "type": "payment.succeeded",
        "order_id": "ORD-1",
        "payment_id": "pay-1",
        "amount": 120000,
        "currency": "EUR",
    }
    assert _post_generic(client, body, secret="wrong").status_code == 400
    assert _post_generic(client, body, age=3600).status_code == 400
    # The generic sender registers its orders under its own name, so ORD-1 (a Stripe order) is unknown.
    answer = _post_generic(client, body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["flagged"] is True
    replay = _post_generic(client, body)
    assert replay.json() == {**replay.json(), "duplicate": True, "outcome": "duplicate, ignored"}


def test_a_signed_generic_event_with_a_bad_field_names_it(client, version):
    answer = _post_generic(client, {"id": "x", "type": "payment.bogus"})
    assert answer.status_code == 422
    assert answer.json()["field"] == "type"


def test_orders_are_listed_with_their_flags(client, container, version):
    payload = se.checkout_completed("ORD-UNKNOWN")
    _post_stripe(client, payload, se.sign(payload))
    accounts.create_user(
        uow=container.system_uow(), actor=None, email="a@p.test", password="x" * 12, role="admin"
    )
    _, secret = api_tokens.create_token_for_email(
        uow=container.system_uow(), email="a@p.test", name="t", days=1, now=datetime.now(UTC)
    )
    flagged = client.get(
        "/api/v1/orders", params={"flagged": True}, headers={"Authorization": f"Bearer {secret}"}
    )
    assert flagged.status_code == 200
    assert [o["external_id"] for o in flagged.json()["data"]] == ["ORD-UNKNOWN"]


def test_a_customer_user_sees_only_its_own_orders(client, container, version):
    other = draft(container.system_uow(), "Other Co")
    uow = container.system_uow()
    from slaforge.services.agreement import payments
    from tests.agreement_setup import MANAGER

    theirs = payments.attach_order(
        uow=uow,
        actor=MANAGER,
        provider="stripe",
        external_id="ORD-B",
        customer_id=other.customer_id,
        version_id=None,
        amount=None,
        currency=None,
        now=NOW,
    )
    accounts.create_user(
        uow=container.system_uow(),
        actor=None,
        email="v@acme.test",
        password="x" * 12,
        role="customer-admin",
        customer_id=version.customer_id,
    )
    _, secret = api_tokens.create_token_for_email(
        uow=container.system_uow(), email="v@acme.test", name="t", days=1, now=datetime.now(UTC)
    )
    auth = {"Authorization": f"Bearer {secret}"}
    listed = client.get("/api/v1/orders", headers=auth).json()
    assert [o["external_id"] for o in listed["data"]] == ["ORD-1"]
    assert client.get(f"/api/v1/orders/{theirs.id}", headers=auth).status_code == 404
    naming_b = client.post(
        "/api/v1/orders", headers=auth, json={"external_id": "X", "customer_id": other.customer_id}
    )
    assert naming_b.status_code == 404
    own = client.post(
        "/api/v1/orders", headers=auth, json={"external_id": "X", "customer_id": version.customer_id}
    )
    assert own.status_code == 403
