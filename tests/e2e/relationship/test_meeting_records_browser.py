"""A meeting's page in a real browser: the agenda with its study-figures label, the minutes
form filled in and saved (twice), the action listed with its task, and the form kept for edits; a
customer's administrator raising a topic for a coming meeting in the portal, the provider finding
it on the console's agenda."""

from __future__ import annotations

from typing import Any

import pytest

from slaforge.services.platform import accounts
from slaforge.services.relationship import meetings, minutes, topics
from tests import agreement_setup
from tests.e2e.pages_support import PASSWORD, Served, chromium, needs_chromium, served, shot, sign_in

__all__ = ["chromium", "served"]
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")
COMING = "2099-03-03T10:00"  # a first Tuesday far ahead: it takes topics whenever this runs


def test_console_records_the_minutes_of_a_held_meeting(served: Served, chromium: Any) -> None:
    uow = served.container.system_uow
    draft = agreement_setup.draft(uow(), "Acme Logistics")
    series = {**meetings.DEMO_SERIES, "start": "2026-01-06T10:00"}
    meetings.put_series(
        uow=uow(), agreement_id=draft.agreement_id, series=series, actor="m", now=agreement_setup.NOW
    )
    page = sign_in(chromium, served.url, "manager@example.test")
    url = f"{served.url}/console/agreements/{draft.agreement_id}/relationship/meetings/monthly-review/2026-03-03T10:00"
    response = page.goto(url)
    assert response is not None
    assert response.status == 200
    main = page.locator("main")
    sync_api.expect(main).to_contain_text("1. Objectives — study figures")
    page.fill("textarea[name=text]", "Reviewed February.\nAll green.")
    page.fill("textarea[name=attendance]", "Ann\nBob")
    page.locator("input[name=action_title]").first.fill("Send the incident report")
    page.locator("select[name=action_party]").first.select_option("customer")
    page.locator("input[name=action_due]").first.fill("2026-03-20")
    page.get_by_role("button", name="Save the minutes").click()
    sync_api.expect(main).to_contain_text("Minutes saved.")
    sync_api.expect(main).to_contain_text("Edit the minutes")
    sync_api.expect(page.locator("#minutes")).to_contain_text("Send the incident report")
    page.get_by_role("button", name="Save the minutes").click()  # saved again: the action keeps its one task
    sync_api.expect(main).to_contain_text("Revision 2")
    shot(page, "meeting-minutes-console")
    actions = minutes.actions_of(uow=uow(), agreement_id=draft.agreement_id)
    assert [(a.title, a.party) for a in actions] == [("Send the incident report", "customer")]


def test_a_customer_raises_a_topic_the_provider_sees_on_the_console(served: Served, chromium: Any) -> None:
    uow = served.container.system_uow
    draft = agreement_setup.draft(uow(), "Acme Logistics")
    series = {**meetings.DEMO_SERIES, "start": "2026-01-06T10:00"}
    meetings.put_series(
        uow=uow(), agreement_id=draft.agreement_id, series=series, actor="m", now=agreement_setup.NOW
    )
    agreement_setup.offer(uow(), draft.version_id)  # the portal shows offered versions, not drafts
    accounts.create_user(
        uow=uow(), actor=None, email="admin@acme.test", password=PASSWORD, role="customer-admin",
        customer_id=draft.customer_id,
    )  # fmt: skip
    path = f"/agreements/{draft.agreement_id}/relationship/meetings/monthly-review/{COMING}"
    portal = sign_in(chromium, served.url, "admin@acme.test")
    response = portal.goto(f"{served.url}/portal{path}")
    assert response is not None
    assert response.status == 200
    portal.get_by_role("textbox", name="Raise a topic for this meeting").fill(
        "Our March outage: what changed since?"
    )
    portal.get_by_role("button", name="Raise the topic").click()
    topics_list = portal.locator("ol.topics")
    sync_api.expect(portal.locator("main")).to_contain_text("Topic raised.")
    sync_api.expect(topics_list).to_contain_text("Our March outage: what changed since?")
    sync_api.expect(topics_list).to_contain_text("admin@acme.test")
    sync_api.expect(topics_list.get_by_role("button", name="Withdraw")).to_have_count(1)
    portal.screenshot(path="/tmp/topics-portal.png", full_page=True)

    console = sign_in(chromium, served.url, "manager@example.test")
    response = console.goto(f"{served.url}/console{path}")
    assert response is not None
    assert response.status == 200
    agenda = console.locator("#agenda")
    sync_api.expect(agenda).to_contain_text("5. Topics raised (1)")
    sync_api.expect(agenda).to_contain_text("Our March outage: what changed since?")
    sync_api.expect(agenda).to_contain_text("customer")
    sync_api.expect(agenda.get_by_role("button", name="Withdraw")).to_have_count(1)  # a provider writer may
    console.screenshot(path="/tmp/topics-console.png", full_page=True)
    shot(console, "meeting-topics-console")
    raised = topics.topics_of(
        uow=uow(), agreement_id=draft.agreement_id, series_key="monthly-review", original_start=COMING
    )
    assert [(t.party, t.raised_by) for t in raised] == [("customer", "admin@acme.test")]
