"""/readyz on its failing side: 503 with the reason when migrations lag or the database is away."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, text

from slaforge.bootstrap import bootstrap
from slaforge.config import Settings
from slaforge.entrypoints.asgi import build_app
from tests.integration.api.live_server import LiveServer

OLDER = "0001_core"


def test_readiness_is_503_when_the_schema_is_behind_the_code(engine: Engine, anonymous: httpx.Client) -> None:
    head = anonymous.get("/readyz").json()["head"]
    assert head != OLDER
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :old"), {"old": OLDER})
    response = anonymous.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "database": f"migrations not current (at {OLDER}, head {head})",
        "revision": OLDER,
        "head": head,
    }
    assert anonymous.get("/healthz").status_code == 200  # alive all the same: only not ready


@pytest.fixture(params=["sqlite-file-is-a-folder", "postgresql-closed-port"])
def unreachable(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[httpx.Client]:
    url = {
        "sqlite-file-is-a-folder": f"sqlite:///{tmp_path}",  # a folder cannot be opened as a database
        # Port 1 on the loopback: refused at once, no server waits there.
        "postgresql-closed-port": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=5",
    }[request.param]
    settings = Settings(database_url=url, environment="test", secret_key="t" * 40, data_dir=tmp_path)
    container = bootstrap(settings)
    with LiveServer(build_app(container)) as live, httpx.Client(base_url=live.url, timeout=30) as client:
        yield client
    container.engine.dispose()


def test_readiness_is_503_when_the_database_is_unreachable(unreachable: httpx.Client) -> None:
    response = unreachable.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["database"] == "unreachable: OperationalError"
    assert body["revision"] is None
    assert body["head"]
    assert unreachable.get("/healthz").json() == {"status": "ok"}
