"""In a real browser (Playwright driving Debian's Chromium): a manager invites a customer contact,
the contact opens the invitation link and fills in the questionnaire, and the manager reads the
gap analysis. Screenshots land in test-artifacts/ for people to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from slaforge.entrypoints.asgi import build_app
from slaforge.services.platform import accounts
from tests.integration.api.live_server import LiveServer
from tests.integration.background.test_expectations import fill

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
PASSWORD = "browser-test-password"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium (/usr/bin/chromium) is not installed"
    ),
]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def live(
    database_url: str, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[tuple[str, int]]:
    container: Container = bootstrap(
        Settings(database_url=database_url), engine=engine, session_factory=session_factory
    )
    uow = container.system_uow()
    with uow:
        acme = int(fill(uow.session)["acme"])
    accounts.create_user(uow=container.system_uow(), actor=None, email="manager@example.test", password=PASSWORD,
                         role="manager")  # fmt: skip
    with LiveServer(build_app(container)) as server:
        yield server.url, acme


@pytest.fixture
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def test_a_customer_answers_the_questionnaire_and_the_manager_reads_the_gaps(
    live: tuple[str, int], browser: object
) -> None:
    url, acme = live
    ARTIFACTS.mkdir(exist_ok=True)
    manager = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = manager.new_page()
    page.goto(f"{url}/sign-in")
    page.fill("input[name=email]", "manager@example.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.goto(f"{url}/console/customers/{acme}/expectations")
    sync_api.expect(page.get_by_role("heading", name="Expectations of Acme")).to_be_visible()
    page.fill("#invite input[name=email]", "boss@acme.test")
    page.click("text=Create invitation link")
    link = page.locator("#invite-link code").inner_text().strip()
    assert "/expectations/questionnaire/" in link

    customer = browser.new_context(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    form = customer.new_page()
    form.goto(link)
    sync_api.expect(form.get_by_role("heading", name="Your service expectations")).to_be_visible()
    form.get_by_label("First response P1 target").fill("30m")
    form.get_by_label("First response P1 importance").select_option("must-have")
    form.get_by_label("First response P1 comment").fill("our shop runs around the clock")
    form.get_by_label("Resolution P1 target").fill("4h")
    form.get_by_label("Availability target").fill("99.9")
    form.fill("input[name=name]", "Bo Boss")
    form.screenshot(path=str(ARTIFACTS / "customer-questionnaire.png"), full_page=True)
    form.click("text=Send our expectations")
    sync_api.expect(form.get_by_role("heading", name="Thank you")).to_be_visible()
    form.goto(link)  # the link works once
    sync_api.expect(form.get_by_role("heading", name="This link can no longer be used")).to_be_visible()
    customer.close()

    page.goto(f"{url}/console/customers/{acme}/expectations")
    gaps = page.locator("#gaps tr.gap")
    sync_api.expect(gaps).to_have_count(3)
    sync_api.expect(page.locator("#gaps tr.gap[data-metric=resolution] .verdict")).to_have_text("stretch")
    sync_api.expect(page.locator("#gaps tr.gap[data-metric=first_response] .verdict")).to_have_text(
        "comfortably achievable"
    )
    assert page.locator("#gaps svg circle.target-point").count() == 2
    sync_api.expect(page.locator("#expectations")).to_contain_text("Bo Boss <boss@acme.test>")
    page.screenshot(path=str(ARTIFACTS / "manager-expectation-gaps.png"), full_page=True)
    manager.close()
