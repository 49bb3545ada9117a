"""The import pages through a real HTTP client: preview a file with a built-in or uploaded mapping,
import it (all or nothing; keeping the good rows on request; a file imported before only after
confirming), the batch page with its rejects and the history; customer users get 404."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from slaforge.domain.platform.accounts import Principal, Role
from slaforge.services.platform import catalog
from tests.integration.api.background.test_api_imports import (
    BAD_CSV,
    DESK_CSV,
    DESK_YAML,
    JIRA,
    JIRA_CSV,
    OUTAGES_CSV,
)
from tests.integration.api.conftest import ClientFor
from tests.integration.api.live_server import LiveServer
from tests.integration.api.platform.test_web_pages import _csrf, _sign_in


@pytest.fixture
def container(
    database_url: str, engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> Container:
    settings = Settings(
        database_url=database_url, environment="test", secret_key="t" * 40,
        data_dir=tmp_path / "data", upload_max_bytes=64_000,
    )  # fmt: skip
    return bootstrap(settings, engine=engine, session_factory=session_factory)


@pytest.fixture
def manager(server: LiveServer, client_for: ClientFor) -> Iterator[httpx.Client]:
    client_for("manager", email="manager@example.test")
    with httpx.Client(base_url=server.url, timeout=30) as browser:
        _sign_in(browser, "manager@example.test")
        yield browser


def _preview(
    manager: httpx.Client, content: bytes, mapping: str = "", mapping_file: bytes | None = None
) -> httpx.Response:
    token = _csrf(manager.get("/console/imports"))
    files: dict[str, Any] = {"file": ("export.csv", content, "text/csv")}
    if mapping_file is not None:
        files["mapping_file"] = ("desk.yaml", mapping_file, "application/yaml")
    return manager.post(
        "/console/imports/preview",
        data={"csrf_token": token, "mapping": mapping},
        files=files,
        follow_redirects=True,
    )


def _import_form(page: httpx.Response) -> dict[str, str]:
    form = re.search(r'<form method="post" action="/console/imports/run".*?</form>', page.text, re.S)
    assert form, "no import form on the page"
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(0)))
    return {k: html.unescape(v) for k, v in fields.items()}


def _text(page: httpx.Response) -> str:
    return html.unescape(page.text)


def test_a_preview_shows_the_mapping_and_the_rows_as_they_will_be_read(manager: httpx.Client) -> None:
    page = manager.get("/console/imports")
    assert f'<option value="{JIRA}">' in page.text
    assert "Nothing imported yet." in page.text
    preview = _preview(manager, BAD_CSV, JIRA)
    assert preview.status_code == 200
    text = _text(preview)
    assert "Preview of export.csv" in text
    assert "The mapping as it will be applied: jira-service-management" in text
    assert "column: Issue key" in text  # the mapping, defaults filled in
    assert re.search(
        r"<td>SUP-1</td>\s*<td>Mon 2024-03-04 09:15 UTC</td>\s*<td>created → Open, resolved</td>\s*<td>Resolved</td>\s*<td>high</td>",
        text,
    )
    assert "'Urgentish' is not one of Highest" in text
    assert "2 of these rows cannot be used" in text
    assert "Nothing imported yet." in manager.get("/console/imports").text


def test_a_bad_file_writes_nothing_and_its_good_rows_can_be_kept(manager: httpx.Client) -> None:
    form = _import_form(_preview(manager, BAD_CSV, JIRA))
    rejected = manager.post("/console/imports/run", data=form)
    assert rejected.status_code == 422
    text = _text(rejected)
    assert "Nothing was imported" in text
    assert re.search(r"<td class=\"n\">3</td><td>Priority</td><td>'Urgentish' is not one of", text)
    assert re.search(r"<td class=\"n\">4</td><td>Created</td><td>'yesterday' is not a date-time", text)
    assert "Nothing imported yet." in manager.get("/console/imports").text
    kept = manager.post(
        "/console/imports/run", data={**_import_form(rejected), "keep_good": "1"}, follow_redirects=True
    )
    assert "Imported export.csv: 1 tickets (1 new), 2 new events; 2 rows rejected and recorded." in _text(
        kept
    )
    assert re.search(r"<h1>Import #\d+: export.csv</h1>", kept.text)
    assert 'Rejected rows <span class="muted">(2)</span>' in kept.text
    assert "'yesterday' is not a date-time" in _text(kept)


def test_a_file_imported_before_is_imported_again_only_after_confirming(manager: httpx.Client) -> None:
    first = manager.post(
        "/console/imports/run", data=_import_form(_preview(manager, JIRA_CSV, JIRA)), follow_redirects=True
    )
    assert "Imported export.csv: 3 tickets (3 new), 7 new events." in _text(first)
    second = manager.post("/console/imports/run", data=_import_form(_preview(manager, JIRA_CSV, JIRA)))
    assert second.status_code == 409
    assert "This file was imported before" in second.text
    confirm = _import_form(second)
    assert confirm["allow_duplicate"] == "1"
    again = manager.post("/console/imports/run", data=confirm, follow_redirects=True)
    assert "Imported export.csv: 3 tickets (0 new), 0 new events." in _text(again)
    history = manager.get("/console/imports").text
    assert 'Import history <span class="muted">(2)</span>' in history
    # The upload is gone once imported: the same form cannot import it a third time.
    gone = manager.post("/console/imports/run", data=confirm, follow_redirects=True)
    assert "the uploaded file is no longer here" in _text(gone)


def test_an_uploaded_mapping_and_an_outage_file(manager: httpx.Client) -> None:
    preview = _preview(manager, DESK_CSV, mapping_file=DESK_YAML)
    assert "The mapping as it will be applied: our-desk" in preview.text
    assert "Mon 2024-03-04 08:00 UTC" in preview.text  # Berlin time read as UTC
    done = manager.post("/console/imports/run", data=_import_form(preview), follow_redirects=True)
    assert "Imported export.csv: 2 tickets (2 new), 10 new events." in _text(done)
    outages = _preview(manager, OUTAGES_CSV, "github-status")
    assert "<td>GitHub Actions</td>" in outages.text
    done = manager.post("/console/imports/run", data=_import_form(outages), follow_redirects=True)
    assert "Imported export.csv: 2 outages (2 new)." in _text(done)


@pytest.mark.parametrize(
    ("mapping", "mapping_file", "content", "message"),
    [("", None, JIRA_CSV, "choose a built-in mapping or upload a mapping file"),
     ("nonesuch", None, JIRA_CSV, "no built-in mapping 'nonesuch'"),
     (JIRA, None, b"x" * 70_000, "is larger than 64,000 bytes"),
     ("", b"name: [", DESK_CSV, "is not valid YAML")],
)  # fmt: skip
def test_a_bad_upload_comes_back_as_a_message(
    manager: httpx.Client, mapping: str, mapping_file: bytes | None, content: bytes, message: str
) -> None:
    page = _preview(manager, content, mapping, mapping_file)
    assert 'class="flash flash-error"' in page.text
    assert message in _text(page)


def test_import_pages_need_the_form_token_and_do_not_exist_for_customers(
    manager: httpx.Client, server: LiveServer, client_for: ClientFor, container: Container
) -> None:
    files = {"file": ("export.csv", JIRA_CSV, "text/csv")}
    assert manager.post("/console/imports/preview", data={"mapping": JIRA}, files=files).status_code == 403
    done = manager.post(
        "/console/imports/run", data=_import_form(_preview(manager, JIRA_CSV, JIRA)), follow_redirects=True
    )
    batch = re.search(r"<h1>Import #(\d+)", done.text).group(1)  # type: ignore[union-attr]
    setup = Principal(user_id=0, email="setup@example.test", role=Role.ADMIN)
    acme = catalog.create_customer(uow=container.system_uow(), actor=setup, name="Acme")
    client_for("customer-admin", customer_id=acme.id, email="boss@acme.test")
    with httpx.Client(base_url=server.url, timeout=30) as browser:
        _sign_in(browser, "boss@acme.test")
        for path in ("", f"/{batch}"):
            assert browser.get(f"/console/imports{path}").status_code == 404, path
        token = _csrf(browser.get("/portal"))
        assert (
            browser.post(
                "/console/imports/preview", data={"csrf_token": token, "mapping": JIRA}, files=files
            ).status_code
            == 404
        )
        assert (
            browser.post(
                "/console/imports/run",
                data={**_import_form(_preview(manager, OUTAGES_CSV, "github-status")), "csrf_token": token},
            ).status_code
            == 404
        )


def test_every_problem_of_a_refused_file_and_the_kept_rejects_download_as_csv(manager: httpx.Client) -> None:
    header = BAD_CSV.splitlines(keepends=True)[0]
    rows = b"".join(b"SUP-%d,Incident,Resolved,Urgentish,04/Mar/24 09:15 AM,\n" % i for i in range(120))
    rejected = manager.post("/console/imports/run", data=_import_form(_preview(manager, header + rows, JIRA)))
    assert rejected.status_code == 422
    link = re.search(
        r'<a href="(/console/imports/files/[^"]+\.problems\.csv)" download>Download every problem \(120\)',
        rejected.text,
    )
    assert link, "no link to the CSV of every problem"
    listed = manager.get(link.group(1))
    assert listed.status_code == 200
    assert len(listed.text.strip().splitlines()) == 121  # the header and every problem, not the 100 shown
    kept = manager.post("/console/imports/run", data={**_import_form(_preview(manager, BAD_CSV, JIRA)), "keep_good": "1"},
                        follow_redirects=True)  # fmt: skip
    rejects = re.search(r'<a href="(/console/imports/files/[^"]+\.rejects\.csv)" download>', kept.text)
    assert rejects, "no link to the rejected rows"
    assert "Urgentish" in manager.get(rejects.group(1)).text
