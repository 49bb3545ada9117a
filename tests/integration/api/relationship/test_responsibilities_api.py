"""The responsibilities API and pages through a real server: the draft edited, the section of a
frozen version read-only, the activities list paged and filtered, a customer user's view and
acknowledgement, 404 for another customer's agreement on every route and page, and 25 parallel
acknowledgements storing one row."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from slaforge.domain.agreement.terms import example_terms
from tests.integration.api.conftest import PASSWORD, ClientFor
from tests.integration.api.live_server import LiveServer
from tests.integration.api.platform.test_web_pages import _csrf, _sign_in
from tests.parallel import at_once

V1 = "/api/v1"


@pytest.fixture
def browser(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def _agreement(admin: httpx.Client, name: str) -> tuple[int, int, int]:
    customer = admin.post(f"{V1}/customers", json={"name": name}).json()
    terms = example_terms()
    terms.pop("parties")
    made = admin.post(
        f"{V1}/agreements", json={"customer_id": customer["id"], "title": f"SLA {name}", "terms": terms}
    )
    assert made.status_code == 201, made.text
    ref = made.json()
    return customer["id"], ref["agreement_id"], ref["version_id"]


def test_the_api_edits_the_draft_and_the_customer_acknowledges(
    admin: httpx.Client, client_for: ClientFor, browser: httpx.Client
) -> None:
    cid, aid, vid = _agreement(admin, "Acme")
    other_cid, other_aid, _ = _agreement(admin, "Other")
    base = f"{V1}/agreements/{aid}/relationship"
    started = admin.post(f"{base}/starter", json={"keys": None})
    assert started.status_code == 200
    assert len(started.json()["added"]) == 7
    bad = admin.put(f"{base}/activities/approve-changes", json={"name": "Approve changes", "raci": [
        {"party": "customer", "role": "approver", "letters": "A"},
        {"party": "customer", "role": "service contact", "letters": "A"}]})  # fmt: skip
    assert bad.status_code == 422
    assert "activity 'Approve changes' must have exactly one Accountable" in bad.text
    dup = admin.post(f"{base}/activities", json={"key": "approve-changes", "name": "X", "raci": []})
    assert dup.status_code == 409
    page = admin.get(f"{base}/activities", params={"accountable": "customer", "sort": "-name", "limit": 2})
    body = page.json()
    assert body["count"] == 4
    assert [a["key"] for a in body["data"]] == [
        "report-incidents",
        "keep-contacts-current",
    ]
    contacts = [{"party": "provider", "level": 1, "name": "Service desk", "channels": "desk@northwind.test"}]
    assert (
        admin.put(f"{base}/contacts", json={"contacts": contacts}).json()["section"]["contacts"][0]["name"]
        == "Service desk"
    )
    assert admin.delete(f"{base}/activities/attend-service-reviews").status_code == 204
    assert admin.post(f"{V1}/agreement-versions/{vid}/offer", json={}).status_code == 200
    frozen = admin.put(f"{base}/roles", json={"provider": ["x"], "customer": []})
    assert frozen.status_code == 409
    assert "draft a new version" in frozen.text
    assert admin.get(f"{V1}/agreement-versions/{vid}/relationship").json()["editable"] is False

    customer = client_for("viewer", customer_id=cid, email="jane@acme.test")
    outsider = client_for("viewer", customer_id=other_cid, email="olaf@other.test")
    seen = customer.get(base).json()
    assert seen["version_id"] == vid
    assert len(seen["section"]["activities"]) == 6
    assert customer.put(f"{base}/roles", json={"provider": [], "customer": []}).status_code == 403
    done = customer.post(f"{base}/acknowledgements", json={"activity_key": "approve-changes"})
    assert done.status_code == 201
    assert done.json()["user"] == "jane@acme.test"
    assert (
        customer.post(f"{base}/acknowledgements", json={"activity_key": "approve-changes"}).status_code == 200
    )
    assert admin.get(f"{base}/acknowledgements").json()["count"] == 1
    for method, path, json in [
        ("GET", base, None),
        ("PUT", base, {}),
        ("GET", f"{base}/activities", None),
        ("GET", f"{base}/activities/approve-changes", None),
        ("PUT", f"{base}/activities/approve-changes", {"name": "X", "raci": []}),
        ("DELETE", f"{base}/activities/approve-changes", None),
        ("POST", f"{base}/starter", {}),
        ("PUT", f"{base}/contacts", {"contacts": []}),
        ("GET", f"{base}/acknowledgements", None),
        ("POST", f"{base}/acknowledgements", {"activity_key": "approve-changes"}),
        ("GET", f"{V1}/agreement-versions/{vid}/relationship", None),
    ]:
        assert outsider.request(method, path, json=json).status_code == 404, (method, path)
    assert other_aid != aid

    # Pages: the customer sees and acknowledges; the outsider gets 404; the console shows it all.
    _sign_in(browser, "olaf@other.test")
    for path in (
        f"/portal/agreements/{aid}/relationship",
        f"/portal/agreements/{aid}/relationship/responsibilities",
    ):
        assert browser.get(path).status_code == 404, path
    assert browser.get(f"/console/agreements/{aid}/relationship").status_code == 404
    browser.cookies.clear()
    _sign_in(browser, "jane@acme.test")
    hub = browser.get(f"/portal/agreements/{aid}/relationship")
    assert "Responsibilities &amp; contacts" in hub.text
    mine = browser.get(f"/portal/agreements/{aid}/relationship/responsibilities")
    assert "acknowledged by jane@acme.test" in mine.text
    assert 'class="ours"' in mine.text
    assert "desk@northwind.test" in mine.text
    acked = browser.post(f"/portal/agreements/{aid}/relationship/responsibilities/acknowledge",
                         data={"key": "grant-remote-access", "csrf_token": _csrf(mine)})  # fmt: skip
    assert acked.status_code == 303
    browser.cookies.clear()
    _sign_in(browser, "admin@example.test", PASSWORD)
    console = browser.get(f"/console/agreements/{aid}/relationship/responsibilities")
    assert "is offered: its responsibilities are frozen" in console.text
    assert "grant-remote-access" in console.text
    assert "jane@acme.test" in console.text


def test_twenty_five_parallel_acknowledgements_store_one(admin: httpx.Client, client_for: ClientFor) -> None:
    cid, aid, vid = _agreement(admin, "Acme")
    base = f"{V1}/agreements/{aid}/relationship"
    admin.post(f"{base}/starter", json={"keys": ["approve-changes"]})
    admin.post(f"{V1}/agreement-versions/{vid}/offer", json={})
    customer = client_for("viewer", customer_id=cid, email="jane@acme.test")
    codes = at_once(
        lambda _: (
            customer.post(f"{base}/acknowledgements", json={"activity_key": "approve-changes"}).status_code
        ),
        range(25),
    )
    assert sorted(codes) == [200] * 24 + [201]
    assert admin.get(f"{base}/acknowledgements").json()["count"] == 1


def test_a_changed_accountable_shows_on_the_console_diff_page(
    admin: httpx.Client, browser: httpx.Client
) -> None:
    _, aid, v1 = _agreement(admin, "Acme")
    base = f"{V1}/agreements/{aid}/relationship"
    admin.post(f"{base}/starter", json={"keys": ["approve-changes"]})
    assert admin.post(f"{V1}/agreement-versions/{v1}/offer", json={}).status_code == 200
    v2 = admin.post(f"{V1}/agreements/{aid}/versions", json={}).json()["version_id"]
    activity = admin.get(f"{base}/activities/approve-changes").json()
    for r in activity["raci"]:
        r["letters"] = {"approver": "C", "service contact": "A"}.get(r["role"], r["letters"])
    changed = admin.put(f"{base}/activities/approve-changes", json={"name": activity["name"],
                        "raci": activity["raci"], "due": activity["due"]})  # fmt: skip
    assert changed.status_code == 200
    assert changed.json()["version_id"] == v2
    api_diff = admin.get(f"{V1}/agreement-versions/{v2}/diff").json()
    paths = {c["path"]: (c["old"], c["new"]) for c in api_diff["terms"]}
    assert paths["relationship.activities[0].raci[0].letters"] == ("A", "C")
    _sign_in(browser, "admin@example.test", PASSWORD)
    page = browser.get(f"/console/agreements/versions/{v2}/diff", params={"against": v1})
    assert page.status_code == 200
    assert "relationship.activities[0].raci[1].letters" in page.text
    assert "activity &#39;Approve changes&#39;, customer service contact" in page.text
    assert "+| Approve changes | within 2 business days of a request | R | I |  | A | C |  |" in page.text
