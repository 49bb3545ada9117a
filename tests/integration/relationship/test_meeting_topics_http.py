"""Topics over HTTP: the API (a customer's administrator raises, a double submit answers 200 with
the same topic, a viewer 403, a past meeting 422 naming `original_start`, another customer 404,
withdraw 204) and the pages (the portal's form posted and read back, the console's withdraw)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.integration.api.conftest import ClientFor, admin, client_for, container, server
from tests.integration.api.live_server import LiveServer
from tests.integration.api.platform.test_web_pages import _csrf, _sign_in
from tests.integration.relationship.test_meeting_records_api import AHEAD, HELD, _offered

__all__ = ["admin", "client_for", "container", "server"]  # the API tier's fixtures
TOPIC = "Our March outage: root cause?"


@pytest.fixture
def browser(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def test_topics_over_the_api(admin: httpx.Client, client_for: ClientFor) -> None:
    cust_a, a = _offered(admin, "Customer A")
    cust_b, _b = _offered(admin, "Customer B")
    topics = f"/api/v1/agreements/{a}/relationship/meetings/series/monthly-review/occurrences/{AHEAD}/topics"
    customer = client_for("customer-admin", customer_id=cust_a, email="admin@a.test")
    first = customer.post(topics, json={"text": TOPIC})
    assert first.status_code == 201, first.text
    assert (first.json()["party"], first.json()["raised_by"], first.json()["new"]) == (
        "customer",
        "admin@a.test",
        True,
    )
    again = customer.post(topics, json={"text": TOPIC})  # a double submit
    assert again.status_code == 200
    assert (again.json()["id"], again.json()["new"]) == (first.json()["id"], False)
    assert admin.post(topics, json={"text": "Renewal"}).json()["party"] == "provider"
    listed = admin.get(topics, params={"party": "customer"}).json()
    assert [t["text"] for t in listed["data"]] == [TOPIC]
    assert admin.get(topics, params={"sort": "-id"}).json()["data"][0]["text"] == "Renewal"
    assert admin.get(topics, params={"sort": "bogus"}).status_code == 422
    agenda = admin.get(topics.replace("/topics", "/agenda")).json()
    assert [(t["text"], t["party"]) for t in agenda["topics"]] == [
        (TOPIC, "customer"),
        ("Renewal", "provider"),
    ]

    past = customer.post(topics.replace(AHEAD, HELD), json={"text": TOPIC})
    assert past.status_code == 422
    assert past.json()["field"] == "original_start"
    assert customer.post(topics, json={"text": "x" * 501}).status_code == 422
    viewer = client_for("viewer", customer_id=cust_a, email="viewer@a.test")
    assert viewer.get(topics).json()["count"] == 2
    assert viewer.post(topics, json={"text": "mine"}).status_code == 403
    assert viewer.delete(f"{topics}/{first.json()['id']}").status_code == 403
    other = client_for("customer-admin", customer_id=cust_b, email="admin@b.test")
    for method, path, body in [
        ("GET", topics, None),
        ("POST", topics, {"text": "hacked"}),
        ("DELETE", f"{topics}/{first.json()['id']}", None),
    ]:
        answer = other.request(method, path, json=body)
        assert answer.status_code == 404, (method, path, answer.status_code, answer.text)
        assert TOPIC not in answer.text
    assert customer.delete(f"{topics}/{first.json()['id']}").status_code == 204
    assert customer.delete(f"{topics}/{first.json()['id']}").status_code == 404  # gone already
    assert [t["text"] for t in admin.get(topics).json()["data"]] == ["Renewal"]


def test_the_portal_form_raises_a_topic_the_console_shows_and_withdraws(
    admin: httpx.Client, client_for: ClientFor, browser: httpx.Client
) -> None:
    cust, a = _offered(admin, "Customer A")
    client_for("customer-admin", customer_id=cust, email="admin@a.test").close()
    _sign_in(browser, "admin@a.test")
    page_url = f"/portal/agreements/{a}/relationship/meetings/monthly-review/{AHEAD}"
    page = browser.get(page_url)
    assert page.status_code == 200
    assert "Raise a topic for this meeting" in page.text
    posted = browser.post(f"{page_url}/topics", data={"text": TOPIC, "csrf_token": _csrf(page)})
    assert posted.status_code == 303
    assert posted.headers["location"] == f"{page_url}#topics"
    shown = browser.get(page_url)
    assert "Topic raised." in shown.text
    assert TOPIC in shown.text
    assert "admin@a.test" in shown.text
    assert "Withdraw" in shown.text  # its own topic
    empty = browser.post(f"{page_url}/topics", data={"text": "  ", "csrf_token": _csrf(shown)})
    assert empty.status_code == 303
    assert "the topic needs some text" in browser.get(page_url).text
    # A held meeting takes no more topics: no form there.
    assert "Raise a topic" not in browser.get(page_url.replace(AHEAD, HELD)).text

    browser.cookies.clear()
    _sign_in(browser, "admin@example.test")
    console_url = page_url.replace("/portal", "/console")
    console = browser.get(console_url)
    assert TOPIC in console.text
    withdraw = re.findall(r'action="([^"]*/topics/\d+/withdraw)"', console.text)
    assert len(withdraw) == 1
    gone = browser.post(withdraw[0], data={"csrf_token": _csrf(console)})
    assert gone.status_code == 303
    after = browser.get(console_url)
    assert "Topic withdrawn." in after.text
    assert TOPIC not in after.text
