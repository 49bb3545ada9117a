"""Attack tests over HTTP: a gzip bomb, a zip bomb and a nested archive uploaded to /api/v1/imports
are refused with a 422 problem naming the file field and the limit, not a 500 or a parsed mess, and
leave no upload behind."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from tests.integration.background.test_import_archives import CSV, gzip_bomb, zip_bomb

JIRA = "jira-service-management"


@pytest.fixture
def container(
    database_url: str, engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> Container:
    settings = Settings(
        database_url=database_url, environment="test", secret_key="t" * 40, data_dir=tmp_path / "data"
    )
    return bootstrap(settings, engine=engine, session_factory=session_factory)


def _post(client: httpx.Client, path: str, name: str, content: bytes) -> httpx.Response:
    files = {"file": (name, content, "application/octet-stream")}
    return client.post(f"/api/v1/imports{path}", files=files, data={"mapping": JIRA})


def test_compressed_bombs_and_nested_archives_are_refused_naming_the_limit(
    admin: httpx.Client, container: Container, tmp_path: Path
) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("export.csv", CSV)
    nested = io.BytesIO()
    with zipfile.ZipFile(nested, "w") as archive:
        archive.writestr("inner.zip", inner.getvalue())
    cases = {
        "export.csv.gz": (gzip_bomb(tmp_path / "g.csv.gz").read_bytes(), "bytes expanded"),
        "export.zip": (zip_bomb(tmp_path / "z.zip").read_bytes(), "bytes expanded"),
        "nested.zip": (nested.getvalue(), "another archive (inner.zip)"),
        "sneaky.csv": (gzip.compress(inner.getvalue()), "another archive (zip)"),
    }
    for name, (content, said) in cases.items():
        # A .gz declares no size to refuse up front: the preview and the import both read it
        # (the preview spools it to a file) and stop at the cap.
        for path in ("/preview", "/tickets"):
            response = _post(admin, path, name, content)
            assert response.status_code == 422, (name, path, response.text)
            problem = response.json()
            assert problem["field"] == "file", (name, path)
            assert said in problem["detail"], (name, path, problem["detail"])
    assert admin.get("/api/v1/tickets").json()["data"] == []
    uploads = container.settings.data_dir / "uploads"
    assert not uploads.exists() or not any(uploads.rglob("*.*")), "an upload was left behind"
    done = _post(admin, "/tickets", "export.csv.gz", gzip.compress(CSV))
    assert done.status_code == 201, done.text
    assert done.json()["tickets"] == 2
