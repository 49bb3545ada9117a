"""Security headers on the served app: a Content-Security-Policy on every response (a fresh nonce
for a page's own <style> blocks, no inline script), no framing, no sniffing, a same-origin referrer,
and HSTS only when the public URL is https."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from slaforge.bootstrap import bootstrap
from slaforge.config import Settings
from slaforge.entrypoints.api.headers import script_hashes
from slaforge.entrypoints.asgi import build_app
from tests.integration.api.live_server import LiveServer
from tests.integration.api.platform.test_web_pages import _sign_in


def _directives(response: httpx.Response) -> dict[str, list[str]]:
    policy = response.headers["content-security-policy"]
    parts = [p.split() for p in policy.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def _common(response: httpx.Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in response.headers, "plain http: no HSTS"
    assert _directives(response)["frame-ancestors"] == ["'none'"]


def test_pages_allow_scripts_from_the_site_only_and_their_own_styles_by_a_fresh_nonce(
    admin: httpx.Client, anonymous: httpx.Client
) -> None:
    _sign_in(anonymous, "admin@example.test")
    nonces = []
    for path in ("/console/imports", "/console/imports"):
        page = anonymous.get(path)
        assert page.status_code == 200
        _common(page)
        csp = _directives(page)
        assert csp["default-src"] == ["'self'"]
        assert csp["script-src"] == ["'self'"], "no inline script, no eval"
        assert csp["object-src"] == ["'none'"]
        assert csp["base-uri"] == ["'none'"]
        [nonce] = [s for s in csp["style-src"] if s.startswith("'nonce-")]
        assert csp["style-src"] == ["'self'", nonce]
        styles = re.findall(r"<style([^>]*)>", page.text)
        assert styles
        assert all(f'nonce="{nonce[7:-1]}"' in attrs for attrs in styles)
        assert " style=" not in page.text
        nonces.append(nonce)
    assert nonces[0] != nonces[1], "a nonce is made for each response"
    signin = httpx.get(f"{anonymous.base_url}/sign-in")
    _common(signin)
    missing = anonymous.get("/no/such/page")
    assert missing.status_code == 404
    _common(missing)
    assert _directives(missing)["script-src"] == ["'self'"]


def test_api_json_static_files_and_refusals_get_nosniff_and_may_load_nothing(
    admin: httpx.Client, anonymous: httpx.Client
) -> None:
    for response in (
        admin.get("/api/v1/users/me"),
        anonymous.get("/api/v1/users/me"),  # 401 problem+json
        anonymous.get("/static/app.js"),
        anonymous.get("/api/v1/openapi.json"),
        anonymous.get("/healthz"),
    ):
        _common(response)
        assert _directives(response)["default-src"] == ["'none'"], response.url


def test_the_api_docs_page_allows_exactly_its_own_inline_script_by_hash(anonymous: httpx.Client) -> None:
    docs = anonymous.get("/api/v1/docs")
    assert docs.status_code == 200
    _common(docs)
    inline = script_hashes(docs.text)
    scripts = _directives(docs)["script-src"]
    assert scripts == ["'self'", *inline]
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    assert len(inline) == len(re.findall(r"<script>", docs.text))


def test_hsts_only_when_the_public_url_is_https(
    database_url: str, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    settings = Settings(
        database_url=database_url,
        environment="test",
        secret_key="t" * 40,
        public_url="https://sla.example.test",
        scheduler_interval=0,
    )
    container = bootstrap(settings, engine=engine, session_factory=session_factory)
    with LiveServer(build_app(container)) as live:
        for path in ("/sign-in", "/api/v1/users/me"):
            response = httpx.get(f"{live.url}{path}")
            assert response.headers["strict-transport-security"] == "max-age=31536000"
