"""The expectations API over a live server: record, import, list, delete, invite, and the gap
analysis; a customer user sees its own expectations and never the gap analysis."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from slaforge.bootstrap import Container
from tests.integration.api.conftest import ClientFor
from tests.integration.background.test_expectations import fill


@pytest.fixture
def ids(container: Container) -> dict[str, Any]:
    uow = container.system_uow()
    with uow:
        return fill(uow.session)


def test_record_list_replace_and_delete(admin: httpx.Client, ids: dict[str, Any]) -> None:
    acme = ids["acme"]
    made = admin.post("/api/v1/expectations", json={"customer_id": acme, "metric": "resolution", "priority": "P1",
                                                     "target": "4h", "importance": "must-have", "comment": "fast"})  # fmt: skip
    assert made.status_code == 201, made.text
    assert made.json()["target_seconds"] == 14400
    assert made.json()["source"] == "api"
    admin.post(
        "/api/v1/expectations",
        json={"customer_id": acme, "metric": "resolution", "priority": "P1", "target": 7200},
    )
    admin.post("/api/v1/expectations", json={"customer_id": acme, "metric": "availability", "target": "99.9"})
    listed = admin.get("/api/v1/expectations", params={"customer_id": acme}).json()
    assert listed["count"] == 2
    assert [(e["metric"], e["target_seconds"], e["target_percent"]) for e in listed["data"]] == [
        ("availability", None, 99.9),
        ("resolution", 7200, None),
    ]
    assert admin.get("/api/v1/expectations", params={"metric": "availability"}).json()["count"] == 1
    assert (
        admin.delete(f"/api/v1/customers/{acme}/expectations", params={"metric": "availability"}).status_code
        == 204
    )
    assert admin.get("/api/v1/expectations").json()["count"] == 1


def test_bad_input_is_a_problem_naming_the_field(admin: httpx.Client, ids: dict[str, Any]) -> None:
    response = admin.post(
        "/api/v1/expectations", json={"customer_id": ids["acme"], "metric": "resolution", "target": "2h"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == "priority"
    response = admin.post(
        "/api/v1/expectations", json={"customer_id": 999, "metric": "availability", "target": "99"}
    )
    assert response.status_code == 404


def test_csv_import_is_all_or_nothing_with_rows_named(admin: httpx.Client, ids: dict[str, Any]) -> None:
    acme = ids["acme"]
    bad = "metric,priority,target\nresolution,P1,2h\nresolution,P2,later\n"
    response = admin.post(
        "/api/v1/expectations/import", json={"customer_id": acme, "file_name": "x.csv", "content": bad}
    )
    assert response.status_code == 422
    assert "row 3, column 'target'" in response.json()["detail"]
    assert admin.get("/api/v1/expectations").json()["count"] == 0
    good = "metric,priority,target,importance\nresolution,P1,2h,must-have\nfirst_response,P1,30m,important\n"
    response = admin.post("/api/v1/expectations/import", json={"customer_id": acme, "content": good})
    assert response.status_code == 201
    assert response.json()["count"] == 2


def test_gap_analysis(admin: httpx.Client, ids: dict[str, Any]) -> None:
    acme = ids["acme"]
    admin.post(
        "/api/v1/expectations",
        json={"customer_id": acme, "metric": "resolution", "priority": "P1", "target": "4h"},
    )
    admin.post(
        "/api/v1/expectations",
        json={"customer_id": acme, "metric": "first_response", "priority": "P1", "target": "1h"},
    )
    body = admin.get(f"/api/v1/customers/{acme}/expectation-gaps").json()
    assert body["count"] == 2
    gaps = {g["metric"]: g for g in body["data"]}
    assert gaps["first_response"]["verdict"] == "comfortably achievable"
    assert gaps["first_response"]["agreeable"] is True
    assert gaps["resolution"]["verdict"] == "stretch"
    assert gaps["resolution"]["offer_label"] == "1 business day"
    assert gaps["resolution"]["proposal_seconds"] == 86400
    assert admin.get(f"/api/v1/customers/{acme}/expectation-gaps", params={"study_id": 9}).status_code == 404


def test_invites_give_a_link_once_and_list_without_it(
    admin: httpx.Client, anonymous: httpx.Client, ids: dict[str, Any]
) -> None:
    response = admin.post(
        "/api/v1/expectation-invites", json={"customer_id": ids["acme"], "email": "boss@acme.test"}
    )
    assert response.status_code == 201, response.text
    url = response.json()["url"]
    assert "/expectations/questionnaire/" in url
    listed = admin.get("/api/v1/expectation-invites", params={"customer_id": ids["acme"]}).json()
    assert listed["count"] == 1
    assert "url" not in listed["data"][0]
    assert url.rsplit("/", 1)[1] not in str(listed)
    page = anonymous.get(url.replace(str(anonymous.base_url).rstrip("/"), ""))
    assert page.status_code == 200
    assert "Acme" in page.text


def test_a_customer_user_sees_its_own_expectations_only(
    admin: httpx.Client, client_for: ClientFor, ids: dict[str, Any]
) -> None:
    acme, globex = ids["acme"], ids["globex"]
    for cid in (acme, globex):
        admin.post(
            "/api/v1/expectations", json={"customer_id": cid, "metric": "availability", "target": "99.5"}
        )
    boss = client_for("customer-admin", customer_id=acme)
    assert [e["customer_id"] for e in boss.get("/api/v1/expectations").json()["data"]] == [acme]
    assert boss.get("/api/v1/expectations", params={"customer_id": globex}).status_code == 404
    assert boss.get(f"/api/v1/customers/{globex}/expectation-gaps").status_code == 404
    assert boss.get(f"/api/v1/customers/{acme}/expectation-gaps").status_code == 403
    assert boss.delete(f"/api/v1/customers/{globex}/expectations").status_code == 404
    assert (
        boss.post(
            "/api/v1/expectation-invites", json={"customer_id": globex, "email": "x@y.test"}
        ).status_code
        == 404
    )
    assert (
        boss.post("/api/v1/expectation-invites", json={"customer_id": acme, "email": "x@y.test"}).status_code
        == 403
    )
    # Provider-only, like studies and imports: to a customer user the list does not exist.
    assert boss.get("/api/v1/expectation-invites").status_code == 404
    mine = boss.post(
        "/api/v1/expectations",
        json={"customer_id": acme, "metric": "resolution", "priority": "P1", "target": "1d"},
    )
    assert mine.status_code == 201
    assert boss.post("/api/v1/expectations", json={"customer_id": globex, "metric": "resolution", "priority": "P1",
                                                   "target": "1d"}).status_code == 404  # fmt: skip
    viewer = client_for("viewer", customer_id=acme)
    assert (
        viewer.post(
            "/api/v1/expectations", json={"customer_id": acme, "metric": "availability", "target": "99"}
        ).status_code
        == 403
    )
    assert (
        admin.get("/api/v1/expectations", params={"customer_id": globex}).json()["data"][0]["target_percent"]
        == 99.5
    )
