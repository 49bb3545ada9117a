"""In a real browser: (a) the provider records a supplier's contract in the console, rests an
objective of the draft on it though the supplier outruns the promise, and sees the warning on the
underpinning page and on the version page (and downloads the appendix); (b) after changing a RACI
letter on a new draft, the console's diff between the versions names the activity and the role.
Screenshots go to /tmp/appx-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from slaforge.domain.time.calendar.business import BusinessCalendar
from slaforge.services.agreement import drafts
from slaforge.services.background.calendars import save_calendar
from slaforge.services.platform import catalog
from slaforge.services.relationship import responsibilities as resp
from tests import agreement_setup
from tests.e2e.pages_support import Served, chromium, needs_chromium, served, sign_in
from tests.integration.relationship.test_underpinning import OFFICE, TERMS_HERE

__all__ = ["chromium", "served"]
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")
LATE = "Resolution of P1 is promised within 8 business hours, but Mailhost has 2 business days (20 h)"


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(Path("/tmp") / f"appx-{name}.png"), full_page=True)


def test_a_supplier_that_outruns_the_promise_is_warned_on_both_pages(served: Served, chromium: Any) -> None:
    uow = served.container.system_uow
    save_calendar(uow=uow(), name="Office", calendar=BusinessCalendar.from_dict(OFFICE))
    customer = catalog.create_customer(uow=uow(), actor=agreement_setup.MANAGER, name="Acme Logistics")
    draft = drafts.draft_agreement(
        uow=uow(),
        customer_id=customer.id,
        title="SLA Acme Logistics",
        terms=TERMS_HERE,
        template_keys=None,
        actor="manager@example.test",
        now=agreement_setup.NOW,
    )
    page = sign_in(chromium, served.url, "manager@example.test", width=1400)
    page.goto(f"{served.url}/console/agreements/versions/{draft.version_id}")
    section = page.locator("#underpinning-warnings")
    sync_api.expect(section).to_contain_text(
        "No objective of this version rests on a recorded OLA or UC yet."
    )
    page.get_by_role("link", name="Relationship: responsibilities and contacts").click()
    page.get_by_role("link", name="Underpinning contracts").click()
    sync_api.expect(page.get_by_role("heading", name="What each promise rests on")).to_be_visible()

    record = page.locator("form[action$='/underpinning/contracts']")
    record.get_by_label("Name").fill("Mailhost")
    record.get_by_label("Kind").select_option("uc")
    record.get_by_label("Counterparty").fill("Mailhost Ltd")
    record.get_by_label("Time zone").fill("Europe/Berlin")
    record.get_by_label("Weekday hours").fill("08:00-18:00")
    record.get_by_label("Business day").fill("10h")
    record.get_by_label("Targets").fill("resolution:*=2d")
    record.get_by_role("button", name="Record").click()
    sync_api.expect(page.locator(".flash")).to_contain_text("Recorded 'Mailhost'.")

    link = page.locator("form[action$='/underpinning/links']").last
    link.get_by_label("Objective").select_option("0")
    link.get_by_label("rests on").select_option(label="Mailhost (UC)")
    link.get_by_role("button", name="Link").click()
    sync_api.expect(page.locator(".flash")).to_contain_text("Linked.")
    warned = page.locator("section.card.warn")
    sync_api.expect(warned.get_by_role("heading")).to_have_text("1 warning")
    sync_api.expect(warned).to_contain_text(LATE)
    sync_api.expect(page.locator("tbody tr").first).to_contain_text("Mailhost (UC)")
    _shot(page, "1-underpinning-page-warning")

    page.get_by_role("link", name="HTML", exact=True).click()
    sync_api.expect(page).to_have_url(
        f"{served.url}/console/agreements/{draft.agreement_id}/relationship/underpinning/appendix.html?version=1"
    )
    sync_api.expect(page.locator("article.appendix")).to_contain_text(LATE)
    banner = page.locator(".provider-only")
    sync_api.expect(banner).to_contain_text("PROVIDER ONLY")
    # Styled like the agreement document: its inline style sheet is allowed by the documents' policy.
    assert banner.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    _shot(page, "2-appendix-html")
    page.go_back()

    page.goto(f"{served.url}/console/agreements/versions/{draft.version_id}")
    section = page.locator("#underpinning-warnings")
    sync_api.expect(section.get_by_role("heading")).to_have_text("Underpinning: 1 warning")
    sync_api.expect(section).to_contain_text(f"Objective 0 (Mailhost): {LATE}")
    section.scroll_into_view_if_needed()
    _shot(page, "3-version-page-warning")
    section.get_by_role("link", name="What each promise rests on").click()
    sync_api.expect(page).to_have_url(
        f"{served.url}/console/agreements/{draft.agreement_id}/relationship/underpinning?version=1"
    )
    sync_api.expect(page.locator("section.card.warn")).to_contain_text(LATE)


def test_the_diff_names_the_activity_and_role_of_a_changed_raci_letter(served: Served, chromium: Any) -> None:
    uow = served.container.system_uow
    first = agreement_setup.draft(uow(), "Acme Logistics")
    resp.apply_starter(uow=uow(), agreement_id=first.agreement_id, keys=None,
                       actor="manager@example.test", now=agreement_setup.NOW)  # fmt: skip
    agreement_setup.offer(uow(), first.version_id)
    second = drafts.new_version(
        uow=uow(), agreement_id=first.agreement_id, actor="manager@example.test", now=agreement_setup.NOW
    )
    page = sign_in(chromium, served.url, "manager@example.test", width=1400)
    page.goto(f"{served.url}/console/agreements/{first.agreement_id}/relationship/responsibilities")
    page.locator("#activity-approve-changes").get_by_role("link", name="Edit").click()
    form = page.locator("#activity-form")
    before = form.get_by_label("Customer: approver").input_value()
    assert before == "A"  # the starter's: the customer's approver is accountable
    form.get_by_label("Customer: approver").fill("R")
    form.get_by_label("Customer: service contact").fill("A")
    form.get_by_role("button", name="Save activity").click()
    sync_api.expect(page.locator(".flash")).to_contain_text("Activity 'Approve changes' saved.")

    page.goto(f"{served.url}/console/agreements/versions/{second.version_id}")
    page.get_by_role("link", name="v1", exact=True).last.click()
    sync_api.expect(page.get_by_role("heading", name="Version 1 → version 2")).to_be_visible()
    rows = page.locator("table tbody tr")
    approver = rows.filter(has_text="activity 'Approve changes', customer approver")
    sync_api.expect(approver).to_have_count(1)
    sync_api.expect(approver.locator("td.del")).to_have_text('"A"')
    sync_api.expect(approver.locator("td.ins")).to_have_text('"R"')
    contact = rows.filter(has_text="activity 'Approve changes', customer service contact")
    sync_api.expect(contact.locator("td.ins")).to_have_text('"A"')
    # Only the two letters: the form saving the entries in another order is no change of terms.
    sync_api.expect(rows).to_have_count(2)
    _shot(page, "4-diff-raci-letter")
