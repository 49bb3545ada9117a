"""What the browser tests of issue 9's pages share: a served app with a manager, Chromium, signing
in, and a world with agreements in several states made through the real use cases.
Screenshots go to test-artifacts/ for people to look at."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import Ticket
from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from slaforge.entrypoints.asgi import build_app
from slaforge.services.agreement import core, decisions
from slaforge.services.platform import accounts
from tests import agreement_setup
from tests.integration.api.live_server import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "browser-test-password"
needs_chromium = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium (/usr/bin/chromium) is not installed"
    ),
]


@dataclass
class Served:
    url: str
    container: Container


@pytest.fixture
def served(database_url: str, engine: Engine, session_factory: sessionmaker[Session]) -> Iterator[Served]:
    container = bootstrap(Settings(database_url=database_url), engine=engine, session_factory=session_factory)
    for email, role in (("admin@example.test", "admin"), ("manager@example.test", "manager")):
        accounts.create_user(
            uow=container.system_uow(), actor=None, email=email, password=PASSWORD, role=role
        )
    with LiveServer(build_app(container)) as server:
        yield Served(server.url, container)


@pytest.fixture
def chromium() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def sign_in(browser: Any, url: str, email: str, *, width: int = 1200) -> Any:
    """A new page, signed in as `email`."""
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{url}/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    return page


def shot(page: Any, name: str, *, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def accept(uow: Any, version_id: int, content_hash: str) -> None:
    evidence = core.AcceptanceEvidence(
        method="signature",
        name="Jo Buyer",
        title="CTO",
        email="jo@acme.test",
        ip="203.0.113.9",
        user_agent="Firefox",
        accepted_hash=content_hash,
    )
    decisions.accept_version(
        uow=uow,
        version_id=version_id,
        evidence=evidence,
        actor="jo",
        now=agreement_setup.NOW + timedelta(hours=1),
    )


def add_tickets(container: Container, count: int, customer_id: int | None = None) -> None:
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    with container.session_factory() as session, session.begin():
        session.add_all(
            Ticket(
                source="browser-test",
                external_id=f"T{customer_id}-{n}",
                customer_id=customer_id,
                priority="P3",
                status="closed",
                created_at=start + timedelta(minutes=n),
                resolved_at=start + timedelta(minutes=n + 30),
            )
            for n in range(count)
        )


def viewer_of(container: Container, customer_id: int, email: str) -> None:
    accounts.create_user(
        uow=container.system_uow(),
        actor=None,
        email=email,
        password=PASSWORD,
        role="viewer",
        customer_id=customer_id,
    )


def shot_of(locator: Any, name: str) -> None:
    """A screenshot of one part of a page (a long page's full shot is hard to look at)."""
    ARTIFACTS.mkdir(exist_ok=True)
    locator.screenshot(path=str(ARTIFACTS / f"{name}.png"))
