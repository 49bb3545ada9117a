"""The console meetings page in a real browser: next meetings at 10:00 Europe/Berlin with the zone's
offset, and moving one through the form."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from slaforge.services.relationship import meetings
from tests import agreement_setup
from tests.e2e.pages_support import ARTIFACTS, Served, chromium, needs_chromium, served, shot, sign_in

__all__ = ["chromium", "served"]
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")


def test_console_meetings_page_moves_a_meeting(served: Served, chromium: Any) -> None:
    uow = served.container.system_uow
    draft = agreement_setup.draft(uow(), "Acme Logistics")
    # The page shows the next 180 days from the real clock: start the weekly series next week.
    first = datetime.now(UTC).date() + timedelta(days=7)
    start, moved = f"{first}T10:00", f"{first + timedelta(days=2)}T15:00"
    meetings.put_series(
        uow=uow(),
        agreement_id=draft.agreement_id,
        series={**meetings.DEMO_SERIES, "rrule": "FREQ=WEEKLY", "start": start},
        actor="m",
        now=agreement_setup.NOW,
    )
    page = sign_in(chromium, served.url, "manager@example.test")
    response = page.goto(f"{served.url}/console/agreements/{draft.agreement_id}/relationship/meetings")
    assert response is not None
    assert response.status == 200
    sync_api.expect(page.locator("main")).to_contain_text("Monthly service review")
    sync_api.expect(page.locator("main")).to_contain_text("10:00–11:00")
    page.fill("input[name=original_start]", start)
    page.fill("input[name=new_start]", moved)
    page.get_by_role("button", name="Save").click()
    sync_api.expect(page.locator("main")).to_contain_text("moved from")
    shot(page, "meetings-console")
    target = Path("/tmp/shots-meetings")
    target.mkdir(exist_ok=True)
    shutil.copy(ARTIFACTS / "meetings-console.png", target / "meetings-console.png")
