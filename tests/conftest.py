"""Shared fixtures: a fresh, migrated database per test (SQLite by default, or `--database URL`).

With a PostgreSQL URL each test gets its own database `slaforge_test_<random>`, created through
the server's `postgres` maintenance database and dropped afterwards, so tests never see each
other's rows and a crashed run leaves nothing behind that the next run trips over.
Unit tests ask for none of these fixtures and so never touch a database.
"""

from __future__ import annotations

import os
import queue
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import argon2
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.engine import make_engine, make_session_factory
from slaforge.adapters.db.migrate import upgrade
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.config import get_settings
from slaforge.services.platform import accounts
from slaforge.services.unit_of_work import UnitOfWork
from tests.fakes import TEST_AUDIT_KEY, TEST_AUDIT_KEYS

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = (REPO_ROOT / ".." / "shared" / "data").resolve()


def pytest_configure(config: pytest.Config) -> None:
    # Passwords hashed in this process (fixtures, the served app) cost argon2's CHEAPEST profile:
    # the suite hashes thousands and the real cost is a CPU-bound sixth of a second each. Commands
    # the tests run as processes, and the demo, keep the real cost.
    accounts.set_hashing_parameters(argon2.profiles.CHEAPEST)


@pytest.fixture(autouse=True)
def _audit_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test seals with TEST_AUDIT_KEY (settings read from the environment see it, the `uow`
    fixture is given it), so no test writes a key file into the working directory and a command
    run in a test verifies what the test wrote. The scheduler writes no audit checkpoints unless a
    test asks (it would append them to the default data dir, ./var)."""
    monkeypatch.setenv("SLAFORGE_AUDIT_KEY", TEST_AUDIT_KEY)
    monkeypatch.setenv("SLAFORGE_AUDIT_CHECKPOINT_INTERVAL", "0")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


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


@pytest.fixture(scope="session")
def _migrated_template(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One database migrated to head per test run; each test that wants a migrated database gets a
    copy of it, which is much cheaper than running every migration again (a PostgreSQL template
    database, or an SQLite file copied with the backup API). The migrations themselves are still
    tested from empty in tests/integration/platform/test_migrations.py."""
    server = _server_url(request.config)
    if not server or make_url(server).get_backend_name() == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'template.sqlite3'}"
        upgrade(url)
        yield url
        return
    with _postgres_database(server) as url:
        upgrade(url)  # its engine uses NullPool, so no connection is left on the template
        yield url


_MAINTENANCE: dict[str, Engine] = {}


def _maintenance_engine(server: str) -> Engine:
    """One AUTOCOMMIT engine on the server's `postgres` database per worker, for CREATE/DROP."""
    if server not in _MAINTENANCE:
        url = make_url(server).set(database="postgres").render_as_string(hide_password=False)
        _MAINTENANCE[server] = make_engine(url, isolation_level="AUTOCOMMIT")
    return _MAINTENANCE[server]


class _Dropper:
    """Drops finished test databases on a thread of their own. DROP DATABASE waits for the server
    to write a checkpoint (about a quarter of a second here), time the next test need not wait
    for; the session's end waits for every drop, so a run still leaves nothing behind."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self.errors: list[BaseException] = []

    def drop(self, server: str, name: str) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="drop-test-databases", daemon=True)
            self._thread.start()
        self._queue.put((server, name))

    def _run(self) -> None:
        while (job := self._queue.get()) is not None:
            server, name = job
            try:
                with _maintenance_engine(server).connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            except BaseException as exc:  # reported at the session's end
                self.errors.append(exc)

    def finish(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        for engine in _MAINTENANCE.values():
            engine.dispose()
        _MAINTENANCE.clear()


_DROPPER = _Dropper()


def pytest_sessionfinish(session: pytest.Session) -> None:
    _DROPPER.finish()
    if _DROPPER.errors:
        raise RuntimeError(f"could not drop a test database: {_DROPPER.errors[0]!r}")


@contextmanager
def _postgres_database(server: str, template: str | None = None) -> Iterator[str]:
    """A database of its own on the server, dropped afterwards (even when the test crashed)."""
    name = f"slaforge_test_{uuid.uuid4().hex[:12]}"
    like = f' TEMPLATE "{make_url(template).database}"' if template else ""
    try:
        with _maintenance_engine(server).connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{like}'))
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        _DROPPER.drop(server, name)


@contextmanager
def fresh_database(config: pytest.Config, directory: Path, template: str | None) -> Iterator[str]:
    """URL of a database of its own: a copy of `template` (migrated), or empty when it is None."""
    server = _server_url(config)
    if not server or make_url(server).get_backend_name() == "sqlite":
        path = directory / "test.sqlite3"
        if template is not None:
            with sqlite3.connect(make_url(template).database or "") as src, sqlite3.connect(path) as dst:
                src.backup(dst)
            dst.close()
            src.close()
        yield f"sqlite:///{path}"
        return
    with _postgres_database(server, template) as url:
        yield url


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh database: empty, or already migrated to head when the test also asks for
    `engine` (which then finds nothing left to migrate)."""
    template = request.getfixturevalue("_migrated_template") if "engine" in request.fixturenames else None
    with fresh_database(request.config, tmp_path, template) as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a fresh database migrated to head."""
    upgrade(database_url)  # normally a no-op: database_url copied the migrated template
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def uow(session_factory: sessionmaker[Session]) -> UnitOfWork:
    return SqlAlchemyUnitOfWork(session_factory, audit_keys=lambda: TEST_AUDIT_KEYS)
