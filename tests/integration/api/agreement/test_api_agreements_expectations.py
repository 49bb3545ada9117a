"""Drafting from a customer's expectations over HTTP: the API route and the console's draft form."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from slaforge.bootstrap import Container
from tests.integration.api.live_server import LiveServer
from tests.integration.api.platform.test_web_pages import _csrf, _sign_in
from tests.integration.background.test_expectations import fill


@pytest.fixture
def acme(container: Container, admin: httpx.Client) -> int:
    uow = container.system_uow()
    with uow:
        ids: dict[str, Any] = fill(uow.session)
    for body in (
        {"metric": "first_response", "priority": "P1", "target": "1h"},
        {"metric": "resolution", "priority": "P1", "target": "4h"},
    ):
        made = admin.post("/api/v1/expectations", json={"customer_id": ids["acme"], **body})
        assert made.status_code == 201, made.text
    return int(ids["acme"])


@pytest.fixture
def browser(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def test_the_api_drafts_from_expectations_with_warnings(admin: httpx.Client, acme: int) -> None:
    made = admin.post("/api/v1/agreements/from-expectations", json={"customer_id": acme})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["objectives"] == 2
    assert body["version"]["state"] == "draft"
    assert any("offering 1 business day instead" in w for w in body["warnings"])
    version = admin.get(f"/api/v1/agreement-versions/{body['version']['version_id']}").json()
    targets = {o["metric"]: o["target_seconds"] for o in version["terms"]["objectives"]}
    assert targets == {"first_response": 3600, "resolution": 86400}
    missing = admin.post("/api/v1/agreements/from-expectations", json={"customer_id": acme, "study_id": 999})
    assert missing.status_code == 404


def test_a_customer_user_cannot_draft_from_expectations(client_for: Any, acme: int) -> None:
    viewer = client_for("customer-admin", customer_id=acme)
    assert viewer.post("/api/v1/agreements/from-expectations", json={"customer_id": acme}).status_code == 403


def test_the_console_draft_form_offers_the_expectations(
    admin: httpx.Client, browser: httpx.Client, acme: int
) -> None:
    _sign_in(browser, "admin@example.test")
    page = browser.get("/console/agreements")
    assert "expectations, where achievable" in page.text
    made = browser.post(
        "/console/agreements",
        data={
            "customer_id": acme,
            "title": "As Acme asked",
            "source": "expectations",
            "csrf_token": _csrf(page),
        },
    )
    assert made.status_code == 303
    shown = browser.get(made.headers["location"]).text
    assert "As Acme asked" in shown
    assert "offering 1 business day instead" in shown
