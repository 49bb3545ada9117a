"""In a real browser (Playwright driving Debian's Chromium): a manager uploads a bad ticket export
through the import page, sees the preview and the rejected rows (nothing written), imports a good
one with a built-in mapping, runs a capability study, reads its recommendations and charts, and
downloads the PDF. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from slaforge.domain.platform.accounts import Principal, Role
from slaforge.entrypoints.asgi import build_app
from slaforge.services.platform import accounts, catalog
from tests.e2e.platform.test_browser_roles import ARGS, ARTIFACTS, CHROMIUM, PASSWORD, _sign_in
from tests.integration.api.live_server import LiveServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium (/usr/bin/chromium) is not installed"
    ),
]
sync_api = pytest.importorskip("playwright.sync_api")
HEADER = "Issue key,Issue Type,Status,Priority,Created,Resolved,Custom field (Date of First Response)\n"
WEEKDAYS = {"timezone": "UTC", "hours": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}}


def _jira(at: datetime) -> str:
    return at.strftime("%d/%b/%y %I:%M %p")


def good_export(tickets: int = 240, seed: int = 3) -> bytes:
    """Jira Service Management rows over four months, opened in office hours."""
    rng = random.Random(seed)
    rows = [HEADER]
    day = datetime(2024, 1, 1, 8)
    for i in range(tickets):
        created = day + timedelta(days=rng.randrange(120), minutes=rng.randrange(9 * 60))
        while created.weekday() >= 5:
            created += timedelta(days=1)
        replied = created + timedelta(minutes=rng.randrange(5, 120))
        resolved = replied + timedelta(minutes=rng.randrange(30, 3000))
        prio = ("High", "Medium", "Low")[i % 3]
        rows.append(
            f"SUP-{i + 1},Incident,Resolved,{prio},{_jira(created)},{_jira(resolved)},{_jira(replied)}\n"
        )
    return "".join(rows).encode()


BAD = (
    HEADER
    + "SUP-1,Incident,Resolved,High,04/Mar/24 09:15 AM,,\nSUP-2,Incident,Resolved,Urgentish,yesterday,,\n"
).encode()


@pytest.fixture
def live(
    database_url: str, engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> Iterator[str]:
    settings = Settings(database_url=database_url, data_dir=tmp_path / "data")
    container: Container = bootstrap(settings, engine=engine, session_factory=session_factory)
    accounts.create_user(
        uow=container.system_uow(),
        actor=None,
        email="manager@example.test",
        password=PASSWORD,
        role="manager",
    )
    setup = Principal(user_id=0, email="setup@example.test", role=Role.ADMIN)
    catalog.create_calendar(uow=container.system_uow(), actor=setup, name="Office", definition=WEEKDAYS)
    with LiveServer(build_app(container)) as server:
        yield server.url


@pytest.fixture
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def _upload(page: object, url: str, name: str, content: bytes) -> None:
    page.goto(f"{url}/console/imports")  # type: ignore[attr-defined]
    page.select_option("select[name=mapping]", "jira-service-management")  # type: ignore[attr-defined]
    page.set_input_files("input[name=file]", {"name": name, "mimeType": "text/csv", "buffer": content})  # type: ignore[attr-defined]
    page.click("text=Preview")  # type: ignore[attr-defined]


def test_a_manager_imports_history_and_reads_a_capability_study(
    live: str, browser: object, tmp_path: Path
) -> None:
    url = live
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    _sign_in(page, url, "manager@example.test")
    page.get_by_role("link", name="Imports").click()
    sync_api.expect(page.get_by_role("heading", name="Import service history")).to_be_visible()

    # A bad file: the preview shows the rows as read and their problems; importing writes nothing.
    _upload(page, url, "bad-export.csv", BAD)
    sync_api.expect(page.get_by_role("heading", name="Preview of bad-export.csv")).to_be_visible()
    sync_api.expect(page.locator("tr.bad")).to_have_count(1)
    sync_api.expect(page.locator("#mapping pre")).to_contain_text("Issue key")
    page.screenshot(path=str(ARTIFACTS / "import-preview-bad-file.png"), full_page=True)
    page.click("#import button[type=submit]")
    sync_api.expect(page.get_by_role("heading", name="Nothing was imported")).to_be_visible()
    sync_api.expect(page.locator("#rejects")).to_contain_text("'yesterday' is not a date-time")
    sync_api.expect(page.locator("#rejects")).to_contain_text("Priority")
    page.screenshot(path=str(ARTIFACTS / "import-rejects.png"), full_page=True)
    page.goto(f"{url}/console/imports")
    sync_api.expect(page.locator("#history")).to_contain_text("Nothing imported yet.")

    # A good file imports, and the batch page says what was read.
    _upload(page, url, "jsm-export.csv", good_export())
    sync_api.expect(page.locator("tr.bad")).to_have_count(0)
    page.click("#import button[type=submit]")
    sync_api.expect(page.locator(".flash-success")).to_contain_text(
        "Imported jsm-export.csv: 240 tickets (240 new)"
    )
    sync_api.expect(page.locator("#rejects")).to_contain_text("None: every row was imported.")

    # A study over it: recommendations, the report's charts, and the PDF.
    page.get_by_role("link", name="Studies").click()
    page.select_option("select[name=calendar]", "Office")
    page.click("text=Run study")
    sync_api.expect(page.locator(".flash-success")).to_contain_text("of 240 tickets is ready")
    sync_api.expect(page.locator("#recommendations strong.target").first).to_be_visible()
    assert page.locator("#recommendations strong.target").count() >= 3
    assert page.locator("#charts svg").count() >= 5
    sync_api.expect(page.locator("#provenance")).to_contain_text("jsm-export.csv")
    # The mapping's own pause statuses are the rule in force, and the page says so.
    sync_api.expect(page.locator("#pause-rule")).to_contain_text(
        "pause statuses listed by the mapping (import #1): Pending, Waiting for customer"
    )
    sync_api.expect(page.locator("#definitions")).to_contain_text("How this was measured")
    sync_api.expect(page.locator("#definitions")).to_contain_text("each ticket counts by its longest wait")
    sync_api.expect(page.locator("#conversation")).to_contain_text("Next response and updates")
    page.locator("#conversation").screenshot(path=str(ARTIFACTS / "capability-study-conversation.png"))
    page.screenshot(path=str(ARTIFACTS / "capability-study-page.png"), full_page=True)
    page.locator("#definitions").screenshot(path=str(ARTIFACTS / "capability-study-definitions.png"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / "study.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    context.close()
