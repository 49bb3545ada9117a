"""In a real browser (Playwright driving Debian's Chromium): a manager sends a version for signature
from the console, the offer e-mail reaches a real SMTP server, the customer opens the link from it, reads the hash and the
summary, signs and accepts. The link then refuses a second use, and an expired link says so.
A second customer proposes changes with JavaScript switched off. Screenshots: test-artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.platform.notifiers import ByChannel
from slaforge.adapters.platform.notifiers.smtp import SmtpConfig, SmtpNotifier
from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from slaforge.entrypoints.asgi import build_app
from slaforge.services.agreement import link_offers as acceptance
from slaforge.services.agreement import reading
from slaforge.services.platform import accounts, audit, notifications
from tests.agreement_setup import MANAGER, NOW, draft
from tests.integration.api.live_server import LiveServer
from tests.notify_receivers import smtp_server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium (/usr/bin/chromium) is not installed"
    ),
]
sync_api = pytest.importorskip("playwright.sync_api")
CLOCK = {"now": NOW}
PASSWORD = "browser-test-password"


@pytest.fixture
def live(
    database_url: str, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[tuple[str, Container]]:
    CLOCK["now"] = NOW + timedelta(hours=1)
    container = bootstrap(
        Settings(database_url=database_url),
        engine=engine,
        session_factory=session_factory,
        clock=lambda: CLOCK["now"],
    )
    with LiveServer(build_app(container)) as server:
        yield server.url, container


@pytest.fixture
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def _offer_by_mail(
    container: Container, url: str, customer: str, email: str, *, days: int = 14
) -> tuple[int, str, str]:
    """Offer through the service layer and deliver the e-mail; returns (version id, hash, link from the mail)."""
    d = draft(container.system_uow(), customer)
    sent = acceptance.offer_and_send(
        uow=container.system_uow(),
        version_id=d.version_id,
        recipients=[email],
        actor=MANAGER.email,
        now=NOW,
        expires_at=NOW + timedelta(days=days),
        base_url=url,
    )
    with smtp_server() as sink:
        notifier = ByChannel(email=SmtpNotifier(SmtpConfig(host=sink.host, port=sink.port)))
        notifications.deliver_due(uow=container.system_uow(), notifier=notifier, now=NOW)
    [mail] = [m for m in sink.messages if m["To"] == email]
    link = re.search(r"(http://\S+/agree/\S+)", mail.get_payload(decode=True).decode())
    assert link
    return d.version_id, str(sent.version.content_hash), link.group(1)


def _manager_sends(browser: object, url: str, container: Container, version_id: int, email: str) -> str:
    """The manager signs in, sends the version for signature, and the e-mail is delivered: its link."""
    accounts.create_user(
        uow=container.system_uow(),
        actor=None,
        email="manager@provider.test",
        password=PASSWORD,
        role="manager",
    )
    page = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()  # type: ignore[attr-defined]
    page.goto(f"{url}/sign-in")
    page.fill("input[name=email]", "manager@provider.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.goto(f"{url}/console/signature-links/{version_id}")
    page.fill("textarea[name=recipients]", email)
    page.fill("input[name=days]", "14")
    page.click("button[type=submit].primary")
    page.screenshot(path=str(ARTIFACTS / "acceptance-0-manager-sent.png"), full_page=True)
    assert page.locator("#links a.signature-link").count() == 1, page.locator("main").inner_text()
    page.context.close()
    with smtp_server() as sink:
        notifier = ByChannel(email=SmtpNotifier(SmtpConfig(host=sink.host, port=sink.port)))
        notifications.deliver_due(uow=container.system_uow(), notifier=notifier, now=CLOCK["now"])
    [mail] = [m for m in sink.messages if m["To"] == email]
    link = re.search(r"(http://\S+/agree/\S+)", mail.get_payload(decode=True).decode())
    assert link
    return link.group(1)


def test_a_customer_accepts_in_the_browser_through_the_emailed_link(live, browser):
    url, container = live
    ARTIFACTS.mkdir(exist_ok=True)
    d = draft(container.system_uow(), "Acme Ltd")
    link = _manager_sends(browser, url, container, d.version_id, "jane@acme.test")
    version_id = d.version_id
    content_hash = reading.get_version(uow=container.system_uow(), version_id=version_id).content_hash
    page = browser.new_context(viewport={"width": 1100, "height": 1400}).new_page()  # type: ignore[attr-defined]
    page.goto(link)
    assert page.locator("#content-hash").inner_text() == content_hash
    assert "gets a first answer within 30 business minutes" in page.locator("#summary").inner_text()
    assert page.locator("#document").inner_text().strip()
    page.screenshot(path=str(ARTIFACTS / "acceptance-1-offer.png"), full_page=True)

    page.fill("#accept input[name=name]", "Jane Buyer")
    page.fill("#accept input[name=title]", "Head of IT")
    page.check("#accept input[name=consent]")
    page.click("#accept button[type=submit]")
    page.wait_for_url(re.compile(r".*/done$"))
    assert "You accepted" in page.locator("#done").inner_text()
    page.screenshot(path=str(ARTIFACTS / "acceptance-2-accepted.png"), full_page=True)

    view = reading.get_version(uow=container.system_uow(), version_id=version_id)
    assert view.state == "accepted"
    [evidence] = view.acceptances
    assert (evidence.method, evidence.name, evidence.title, evidence.email) == (
        "signature",
        "Jane Buyer",
        "Head of IT",
        "jane@acme.test",
    )
    assert evidence.ip == "127.0.0.1"
    assert "Chrome" in evidence.user_agent
    assert evidence.accepted_hash == content_hash
    actions = [
        (e.action, e.actor)
        for e in audit.entries_for(
            uow=container.system_uow(), subject_type="agreement", subject_id=view.agreement_id
        )
    ]
    assert ("agreement.accepted", "customer:jane@acme.test") in actions
    assert audit.verify(uow=container.system_uow()).ok

    response = page.goto(link)
    assert response is not None
    assert response.status == 410
    assert "already used" in page.locator("#closed").inner_text()
    page.screenshot(path=str(ARTIFACTS / "acceptance-3-link-used.png"), full_page=True)


def test_an_expired_link_says_so_in_the_browser(live, browser):
    url, container = live
    ARTIFACTS.mkdir(exist_ok=True)
    _, _, link = _offer_by_mail(container, url, "Late Ltd", "late@late.test", days=1)
    CLOCK["now"] = NOW + timedelta(days=2)
    page = browser.new_page()  # type: ignore[attr-defined]
    response = page.goto(link)
    assert response is not None
    assert response.status == 410
    assert "expired" in page.locator("#closed").inner_text()
    page.screenshot(path=str(ARTIFACTS / "acceptance-4-link-expired.png"), full_page=True)


def test_a_customer_proposes_changes_with_javascript_switched_off(live, browser):
    url, container = live
    ARTIFACTS.mkdir(exist_ok=True)
    version_id, _, link = _offer_by_mail(container, url, "Plain Co", "ops@plain.test")
    page = browser.new_context(java_script_enabled=False).new_page()  # type: ignore[attr-defined]
    page.goto(link)
    page.fill("#counter input[name=target_0]", "15")
    page.select_option("#counter select[name=target_unit_0]", "minutes")
    page.fill("#counter textarea[name=comment]", "We need a faster first answer")
    page.click("#counter button[type=submit]")
    page.wait_for_url(re.compile(r".*/done$"))
    assert "proposal" in page.locator("#done").inner_text()
    page.screenshot(path=str(ARTIFACTS / "acceptance-5-counter-offer.png"), full_page=True)
    assert reading.get_version(uow=container.system_uow(), version_id=version_id).state == "countered"


def test_the_demo_prints_a_signature_link_that_accepts_in_the_browser(tmp_path, browser):
    """`slaforge demo` accepts one agreement by a signed Stripe event and prints a link for the other."""
    import os
    import subprocess
    import sys
    import time

    import httpx

    env = {**os.environ, "SLAFORGE_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "slaforge", "demo", "--synthetic", "--incidents", "300", "--port", "0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, "the demo ended early:\n" + "".join(lines)
            lines.append(line)
            if line.startswith("press Ctrl-C"):
                break
        text = "".join(lines)
        assert "accepted version 1 by payment" in text
        assert "chain intact" in text
        link = re.search(r"^sign it\s+(http://\S+/agree/\S+)", text, re.M)
        assert link, text
        base = link.group(1).split("/agree/")[0]
        for _ in range(100):
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(link.group(1))
        page.fill("#accept input[name=name]", "Demo Buyer")
        page.fill("#accept input[name=title]", "Purchasing")
        page.check("#accept input[name=consent]")
        page.click("#accept button[type=submit]")
        page.wait_for_url(re.compile(r".*/done$"))
        assert "You accepted" in page.locator("#done").inner_text()
        page.screenshot(path=str(ARTIFACTS / "acceptance-6-demo-link.png"), full_page=True)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()
