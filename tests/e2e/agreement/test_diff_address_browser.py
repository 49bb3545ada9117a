"""Issue 9, "Pages": a hand-typed comparison address without `against` (or with a garbled one) is a
page inside the site's layout that says what is missing and links the versions to compare with,
not a bare 422."""

from __future__ import annotations

from typing import Any

import pytest

from slaforge.services.agreement import drafts
from tests import agreement_setup
from tests.e2e.pages_support import Served, chromium, needs_chromium, served, shot, sign_in

__all__ = ["chromium", "served"]
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")


def test_a_diff_address_without_against_offers_the_versions(served: Served, chromium: Any) -> None:
    uow = served.container.system_uow
    first = agreement_setup.draft(uow(), "Acme Logistics")
    agreement_setup.offer(uow(), first.version_id)
    second = drafts.new_version(
        uow=uow(), agreement_id=first.agreement_id, actor="manager@example.test", now=agreement_setup.NOW
    )
    page = sign_in(chromium, served.url, "manager@example.test")

    response = page.goto(f"{served.url}/console/agreements/versions/{second.version_id}/diff")
    assert response is not None
    assert response.status == 200
    sync_api.expect(page.get_by_role("navigation", name="Main")).to_be_visible()  # inside the layout
    choose = page.locator("#choose")
    sync_api.expect(choose).to_contain_text("does not say which version to compare with")
    shot(page, "diff-without-against")
    choose.get_by_role("link", name="version 1 → version 2").click()
    sync_api.expect(page.get_by_role("heading", name="Version 1 → version 2")).to_be_visible()

    page.goto(f"{served.url}/console/agreements/versions/{second.version_id}/diff?against=latest")
    sync_api.expect(page.locator("#choose")).to_contain_text("'latest' is not a version id")


def test_an_error_page_keeps_the_menu_of_whoever_is_signed_in(served: Served, chromium: Any) -> None:
    page = sign_in(chromium, served.url, "manager@example.test")
    response = page.goto(f"{served.url}/console/customers?offset=-1")
    assert response is not None
    assert response.status == 422
    sync_api.expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    sync_api.expect(page.locator("main")).to_contain_text("offset")
