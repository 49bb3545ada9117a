"""The readiness page in a real browser from red to live the way a provider gets there for real: a
tracking item fails until a ticket arrives through the event API, a shadow run started from the
page shows its progress and then its figures with the escalations that would have been sent, the
sample report opens, and once the rest is proven or waived with a reason the agreement goes live."""

from __future__ import annotations

from typing import Any

import pytest

from slaforge.services.readiness import configuration
from tests.agreement_setup import MANAGER, NOW
from tests.e2e.pages_support import Served, chromium, needs_chromium, served, shot, sign_in
from tests.integration.readiness.test_shadow_runs import history
from tests.readiness_setup import accepted, config, delivered

__all__ = ["chromium", "served"]
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")


def test_a_shadow_run_and_a_real_ticket_take_the_page_from_red_to_live(served: Served, chromium: Any) -> None:
    uow = served.container.system_uow
    acme = accepted(uow(), "Acme Logistics")
    configuration.configure(uow=uow(), agreement_id=acme.agreement_id, raw=config(), actor=MANAGER, now=NOW)
    history(uow(), acme.customer_id)  # October's three tickets, under the source "legacy"
    page = sign_in(chromium, served.url, "manager@example.test", width=1400)
    readiness = f"{served.url}/console/agreements/{acme.agreement_id}/readiness"
    page.goto(readiness)
    tracking = page.locator('tr[data-item="objectives[0].tracking"]')
    sync_api.expect(tracking).to_have_attribute("data-state", "failed")
    shot(page, "readiness-red")

    form = page.locator("#readiness-shadow form")
    form.get_by_label("From").fill("2026-10-01")
    form.get_by_label("To (excluded)").fill("2026-11-01")
    form.get_by_label("History").select_option("legacy")
    form.get_by_role("button", name="Start the shadow run").click()
    sync_api.expect(page.locator("#shadow-progress")).to_have_attribute("data-state", "done", timeout=30_000)
    sync_api.expect(page.locator('#shadow-objective-0 tr[data-month="2026-10"]')).to_contain_text("33.3 %")
    sync_api.expect(page.locator("#shadow-escalations h2")).to_contain_text("nothing was sent")
    sync_api.expect(page.locator("#shadow-escalations")).to_contain_text("desk@provider.test")
    shot(page, "readiness-shadow-run")
    page.locator('#shadow-reports li[data-report="0"]').get_by_role("link", name="HTML").click()
    sync_api.expect(page.locator("body")).to_contain_text("SAMPLE — from a shadow run over history")
    shot(page, "readiness-sample-report")

    # A ticket in the first clause's scope arrives through the event API: its item turns ok.
    delivered(uow(), acme.agreement_id, "INC-LIVE-1")
    page.goto(readiness)
    sync_api.expect(tracking).to_have_attribute("data-state", "ok")
    open_rows = page.locator(
        '#readiness-items tr[data-state="failed"], #readiness-items tr[data-state="missing"]'
    )
    while open_rows.count():
        row = open_rows.first
        key = row.get_attribute("data-item")
        row.get_by_label(f"Reason to waive {key}").fill("proven in the first week of service, as agreed")
        row.get_by_role("button", name="Waive").click()
        sync_api.expect(page.locator(".flash")).to_contain_text(f"Waived {key}.")
    sync_api.expect(tracking).to_have_attribute("data-state", "ok")  # proven, not waived
    page.locator("#readiness-verdict").get_by_role("button", name="Go live").click()
    sync_api.expect(page.locator("#readiness-verdict")).to_contain_text("Live: the configuration is frozen")
    sync_api.expect(page.locator("#readiness-holidays")).to_contain_text("Office hours (UTC)")
    shot(page, "readiness-live")
