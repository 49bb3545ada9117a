"""/api/v1/studies over a real server: run a study over a generated history, list it, read it back
as stored, fetch its report as HTML and PDF; errors name the field; customer users get 404."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from slaforge.bootstrap import Container
from tests.integration.api.conftest import ClientFor
from tests.integration.background.test_study_service import fill


@pytest.fixture
def history(container: Container) -> dict[str, Any]:
    with container.session_factory() as s:
        return fill(s)


def test_a_study_is_run_listed_read_and_reported(admin: httpx.Client, history: dict[str, Any]) -> None:
    ran = admin.post("/api/v1/studies", json={"calendar": "Office", "segment_by": ["priority"], "level": 0.9})
    assert ran.status_code == 201, ran.text
    summary = ran.json()
    assert (summary["calendar_name"], summary["tickets"], summary["segments"]) == ("Office", 240, 3)
    assert [h["segment"] for h in summary["headline"]] == ["critical", "high", "low"]
    study_id = summary["study_id"]

    listed = admin.get("/api/v1/studies").json()
    assert listed["count"] == 1
    assert listed["data"][0] | {"created_at": None} == {
        "id": study_id, "created_at": None, "tickets": 240, "calendar_name": "Office",
        "segment_by": ["priority"], "level": 0.9, "month_share": 0.8,
    }  # fmt: skip

    stored = admin.get(f"/api/v1/studies/{study_id}").json()
    assert stored["parameters"]["level"] == 0.9
    assert stored["results"]["history"]["tickets"] == 240
    assert stored["provenance"][0]["file"] == "history.csv"

    html = admin.get(f"/api/v1/studies/{study_id}/report.html")
    assert html.headers["content-type"].startswith("text/html")
    assert "Service capability report" in html.text
    pdf = admin.get(f"/api/v1/studies/{study_id}/report.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_calendar_can_be_named_by_id_and_segments_combined(
    admin: httpx.Client, history: dict[str, Any]
) -> None:
    cal = admin.get("/api/v1/calendars", params={"q": "Office"}).json()["data"][0]["id"]
    ran = admin.post("/api/v1/studies", json={"calendar_id": cal, "segment_by": ["service", "customer"]})
    assert ran.status_code == 201, ran.text
    assert ran.json()["segments"] == 2  # each service here has one customer
    period = {"start": "2024-02-01T00:00:00Z", "end": "2024-04-01T00:00:00Z"}
    ran = admin.post("/api/v1/studies", json={"calendar": "Office", "period": period})
    assert ran.status_code == 201, ran.text
    assert ran.json()["tickets"] < 240


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"calendar": "Nowhere"}, 404, None),
        ({"calendar": "Office", "calendar_id": 1}, 422, "body"),
        ({"calendar": "Office", "segment_by": ["colour"]}, 422, "segment_by[0]"),
        ({"calendar": "Office", "level": 1.5}, 422, "level"),
        ({"calendar": "Office", "period": {"start": "2030-01-01T00:00:00Z", "end": "2031-01-01T00:00:00Z"}},
         422, "period"),
    ],
)  # fmt: skip
def test_a_bad_request_is_a_problem_naming_the_field(
    admin: httpx.Client, history: dict[str, Any], body: dict[str, Any], status: int, field: str | None
) -> None:
    response = admin.post("/api/v1/studies", json=body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json().get("field") == field


def test_a_study_without_history_says_to_import_first(admin: httpx.Client) -> None:
    admin.post("/api/v1/calendars", json={"name": "Office", "definition": {"timezone": "UTC"}})
    response = admin.post("/api/v1/studies", json={})
    assert response.status_code == 422
    assert "import history first" in response.json()["detail"]


def test_studies_do_not_exist_for_customer_users(
    admin: httpx.Client, client_for: ClientFor, history: dict[str, Any]
) -> None:
    study_id = admin.post("/api/v1/studies", json={"calendar": "Office"}).json()["study_id"]
    viewer = client_for("customer-admin", customer_id=history["customers"][0])
    for path in ("", f"/{study_id}", f"/{study_id}/report.html", f"/{study_id}/report.pdf"):
        assert viewer.get(f"/api/v1/studies{path}").status_code == 404, path
    assert viewer.post("/api/v1/studies", json={"calendar": "Office"}).status_code == 404
    assert admin.get("/api/v1/studies").json()["count"] == 1


def test_objectives_with_a_credit_table_are_back_tested(admin: httpx.Client, history: dict[str, Any]) -> None:
    objectives = [{"name": "Contract", "metric": "resolution", "threshold": 0.9,
                   "targets": {"critical": "4h", "high": "1d", "low": "5d"}, "monthly_fee": 1000}]  # fmt: skip
    body = {"calendar": "Office", "objectives": objectives, "credits": [{"below": 0.9, "credit": 0.1}]}
    ran = admin.post("/api/v1/studies", json=body)
    assert ran.status_code == 201, ran.text
    assert "Contract" in [b["name"] for b in ran.json()["backtests"]]
    stored = admin.get(f"/api/v1/studies/{ran.json()['study_id']}").json()
    given = next(b for b in stored["results"]["backtests"] if b["name"] == "Contract")
    assert given["credits"] == [{"below": 0.9, "credit": 0.1}]
    assert given["summary"]["credit_amount"] is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"objectives": [{"metric": "resolution", "threshold": 1.5, "targets": {"high": "1d"}}]},
         "objectives[0].threshold"),
        ({"objectives": [{"metric": "uptime", "threshold": 0.9, "targets": {"high": "1d"}}]},
         "objectives[0].metric"),
        ({"objectives": [{"metric": "resolution", "threshold": 0.9, "targets": {"high": "soon"}}]},
         "objectives[0].targets.high"),
        ({"objectives": [{"metric": "resolution", "threshold": 0.9, "targets": {"high": "1d"}}],
          "credits": [{"below": 0.9}]}, "credits[0]"),
        ({"credits": [{"below": 0.9, "credit": 0.1}]}, "body"),
    ],
)  # fmt: skip
def test_bad_objectives_are_a_problem_naming_the_field(
    admin: httpx.Client, history: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    response = admin.post("/api/v1/studies", json={"calendar": "Office", **body})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json().get("field") == field


def test_a_study_can_keep_only_some_sources(admin: httpx.Client, history: dict[str, Any]) -> None:
    ran = admin.post("/api/v1/studies", json={"calendar": "Office", "sources": ["gen"]})
    assert ran.status_code == 201, ran.text
    assert admin.get(f"/api/v1/studies/{ran.json()['study_id']}").json()["parameters"]["sources"] == ["gen"]
    bad = admin.post("/api/v1/studies", json={"calendar": "Office", "sources": ["gen", "jira"]})
    assert bad.status_code == 422
    assert bad.json()["field"] == "source[1]"
