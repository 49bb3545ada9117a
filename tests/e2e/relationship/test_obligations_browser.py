"""In a real browser: the provider sees an agreement's obligations, adds one to the draft, prices
the excusal on a study and reads a ticket's clocks explained; once offered, the customer's admin
records "information sent" in the portal; another customer's user gets 404 on both pages.
Screenshots go to test-artifacts/ (and /tmp/shots-obligations when it exists)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from slaforge.bootstrap import system_clock
from slaforge.services.background.study import run_capability_study
from slaforge.services.platform import accounts
from tests.agreement_setup import offer
from tests.e2e.pages_support import ARTIFACTS, PASSWORD, Served, chromium, needs_chromium, served, sign_in  # noqa: F401
from tests.obligation_setup import build

pytestmark = needs_chromium
SHOTS = Path("/tmp/shots-obligations")


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"obligations-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / path.name)


def test_obligations_pages(served: Served, chromium: Any) -> None:  # noqa: F811
    c = served.container
    s = build(c.system_uow())
    run_capability_study(uow=c.system_uow(), clock=system_clock, calendar_name="Berlin office")
    for email, customer in (("a@acme.test", s.a_customer), ("b@globex.test", s.b_customer)):
        accounts.create_user(uow=c.system_uow(), actor=None, email=email, password=PASSWORD,
                             role="customer-admin", customer_id=customer)  # fmt: skip
    console = f"{served.url}/console/agreements/{s.a_agreement}/relationship/obligations"
    portal = f"{served.url}/portal/agreements/{s.a_agreement}/relationship/obligations"

    manager = sign_in(chromium, served.url, "manager@example.test")
    manager.goto(console)
    assert "Answer the provider's information request" in manager.inner_text("main")
    manager.fill("input[name=key]", "grant-access")
    manager.fill("input[name=name]", "Grant remote access")
    manager.fill("input[name=due_hours]", "4")
    manager.select_option("select[name=start_kind]", "status")
    manager.fill("input[name=start_value]", "Awaiting Access")
    manager.fill("input[name=stop_value]", "Awaiting Access")
    manager.click("button:text-is('Add')")
    manager.wait_for_load_state()
    shot(manager, "after-add")
    assert "Obligation added to the draft." in manager.inner_text("body")
    assert "Grant remote access" in manager.inner_text("main")
    manager.click("text=Price the excusal on the newest capability study")
    manager.wait_for_load_state()
    worth = manager.inner_text("#worth")
    assert "P1" in worth
    assert "all segments" in worth
    shot(manager, "console")
    manager.goto(f"{console}/explain?ticket=INC-1&at=2026-03-09T12:00%2B00:00")
    text = manager.inner_text("#explanation")
    assert (
        "paused 2026-03-02 18:00 → 2026-03-04 11:00 Europe/Berlin: obligation 'Answer the provider's "
        "information request' overdue; 10 h of business time excused"
    ) in text
    shot(manager, "explain")

    offer(c.system_uow(), s.a_version)
    customer = sign_in(chromium, served.url, "a@acme.test")
    customer.goto(portal)
    owed = customer.inner_text("#owed")
    assert "INC-2" in owed
    assert "overdue" in owed
    shot(customer, "portal-owed")
    customer.click("text=Information sent")
    customer.wait_for_load_state()
    assert "Recorded: information sent." in customer.inner_text("body")
    assert "Nothing owed right now." in customer.inner_text("main")
    shot(customer, "portal-done")
    assert customer.goto(console).status == 404

    stranger = sign_in(chromium, served.url, "b@globex.test")
    for url in (portal, console, f"{console}/explain?ticket=INC-1"):
        assert stranger.goto(url).status == 404, url
    shot(stranger, "stranger")
