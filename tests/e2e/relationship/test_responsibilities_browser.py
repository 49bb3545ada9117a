"""Issue 12 in a real browser: the provider edits an activity's RACI in the console, the customer's
user sees it among its own responsibilities in the portal and acknowledges it, the provider sees
the acknowledgement, and another customer's user gets 404 for the pages."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from slaforge.services.relationship import responsibilities as resp
from tests import agreement_setup
from tests.e2e.pages_support import Served, chromium, needs_chromium, served, sign_in, viewer_of

__all__ = ["chromium", "served"]
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")
SHOTS = Path(os.environ.get("SLAFORGE_SHOTS", "/tmp/shots-terms"))


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_provider_edits_customer_acknowledges_outsider_gets_404(served: Served, chromium: Any) -> None:
    uow = served.container.system_uow
    acme = agreement_setup.draft(uow(), "Acme Logistics")
    globex = agreement_setup.draft(uow(), "Globex Retail")
    resp.apply_starter(uow=uow(), agreement_id=acme.agreement_id, keys=None,
                       actor="manager@example.test", now=agreement_setup.NOW)  # fmt: skip
    viewer_of(served.container, acme.customer_id, "jane@acme.test")
    viewer_of(served.container, globex.customer_id, "olaf@globex.test")

    provider = sign_in(chromium, served.url, "manager@example.test", width=1400)
    provider.goto(f"{served.url}/console/agreements/versions/{acme.version_id}")
    provider.get_by_role("link", name="Relationship: responsibilities and contacts").click()
    provider.get_by_role("link", name="Responsibilities & contacts").click()
    row = provider.locator("#activity-approve-changes")
    row.get_by_role("link", name="Edit").click()
    form = provider.locator("#activity-form")
    form.get_by_label("Due").fill("within 1 business day of a request")
    form.get_by_label("Customer: approver").fill("R")
    form.get_by_label("Customer: service contact").fill("A")
    _shot(provider, "1-console-editing")
    form.get_by_role("button", name="Save activity").click()
    sync_api.expect(provider.locator(".flash")).to_contain_text("Activity 'Approve changes' saved.")
    cells = provider.locator("#activity-approve-changes td")
    sync_api.expect(cells.nth(1)).to_have_text("within 1 business day of a request")
    form = provider.locator("#activity-form")
    form.get_by_label("Key").fill("sign-off-go-live")
    form.get_by_label("Name").fill("Sign off the go-live")
    form.get_by_label("Customer: approver").fill("A")
    form.get_by_label("Customer: service contact").fill("A")
    form.get_by_role("button", name="Save activity").click()
    sync_api.expect(provider.locator(".flash")).to_contain_text(
        "'Sign off the go-live' must have exactly one Accountable"
    )
    _shot(provider, "2-console-refused-two-accountables")
    provider.get_by_label("Contacts (YAML list").fill(
        "- {party: provider, level: 1, name: Service desk, role: support team, channels: desk@northwind.test,"
        " hours: Mon–Fri 08:00–18:00}\n- {party: customer, level: 1, name: Jane Roe, channels: jane@acme.test}\n"
    )
    provider.get_by_role("button", name="Save contacts").click()
    sync_api.expect(provider.locator(".flash")).to_contain_text("Contacts saved.")
    agreement_setup.offer(uow(), acme.version_id)

    customer = sign_in(chromium, served.url, "jane@acme.test")
    customer.goto(f"{served.url}/portal/agreements/versions/{acme.version_id}")
    customer.get_by_role("link", name="Relationship: your responsibilities and contacts").click()
    customer.get_by_role("link", name="Responsibilities & contacts").click()
    mine = customer.locator("#ours-approve-changes")
    sync_api.expect(mine).to_contain_text("Approve changes — within 1 business day of a request")
    sync_api.expect(mine).to_contain_text("service contact: A")
    sync_api.expect(customer.locator("tr.ours#activity-approve-changes")).to_be_visible()
    sync_api.expect(customer.locator("#ours-deliver-monthly-report")).to_have_count(0)
    mine.get_by_role("button", name="Acknowledge").click()
    sync_api.expect(customer.locator("#ours-approve-changes")).to_contain_text(
        "acknowledged by jane@acme.test"
    )
    sync_api.expect(customer.locator("main")).to_contain_text("desk@northwind.test")
    _shot(customer, "3-portal-acknowledged")

    outsider = sign_in(chromium, served.url, "olaf@globex.test")
    for path in ("relationship", "relationship/responsibilities"):
        response = outsider.goto(f"{served.url}/portal/agreements/{acme.agreement_id}/{path}")
        assert response is not None
        assert response.status == 404
    sync_api.expect(outsider.locator("main")).not_to_contain_text("Approve changes")
    _shot(outsider, "4-portal-other-customer-404")

    provider.goto(f"{served.url}/console/agreements/{acme.agreement_id}/relationship/responsibilities")
    sync_api.expect(provider.locator("main")).to_contain_text("approve-changes (version id")
    sync_api.expect(provider.locator("main")).to_contain_text("by jane@acme.test")
    sync_api.expect(provider.locator(".flash-info")).to_contain_text("frozen with it")
    _shot(provider, "5-console-sees-acknowledgement")
