"""Tasks in a real browser: the provider starts the onboarding checklist from the console and sees
the Gantt timeline (bars, dependency arrows, today line, overdue marks, the table fallback); a
customer user marks its own task done in the portal and cannot change the provider's; another
customer's user gets 404 on both pages. Screenshots in /tmp/shots-tasks/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests import agreement_setup
from tests.e2e.pages_support import Served, chromium, needs_chromium, served, sign_in, viewer_of

__all__ = ["chromium", "served"]
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")
SHOTS = Path("/tmp/shots-tasks")


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _row(page: Any, title: str) -> Any:
    """The table row of one task (other rows name it under "Waits for")."""
    return page.locator("table.tasks tbody tr", has=page.locator("strong", has_text=title))


def test_provider_plans_with_the_gantt_and_the_customer_closes_its_task(
    served: Served, chromium: Any
) -> None:
    uow = served.container.system_uow
    mine = agreement_setup.draft(uow(), "Acme Logistics")
    agreement_setup.offer(uow(), mine.version_id)
    other = agreement_setup.draft(uow(), "Other Corp")
    viewer_of(served.container, mine.customer_id, "jo@acme.test")
    viewer_of(served.container, other.customer_id, "eve@other.test")
    start = (served.container.clock() - timedelta(days=10)).date().isoformat()  # some tasks overdue
    console = f"{served.url}/console/agreements/{mine.agreement_id}/relationship/tasks"

    page = sign_in(chromium, served.url, "manager@example.test")
    page.goto(console)
    page.fill("form[action$='/template'] input[name=start]", start)
    page.click("form[action$='/template'] button[type=submit]")
    sync_api.expect(page.locator("table.tasks tbody tr")).to_have_count(6)
    chart = page.locator("svg.gantt")
    sync_api.expect(chart.locator("rect.bar")).to_have_count(6)
    assert chart.locator("path.dependency").count() == 6
    assert chart.locator("line.today").count() == 1
    assert chart.locator("rect.overdue").count() >= 1
    assert "Timeline of 6 task(s)" in (chart.get_attribute("aria-label") or "")
    sync_api.expect(page.locator("table.tasks caption")).to_contain_text(
        "overdue once its due date has ended"
    )
    _shot(page, "console-tasks-gantt")

    # The provider cancels the kick-off so the contact list can be closed.
    page.get_by_label("Status of Kick-off meeting").select_option("cancelled")
    _row(page, "Kick-off meeting").locator("button[type=submit]").click()
    sync_api.expect(_row(page, "Kick-off meeting").locator(".badge")).to_have_text("cancelled")

    customer = sign_in(chromium, served.url, "jo@acme.test")
    customer.goto(f"{served.url}/portal/agreements/{mine.agreement_id}/relationship/tasks")
    customer.get_by_label("Status of Agree contact list").select_option("done")
    customer.get_by_label("Note on Agree contact list").fill("list sent by e-mail")
    _row(customer, "Agree contact list").locator("button[type=submit]").click()
    row = _row(customer, "Agree contact list")
    sync_api.expect(row.locator(".badge")).to_have_text("done")
    sync_api.expect(row.locator("pre")).to_contain_text("jo@acme.test: list sent by e-mail")
    # The provider's tasks are there, read-only.
    sync_api.expect(_row(customer, "Configure monitoring")).to_contain_text("read-only")
    assert customer.get_by_label("Status of Configure monitoring").count() == 0
    _shot(customer, "portal-tasks-customer")

    intruder = sign_in(chromium, served.url, "eve@other.test")
    for url in (f"{served.url}/portal/agreements/{mine.agreement_id}/relationship/tasks", console):
        answer = intruder.goto(url)
        assert answer is not None
        assert answer.status == 404, url
        assert "Acme" not in intruder.content()
    _shot(intruder, "portal-tasks-other-customer-404")
