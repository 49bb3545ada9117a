"""Issue 9, "Pages": the home pages show what exists. The provider's dashboard counts agreements by
state, offers, customers and tickets (with thousands separators), each figure a link to its list,
and does not claim "SLA clocks arrive with the agreements" once agreements exist; a customer
viewer's home shows its own agreements and offers and nothing of another customer."""

from __future__ import annotations

from typing import Any

import pytest

from slaforge.services.agreement import drafts
from slaforge.services.platform import accounts
from tests import agreement_setup
from tests.e2e.pages_support import (
    PASSWORD,
    Served,
    accept,
    add_tickets,
    chromium,
    needs_chromium,
    served,
    shot,
    sign_in,
    viewer_of,
)

__all__ = ["chromium", "served"]
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")


def _world(served: Served) -> dict[str, int]:
    """Acme: one accepted agreement and one draft; Globex: one offered agreement; 1,234 tickets."""
    uow = served.container.system_uow
    acme = agreement_setup.draft(uow(), "Acme Logistics")
    accept(uow(), acme.version_id, agreement_setup.offer(uow(), acme.version_id))
    globex = agreement_setup.draft(uow(), "Globex Retail")
    agreement_setup.offer(uow(), globex.version_id)
    drafts.draft_agreement(
        uow=uow(),
        customer_id=acme.customer_id,
        title="Second SLA — Acme Logistics",
        terms=agreement_setup.TERMS,
        template_keys=None,
        actor="manager@example.test",
        now=agreement_setup.NOW,
    )
    add_tickets(served.container, 1234)
    return {"acme": acme.customer_id, "globex": globex.customer_id}


def _figure(page: Any, label: str) -> Any:
    return page.locator("a.tile", has_text=label)


def test_the_dashboard_counts_agreements_by_state_and_links_every_figure(
    served: Served, chromium: Any
) -> None:
    _world(served)
    page = sign_in(chromium, served.url, "manager@example.test")
    page.goto(f"{served.url}/console")
    expected = {
        "Accepted": ("1", "/console/agreements?state=accepted"),
        "Offered, awaiting the customer": ("1", "/console/agreements?state=offered"),
        "Drafts": ("1", "/console/agreements?state=draft"),
        "All agreements": ("3", "/console/agreements"),
        "Customers": ("2", "/console/customers"),
        "Services": ("0", "/console/services"),
        "Tickets imported": ("1,234", "/console/imports"),
    }
    for label, (figure, href) in expected.items():
        tile = _figure(page, label)
        sync_api.expect(tile.locator(".tile-figure")).to_have_text(figure)
        assert tile.get_attribute("href") == href, label
    at_risk = page.locator("#at-risk")
    sync_api.expect(at_risk).not_to_contain_text("SLA clocks arrive with the agreements")
    sync_api.expect(at_risk).to_contain_text("1 accepted agreement, none live yet")
    shot(page, "dashboard-with-agreements")

    _figure(page, "Offered, awaiting the customer").click()
    sync_api.expect(page.locator("table tbody tr")).to_have_count(1)
    sync_api.expect(page.locator("table tbody")).to_contain_text("Globex Retail")
    sync_api.expect(
        page.get_by_role("heading", name="Agreements whose latest version is offered")
    ).to_be_visible()


def test_a_customer_viewer_home_shows_its_own_agreements_only(served: Served, chromium: Any) -> None:
    ids = _world(served)
    add_tickets(served.container, 3, customer_id=ids["globex"])  # another customer's history
    viewer_of(served.container, ids["acme"], "viewer@acme.test")
    page = sign_in(chromium, served.url, "viewer@acme.test", width=390)
    sync_api.expect(page.get_by_role("heading", name="Acme Logistics")).to_be_visible()
    accepted = _figure(page, "Agreements accepted")
    sync_api.expect(accepted.locator(".tile-figure")).to_have_text("1")
    assert accepted.get_attribute("href") == "/portal/agreements?state=accepted"
    sync_api.expect(_figure(page, "Offers awaiting your decision").locator(".tile-figure")).to_have_text("0")
    # Its draft is the provider's business, not counted for the customer.
    sync_api.expect(_figure(page, "All your agreements").locator(".tile-figure")).to_have_text("1")
    content = page.content()
    assert "Globex" not in content
    assert "1,234" not in content
    assert "1,237" not in content
    sync_api.expect(page.locator("#history")).to_contain_text("No tickets of your organisation")
    shot(page, "viewer-home-with-agreements")
    accepted.click()
    sync_api.expect(page.locator("table tbody tr")).to_have_count(1)
    sync_api.expect(page.locator("table tbody")).to_contain_text("accepted")


def test_a_viewer_is_not_offered_api_tokens_but_a_customer_admin_is(served: Served, chromium: Any) -> None:
    ids = _world(served)
    viewer_of(served.container, ids["acme"], "viewer@acme.test")
    accounts.create_user(
        uow=served.container.system_uow(),
        actor=None,
        email="admin@acme.test",
        password=PASSWORD,
        role="customer-admin",
        customer_id=ids["acme"],
    )
    viewer = sign_in(chromium, served.url, "viewer@acme.test")
    menu = viewer.get_by_role("navigation", name="Main")
    sync_api.expect(menu.get_by_role("link", name="Agreements")).to_be_visible()
    sync_api.expect(menu.get_by_role("link", name="API tokens")).to_have_count(0)
    response = viewer.goto(f"{served.url}/tokens")
    assert response is not None
    assert response.status == 404
    shot(viewer, "viewer-menu-without-api-tokens")

    admin = sign_in(chromium, served.url, "admin@acme.test")
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="API tokens").click()
    sync_api.expect(admin.get_by_role("heading", name="API tokens")).to_be_visible()
