"""Over HTTP: signature links sent through the API, and every agreement step taken through the API
or the console queues its notification (the audit hook does it, whatever the path)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import Notification
from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from tests.agreement_setup import TERMS
from tests.integration.api.conftest import ClientFor
from tests.integration.api.live_server import LiveServer
from tests.integration.api.platform.test_web_pages import _csrf, _sign_in

PROVIDER = "sla@provider.test"
HOOK = "http://hooks.test/sla"
BUYER = "buyer@acme.test"


@pytest.fixture
def container(database_url: str, engine: Engine, session_factory: sessionmaker[Session]) -> Container:
    settings = Settings(
        database_url=database_url,
        environment="test",
        secret_key="t" * 40,
        notify_provider_email=PROVIDER,
        notify_webhook_urls=HOOK,
    )
    return bootstrap(settings, engine=engine, session_factory=session_factory)


@pytest.fixture
def browser(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def news(container: Container, version_id: int) -> set[tuple[str, str]]:
    with container.system_uow() as uow:
        rows = uow.session.scalars(select(Notification).where(Notification.version_id == version_id))
        return {(r.event, r.recipient) for r in rows}


def everyone(event: str) -> set[tuple[str, str]]:
    return {(event, BUYER), (event, PROVIDER), (event, HOOK)}


def _drafted(admin: httpx.Client, client_for: ClientFor, *, countersign: bool = False) -> dict[str, int]:
    cust = admin.post("/api/v1/customers", json={"name": "Acme"}).json()["id"]
    client_for("customer-admin", customer_id=cust, email=BUYER)
    made = admin.post(
        "/api/v1/agreements",
        json={"customer_id": cust, "title": "SLA", "terms": TERMS, "requires_countersignature": countersign},
    )
    assert made.status_code == 201, made.text
    return {"customer_id": cust, "version_id": made.json()["version_id"]}


def _offered(admin: httpx.Client, client_for: ClientFor, *, countersign: bool = False) -> int:
    v = _drafted(admin, client_for, countersign=countersign)["version_id"]
    assert admin.post(f"/api/v1/agreement-versions/{v}/offer", json={}).status_code == 200
    return v


Call = Callable[[httpx.Client, int], httpx.Response]
API_STEPS: dict[str, tuple[Call, set[tuple[str, str]]]] = {
    "manual accept": (
        lambda c, v: c.post(
            f"/api/v1/agreement-versions/{v}/accept", json={"name": "Jane", "note": "by letter"}
        ),
        everyone("agreement.accepted"),
    ),
    "reject": (
        lambda c, v: c.post(f"/api/v1/agreement-versions/{v}/reject", json={"reason": "too slow"}),
        everyone("agreement.rejected"),
    ),
    "counter": (
        lambda c, v: c.post(
            f"/api/v1/agreement-versions/{v}/counter", json={"proposed_terms": TERMS, "comment": "faster"}
        ),
        everyone("agreement.countered"),
    ),
    "withdraw": (
        lambda c, v: c.post(f"/api/v1/agreement-versions/{v}/withdraw", json={"reason": "oops"}),
        everyone("agreement.withdrawn"),
    ),
}


def test_an_api_offer_is_told_to_the_customer_admins_the_provider_and_the_webhooks(
    container: Container, admin: httpx.Client, client_for: ClientFor
) -> None:
    v = _offered(admin, client_for)
    assert news(container, v) == everyone("agreement.offered")


@pytest.mark.parametrize("name", list(API_STEPS))
def test_each_decision_recorded_through_the_api_queues_its_news(
    container: Container, admin: httpx.Client, client_for: ClientFor, name: str
) -> None:
    call, expected = API_STEPS[name]
    v = _offered(admin, client_for)
    before = news(container, v)
    response = call(admin, v)
    assert response.status_code == 200, response.text
    assert news(container, v) - before == expected


def test_a_countersignature_through_the_api_queues_its_news(
    container: Container, admin: httpx.Client, client_for: ClientFor
) -> None:
    v = _offered(admin, client_for, countersign=True)
    accepted = admin.post(f"/api/v1/agreement-versions/{v}/accept", json={"name": "Jane", "note": "letter"})
    assert accepted.json()["awaiting_countersignature"]
    signed = admin.post(f"/api/v1/agreement-versions/{v}/countersign", json={"name": "Max"})
    assert signed.status_code == 200, signed.text
    assert everyone("agreement.countersigned") <= news(container, v)
    assert everyone("agreement.accepted_by_customer") <= news(container, v)


def test_the_console_offer_button_queues_the_offer_news(
    container: Container, admin: httpx.Client, client_for: ClientFor, browser: httpx.Client
) -> None:
    v = _drafted(admin, client_for)["version_id"]
    _sign_in(browser, "admin@example.test")
    url = f"/console/agreements/versions/{v}"
    offered = browser.post(
        url + "/offer",
        data={"csrf_token": _csrf(browser.get(url, follow_redirects=True))},
        follow_redirects=True,
    )
    assert "Offered: the version is frozen" in offered.text
    assert news(container, v) == everyone("agreement.offered")


def _links(client: httpx.Client, version_id: int, **body: Any) -> httpx.Response:
    return client.post(f"/api/v1/agreement-versions/{version_id}/signature-links", json=body)


def test_signature_links_offer_a_draft_and_queue_one_email_per_contact(
    container: Container, admin: httpx.Client, client_for: ClientFor
) -> None:
    v = _drafted(admin, client_for)["version_id"]
    sent = _links(admin, v, recipients=["Jane@Acme.test", "joe@acme.test"], expires_days=30)
    assert sent.status_code == 201, sent.text
    body = sent.json()
    assert body["version"]["state"] == "offered"
    assert body["version"]["content_hash"]
    assert [link["email"] for link in body["links"]] == ["jane@acme.test", "joe@acme.test"]
    assert "/agree/" not in sent.text  # the secret link travels only in its e-mail
    version = admin.get(f"/api/v1/agreement-versions/{v}").json()
    assert version["expires_at"] is not None
    assert news(container, v) == {
        ("agreement.offered", "jane@acme.test"),
        ("agreement.offered", "joe@acme.test"),
        ("agreement.offered", PROVIDER),
        ("agreement.offered", HOOK),
    }
    with container.system_uow() as uow:
        bodies = uow.session.scalars(
            select(Notification.body).where(Notification.recipient == "jane@acme.test")
        ).all()
    assert "http://127.0.0.1:" in bodies[0]  # the link, on the server's own address
    assert "/agree/" in bodies[0]
    # A version already on offer gets another link; the offer is not repeated.
    again = _links(admin, v, recipients=["ann@acme.test"])
    assert again.status_code == 201, again.text
    assert ("agreement.offered", "ann@acme.test") in news(container, v)


def test_signature_links_are_refused_for_a_decided_version_and_bad_addresses(
    admin: httpx.Client, client_for: ClientFor
) -> None:
    v = _offered(admin, client_for)
    assert _links(admin, v, recipients=["not-an-address"]).status_code == 422
    admin.post(f"/api/v1/agreement-versions/{v}/withdraw", json={"reason": "oops"})
    assert _links(admin, v, recipients=["jane@acme.test"]).status_code == 409


def test_only_provider_staff_who_change_agreements_send_links(
    admin: httpx.Client, client_for: ClientFor
) -> None:
    v = _offered(admin, client_for)
    cust = admin.get(f"/api/v1/agreement-versions/{v}").json()
    own = admin.get(f"/api/v1/agreements/{cust['agreement_id']}").json()["customer_id"]
    for role in ("customer-admin", "viewer"):
        assert _links(client_for(role, customer_id=own), v, recipients=["x@acme.test"]).status_code == 403
    assert _links(client_for("agent"), v, recipients=["x@acme.test"]).status_code == 403
    assert _links(client_for("manager"), v, recipients=["x@acme.test"]).status_code == 201
