"""The console's readiness page in a real browser, from red to live: the provider opens it from the
version page, sees the open items in order, is refused a waiver without a reason, waives every
open item with one, and goes live; a customer's user gets 404 for the console page and reads the
items, waivers included, in the portal."""

from __future__ import annotations

from typing import Any

import pytest

from slaforge.services.readiness import configuration
from tests.agreement_setup import MANAGER, NOW
from tests.e2e.pages_support import Served, chromium, needs_chromium, served, sign_in, viewer_of
from tests.readiness_setup import accepted, config

__all__ = ["chromium", "served"]
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")


def test_the_readiness_page_walks_from_red_to_live(served: Served, chromium: Any) -> None:
    uow = served.container.system_uow
    acme = accepted(uow(), "Acme Logistics")
    configuration.configure(uow=uow(), agreement_id=acme.agreement_id, raw=config(), actor=MANAGER, now=NOW)
    viewer_of(served.container, acme.customer_id, "jane@acme.test")

    provider = sign_in(chromium, served.url, "manager@example.test", width=1400)
    provider.goto(f"{served.url}/console/agreements/versions/{acme.version_id}")
    provider.get_by_role("link", name="Readiness: what must be in place before going live").click()
    verdict = provider.locator("#readiness-verdict")
    sync_api.expect(verdict).to_contain_text("items open")
    sync_api.expect(verdict).to_contain_text("Next: objectives[0].tracking")
    first = provider.locator('tr[data-item="objectives[0].tracking"]')
    sync_api.expect(first).to_contain_text("configured (the event API), no data has arrived yet")
    first.get_by_role("button", name="Waive").click()
    sync_api.expect(provider.locator(".flash")).to_contain_text("a waiver needs a written reason")

    open_rows = provider.locator(
        '#readiness-items tr[data-state="failed"], #readiness-items tr[data-state="missing"]'
    )
    while open_rows.count():
        row = open_rows.first
        key = row.get_attribute("data-item")
        row.get_by_label(f"Reason to waive {key}").fill("agreed at the kick-off meeting")
        row.get_by_role("button", name="Waive").click()
        sync_api.expect(provider.locator(".flash")).to_contain_text(f"Waived {key}.")
    sync_api.expect(provider.locator('tr[data-item="objectives[0].tracking"]')).to_contain_text(
        "waived by manager@example.test: agreed at the kick-off meeting"
    )
    sync_api.expect(verdict).to_contain_text("Ready to go live")
    verdict.get_by_role("button", name="Go live").click()
    sync_api.expect(provider.locator(".flash")).to_contain_text("The agreement is live.")
    sync_api.expect(provider.locator("#readiness-verdict")).to_contain_text(
        "Live: the configuration is frozen"
    )

    customer = sign_in(chromium, served.url, "jane@acme.test")
    answer = customer.goto(f"{served.url}/console/agreements/{acme.agreement_id}/readiness")
    assert answer is not None
    assert answer.status == 404
    # The portal shows the customer's user the same items of its own agreement, waivers included.
    customer.goto(f"{served.url}/portal/agreements/versions/{acme.version_id}")
    customer.get_by_role("link", name="Readiness: what is in place before going live").click()
    sync_api.expect(customer.locator("#readiness-verdict")).to_contain_text("Live since")
    sync_api.expect(customer.locator('tr[data-item="objectives[1].remedy"]')).to_contain_text(
        "agreed at the kick-off meeting"
    )
