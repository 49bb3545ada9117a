"""Attack test (issue 10, item 5): the same file uploaded 25 times at once is imported once, as
in sequence: one 201, and every other upload the 409 a repeat gets, naming the batch that won.
The database's unique key on the file's content decides, not a lookup before the insert; an
import asked for again on purpose (allow_duplicate) still goes through."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from tests.integration.api.background.test_api_imports import JIRA, JIRA_CSV, _post
from tests.parallel import at_once

UPLOADS = 25


@pytest.fixture
def container(
    database_url: str, engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> Container:
    settings = Settings(
        database_url=database_url, environment="test", secret_key="t" * 40, data_dir=tmp_path / "data"
    )
    return bootstrap(settings, engine=engine, session_factory=session_factory)


def test_parallel_uploads_of_one_file_import_it_once(admin: httpx.Client, container: Container) -> None:
    answers = at_once(lambda _: _post(admin, "/tickets", JIRA_CSV, mapping=JIRA), range(UPLOADS))
    statuses = Counter(a.status_code for a in answers)
    assert statuses == Counter({201: 1, 409: UPLOADS - 1}), [a.text for a in answers if a.status_code >= 500]
    (won,) = [a.json() for a in answers if a.status_code == 201]
    for refused in (a for a in answers if a.status_code == 409):
        assert refused.headers["content-type"] == "application/problem+json"
        assert f"export.csv was already imported (batch {won['batch_id']}," in refused.json()["detail"]
    batches = admin.get("/api/v1/imports").json()
    assert (batches["count"], batches["data"][0]["id"]) == (1, won["batch_id"])
    assert admin.get("/api/v1/tickets").json()["count"] == 3

    again = _post(admin, "/tickets", JIRA_CSV, mapping=JIRA)  # the sequential repeat: the same 409
    assert again.status_code == 409
    forced = _post(admin, "/tickets", JIRA_CSV, mapping=JIRA, allow_duplicate=True)
    assert forced.status_code == 201, forced.text
    assert admin.get("/api/v1/imports").json()["count"] == 2
