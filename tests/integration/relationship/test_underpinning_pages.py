"""The underpinning warnings on the console's version page (draft and offered), linking to the
underpinning page of that version; the appendix downloads there and through the API; a customer
user of the very agreement is answered 404 by each (the provider-only attack test)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.integration.api.conftest import ClientFor, admin, client_for, container, server
from tests.integration.api.live_server import LiveServer
from tests.integration.api.platform.test_web_pages import _sign_in
from tests.integration.relationship.test_underpinning_api import HOURS, TERMS_HERE

__all__ = ["admin", "client_for", "container", "server"]  # the API tier's fixtures
LATE = "Resolution of P1 is promised within 4 business hours, but Mailhost has"


@pytest.fixture
def browser(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def _agreement(provider: httpx.Client, terms: dict[str, Any] = TERMS_HERE) -> tuple[int, int, int]:
    """(customer, agreement, version) of a new draft."""
    name = f"Acme {terms['calendar']['name']}"
    customer = provider.post("/api/v1/customers", json={"name": name}).json()["id"]
    drafted = provider.post(
        "/api/v1/agreements", json={"customer_id": customer, "title": "SLA", "terms": terms}
    )
    assert drafted.status_code == 201, drafted.text
    return customer, drafted.json()["agreement_id"], drafted.json()["version_id"]


def _contract(provider: httpx.Client, name: str = "Mailhost", hours: float = 20) -> int:
    body = {"kind": "uc", "name": name, "calendar": HOURS, "targets": {"resolution": {"*": hours * 3600}}}
    made = provider.post("/api/v1/underpinning-contracts", json=body)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_the_version_page_shows_the_warnings_of_that_version(
    admin: httpx.Client, browser: httpx.Client, client_for: ClientFor
) -> None:
    assert admin.post("/api/v1/calendars", json={"name": "Office", "definition": HOURS}).status_code == 201
    customer, agreement, first = _agreement(admin)
    _sign_in(browser, "admin@example.test")
    page = browser.get(f"/console/agreements/versions/{first}")
    assert 'id="underpinning-warnings"' in page.text
    assert "No objective of this version rests on a recorded OLA or UC yet." in page.text

    base = f"/api/v1/agreements/{agreement}/relationship/underpinning"
    linked = admin.post(base + "/links", json={"objective": 1, "contract_id": _contract(admin)})
    assert linked.status_code == 201, linked.text
    page = browser.get(f"/console/agreements/versions/{first}")
    assert "Underpinning: 1 warning" in page.text
    assert f"Objective 1 (Mailhost): {LATE}" in page.text
    to_page = f'href="/console/agreements/{agreement}/relationship/underpinning?version=1"'
    assert to_page in page.text

    assert admin.post(f"/api/v1/agreement-versions/{first}/offer", json={}).status_code == 200
    second = admin.post(f"/api/v1/agreements/{agreement}/versions", json={}).json()["version_id"]
    admin.delete(base + f"/links/1/{admin.get(base).json()['objectives'][1]['contracts'][0]['id']}")
    offered = browser.get(f"/console/agreements/versions/{first}")
    assert "Underpinning: 1 warning" in offered.text  # the offered version keeps its links
    draft = browser.get(f"/console/agreements/versions/{second}")
    assert "No objective of this version rests on a recorded OLA or UC yet." in draft.text
    assert LATE not in draft.text

    underpinning = browser.get(f"/console/agreements/{agreement}/relationship/underpinning?version=1")
    assert underpinning.status_code == 200
    assert "Version 1 · offered" in underpinning.text
    assert "not the newest version" in underpinning.text
    assert 'action="/console/agreements/' + str(agreement) not in underpinning.text.split("<h2>Contracts")[0]
    appendix = browser.get(
        f"/console/agreements/{agreement}/relationship/underpinning/appendix.html?version=1"
    )
    assert appendix.status_code == 200
    assert "<td>Mailhost</td>" in appendix.text
    assert appendix.headers["content-security-policy"].startswith("default-src 'none'")  # a document's
    assert LATE in appendix.text
    pdf = browser.get(f"/console/agreements/{agreement}/relationship/underpinning/appendix.pdf?version=1")
    assert pdf.content.startswith(b"%PDF-")
    assert "underpinning-" in pdf.headers["content-disposition"]
    markdown = admin.get(base + "/appendix", params={"version": 1})
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "| Mailhost | UC (underpinning contract) |" in markdown.text
    assert admin.get(base + "/appendix", params={"version": 9}).status_code == 404

    # The attack: a user of the very customer the agreement is for, on its own offered version.
    mine = client_for("customer-admin", customer_id=customer, email="admin@acme.test")
    assert mine.get(f"/api/v1/agreement-versions/{first}").status_code == 200  # it may read the agreement
    for fmt in ("markdown", "html", "pdf"):
        refused = mine.get(base + "/appendix", params={"format": fmt, "version": 1})
        assert refused.status_code == 404
        assert "Mailhost" not in refused.text
    with httpx.Client(base_url=str(browser.base_url), timeout=60) as theirs:
        _sign_in(theirs, "admin@acme.test")
        for url in (
            f"/console/agreements/{agreement}/relationship/underpinning/appendix.html?version=1",
            f"/console/agreements/{agreement}/relationship/underpinning/appendix.pdf",
            f"/console/agreements/versions/{first}",
        ):
            answer = theirs.get(url)
            assert answer.status_code == 404, url
            assert "Mailhost" not in answer.text
        portal = theirs.get(f"/portal/agreements/versions/{first}")
        assert portal.status_code == 200
        assert "Mailhost" not in portal.text
        assert "underpinning" not in portal.text.lower()


def test_a_version_whose_calendar_is_not_stored_says_so_on_its_page(
    admin: httpx.Client, browser: httpx.Client
) -> None:
    terms = {**TERMS_HERE, "calendar": {**TERMS_HERE["calendar"], "name": "Nowhere"}}
    _customer, agreement, version = _agreement(admin, terms)
    base = f"/api/v1/agreements/{agreement}/relationship/underpinning"
    assert (
        admin.post(base + "/links", json={"objective": 1, "contract_id": _contract(admin)}).status_code == 201
    )
    _sign_in(browser, "admin@example.test")
    page = browser.get(f"/console/agreements/versions/{version}")
    assert page.status_code == 200
    assert "The commitments behind this version cannot be checked" in page.text
    assert "calendar &#39;Nowhere&#39; is not stored" in page.text
