"""In a real browser (Playwright driving Debian's Chromium): a manager creates a customer and a
calendar and sees its week view; that customer's viewer then sees its own organisation only.
Screenshots land in test-artifacts/ for people to look at.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from slaforge.domain.platform.accounts import Principal, Role
from slaforge.entrypoints.asgi import build_app
from slaforge.services.platform import accounts, catalog
from tests.e2e.pages_support import ARGS, ARTIFACTS, CHROMIUM, PASSWORD, needs_chromium
from tests.integration.api.live_server import LiveServer

pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def live(
    database_url: str, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[tuple[str, Container]]:
    container = bootstrap(Settings(database_url=database_url), engine=engine, session_factory=session_factory)
    accounts.create_user(
        uow=container.system_uow(),
        actor=None,
        email="manager@example.test",
        password=PASSWORD,
        role="manager",
    )
    with LiveServer(build_app(container)) as server:
        yield server.url, container


@pytest.fixture
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def _sign_in(page: object, url: str, email: str) -> None:
    page.goto(f"{url}/sign-in")  # type: ignore[attr-defined]
    page.fill("input[name=email]", email)  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit].primary")  # type: ignore[attr-defined]


def test_a_manager_sets_up_a_customer_and_its_viewer_sees_only_that(
    live: tuple[str, Container], browser: object
) -> None:
    url, container = live
    ARTIFACTS.mkdir(exist_ok=True)
    manager = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    page = manager.new_page()
    _sign_in(page, url, "manager@example.test")
    sync_api.expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    page.goto(f"{url}/console/customers")
    page.fill("input[name=name]", "Acme Logistics")
    page.click("text=Create customer")
    sync_api.expect(page.locator(".flash-success")).to_contain_text("Acme Logistics")
    sync_api.expect(page.get_by_role("link", name="Acme Logistics")).to_be_visible()

    page.goto(f"{url}/console/calendars")
    page.fill("input[name=name]", "Office hours")
    page.fill("input[name=timezone]", "Europe/Berlin")
    page.fill("input[name=sat]", "10:00-14:00")
    page.click("text=Create calendar")
    page.get_by_role("link", name="Office hours").click()
    week = page.locator("svg.week-view")
    sync_api.expect(week).to_be_visible()
    assert week.locator("rect.open").count() == 6  # Monday to Friday, and Saturday morning
    page.screenshot(path=str(ARTIFACTS / "manager-calendar-week-view.png"), full_page=True)
    manager.close()

    # The manager's customer gets a viewer; a second customer exists that the viewer must not see.
    acme = catalog.find_customer(uow=container.system_uow(), ref="acme-logistics")
    admin = Principal(user_id=0, email="setup@example.test", role=Role.ADMIN)
    catalog.create_customer(uow=container.system_uow(), actor=admin, name="Globex Retail")
    accounts.create_user(
        uow=container.system_uow(),
        actor=None,
        email="viewer@acme.test",
        password=PASSWORD,
        role="viewer",
        customer_id=acme.id,
    )

    viewer = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page = viewer.new_page()
    _sign_in(page, url, "viewer@acme.test")
    sync_api.expect(page.get_by_role("heading", name="Acme Logistics")).to_be_visible()
    assert "Globex" not in page.content()
    sync_api.expect(page.locator("#agreements")).to_contain_text("Your service level agreements")
    page.screenshot(path=str(ARTIFACTS / "viewer-portal.png"), full_page=True)
    response = page.goto(f"{url}/console/customers")
    assert response is not None
    assert response.status == 404
    assert "Globex" not in page.content()
    viewer.close()
