"""Every page names the site's icon, served from the app itself (no CDN, no 404 in the browser's
console for /favicon.ico)."""

from __future__ import annotations

import re

import httpx


def test_pages_name_an_icon_the_app_serves(anonymous: httpx.Client) -> None:
    page = anonymous.get("/sign-in")
    assert page.status_code == 200
    found = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)">', page.text)
    assert found, page.text[:500]
    icon = anonymous.get(found.group(1))
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")
