"""Strict tenancy across the whole API: every route in the OpenAPI document, as a user of customer A,
aimed at customer B's resources, answers 404 (never 403, never data); lists, counts and searches
hold none of B's rows. A route this test does not know how to aim fails it, so new routes join.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from tests.integration.api.conftest import ClientFor

CAL = {"timezone": "UTC", "hours": {"mon": ["09:00-17:00"]}}
T0 = "2026-03-02T09:00:00Z"
# Routes that hold no customer's data at all.
NOT_TENANT_DATA = {("get", "/healthz"), ("get", "/readyz")}
# Lists of what only the provider has (capability studies, the import history): to customer
# users they do not exist at all.
PROVIDER_ONLY_LISTS = {"/api/v1/studies", "/api/v1/imports", "/api/v1/imports/mappings"}
# Bodies for routes that take one, aimed at B where the body can name B.
PATH_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("patch", "/api/v1/customers/{customer_id}"): {"name": "hacked"},
    ("patch", "/api/v1/services/{service_id}"): {"name": "hacked"},
    ("patch", "/api/v1/calendars/{calendar_id}"): {"name": "hacked"},
    ("patch", "/api/v1/users/{user_id}"): {"display_name": "hacked"},
    ("patch", "/api/v1/tickets/{ticket_id}"): {"status": "hacked"},
    ("patch", "/api/v1/outages/{outage_id}"): {"description": "hacked"},
    ("post", "/api/v1/tickets/{ticket_id}/events"): {"at": "2026-03-02T10:00:00Z", "kind": "agent_reply"},
    ("post", "/api/v1/agreements/{agreement_id}/versions"): {},
    ("patch", "/api/v1/agreement-versions/{version_id}"): {"title": "hacked"},
    ("post", "/api/v1/agreement-versions/{version_id}/offer"): {},
    ("post", "/api/v1/agreement-versions/{version_id}/accept"): {"name": "hacked", "note": "hacked"},
    ("post", "/api/v1/agreement-versions/{version_id}/countersign"): {"name": "hacked"},
    ("post", "/api/v1/agreement-versions/{version_id}/reject"): {"reason": "hacked"},
    ("post", "/api/v1/agreement-versions/{version_id}/counter"): {"proposed_terms": {}, "comment": "hacked"},
    ("post", "/api/v1/agreement-versions/{version_id}/withdraw"): {"reason": "hacked"},
    ("post", "/api/v1/agreement-versions/{version_id}/accept-counter"): {"recipients": ["x@hacked.test"]},
    ("post", "/api/v1/agreement-versions/{version_id}/decline-counter"): {"reason": "hacked"},
    ("post", "/api/v1/agreement-versions/{version_id}/flag"): {"reason": "hacked"},
    ("put", "/api/v1/clause-templates/{template_key}"): {"title": "hacked", "body": "hacked"},
}
OBJECTIVE = {"metric": "first_response", "priorities": ["P1"], "target_seconds": 1800, "attainment": 0.95}


def _world(admin: httpx.Client, client_for: ClientFor) -> dict[str, dict[str, int]]:
    """Two customers, each with a calendar, a service, a ticket with an event, an outage, a user."""
    ids: dict[str, dict[str, int]] = {}
    for tag in ("A", "B"):
        cust = admin.post("/api/v1/customers", json={"name": f"Customer {tag}"}).json()["id"]
        cal = admin.post("/api/v1/calendars", json={"name": f"Calendar {tag}", "definition": CAL}).json()[
            "id"
        ]
        svc = admin.post("/api/v1/services", json={"name": f"Service {tag}", "calendar_id": cal}).json()["id"]
        ticket = admin.post(
            "/api/v1/tickets",
            json={
                "external_id": f"T-{tag}",
                "customer_id": cust,
                "service_id": svc,
                "priority": "P1",
                "status": "new",
                "created_at": T0,
                "category": f"secret-{tag}",
            },
        ).json()["id"]
        admin.post(f"/api/v1/tickets/{ticket}/events", json={"at": T0, "kind": "created"})
        outage = admin.post(
            "/api/v1/outages", json={"service_id": svc, "started_at": T0, "description": f"outage-{tag}"}
        ).json()["id"]
        draft = admin.post(
            "/api/v1/agreements",
            json={"customer_id": cust, "title": f"SLA {tag}", "terms": {"objectives": [OBJECTIVE]}},
        ).json()
        admin.post(f"/api/v1/agreement-versions/{draft['version_id']}/offer", json={})
        order = admin.post(
            "/api/v1/orders",
            json={"external_id": f"order-{tag}", "customer_id": cust, "version_id": draft["version_id"]},
        ).json()["id"]
        user_client = client_for("viewer", customer_id=cust, email=f"viewer@{tag.lower()}.test")
        me = user_client.get("/api/v1/users/me").json()["id"]
        token = user_client.get("/api/v1/tokens").json()["data"][0]["id"]
        ids[tag] = {
            "customer_id": cust,
            "calendar_id": cal,
            "service_id": svc,
            "ticket_id": ticket,
            "outage_id": outage,
            "user_id": me,
            "token_id": token,
            "agreement_id": draft["agreement_id"],
            "version_id": draft["version_id"],
            "order_id": order,
            "template_key": "scope",  # type: ignore[dict-item]  # the clause library: 404 to customers
        }
    # Studies and import batches belong to no customer: B's ids are the provider's real ones.
    study = admin.post("/api/v1/studies", json={"calendar": "Calendar B"})
    outages = b"id,name,impact,max_impact,components,started_at,disappeared_at\no1,Down,major,major,Pages,2026-03-02T09:00:00Z,\n"
    batch = admin.post("/api/v1/imports/outages", data={"mapping": "github-status"},
                       files={"file": ("outages.csv", outages, "text/csv")})  # fmt: skip
    ids["B"] |= {"study_id": study.json()["study_id"], "batch_id": batch.json()["batch_id"]}
    return ids


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def _rows_of_b(body: Any, b: dict[str, int], path: str) -> list[Any]:
    """Rows in a list answer that belong to B, judged by every id column they carry."""
    resource = path.rsplit("/", 1)[-1].rstrip("s")  # customers -> customer, tokens -> token, …
    leaks = []
    for row in body["data"]:
        own_id = b.get(f"{resource}_id")
        if own_id is not None and row["id"] == own_id:
            leaks.append(row)
        if any(row.get(key) == value for key, value in b.items() if key != f"{resource}_id"):
            leaks.append(row)
    return leaks


@pytest.mark.parametrize("role", ["viewer", "customer-admin"])
def test_every_route_hides_customer_b_from_a_user_of_customer_a(
    admin: httpx.Client, client_for: ClientFor, role: str
) -> None:
    world = _world(admin, client_for)
    a, b = world["A"], world["B"]
    user_a = client_for(role, customer_id=a["customer_id"])
    spec = admin.get("/api/v1/openapi.json").json()
    checked = 0
    for method, path, op in _operations(spec):
        if (method, path) in NOT_TENANT_DATA:
            continue
        params = re.findall(r"{(\w+)}", path)
        if params:
            unknown = [p for p in params if p not in b]
            assert not unknown, f"{method.upper()} {path}: teach this test B's id for {unknown}"
            body = PATH_BODIES.get((method, path))
            assert body is not None or "requestBody" not in op, f"{method.upper()} {path}: add a body"
            url = path.format(**b)
            response = user_a.request(method, url, json=body)
            assert response.status_code == 404, f"{role}: {method.upper()} {url} -> {response.status_code}"
            assert "Customer B" not in response.text
            assert "secret-B" not in response.text
            checked += 1
        elif method == "get" and path in PROVIDER_ONLY_LISTS:
            assert user_a.get(path).status_code == 404, f"{role}: GET {path} is the provider's"
            checked += 1
        elif method == "get":
            for query in ({}, {"q": "B"}, {"limit": 500}):
                response = user_a.get(path, params=query)
                if path.endswith("/me"):
                    assert response.json()["customer_id"] == a["customer_id"]
                    continue
                if response.status_code == 403:  # the role may not list these at all
                    continue
                assert response.status_code == 200, f"{role}: GET {path} -> {response.status_code}"
                listed = response.json()
                assert not _rows_of_b(listed, b, path), f"{role}: GET {path} {query} shows B's rows"
                assert listed["count"] == len(listed["data"]), f"{role}: GET {path} counts unseen rows"
            checked += 1
    assert checked >= 25
    _creations_naming_b_are_not_found(user_a, b)
    _b_is_untouched(admin, b)


def _creations_naming_b_are_not_found(user_a: httpx.Client, b: dict[str, int]) -> None:
    naming_b = {
        "/api/v1/tickets": {
            "external_id": "X",
            "customer_id": b["customer_id"],
            "priority": "P1",
            "status": "new",
            "created_at": T0,
        },
        "/api/v1/services": {"name": "X", "calendar_id": b["calendar_id"]},
        "/api/v1/outages": {"service_id": b["service_id"], "started_at": T0},
        "/api/v1/users": {
            "email": "x@b.test",
            "password": "x" * 12,
            "role": "viewer",
            "customer_id": b["customer_id"],
        },
    }
    for path, body in naming_b.items():
        response = user_a.post(path, json=body)
        assert response.status_code == 404, f"POST {path} naming B -> {response.status_code}"


def _b_is_untouched(admin: httpx.Client, b: dict[str, int]) -> None:
    assert admin.get(f"/api/v1/customers/{b['customer_id']}").json()["name"] == "Customer B"
    assert admin.get(f"/api/v1/tickets/{b['ticket_id']}").json()["status"] == "new"
    assert admin.get(f"/api/v1/outages/{b['outage_id']}").json()["description"] == "outage-B"
    assert admin.get(f"/api/v1/tokens/{b['token_id']}").json()["revoked_at"] is None
    assert admin.get(f"/api/v1/tickets/{b['ticket_id']}/events").json()["count"] == 1
    version = admin.get(f"/api/v1/agreement-versions/{b['version_id']}").json()
    assert (version["state"], version["title"], version["review_reason"]) == ("offered", "SLA B", None)
    assert admin.get(f"/api/v1/agreements/{b['agreement_id']}").json()["versions"][-1]["number"] == 1


def test_a_customer_user_sees_its_own_organisation(admin: httpx.Client, client_for: ClientFor) -> None:
    world = _world(admin, client_for)
    a = world["A"]
    viewer = client_for("viewer", customer_id=a["customer_id"])
    for path, _key in [
        ("/api/v1/customers/{customer_id}", "customer_id"),
        ("/api/v1/services/{service_id}", "service_id"),
        ("/api/v1/calendars/{calendar_id}", "calendar_id"),
        ("/api/v1/tickets/{ticket_id}", "ticket_id"),
        ("/api/v1/outages/{outage_id}", "outage_id"),
        ("/api/v1/calendars/{calendar_id}/preview", "calendar_id"),
    ]:
        assert viewer.get(path.format(**a)).status_code == 200, path
    assert viewer.get("/api/v1/customers").json()["count"] == 1
    assert viewer.get("/api/v1/tickets").json()["data"][0]["category"] == "secret-A"
    # Seeing is not changing: a viewer's own organisation is read-only to it.
    assert viewer.patch(f"/api/v1/tickets/{a['ticket_id']}", json={"status": "x"}).status_code == 403
