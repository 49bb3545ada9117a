"""Attack tests: a web session cookie copied while signed in stops working when the session is ended
on the server — by signing out, signing out everywhere, a password change or a deactivation —
and ending one user's sessions leaves everyone else signed in."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import WebSession
from tests.integration.api.conftest import PASSWORD, ClientFor
from tests.integration.api.live_server import LiveServer
from tests.integration.api.platform.test_web_pages import _csrf, _sign_in

COOKIE = "slaforge_session"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def browsers(server: LiveServer) -> Iterator[list[httpx.Client]]:
    made: list[httpx.Client] = []
    yield made
    for client in made:
        client.close()


def _browser(server: LiveServer, made: list[httpx.Client], email: str) -> httpx.Client:
    client = httpx.Client(base_url=server.url, timeout=30)
    made.append(client)
    assert _sign_in(client, email).status_code == 303
    assert _signed_in(client.get("/", follow_redirects=False))
    return client


def _replay(server: LiveServer, cookie: str) -> httpx.Response:
    """A fresh client that holds nothing but a copied cookie (the attacker's)."""
    with httpx.Client(base_url=server.url, timeout=30, cookies={COOKIE: cookie}) as thief:
        return thief.get("/", follow_redirects=False)


def _signed_in(response: httpx.Response) -> bool:
    """A page answered, or the front door sent to the user's home: signed in; sent to the sign-in
    page: not (every role has a home, not every role the tokens page)."""
    if response.status_code == 200:
        return True
    assert response.status_code == 303, response.status_code
    return not response.headers["location"].startswith("/sign-in")


def _user_id(admin: httpx.Client, email: str) -> int:
    users = admin.get("/api/v1/users", params={"q": email}).json()["data"]
    return int(next(u["id"] for u in users if u["email"] == email))


def test_a_cookie_captured_before_sign_out_is_refused_after(
    server: LiveServer, admin: httpx.Client, browsers: list[httpx.Client]
) -> None:
    victim = _browser(server, browsers, "admin@example.test")
    stolen = victim.cookies[COOKIE]
    assert _signed_in(_replay(server, stolen)), "the copied cookie works while its session lasts"
    victim.post("/sign-out", data={"csrf_token": _csrf(victim.get("/tokens"))})
    assert not _signed_in(_replay(server, stolen))
    assert not _signed_in(victim.get("/tokens", follow_redirects=False))


def test_after_a_password_change_all_of_that_users_cookies_are_refused_and_others_are_not(
    server: LiveServer, admin: httpx.Client, client_for: ClientFor, browsers: list[httpx.Client]
) -> None:
    client_for("manager", email="m@example.test")
    client_for("manager", email="bystander@example.test")
    laptop = _browser(server, browsers, "m@example.test")
    phone = _browser(server, browsers, "m@example.test")
    bystander = _browser(server, browsers, "bystander@example.test")
    stolen = [laptop.cookies[COOKIE], phone.cookies[COOKIE]]
    changed = admin.patch(
        f"/api/v1/users/{_user_id(admin, 'm@example.test')}", json={"password": NEW_PASSWORD}
    )
    assert changed.status_code == 200
    for cookie in stolen:
        assert not _signed_in(_replay(server, cookie))
    assert _signed_in(bystander.get("/tokens", follow_redirects=False))
    # The new password signs in again; the old one no longer does.
    again = httpx.Client(base_url=server.url, timeout=30)
    browsers.append(again)
    assert _sign_in(again, "m@example.test", PASSWORD).status_code == 401
    assert _sign_in(again, "m@example.test", NEW_PASSWORD).status_code == 303


def test_after_deactivation_the_users_cookies_and_tokens_are_refused_even_once_reactivated(
    server: LiveServer, admin: httpx.Client, client_for: ClientFor, browsers: list[httpx.Client]
) -> None:
    acme = admin.post("/api/v1/customers", json={"name": "Acme"}).json()["id"]
    api = client_for("viewer", customer_id=acme, email="v@acme.test")
    bystander = _browser(server, browsers, "admin@example.test")
    stolen = _browser(server, browsers, "v@acme.test").cookies[COOKIE]
    user_id = _user_id(admin, "v@acme.test")
    assert admin.patch(f"/api/v1/users/{user_id}", json={"is_active": False}).status_code == 200
    assert not _signed_in(_replay(server, stolen))
    assert api.get("/api/v1/users/me").status_code == 401, "a deactivated user's API token is refused"
    # Reactivating the account does not bring the old sign-ins back: they ended at the deactivation.
    assert admin.patch(f"/api/v1/users/{user_id}", json={"is_active": True}).status_code == 200
    assert not _signed_in(_replay(server, stolen))
    assert api.get("/api/v1/users/me").status_code == 200
    assert _signed_in(bystander.get("/tokens", follow_redirects=False))


def test_sign_out_everywhere_ends_every_browser_of_that_user_only(
    server: LiveServer, admin: httpx.Client, client_for: ClientFor, browsers: list[httpx.Client]
) -> None:
    client_for("manager", email="m@example.test")
    laptop = _browser(server, browsers, "m@example.test")
    forgotten = _browser(server, browsers, "m@example.test").cookies[COOKIE]
    bystander = _browser(server, browsers, "admin@example.test")
    page = laptop.get("/tokens")
    assert 'action="/sign-out-everywhere"' in page.text
    done = laptop.post("/sign-out-everywhere", data={"csrf_token": _csrf(page)}, follow_redirects=True)
    assert "signed out everywhere (2 sign-ins ended)" in done.text
    assert not _signed_in(_replay(server, forgotten))
    assert not _signed_in(laptop.get("/tokens", follow_redirects=False))
    assert _signed_in(bystander.get("/tokens", follow_redirects=False))


def test_the_database_holds_only_the_hash_of_a_session_id(
    server: LiveServer,
    admin: httpx.Client,
    browsers: list[httpx.Client],
    session_factory: sessionmaker[Session],
) -> None:
    cookie = _browser(server, browsers, "admin@example.test").cookies[COOKIE]
    # Starlette's cookie: base64(JSON payload).timestamp.signature
    payload = json.loads(base64.b64decode(cookie.split(".")[0] + "=="))
    session_id = payload["sid"]
    assert "uid" not in payload
    with session_factory() as db:
        stored = list(db.scalars(select(WebSession)))
    assert [s.id_hash for s in stored] == [hashlib.sha256(session_id.encode()).hexdigest()]
    assert all(session_id not in (s.id_hash, str(s.id)) for s in stored)
    assert stored[0].expires_at > stored[0].created_at


def test_signing_in_again_in_one_browser_ends_the_sign_in_it_held(
    server: LiveServer, admin: httpx.Client, client_for: ClientFor, browsers: list[httpx.Client]
) -> None:
    client_for("manager", email="m@example.test")
    shared = _browser(server, browsers, "admin@example.test")
    earlier = shared.cookies[COOKIE]
    token = _csrf(shared.get("/tokens"))
    again = shared.post("/sign-in", data={"email": "m@example.test", "password": PASSWORD, "csrf_token": token})
    assert again.status_code == 303
    assert not _signed_in(_replay(server, earlier))
    assert "m@example.test" in shared.get("/tokens").text
