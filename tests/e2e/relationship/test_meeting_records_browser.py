"""A held meeting's page in a real browser: the agenda with its study-figures label, the minutes
form filled in and saved (twice), the action listed with its task, and the form kept for edits."""

from __future__ import annotations

from typing import Any

import pytest

from slaforge.services.relationship import meetings, minutes
from tests import agreement_setup
from tests.e2e.pages_support import Served, chromium, needs_chromium, served, shot, sign_in

__all__ = ["chromium", "served"]
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")


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
