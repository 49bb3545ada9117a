"""Failures as a client sees them over HTTP: an expired token, an unexpected error (API and page),
and a sign-in slowed down after failed attempts."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from slaforge.bootstrap import Container
from slaforge.entrypoints.asgi import build_app
from slaforge.services.platform import accounts
from slaforge.services.platform import tokens as api_tokens
from tests.integration.api.conftest import PASSWORD
from tests.integration.api.live_server import LiveServer

INTERNALS = "the database password is hunter2"  # what an unexpected error must never show


def test_an_expired_token_is_refused_on_use(container: Container, anonymous: httpx.Client) -> None:
    accounts.create_user(
        uow=container.system_uow(), actor=None, email="late@example.test", password=PASSWORD, role="admin"
    )
    two_days_ago = datetime.now(UTC) - timedelta(days=2)
    _, secret = api_tokens.create_token_for_email(
        uow=container.system_uow(), email="late@example.test", name="old", days=1, now=two_days_ago
    )
    response = anonymous.get("/api/v1/users/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "late@example.test" not in response.text


@pytest.fixture
def failing(container: Container) -> Iterator[httpx.Client]:
    """The real app plus two routes that exist only here and fail unexpectedly, one in the API and
    one among the pages."""
    app = build_app(container)

    def boom() -> None:
        raise RuntimeError(INTERNALS)

    app.add_api_route("/api/v1/test-only/boom", boom)
    app.add_api_route("/test-only/boom", boom, include_in_schema=False)
    with LiveServer(app) as live, httpx.Client(base_url=live.url, timeout=30) as client:
        yield client


def test_an_unexpected_api_error_is_a_plain_problem_500(failing: httpx.Client) -> None:
    response = failing.get("/api/v1/test-only/boom")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert (body["status"], body["title"]) == (500, "Internal Server Error")
    assert body["instance"] == "/api/v1/test-only/boom"
    assert INTERNALS not in response.text
    assert "Traceback" not in response.text


def test_an_unexpected_page_error_is_the_html_error_page(failing: httpx.Client) -> None:
    response = failing.get("/test-only/boom")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text.lower()
    assert "Internal Server Error" in response.text
    assert INTERNALS not in response.text
    assert "Traceback" not in response.text


def _csrf(page: httpx.Response) -> str:
    return str(re.findall(r'name="csrf_token" value="([^"]*)"', page.text)[-1])


def test_repeated_failed_sign_ins_answer_429_with_retry_after(admin: httpx.Client, container: Container) -> None:
    # The clock stands still: on a busy machine the one-second wait could run out between tries.
    frozen = datetime.now(UTC)
    app = build_app(dataclasses.replace(container, clock=lambda: frozen))
    with LiveServer(app) as live, httpx.Client(base_url=live.url, timeout=30) as browser:
        token = _csrf(browser.get("/sign-in"))

        def attempt(password: str) -> httpx.Response:
            form = {"email": "admin@example.test", "password": password, "csrf_token": token}
            return browser.post("/sign-in", data=form)

        assert [attempt("wrong password").status_code for _ in range(3)] == [401, 401, 401]
        slowed = attempt(PASSWORD)  # even the right password waits now
        assert slowed.status_code == 429
        assert 1 <= int(slowed.headers["Retry-After"]) <= 3600
        assert "too many failed sign-ins" in slowed.text
        assert browser.get("/console", follow_redirects=False).status_code == 303  # not signed in
