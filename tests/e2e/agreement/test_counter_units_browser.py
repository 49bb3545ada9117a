"""Issue 9, "Pages": the customer's signing page takes and shows counter-proposed targets in the
units the document uses ("10 business days (90 h)" is offered as 10 business days, not 5400
business minutes), and the server converts them with the agreement's own business-day length."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from slaforge.services.agreement import drafts, link_offers, reading
from slaforge.services.platform import catalog
from tests.agreement_setup import MANAGER
from tests.e2e.pages_support import Served, chromium, needs_chromium, served, shot, shot_of

__all__ = ["chromium", "served"]
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")
DAY = 9 * 3600  # this agreement's business day: 09:00–18:00


def _terms() -> dict[str, Any]:
    return {
        "service": {"name": "Managed e-mail"},
        "calendar": {"description": "Monday to Friday 09:00–18:00 (UTC)", "day_seconds": DAY},
        "objectives": [
            {
                "metric": "first_response",
                "priorities": ["critical"],
                "target_seconds": 10 * DAY,
                "attainment": 0.95,
            },
            {
                "metric": "resolution",
                "priorities": ["critical"],
                "target_seconds": 4 * 3600,
                "attainment": 0.9,
            },
            {"metric": "first_response", "priorities": ["low"], "target_seconds": 1800, "attainment": 0.8},
        ],
    }


def test_counter_proposals_are_made_in_the_documents_units(served: Served, chromium: Any) -> None:
    uow = served.container.system_uow
    now = datetime.now(UTC)
    customer = catalog.create_customer(uow=uow(), actor=MANAGER, name="Acme Logistics")
    ref = drafts.draft_agreement(
        uow=uow(),
        customer_id=customer.id,
        title="SLA — Acme Logistics",
        terms=copy.deepcopy(_terms()),
        template_keys=None,
        actor=MANAGER.email,
        now=now,
    )
    sent = link_offers.offer_and_send(
        uow=uow(),
        version_id=ref.version_id,
        recipients=["buyer@acme.test"],
        actor=MANAGER.email,
        now=now,
        expires_at=now + timedelta(days=14),
        base_url=served.url,
    )
    page = chromium.new_context(viewport={"width": 1100, "height": 900}).new_page()
    page.goto(sent.links[0].url)
    sync_api.expect(page.locator("#summary")).to_contain_text("10 business days (90 h)")

    counter = page.locator("#counter")
    shown = [
        (
            counter.locator(f"input[name=target_{i}]").input_value(),
            counter.locator(f"select[name=target_unit_{i}]").input_value(),
        )
        for i in range(3)
    ]
    assert shown == [("10", "days"), ("4", "hours"), ("30", "minutes")]
    assert (
        counter.locator("select[name=target_unit_0] option:checked").inner_text()
        == "business days (9 h each)"
    )
    assert counter.locator("input[name^=target_minutes]").count() == 0
    assert not re.search(r"\b(5400|324000|240)\b", counter.inner_text())
    shot(page, "counter-proposal-units")
    shot_of(counter, "counter-proposal-units-form")

    counter.locator("input[name=target_0]").fill("5")  # 5 business days of 9 h
    counter.locator("input[name=target_1]").fill("2")
    counter.locator("select[name=target_unit_1]").select_option("days")  # 2 business days
    counter.locator("textarea[name=comment]").fill("Faster, please")
    counter.get_by_role("button", name="Send my proposal").click()
    page.wait_for_url(re.compile(r".*/done$"))

    agreement = reading.get_agreement(uow=uow(), agreement_id=ref.agreement_id)
    proposal = reading.get_version(uow=uow(), version_id=agreement.versions[-1].version_id)
    targets = [o["target_seconds"] for o in proposal.terms["objectives"]]
    assert targets == [5 * DAY, 2 * DAY, 1800]
    assert any("5 business days (45 h)" in line for line in proposal.summary)
