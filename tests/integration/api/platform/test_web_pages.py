"""The web UI through a real HTTP client: sign-in, CSRF, flashes, role homes, tenancy on pages."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from slaforge.bootstrap import Container
from slaforge.domain.platform.accounts import NotAuthenticated, TooManyAttempts
from slaforge.services.platform import accounts
from tests.integration.api.conftest import PASSWORD, ClientFor
from tests.integration.api.live_server import LiveServer


@pytest.fixture
def browser(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def _csrf(page: httpx.Response) -> str:
    tokens = re.findall(r'name="csrf_token" value="([^"]*)"', page.text)
    assert tokens, "the page has no CSRF field"
    assert all(tokens), "a form on the page has an empty CSRF field"
    return str(tokens[-1])  # the page's own form comes after the sign-out form in the header


def _sign_in(browser: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    token = _csrf(browser.get("/sign-in"))
    return browser.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})


def test_signing_in_leads_each_role_home_with_a_flash(
    admin: httpx.Client, client_for: ClientFor, browser: httpx.Client
) -> None:
    assert browser.get("/console", follow_redirects=False).headers["location"] == "/sign-in?next=/console"
    landed = _sign_in(browser, "admin@example.test")
    assert landed.status_code == 303
    assert landed.headers["location"] == "/console"
    dashboard = browser.get("/console")
    assert "Signed in as admin@example.test" in dashboard.text
    assert "Dashboard" in dashboard.text
    signed_out = browser.post("/sign-out", data={"csrf_token": _csrf(dashboard)}, follow_redirects=True)
    assert "You are signed out" in signed_out.text
    assert browser.get("/console", follow_redirects=False).status_code == 303


def test_a_form_without_its_csrf_token_is_forbidden(admin: httpx.Client, browser: httpx.Client) -> None:
    assert (
        browser.post("/sign-in", data={"email": "admin@example.test", "password": PASSWORD}).status_code
        == 403
    )
    _sign_in(browser, "admin@example.test")
    forged = browser.post("/console/customers", data={"name": "Evil", "csrf_token": "forged"})
    assert forged.status_code == 403
    assert "Customer" not in admin.get("/api/v1/customers").text


def test_a_wrong_password_says_so_without_saying_which_part(
    admin: httpx.Client, browser: httpx.Client
) -> None:
    wrong = _sign_in(browser, "admin@example.test", "not the password")
    assert wrong.status_code == 401
    assert "wrong e-mail address or password" in wrong.text
    unknown = _sign_in(browser, "nobody@example.test", "not the password")
    assert "wrong e-mail address or password" in unknown.text


def test_the_console_creates_customers_and_calendars_with_a_week_view(
    admin: httpx.Client, browser: httpx.Client
) -> None:
    _sign_in(browser, "admin@example.test")
    page = browser.get("/console/customers")
    made = browser.post(
        "/console/customers", data={"name": "Acme", "csrf_token": _csrf(page)}, follow_redirects=True
    )
    assert "Customer &#39;Acme&#39; created." in made.text
    page = browser.get("/console/calendars")
    form = {
        "name": "Office",
        "timezone": "Europe/Berlin",
        "mon": "09:00-17:00",
        "sat": "22:00-02:00",
        "csrf_token": _csrf(page),
    }
    browser.post("/console/calendars", data=form)
    cal_id = admin.get("/api/v1/calendars").json()["data"][0]["id"]
    week = browser.get(f"/console/calendars/{cal_id}")
    assert 'class="week-view"' in week.text
    assert "Sat 22:00–24:00" in week.text
    assert "Sun 00:00–02:00" in week.text
    bad = browser.post(
        "/console/calendars",
        data={**form, "name": "Bad", "timezone": "Nowhere/City", "csrf_token": _csrf(week)},
        follow_redirects=True,
    )
    assert "unknown time zone" in bad.text


def test_a_customer_viewer_sees_only_its_own_organisation_on_pages(
    admin: httpx.Client, client_for: ClientFor, browser: httpx.Client
) -> None:
    a = admin.post("/api/v1/customers", json={"name": "Customer A"}).json()["id"]
    b = admin.post("/api/v1/customers", json={"name": "Customer B"}).json()["id"]
    client_for("viewer", customer_id=a, email="viewer@a.test")
    assert _sign_in(browser, "viewer@a.test").headers["location"] == "/portal"
    portal = browser.get("/portal")
    assert "Customer A" in portal.text
    assert "Customer B" not in portal.text
    assert "None of your agreements is live yet" in portal.text
    for path in (
        "/console",
        "/console/customers",
        f"/console/customers/{b}",
        f"/console/customers/{a}",
        "/console/users",
        "/console/calendars",
    ):
        response = browser.get(path)
        assert response.status_code == 404, path
        assert "Customer B" not in response.text
    # A viewer may not make API tokens: no menu entry, and no page behind the address.
    assert 'href="/tokens"' not in browser.get("/portal").text
    assert browser.get("/tokens").status_code == 404


def test_an_unknown_page_is_a_friendly_404(browser: httpx.Client) -> None:
    page = browser.get("/no/such/page")
    assert page.status_code == 404
    assert "Not found" in page.text
    assert page.headers["content-type"].startswith("text/html")


def test_failed_sign_ins_slow_down_then_lock_and_the_lock_is_logged(
    container: Container, admin: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def attempt(password: str) -> type[Exception] | None:
        try:
            accounts.sign_in(
                uow=container.system_uow(), email="admin@example.test", password=password, now=now
            )
        except (NotAuthenticated, TooManyAttempts) as exc:
            return type(exc)
        return None

    for _ in range(3):
        assert attempt("wrong password") is NotAuthenticated
    assert attempt(PASSWORD) is TooManyAttempts  # slowed down: even the right password waits
    with caplog.at_level(logging.WARNING, logger="slaforge.services.platform.accounts"):
        for _ in range(7):
            now += timedelta(seconds=31)
            assert attempt("wrong password") is NotAuthenticated
    assert "sign-in locked for admin@example.test" in caplog.text
    now += timedelta(minutes=10)
    assert attempt(PASSWORD) is TooManyAttempts
    now += timedelta(minutes=6)
    assert attempt(PASSWORD) is None
