"""The JSON API through a real HTTP client: each resource's create, read, list, update and delete."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.api.conftest import ClientFor

CAL = {"timezone": "Europe/Berlin", "hours": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"]}}


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_health_and_readiness_report_the_migrated_database(anonymous: httpx.Client) -> None:
    assert anonymous.get("/healthz").json() == {"status": "ok"}
    ready = anonymous.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    assert ready.json()["revision"] == ready.json()["head"]


def test_customers_can_be_created_listed_sorted_filtered_updated_and_deleted(admin: httpx.Client) -> None:
    for name in ("Globex", "Acme", "Initech"):
        _created(admin.post("/api/v1/customers", json={"name": name}))
    page = admin.get("/api/v1/customers", params={"limit": 2, "sort": "-name"}).json()
    assert page["count"] == 3
    assert [c["name"] for c in page["data"]] == ["Initech", "Globex"]
    second = admin.get("/api/v1/customers", params={"limit": 2, "offset": 2, "sort": "-name"}).json()
    assert [c["name"] for c in second["data"]] == ["Acme"]
    assert admin.get("/api/v1/customers", params={"q": "LOB"}).json()["count"] == 1
    assert admin.get("/api/v1/customers", params={"slug": "acme"}).json()["data"][0]["name"] == "Acme"
    acme = admin.get("/api/v1/customers", params={"slug": "acme"}).json()["data"][0]
    renamed = admin.patch(f"/api/v1/customers/{acme['id']}", json={"name": "Acme Corp"})
    assert renamed.json()["name"] == "Acme Corp"
    assert admin.delete(f"/api/v1/customers/{acme['id']}").status_code == 204
    assert admin.get(f"/api/v1/customers/{acme['id']}").status_code == 404


def test_a_duplicate_name_is_a_conflict(admin: httpx.Client) -> None:
    _created(admin.post("/api/v1/customers", json={"name": "Acme"}))
    again = admin.post("/api/v1/customers", json={"name": "Acme"})
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"


def test_calendars_are_validated_and_preview_their_next_open_periods(admin: httpx.Client) -> None:
    cal = _created(admin.post("/api/v1/calendars", json={"name": "Office", "definition": CAL}))
    preview = admin.get(
        f"/api/v1/calendars/{cal['id']}/preview", params={"after": "2026-03-02T08:00:00+01:00", "count": 3}
    )
    assert preview.status_code == 200
    periods = preview.json()["periods"]
    assert [p["start"] for p in periods] == [
        "2026-03-02T08:00:00Z",
        "2026-03-03T08:00:00Z",
        "2026-03-09T08:00:00Z",
    ]
    assert periods[0]["seconds"] == 8 * 3600
    bad = admin.post("/api/v1/calendars", json={"name": "Bad", "definition": {"timezone": "Mars/Base"}})
    assert bad.status_code == 422
    assert bad.json()["field"] == "definition.timezone"
    interval = admin.post(
        "/api/v1/calendars",
        json={"name": "Bad", "definition": {"timezone": "UTC", "hours": {"mon": ["9-5"]}}},
    )
    assert interval.json()["field"] == "definition.hours.mon[0]"


def test_services_reference_a_calendar_and_can_clear_it(admin: httpx.Client) -> None:
    cal = _created(admin.post("/api/v1/calendars", json={"name": "Office", "definition": CAL}))
    svc = _created(admin.post("/api/v1/services", json={"name": "Email", "calendar_id": cal["id"]}))
    assert admin.get("/api/v1/services", params={"calendar_id": cal["id"]}).json()["count"] == 1
    cleared = admin.patch(f"/api/v1/services/{svc['id']}", json={"calendar_id": None})
    assert cleared.json()["calendar_id"] is None
    missing = admin.post("/api/v1/services", json={"name": "Web", "calendar_id": 999})
    assert missing.status_code == 404


def test_tickets_events_and_outages_round_trip(admin: httpx.Client) -> None:
    cust = _created(admin.post("/api/v1/customers", json={"name": "Acme"}))
    svc = _created(admin.post("/api/v1/services", json={"name": "Email"}))
    ticket = _created(
        admin.post(
            "/api/v1/tickets",
            json={
                "external_id": "T-1",
                "customer_id": cust["id"],
                "service_id": svc["id"],
                "priority": "P2",
                "status": "new",
                "created_at": "2026-03-02T09:00:00+01:00",
            },
        )
    )
    assert ticket["created_at"] == "2026-03-02T08:00:00Z"
    event = {"at": "2026-03-02T10:00:00Z", "kind": "agent_reply", "dedupe_key": "d-1"}
    first = admin.post(f"/api/v1/tickets/{ticket['id']}/events", json=event)
    again = admin.post(f"/api/v1/tickets/{ticket['id']}/events", json=event)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert admin.get(f"/api/v1/tickets/{ticket['id']}/events").json()["count"] == 1
    early = admin.post(f"/api/v1/tickets/{ticket['id']}/events", json={**event, "at": "2026-01-01T00:00:00Z"})
    assert early.status_code == 422
    assert early.json()["field"] == "at"
    resolved = admin.patch(
        f"/api/v1/tickets/{ticket['id']}", json={"status": "resolved", "resolved_at": "2026-03-02T12:00:00Z"}
    )
    assert resolved.json()["status"] == "resolved"
    assert (
        admin.get("/api/v1/tickets", params={"status": "resolved", "customer_id": cust["id"]}).json()["count"]
        == 1
    )
    outage = _created(
        admin.post(
            "/api/v1/outages",
            json={
                "service_id": svc["id"],
                "started_at": "2026-03-01T00:00:00Z",
                "ended_at": "2026-03-01T01:00:00Z",
            },
        )
    )
    backwards = admin.patch(f"/api/v1/outages/{outage['id']}", json={"ended_at": "2026-02-01T00:00:00Z"})
    assert backwards.status_code == 422
    assert admin.get("/api/v1/outages", params={"service_id": svc["id"]}).json()["count"] == 1


def test_errors_are_problem_details_naming_the_field(admin: httpx.Client, anonymous: httpx.Client) -> None:
    missing = admin.post("/api/v1/customers", json={"nmae": "x"})
    assert missing.status_code == 422
    assert missing.headers["content-type"] == "application/problem+json"
    body = missing.json()
    assert body["field"] == "name"
    assert {e["field"] for e in body["errors"]} == {"name", "nmae"}
    naive = admin.post(
        "/api/v1/tickets",
        json={"external_id": "x", "priority": "P1", "status": "new", "created_at": "2026-03-02T09:00:00"},
    )
    assert naive.json()["field"] == "created_at"
    assert admin.get("/api/v1/customers", params={"sort": "colour"}).json()["field"] == "sort"
    unauthenticated = anonymous.get("/api/v1/customers")
    assert unauthenticated.status_code == 401
    assert unauthenticated.headers["www-authenticate"] == "Bearer"
    assert anonymous.get("/api/v1/customers", headers={"Authorization": "Bearer slf_nope"}).status_code == 401


def test_bodies_beyond_the_size_limit_are_refused(admin: httpx.Client) -> None:
    huge = b'{"name": "' + b"x" * 2_000_000 + b'"}'
    declared = admin.post("/api/v1/customers", content=huge, headers={"content-type": "application/json"})
    assert declared.status_code == 413

    def chunks() -> Any:
        for _ in range(40):
            yield b"x" * 65536

    streamed = admin.post("/api/v1/customers", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    assert streamed.headers["content-type"] == "application/problem+json"


def test_tokens_are_shown_once_and_stop_working_when_revoked(admin: httpx.Client) -> None:
    made = _created(admin.post("/api/v1/tokens", json={"name": "sync"}))
    secret = made["secret"]
    listed = admin.get("/api/v1/tokens").json()["data"]
    assert all("secret" not in t for t in listed)
    with httpx.Client(base_url=str(admin.base_url), headers={"Authorization": f"Bearer {secret}"}) as robot:
        assert robot.get("/api/v1/users/me").json()["email"] == "admin@example.test"
        assert admin.delete(f"/api/v1/tokens/{made['id']}").json()["revoked_at"] is not None
        assert robot.get("/api/v1/users/me").status_code == 401
    past = admin.post("/api/v1/tokens", json={"name": "old", "expires_at": "2000-01-01T00:00:00Z"})
    assert past.status_code == 422


def test_roles_limit_what_users_may_do(admin: httpx.Client, client_for: ClientFor) -> None:
    cust = _created(admin.post("/api/v1/customers", json={"name": "Acme"}))
    manager = client_for("manager")
    agent = client_for("agent")
    assert manager.post("/api/v1/customers", json={"name": "Globex"}).status_code == 201
    assert agent.post("/api/v1/customers", json={"name": "Initech"}).status_code == 403
    made_admin = manager.post(
        "/api/v1/users", json={"email": "boss@example.test", "password": "x" * 12, "role": "admin"}
    )
    assert made_admin.status_code == 403
    viewer = manager.post(
        "/api/v1/users",
        json={"email": "v@acme.test", "password": "x" * 12, "role": "viewer", "customer_id": cust["id"]},
    )
    assert viewer.status_code == 201
    unbound = admin.post(
        "/api/v1/users", json={"email": "w@acme.test", "password": "x" * 12, "role": "viewer"}
    )
    assert unbound.status_code == 422
    assert unbound.json()["field"] == "customer_id"
    short = admin.post("/api/v1/users", json={"email": "z@acme.test", "password": "short", "role": "agent"})
    assert short.json()["field"] == "password"
    users = admin.get("/api/v1/users", params={"role": "viewer"}).json()
    assert [u["email"] for u in users["data"]] == ["v@acme.test"]
    assert "password_hash" not in users["data"][0]
