"""Strict tenancy across every web page: walking the app's routes (pages are left out of the OpenAPI
document), a viewer and a customer-admin of customer A, signed in through the sign-in form, get 404
for each page and form aimed at customer B's resources, and no answer holds B's data. A page whose
path parameter this test cannot fill fails it, so new pages join.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterator
from typing import Any, Literal

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from slaforge.bootstrap import Container
from slaforge.entrypoints.asgi import build_app
from tests.integration.api.conftest import PASSWORD, ClientFor
from tests.integration.api.live_server import LiveServer
from tests.integration.api.tenancy_world import build_world, leaked_markers

HERE = "tests/integration/api/platform/test_web_tenancy.py"
# Web routes that hold no customer's data, or that are reached without signing in at all:
EXEMPT_PREFIXES = (
    "/sign-in",  # the sign-in form and its post: no one is signed in yet
    "/sign-out",  # ends the session; shows nothing
    "/static",  # stylesheets and scripts, the same for everyone
    # Public pages opened by a signed, single-use token sent to a customer contact, not by a session:
    # whoever holds the token is the audience, and their own tests cover forged, used and expired
    # tokens (tests/integration/agreement/test_acceptance_web.py, test_api_expectations_web.py).
    "/agree/",
    "/expectations/questionnaire/",
    # Prometheus' scrape: opened by the metrics token (SLAFORGE_METRICS_TOKEN), never by a session;
    # a signed-in user gets 404 (off) or 401, as tests/integration/api/live/test_metrics_endpoint.py shows.
    "/metrics",
    # The API's own documentation pages: the OpenAPI document holds routes, not rows.
    "/api/v1/openapi.json",
    "/api/v1/docs",  # Swagger UI, its assets (/api/v1/docs-assets) and its OAuth2 redirect
    "/api/v1/redoc",
    "/docs/oauth2-redirect",
)
# A path parameter named differently in pages than in the world's ids.
PARAM_ALIASES = {"key": "template_key"}
# Pages without a path parameter that customer users have: their own home, agreements and tokens.
CUSTOMER_PAGES = {"/", "/portal", "/portal/agreements", "/tokens", "/calendar-feed"}  # the feed: its own
# Form fields a customer page's form needs besides the CSRF token.
FORMS = {
    ("POST", "/tokens"): {"name": "mine"},
    # A topic that would be raised on B's meeting, were B's agreement A's to see.
    (
        "POST",
        "/portal/agreements/{agreement_id}/relationship/meetings/{series_key}/{original_start}/topics",
    ): {"text": "hacked"},
}

Route = tuple[str, str, Callable[..., Any]]


def web_routes(app: FastAPI) -> list[Route]:
    """(method, path, endpoint) for every route left out of the OpenAPI document."""
    routes = []
    for route in iter_route_contexts(app.routes):
        if getattr(route, "include_in_schema", True) or not hasattr(route, "endpoint"):
            continue
        for method in sorted(set(route.methods or ()) - {"HEAD"}):
            routes.append((method, route.path, route.endpoint))
    return routes


def _literal_choices(endpoint: Callable[..., Any], name: str) -> list[str] | None:
    """Every value of a path parameter typed as a Literal (an agreement step, a document format)."""
    hint = typing.get_type_hints(endpoint, include_extras=True).get(name)
    while typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    return [str(v) for v in typing.get_args(hint)] if typing.get_origin(hint) is Literal else None


def fill(path: str, endpoint: Callable[..., Any], b: dict[str, Any]) -> list[str]:
    """The path aimed at B: each parameter from B's ids, a Literal one with each of its values."""
    urls = [path]
    for name in re.findall(r"{(\w+)}", path):
        choices = _literal_choices(endpoint, name)
        if choices is None:
            key = PARAM_ALIASES.get(name, name)
            assert key in b, (
                f"{path}: the web tenancy test has no id of B's for '{name}'. Add it to build_world() in "
                f"tests/integration/api/tenancy_world.py, or map the name in PARAM_ALIASES in {HERE}"
            )
            choices = [str(b[key])]
        urls = [url.replace(f"{{{name}}}", choice) for url in urls for choice in choices]
    return urls


def _csrf(page: httpx.Response) -> str:
    tokens = re.findall(r'name="csrf_token" value="([^"]*)"', page.text)
    assert tokens, f"no CSRF field on {page.request.url}"
    return str(tokens[-1])


@pytest.fixture
def browser_for(server: LiveServer) -> Iterator[Callable[[str], httpx.Client]]:
    browsers: list[httpx.Client] = []

    def sign_in(email: str) -> httpx.Client:
        browser = httpx.Client(base_url=server.url, timeout=30)
        browsers.append(browser)
        token = _csrf(browser.get("/sign-in"))
        landed = browser.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token})
        assert landed.status_code == 303, landed.text
        return browser

    yield sign_in
    for browser in browsers:
        browser.close()


def _check(browser: httpx.Client, role: str, method: str, url: str, path: str, csrf: str) -> str | None:
    if method == "GET":
        response = browser.get(url)
    else:
        response = browser.post(url, data={"csrf_token": csrf, **FORMS.get((method, path), {})})
    if leaked_markers(response.text):
        return f"{role}: {method} {url} shows B's data {leaked_markers(response.text)}"
    if "{" in path or path.startswith("/console"):
        expected = {404}  # B's resource, or the console, which does not exist for customer users
    elif role == "viewer" and path.startswith("/tokens"):
        expected = {404}  # a viewer may not make API tokens, so the tokens pages are not there for it
    elif path in CUSTOMER_PAGES:
        expected = {200, 303}  # its own page (or a redirect to it); the markers check is what counts
    else:
        return (
            f"{role}: {method} {path} is a page the web tenancy test does not know: add it to "
            f"CUSTOMER_PAGES or EXEMPT_PREFIXES in {HERE}, with a comment why"
        )
    if response.status_code not in expected:
        return f"{role}: {method} {url} -> {response.status_code}, expected {sorted(expected)}"
    return None


@pytest.mark.parametrize("role", ["viewer", "customer-admin"])
def test_every_page_hides_customer_b_from_a_user_of_customer_a(
    admin: httpx.Client,
    client_for: ClientFor,
    container: Container,
    browser_for: Callable[[str], httpx.Client],
    role: str,
) -> None:
    world = build_world(admin, client_for)
    a, b = world["A"], world["B"]
    client_for(role, customer_id=a["customer_id"], email=f"web-{role}@a.test").close()
    browser = browser_for(f"web-{role}@a.test")
    own = browser.get("/portal/agreements")
    assert "SLA A" in own.text, "signed in, the user of A sees its own agreement"
    assert browser.get(f"/portal/agreements/versions/{a['version_id']}").status_code == 200
    csrf = _csrf(own)
    routes = web_routes(build_app(container))
    checked, failures = 0, []
    for method, path, endpoint in routes:
        if path.startswith(EXEMPT_PREFIXES):
            continue
        for url in fill(path, endpoint, b):
            failure = _check(browser, role, method, url, path, csrf)
            if failure:
                failures.append(failure)
            checked += 1
    assert not failures, "\n".join(failures)
    assert checked >= 50
    assert admin.get(f"/api/v1/customers/{b['customer_id']}").json()["name"] == "Customer B"
    version = admin.get(f"/api/v1/agreement-versions/{b['version_id']}").json()
    assert (version["state"], version["review_reason"]) == ("offered", None)
    assert admin.get(f"/api/v1/tokens/{b['token_id']}").json()["revoked_at"] is None
    assert admin.get(f"/api/v1/users/{b['user_id']}").json()["is_active"] is True


def test_the_walk_finds_pages_and_fills_literal_parameters(container: Container) -> None:
    routes = {(method, path): endpoint for method, path, endpoint in web_routes(build_app(container))}
    assert ("GET", "/portal/agreements") in routes
    assert ("POST", "/console/customers") in routes
    assert not any(path.startswith("/api/v1/customers") for _, path in routes)
    step = routes[("POST", "/console/agreements/versions/{version_id}/{step}")]
    urls = fill("/console/agreements/versions/{version_id}/{step}", step, {"version_id": 7})
    assert "/console/agreements/versions/7/offer" in urls
    assert len(urls) > 3
    with pytest.raises(AssertionError, match="PARAM_ALIASES"):
        fill("/console/widgets/{widget_id}", step, {})
