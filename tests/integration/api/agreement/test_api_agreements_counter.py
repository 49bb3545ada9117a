"""Answering a customer's counter-offer over HTTP: the API accepts it as proposed (offered
unchanged, a link to the proposer), and the console explains the choices and declines it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from slaforge.bootstrap import Container
from slaforge.services.agreement import link_decisions
from slaforge.services.agreement import link_offers as acceptance
from slaforge.services.agreement.links import Visitor
from tests.agreement_setup import MANAGER, NOW, draft
from tests.integration.api.live_server import LiveServer
from tests.integration.api.platform.test_web_pages import _csrf, _sign_in


@pytest.fixture
def counter(container: Container) -> int:
    uow = container.system_uow
    d = draft(uow())
    sent = acceptance.offer_and_send(uow=uow(), version_id=d.version_id, recipients=["buyer@customer.test"],
                                     actor=MANAGER.email, now=NOW, expires_at=NOW + timedelta(days=3650),
                                     base_url="http://sla.test")  # fmt: skip
    ref = link_decisions.counter_via_link(uow=uow(), token=sent.links[0].url.rsplit("/", 1)[1],
                                      changes={0: {"target_minutes": 15}}, comment="Faster, please",
                                      visitor=Visitor(ip="203.0.113.7", user_agent="tests"),
                                      now=NOW + timedelta(hours=1))  # fmt: skip
    return ref.version_id


@pytest.fixture
def browser(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def test_the_api_accepts_a_counter_as_proposed(admin: httpx.Client, counter: int) -> None:
    answer = admin.post(f"/api/v1/agreement-versions/{counter}/accept-counter", json={})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["version"]["state"] == "offered"
    assert [link["email"] for link in body["links"]] == ["buyer@customer.test"]
    assert "/agree/" in body["links"][0]["url"]
    again = admin.post(f"/api/v1/agreement-versions/{counter}/decline-counter", json={"reason": "late"})
    assert again.status_code == 409
    assert "already answered" in again.json()["detail"]


def test_the_console_explains_a_counter_and_declines_it(
    admin: httpx.Client, browser: httpx.Client, counter: int
) -> None:
    _sign_in(browser, "admin@example.test")
    url = f"/console/agreements/versions/{counter}"
    page = browser.get(url)
    assert "counter-offer</h2>" in page.text
    assert "Accept their proposal" in page.text
    declined = browser.post(
        f"{url}/decline-counter", data={"reason": "Not staffed for it", "csrf_token": _csrf(page)}
    )
    assert declined.status_code == 303
    shown = browser.get(url).text
    assert "Their proposal is declined" in shown
    assert "withdrawn" in shown
    assert "Accept their proposal" not in shown
