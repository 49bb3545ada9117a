"""Issue 9, "Pages": the audit log reads properly. "About" names the agreement version for entries
that carry only its id (an order: "order 1" and "agreement 1 v1", not "order 1 v"); the Details
column wraps inside the page instead of running off its right edge; and the page says why an
object's entry numbers have gaps."""

from __future__ import annotations

from typing import Any

import pytest

from slaforge.domain.platform.accounts import Principal, Role
from slaforge.services.agreement import payments
from tests import agreement_setup
from tests.e2e.pages_support import Served, chromium, needs_chromium, served, shot, sign_in

__all__ = ["chromium", "served"]
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")
MANAGER = Principal(user_id=2, email="manager@example.test", role=Role.MANAGER)


def test_the_audit_log_names_what_each_entry_is_about_and_fits_the_page(
    served: Served, chromium: Any
) -> None:
    uow = served.container.system_uow
    drafted = agreement_setup.draft(uow(), "Acme Logistics")
    agreement_setup.offer(uow(), drafted.version_id)
    order = payments.attach_order(
        uow=uow(),
        actor=MANAGER,
        provider="stripe",
        external_id="cs_test_a_very_long_checkout_session_identifier_0123456789abcdefghijklmnopqrstuvwxyz",
        customer_id=drafted.customer_id,
        version_id=drafted.version_id,
        amount=120000,
        currency="EUR",
        now=agreement_setup.NOW,
    )
    page = sign_in(chromium, served.url, "manager@example.test", width=1000)
    page.goto(f"{served.url}/console/audit")

    order_row = page.locator("tr", has_text="order.attached")
    about = order_row.locator("td.about")
    sync_api.expect(about).to_contain_text(f"order {order.id}")
    link = about.get_by_role("link", name=f"agreement {drafted.agreement_id} v1")
    sync_api.expect(link).to_have_attribute("href", f"/console/agreements/versions/{drafted.version_id}")
    offered = page.locator("tr", has_text="agreement.offered").locator("td.about")
    sync_api.expect(offered).to_have_text(f"agreement {drafted.agreement_id} v1")
    for text in page.locator("td.about").all_inner_texts():
        assert not text.rstrip().endswith(" v"), text

    # Nothing runs off the page: the table needs no sideways scrolling and the long checkout id
    # wraps inside its cell.
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    details = order_row.locator("td.details")
    sync_api.expect(details).to_contain_text("external_id: cs_test_a_very_long")
    box = details.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 1000

    sync_api.expect(page.locator("#chain-numbers")).to_contain_text(
        "the missing entries concern other objects"
    )
    shot(page, "audit-log")

    page.goto(f"{served.url}/console/agreements/versions/{drafted.version_id}")
    sync_api.expect(page.locator("#chain-numbers")).to_contain_text("belong to entries about other objects")
