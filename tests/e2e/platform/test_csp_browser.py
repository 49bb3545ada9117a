"""In a real browser (Playwright driving Debian's Chromium), the pages work under their
Content-Security-Policy: on the dashboard, a capability study and its report, an agreement, the
audit log, the imports and tokens pages and a customer's signing page, the browser reports no
policy violation and no console error; the site's script still runs (a confirmation is asked) and
the styles a page brings with its nonce still apply. A violation made on purpose is seen, so the
watch is not blind. Served from the demo's database (a small generated history). Screenshots land
in test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from slaforge.bootstrap import bootstrap, system_clock, units_on
from slaforge.config import Settings
from slaforge.entrypoints.asgi import build_app
from slaforge.services.demo.walk import DemoResult, run_demo
from slaforge.services.platform import accounts
from tests.e2e.platform.test_browser_roles import ARGS, ARTIFACTS, CHROMIUM, PASSWORD, _sign_in
from tests.integration.api.live_server import LiveServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.sqlite_only,  # the demo builds its own SQLite file
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium (/usr/bin/chromium) is not installed"
    ),
]
sync_api = pytest.importorskip("playwright.sync_api")

# Runs before any page script; the page's policy does not apply to it.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""


@dataclass(frozen=True)
class World:
    url: str
    demo: DemoResult


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    demo = run_demo(
        connect=units_on,
        clock=system_clock,
        data_dir=tmp_path,
        shared_data_dir=tmp_path,
        synthetic_incidents=200,
        seed=1,
    )
    settings = Settings(
        database_url=f"sqlite:///{demo.database_path}", data_dir=tmp_path, scheduler_interval=0
    )
    container = bootstrap(settings)
    accounts.create_user(
        uow=container.system_uow(), actor=None, email="admin@example.test", password=PASSWORD, role="admin"
    )
    with LiveServer(build_app(container)) as server:
        yield World(server.url, demo)
    container.engine.dispose()


@pytest.fixture
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A browser context whose pages record policy violations and console errors."""

    def __init__(self, browser: object) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        # A failed load is named by its response (the console message does not say which);
        # the browser's own guess at /favicon.ico is no page's doing.
        self.page.on(
            "response",
            lambda r: (
                self.console.append(f"failed load: {r.status} {r.url}")
                if r.status >= 400 and not r.url.endswith("/favicon.ico")
                else None
            ),
        )

    def _console(self, message: object) -> None:
        kind, text = message.type, message.text  # type: ignore[attr-defined]
        if kind in ("error", "warning") and not text.startswith("Failed to load resource"):
            self.console.append(f"{kind}: {text}")

    def visit(self, url: str, shot: str | None = None) -> list[str]:
        self.console.clear()
        response = self.page.goto(url)
        assert response is not None, url
        assert response.status == 200, url
        self.page.wait_for_load_state("load")
        if shot:
            self.page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
        return self.violations()

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("window.__csp")
        return found + self.console


def test_pages_work_under_their_content_security_policy(world: World, browser: object) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    demo, url = world.demo, world.url
    assert demo.study is not None
    assert demo.agreements is not None
    admin = Watched(browser)
    _sign_in(admin.page, url, "admin@example.test")
    sync_api.expect(admin.page.get_by_role("heading", name="Dashboard")).to_be_visible()
    study = f"{url}/console/studies/{demo.study.study_id}"
    pages = {
        f"{url}/console": None,
        study: "csp-study.png",
        f"{study}/report.html": None,
        f"{url}/console/agreements/versions/{demo.agreements.version_id}": "csp-agreement.png",
        f"{url}/console/agreements/versions/{demo.agreements.offered_version_id}": None,
        f"{url}/console/audit": "csp-audit.png",
        f"{url}/console/imports": None,
        f"{url}/console/calendars": None,
        f"{url}/tokens": None,
    }
    for address, shot in pages.items():
        assert admin.visit(address, shot) == [], address

    # The styles a page brings in its nonce'd <style> block apply (the study's legend swatches).
    admin.visit(study)
    for swatch in (admin.page.locator("svg.swatch").first, admin.page.locator(".chart svg.swatch").first):
        assert swatch.evaluate("e => getComputedStyle(e).display") == "inline-block"
        box = swatch.bounding_box()
        assert box is not None
        assert max(box["width"], box["height"]) < 20, box

    # The site's own script runs: a destructive form asks first (and is not sent when declined).
    admin.visit(f"{url}/tokens")
    asked: list[str] = []
    admin.page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    admin.page.click("text=Sign out everywhere")
    assert asked == ["Sign out of every browser signed in as you?"]
    assert admin.page.url == f"{url}/tokens"

    # The watch is not blind: an inline style attribute added to the page is refused and seen.
    admin.page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    admin.page.wait_for_timeout(200)
    assert any("style-src" in v for v in admin.violations())

    # A customer's signing page, with no one signed in.
    customer = Watched(browser)
    assert customer.visit(f"{url}{demo.agreements.link_path}", "csp-signing-page.png") == []
    code = customer.page.locator("#content-hash")
    assert code.evaluate("e => getComputedStyle(e).wordBreak") == "break-all"
    assert customer.visit(f"{url}/sign-in") == []
    admin.context.close()
    customer.context.close()
