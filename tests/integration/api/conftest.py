"""API fixtures: the app on the test database, served by a real uvicorn, and clients per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.engine import make_engine, make_session_factory
from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from slaforge.entrypoints.asgi import build_app
from slaforge.services.platform import accounts
from slaforge.services.platform import tokens as api_tokens
from tests.conftest import fresh_database
from tests.fakes import TEST_AUDIT_KEY
from tests.integration.api.live_server import LiveServer

PASSWORD = "correct horse battery"
ClientFor = Callable[..., httpx.Client]


@pytest.fixture
def container(database_url: str, engine: Engine, session_factory: sessionmaker[Session]) -> Container:
    settings = Settings(database_url=database_url, environment="test", secret_key="t" * 40)
    return bootstrap(settings, engine=engine, session_factory=session_factory)


@pytest.fixture
def server(container: Container) -> Iterator[LiveServer]:
    with LiveServer(build_app(container)) as live:
        yield live


@pytest.fixture
def client_for(container: Container, server: LiveServer) -> Iterator[ClientFor]:
    """`client_for("viewer", customer_id=3)`: a user of that role and an httpx client with its token."""
    clients: list[httpx.Client] = []
    made = 0

    def make(role: str, customer_id: int | None = None, email: str | None = None) -> httpx.Client:
        nonlocal made
        made += 1
        address = email or f"{role}{made}@example.test"
        accounts.create_user(
            uow=container.system_uow(),
            actor=None,
            email=address,
            password=PASSWORD,
            role=role,
            customer_id=customer_id,
        )
        _, secret = api_tokens.create_token_for_email(
            uow=container.system_uow(), email=address, name="tests", days=1, now=datetime.now(UTC)
        )
        client = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {secret}"}, timeout=30)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def admin(client_for: ClientFor) -> httpx.Client:
    return client_for("admin", email="admin@example.test")


@pytest.fixture(scope="module")
def module_admin(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """An admin's client on a server and database shared by one module's tests, for tests that only
    read a world seeded once (seeding it per test cost seconds each, on every database)."""
    template = request.getfixturevalue("_migrated_template")
    with fresh_database(request.config, tmp_path_factory.mktemp("module"), template) as url:
        engine = make_engine(url)
        settings = Settings(
            database_url=url, environment="test", secret_key="t" * 40,
            audit_key=TEST_AUDIT_KEY, audit_checkpoint_interval=0,
        )  # fmt: skip
        container = bootstrap(settings, engine=engine, session_factory=make_session_factory(engine))
        email = "admin@example.test"
        accounts.create_user(
            uow=container.system_uow(), actor=None, email=email, password=PASSWORD, role="admin", customer_id=None
        )
        _, secret = api_tokens.create_token_for_email(
            uow=container.system_uow(), email=email, name="tests", days=1, now=datetime.now(UTC)
        )
        try:
            with LiveServer(build_app(container)) as live, httpx.Client(
                base_url=live.url, headers={"Authorization": f"Bearer {secret}"}, timeout=30
            ) as client:
                yield client
        finally:
            engine.dispose()


@pytest.fixture
def anonymous(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client
