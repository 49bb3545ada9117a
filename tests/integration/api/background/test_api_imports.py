"""/api/v1/imports over a real server: preview a file through a built-in or uploaded mapping; a bad
file is a 422 listing its rows and writes nothing; a good one imports once (again only when asked);
keep_good stores the good rows and the batch keeps the rejects; uploads have a size limit;
customer users get 404."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from tests.integration.api.conftest import ClientFor

MAX_UPLOAD = 64_000
JIRA = "jira-service-management"
JIRA_CSV = b"""Issue key,Issue Type,Status,Priority,Created,Resolved,Custom field (Date of First Response)
SUP-1,Incident,Resolved,High,04/Mar/24 09:15 AM,04/Mar/24 11:00 AM,04/Mar/24 09:40 AM
SUP-2,Service request,Closed,Medium,05/Mar/24 10:00 AM,06/Mar/24 03:00 PM,05/Mar/24 01:00 PM
SUP-3,Incident,Waiting for customer,Low,06/Mar/24 02:00 PM,,
"""
BAD_CSV = b"""Issue key,Issue Type,Status,Priority,Created,Resolved
SUP-1,Incident,Resolved,High,04/Mar/24 09:15 AM,04/Mar/24 11:00 AM
SUP-2,Incident,Resolved,Urgentish,05/Mar/24 10:00 AM,
SUP-3,Incident,Resolved,High,yesterday,
"""
DESK_YAML = b"""name: our-desk
description: Our helpdesk's event log, one row per status change
source: our-desk
format: csv
layout: long
timezone: Europe/Berlin
time_formats: [iso]
columns:
  ticket: ticket
  time: {column: at, required: true}
  priority: prio
  status: status
statuses:
  created: New
  new: [New]
  resolved: [Resolved]
  pause: [Waiting]
"""
DESK_CSV = b"""ticket,at,prio,status
D-1,2024-03-04T09:00:00,P1,New
D-1,2024-03-04T09:20:00,P1,In progress
D-1,2024-03-04T11:00:00,P1,Resolved
D-2,2024-03-05T10:00:00,P2,New
D-2,2024-03-05T12:00:00,P2,Waiting
D-2,2024-03-06T09:00:00,P2,Resolved
"""
OUTAGES_CSV = b"""id,name,impact,max_impact,components,started_at,disappeared_at
a1,Degraded Actions,minor,major,Actions,2024-03-01T10:00:00Z,2024-03-01T11:30:00Z
a2,Scheduled maintenance,none,none,Pages,2024-03-02T01:00:00Z,2024-03-02T02:00:00Z
"""


@pytest.fixture
def container(
    database_url: str, engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> Container:
    settings = Settings(
        database_url=database_url, environment="test", secret_key="t" * 40,
        data_dir=tmp_path / "data", upload_max_bytes=MAX_UPLOAD,
    )  # fmt: skip
    return bootstrap(settings, engine=engine, session_factory=session_factory)


@pytest.fixture
def uploads(container: Container) -> Iterator[Path]:
    root = container.settings.data_dir / "uploads"
    yield root
    assert not root.exists() or not any(root.iterdir()), "an upload was left behind"


def _post(
    client: httpx.Client, path: str, content: bytes, name: str = "export.csv", **form: Any
) -> httpx.Response:
    files: dict[str, Any] = {"file": (name, content, "text/csv")}
    if "mapping_file" in form:
        files["mapping_file"] = ("desk.yaml", form.pop("mapping_file"), "application/yaml")
    data = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in form.items()}
    return client.post(f"/api/v1/imports{path}", files=files, data=data)


def test_a_preview_shows_the_mapping_and_the_rows_as_read(admin: httpx.Client, uploads: Path) -> None:
    preview = _post(admin, "/preview", BAD_CSV, mapping=JIRA, rows=2)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["mapping_name"], body["kind"], body["format"]) == (JIRA, "tickets", "csv")
    assert body["mapping"]["columns"]["ticket"]["column"] == "Issue key"
    first, second = body["rows"]
    assert first["parsed"]["created"] == "2024-03-04T09:15:00Z"
    assert first["parsed"]["priority"] == "high"
    assert first["events"] == ["created → Open", "resolved"]
    assert second["problems"] == [
        {
            "row": 3,
            "column": "Priority",
            "reason": "'Urgentish' is not one of Highest, High, Medium, Low, Lowest",
        }
    ]
    assert admin.get("/api/v1/imports").json()["count"] == 0


def test_a_bad_file_is_rejected_row_by_row_and_nothing_is_written(admin: httpx.Client, uploads: Path) -> None:
    response = _post(admin, "/tickets", BAD_CSV, mapping=JIRA)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["problems"], problem["rows_read"]) == (2, 3)
    assert [(r["row"], r["column"]) for r in problem["rows"]] == [(3, "Priority"), (4, "Created")]
    assert problem["errors"][0]["field"] == "Priority"
    assert "nothing was imported" in problem["detail"]
    assert admin.get("/api/v1/imports").json()["count"] == 0
    assert admin.get("/api/v1/tickets").json()["count"] == 0


def test_a_good_file_imports_once_and_again_only_when_asked(admin: httpx.Client, uploads: Path) -> None:
    done = _post(admin, "/tickets", JIRA_CSV, mapping=JIRA)
    assert done.status_code == 201, done.text
    summary = done.json()
    assert (summary["status"], summary["tickets"], summary["tickets_new"]) == ("completed", 3, 3)
    assert (summary["file_name"], summary["mapping"], summary["rejections_count"]) == ("export.csv", JIRA, 0)
    again = _post(admin, "/tickets", JIRA_CSV, mapping=JIRA)
    assert again.status_code == 409
    assert f"batch {summary['batch_id']}" in again.json()["detail"]
    forced = _post(admin, "/tickets", JIRA_CSV, mapping=JIRA, allow_duplicate=True)
    assert forced.status_code == 201
    assert (forced.json()["tickets_new"], forced.json()["events_new"]) == (0, 0)
    assert admin.get("/api/v1/tickets").json()["count"] == 3
    batches = admin.get("/api/v1/imports").json()
    assert batches["count"] == 2
    assert [b["rows_accepted"] for b in batches["data"]] == [3, 3]


def test_keep_good_stores_the_good_rows_and_the_batch_keeps_the_rejects(
    admin: httpx.Client, uploads: Path
) -> None:
    done = _post(admin, "/tickets", BAD_CSV, mapping=JIRA, keep_good=True)
    assert done.status_code == 201, done.text
    summary = done.json()
    assert (summary["status"], summary["rows_accepted"], summary["rows_rejected"]) == ("partial", 1, 2)
    batch = admin.get(f"/api/v1/imports/{summary['batch_id']}").json()
    assert batch["rejects_count"] == 2
    assert [(r["row"], r["column"]) for r in batch["rejects"]] == [(3, "Priority"), (4, "Created")]
    assert "yesterday" in batch["rejects"][1]["reason"]


def test_an_uploaded_mapping_reads_a_file_of_our_own(admin: httpx.Client, uploads: Path) -> None:
    preview = _post(admin, "/preview", DESK_CSV, mapping_file=DESK_YAML)
    assert preview.json()["rows"][0]["parsed"]["time"] == "2024-03-04T08:00:00Z"  # Berlin to UTC
    done = _post(admin, "/tickets", DESK_CSV, mapping_file=DESK_YAML)
    assert done.status_code == 201, done.text
    assert (done.json()["mapping"], done.json()["tickets"], done.json()["events"]) == ("our-desk", 2, 10)
    broken = _post(admin, "/tickets", DESK_CSV, mapping_file=b"name: x\ncolumns: [1, 2\n")
    assert broken.status_code == 422
    assert "not valid YAML" in broken.json()["detail"]


def test_outages_import_through_their_mapping(admin: httpx.Client, uploads: Path) -> None:
    done = _post(admin, "/outages", OUTAGES_CSV, mapping="github-status")
    assert done.status_code == 201, done.text
    assert (done.json()["outages"], done.json()["outages_new"]) == (2, 2)
    wrong = _post(admin, "/outages", JIRA_CSV, mapping=JIRA)
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "mapping"
    mappings = admin.get("/api/v1/imports/mappings").json()
    assert {"github-status", JIRA, "servicenow"} <= {m["name"] for m in mappings["data"]}


@pytest.mark.parametrize(
    ("form", "field"),
    [({}, "mapping"), ({"mapping": JIRA, "mapping_file": DESK_YAML}, "mapping"),
     ({"mapping": "nonesuch"}, "mapping"), ({"mapping": "../etc/passwd"}, "mapping")],
)  # fmt: skip
def test_the_mapping_is_one_built_in_or_one_file(
    admin: httpx.Client, uploads: Path, form: dict[str, Any], field: str
) -> None:
    response = _post(admin, "/tickets", JIRA_CSV, **form)
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_an_upload_past_the_limit_or_empty_is_refused(admin: httpx.Client, uploads: Path) -> None:
    big = JIRA_CSV + b"".join(
        b"SUP-%d,Incident,Resolved,High,04/Mar/24 09:15 AM,,\n" % i for i in range(2000)
    )
    assert len(big) > MAX_UPLOAD
    assert _post(admin, "/tickets", big, mapping=JIRA).status_code == 413
    empty = _post(admin, "/tickets", b"", mapping=JIRA)
    assert (empty.status_code, empty.json()["field"]) == (422, "file")
    assert admin.get("/api/v1/imports").json()["count"] == 0


def test_imports_do_not_exist_for_customer_users(admin: httpx.Client, client_for: ClientFor) -> None:
    batch = _post(admin, "/tickets", JIRA_CSV, mapping=JIRA).json()["batch_id"]
    customer = admin.post("/api/v1/customers", json={"name": "Acme"}).json()["id"]
    viewer = client_for("customer-admin", customer_id=customer)
    for path in ("", f"/{batch}", "/mappings"):
        assert viewer.get(f"/api/v1/imports{path}").status_code == 404, path
    for path in ("/tickets", "/outages", "/preview"):
        assert _post(viewer, path, JIRA_CSV, mapping=JIRA).status_code == 404, path
    assert admin.get("/api/v1/tickets").json()["count"] == 3


def test_a_file_refused_whole_gives_every_problem_as_a_downloadable_csv(
    admin: httpx.Client, uploads: Path
) -> None:
    rows = b"".join(b"SUP-%d,Incident,Resolved,Urgentish,04/Mar/24 09:15 AM,\n" % i for i in range(150))
    response = _post(admin, "/tickets", BAD_CSV.splitlines(keepends=True)[0] + rows, mapping=JIRA)
    assert response.status_code == 422
    problem = response.json()
    assert (problem["problems"], problem["problems_total"], len(problem["rows"])) == (150, 150, 100)
    download = admin.get(problem["problems_csv"])
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    listed = list(csv.DictReader(io.StringIO(download.text)))
    assert len(listed) == 150
    assert [int(r["row"]) for r in listed] == list(range(2, 152))
    assert {(r["file"], r["column"], r["value"]) for r in listed} == {("export.csv", "Priority", "Urgentish")}
    assert admin.get("/api/v1/imports").json()["count"] == 0
    token = problem["problems_csv"].split("/")[-2]
    assert admin.get(f"/api/v1/imports/files/{token}/other.problems.csv").status_code == 404
    assert admin.get(f"/api/v1/imports/files/{token}/..%2F..%2Fsecret.csv").status_code in (404, 422)


def test_keep_good_offers_the_rejects_as_a_csv(admin: httpx.Client, uploads: Path) -> None:
    summary = _post(admin, "/tickets", BAD_CSV, mapping=JIRA, keep_good=True).json()
    download = admin.get(summary["rejects_csv"])
    assert download.status_code == 200
    rejects = list(csv.DictReader(io.StringIO(download.text)))
    assert [(r["row"], r["column"], r["Priority"], r["Created"]) for r in rejects] == [
        ("3", "Priority", "Urgentish", "05/Mar/24 10:00 AM"), ("4", "Created", "High", "yesterday")
    ]  # fmt: skip
