"""Issue 9, "Pages": the API documentation works without the internet. Every request the page makes
to anywhere but the served app is aborted, as on a machine without internet, and Swagger UI and
ReDoc still list the API's operations (their assets come from an installed package)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.pages_support import Served, chromium, needs_chromium, served, shot

__all__ = ["chromium", "served"]
pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")


def _offline_page(browser: Any, url: str) -> tuple[Any, list[str]]:
    """A page whose requests leave 127.0.0.1 never; the blocked URLs are collected."""
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    blocked: list[str] = []

    def route(r: Any) -> None:
        if urlsplit(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort("internetdisconnected")

    page.route("**/*", route)
    return page, blocked


def test_swagger_ui_lists_the_operations_offline(served: Served, chromium: Any) -> None:
    page, blocked = _offline_page(chromium, served.url)
    page.goto(f"{served.url}/api/v1/docs")
    sync_api.expect(page.locator(".opblock-summary-path", has_text="/api/v1/agreements").first).to_be_visible(
        timeout=20_000
    )
    assert page.locator(".opblock").count() > 20
    scripts = page.eval_on_selector_all(
        "script[src], link[rel=stylesheet]", "els => els.map(e => e.src || e.href)"
    )
    assert scripts
    assert all(urlsplit(s).hostname == "127.0.0.1" for s in scripts), scripts
    assert blocked == []
    shot(page, "api-docs-swagger-offline", full_page=False)


def test_redoc_lists_the_operations_offline(served: Served, chromium: Any) -> None:
    page, blocked = _offline_page(chromium, served.url)
    page.goto(f"{served.url}/api/v1/redoc")
    sync_api.expect(page.get_by_text("/api/v1/agreements").first).to_be_attached(timeout=30_000)
    sync_api.expect(page.locator("h1", has_text="slaforge")).to_be_visible()
    assert page.locator("[data-section-id^='operation/']").count() > 20
    scripts = page.eval_on_selector_all("script[src]", "els => els.map(e => e.src)")
    assert scripts
    assert all(urlsplit(s).hostname == "127.0.0.1" for s in scripts), scripts
    # ReDoc's sidebar footer ("API docs by Redocly") fetches its logo from Redocly's site; offline
    # that one decorative image is missing and nothing else is.
    assert all(u.endswith("/logo-mini.svg") for u in blocked), blocked
    shot(page, "api-docs-redoc-offline", full_page=False)
