"""A meeting's pages: the console records minutes and actions through the form (twice: one task
per action), shows the agenda; the customer's portal shows agenda, minutes and its own actions,
no form; another customer's user gets 404; every signed-in user makes and resets its feed URL."""

from __future__ import annotations

import httpx

from slaforge.bootstrap import Container
from slaforge.services.agreement import versions
from slaforge.services.relationship import meetings, minutes
from tests.integration.agreement.test_agreements_lifecycle import T0, _customer
from tests.integration.api.conftest import ClientFor
from tests.integration.api.live_server import LiveServer
from tests.integration.api.platform.test_web_pages import _csrf, _sign_in
from tests.integration.relationship.test_meetings_series import _draft, own_customer_id

HELD = "2026-03-03T10:00"  # long past whenever the test runs
FORM = {
    "text": "Reviewed the quarter.\nAll green.",
    "attendance": "Ann\nBob",
    "action_title": ["Send the incident report", "Name a backup contact", ""],
    "action_party": ["provider", "customer", "provider"],
    "action_assignee": ["ann@provider.test", "Bob", ""],
    "action_due": ["2026-03-20", "2026-03-31", ""],
}


def test_console_records_minutes_and_the_portal_reads_them(
    container: Container, client_for: ClientFor, server: LiveServer
) -> None:
    agreement_id = _draft(container.system_uow())
    series = {**meetings.DEMO_SERIES, "start": "2026-01-06T10:00"}
    meetings.put_series(
        uow=container.system_uow(), agreement_id=agreement_id, series=series, actor="m", now=T0
    )
    view = meetings.series_of(uow=container.system_uow(), agreement_id=agreement_id)
    versions.offer_version(uow=container.system_uow(), version_id=view.version_id or 0, actor="m", now=T0)
    client_for("admin", email="boss@example.test")
    client_for(
        "viewer", customer_id=own_customer_id(container.system_uow(), agreement_id), email="own@acme.test"
    )
    client_for("viewer", customer_id=_customer(container.system_uow(), "Other AG"), email="x@other.test")
    path = f"/agreements/{agreement_id}/relationship/meetings/monthly-review/{HELD}"
    with httpx.Client(base_url=server.url, timeout=30) as provider:
        _sign_in(provider, "boss@example.test")
        listing = provider.get(f"/console/agreements/{agreement_id}/relationship/meetings")
        assert f"/console{path}" in listing.text  # the recent meetings link to their pages
        page = provider.get(f"/console{path}")
        assert page.status_code == 200, page.text
        assert "1. Objectives — study figures" in page.text
        assert "not this agreement&#39;s own results" in page.text
        assert "6. Signals from the live agreement (0)" in page.text
        assert "Record the minutes" in page.text
        for _ in range(2):  # a double submit
            done = provider.post(
                f"/console{path}/minutes", data={**FORM, "csrf_token": _csrf(page)}, follow_redirects=True
            )
            assert "Minutes saved." in done.text
        assert "Edit the minutes" in done.text
        assert "Send the incident report" in done.text
        bad = provider.post(
            f"/console{path.replace(HELD, '2099-03-03T10:00')}/minutes",
            data={**FORM, "csrf_token": _csrf(page)},
            follow_redirects=True,
        )
        assert "original_start" in bad.text
        agenda = provider.get(f"/console{path.replace(HELD, '2026-04-07T10:00')}")
        assert "4. Open actions of earlier meetings (2)" in agenda.text
    actions = minutes.actions_of(uow=container.system_uow(), agreement_id=agreement_id)
    assert len(actions) == 2
    with httpx.Client(base_url=server.url, timeout=30) as customer:
        _sign_in(customer, "own@acme.test")
        page = customer.get(f"/portal{path}")
        assert page.status_code == 200
        assert "All green." in page.text
        assert "Your actions (1)" in page.text
        assert "Name a backup contact" in page.text
        assert "Record the minutes" not in page.text
        assert "Edit the minutes" not in page.text
        assert 'name="text"' not in page.text
        assert customer.get(f"/console{path}", follow_redirects=False).status_code in (303, 403, 404)
    with httpx.Client(base_url=server.url, timeout=30) as other:
        _sign_in(other, "x@other.test")
        assert other.get(f"/portal{path}").status_code == 404
        assert "Reviewed the quarter" not in other.get(f"/portal{path}").text


def test_every_user_makes_and_resets_its_own_feed_url(
    container: Container, client_for: ClientFor, server: LiveServer
) -> None:
    client_for("viewer", customer_id=_customer(container.system_uow(), "Acme"), email="own@acme.test")
    with httpx.Client(base_url=server.url, timeout=30) as browser:
        _sign_in(browser, "own@acme.test")
        page = browser.get("/calendar-feed")
        assert "Make my feed address" in page.text
        made = browser.post("/calendar-feed", data={"csrf_token": _csrf(page)})
        assert "shown this once" in made.text
        url = made.text.split('<code id="feed-url">', 1)[1].split("</code>", 1)[0]
        feed = url[url.index("/feeds/") :]
        assert httpx.get(server.url + feed, timeout=30).status_code == 200
        again = browser.get("/calendar-feed")
        assert "Reset the feed address" in again.text
        assert feed not in again.text  # never shown again
        browser.post("/calendar-feed", data={"csrf_token": _csrf(again)})
        assert httpx.get(server.url + feed, timeout=30).status_code == 404
