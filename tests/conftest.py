"""Shared fixtures: a fresh, migrated database per test (SQLite by default, or `--database URL`).

With a PostgreSQL URL each test gets its own database `slaforge_test_<random>`, created through
the server's `postgres` maintenance database and dropped afterwards, so tests never see each
other's rows and a crashed run leaves nothing behind that the next run trips over.
Unit tests ask for none of these fixtures and so never touch a database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.engine import make_engine, make_session_factory
from slaforge.adapters.db.migrate import upgrade
from slaforge.services.unit_of_work import UnitOfWork

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = (REPO_ROOT / ".." / "shared" / "data").resolve()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        action="store",
        default=os.environ.get("SLAFORGE_TEST_DATABASE_URL"),
        metavar="URL",
        help="database server for integration tests (a postgresql+psycopg:// URL); "
        "default: a fresh SQLite file per test",
    )


def _server_url(config: pytest.Config) -> str | None:
    value = config.getoption("--database")
    return str(value) if value else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    server = _server_url(config)
    on_postgres = bool(server) and make_url(str(server)).get_backend_name() == "postgresql"
    for item in items:
        if on_postgres and item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason="SQLite-only test; run without --database"))
        if not on_postgres and item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.skip(reason="needs --database postgresql+psycopg://…"))


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """The public service histories (../shared/data); tests needing a file skip when it is absent."""
    return SHARED_DATA


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, empty database (not migrated)."""
    server = _server_url(request.config)
    if not server or make_url(server).get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    name = f"slaforge_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(
        make_url(server).set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a fresh database migrated to head."""
    upgrade(database_url)
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def uow(session_factory: sessionmaker[Session]) -> UnitOfWork:
    return UnitOfWork(session_factory)
