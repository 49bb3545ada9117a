"""Attack test (issue 10, item 3): parallel wrong passwords against the served sign-in form get
exactly the answers a sequence of the same tries gets. The failures are counted in the database
in one statement, so 25 guesses at once cannot all be checked against a count that has not risen
yet, and a successful sign-in resetting the count mid-burst is never a 500."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import SignInThrottle
from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from slaforge.entrypoints.asgi import build_app
from slaforge.services.platform import accounts
from tests.integration.api.conftest import PASSWORD
from tests.integration.api.live_server import LiveServer
from tests.parallel import at_once

EMAIL = "admin@example.test"
BURST = 25


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def container(
    database_url: str, engine: Engine, session_factory: sessionmaker[Session], clock: Clock
) -> Container:
    settings = Settings(database_url=database_url, environment="test", secret_key="t" * 40)
    built = bootstrap(settings, engine=engine, session_factory=session_factory, clock=clock)
    accounts.create_user(uow=built.system_uow(), actor=None, email=EMAIL, password=PASSWORD, role="admin")
    return built


@pytest.fixture
def browsers(container: Container) -> Iterator[list[tuple[httpx.Client, str]]]:
    """BURST browsers, each with its own session and the CSRF token of its sign-in form."""
    with LiveServer(build_app(container)) as live:
        clients = [httpx.Client(base_url=live.url, timeout=60) for _ in range(BURST)]
        try:
            yield [(c, re.findall(r'name="csrf_token" value="([^"]*)"', c.get("/sign-in").text)[-1]) for c in clients]
        finally:
            for c in clients:
                c.close()


def _burst(browsers: list[tuple[httpx.Client, str]], passwords: list[str]) -> Counter[int]:
    def attempt(i: int) -> int:
        client, token = browsers[i]
        form = {"email": EMAIL, "password": passwords[i], "csrf_token": token}
        return client.post("/sign-in", data=form).status_code

    return Counter(at_once(attempt, list(range(len(passwords)))))


def _failures(container: Container) -> int:
    with container.system_uow() as uow:
        return uow.session.scalar(select(SignInThrottle.failures).where(SignInThrottle.email == EMAIL)) or 0


def test_parallel_wrong_passwords_are_checked_only_as_often_as_in_sequence(
    container: Container, clock: Clock, browsers: list[tuple[httpx.Client, str]]
) -> None:
    wrong = ["wrong password"] * BURST
    # In sequence: three free tries, then each try must wait; the tenth failure locks.
    first = _burst(browsers, wrong)
    assert first == Counter({401: 3, 429: BURST - 3}), first
    assert _failures(container) == 3
    for round_ in range(7):  # each wait is at most 30 seconds: one more try is checked per burst
        clock.now += timedelta(seconds=31)
        later = _burst(browsers, wrong)
        assert later == Counter({401: 1, 429: BURST - 1}), (round_, later)
    assert _failures(container) == 10
    clock.now += timedelta(seconds=31)
    locked = _burst(browsers, wrong)
    assert locked == Counter({429: BURST}), locked
    clock.now += timedelta(minutes=5)
    client, token = browsers[0]
    right = client.post("/sign-in", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    assert right.status_code == 429
    assert "locked" in right.text
    assert client.get("/console", follow_redirects=False).status_code == 303  # not signed in
    assert _failures(container) == 10


def test_a_right_password_amid_parallel_wrong_ones_is_never_a_server_error(
    container: Container, browsers: list[tuple[httpx.Client, str]]
) -> None:
    # The right password resets the count (deletes the row) while the wrong ones count it up.
    passwords = [PASSWORD if i % 5 == 0 else "wrong password" for i in range(BURST)]
    answers = _burst(browsers, passwords)
    assert set(answers) <= {303, 401, 429}, answers
    assert answers[303] + answers[401] >= 3  # the free tries were checked, not refused
