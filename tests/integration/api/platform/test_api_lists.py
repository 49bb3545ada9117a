"""The lists added after issue 3 page, sort and filter as the first ones do: `limit`/`offset` with
`count` the total matching, `sort` over a whitelist (`-field` descending, anything else a 422
naming `sort`), and each list's filters. One seeded world, one table of lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.integration.api.conftest import ClientFor
from tests.integration.api.tenancy_world import CAL, OUTAGES_CSV, T0, TERMS


def _ok(response: httpx.Response) -> Any:
    assert response.status_code in (200, 201), f"{response.request.url}: {response.text}"
    return response.json()


@dataclass(frozen=True)
class Listing:
    path: str
    sorts: tuple[str, ...]  # fields the rows carry under the same name
    filters: dict[str, Any] = field(default_factory=dict)  # parameter -> a value rows carry exactly


LISTS = [
    Listing("/api/v1/agreements", ("id", "title", "customer_id", "created_at"), {"customer_id": "C1"}),
    Listing(
        "/api/v1/orders",
        ("id", "amount", "external_id", "status", "paid_at"),
        {"customer_id": "C1", "provider": "generic", "status": "open", "version_id": "V1"},
    ),
    Listing(
        "/api/v1/expectations",
        ("id", "customer_id", "metric", "priority", "importance"),
        {"customer_id": "C1", "metric": "resolution", "priority": "P2", "importance": "must-have"},
    ),
    Listing(
        "/api/v1/expectation-invites",
        ("id", "email", "customer_id", "created_at", "expires_at"),
        {"customer_id": "C1", "email": "b@one.test"},
    ),
    Listing("/api/v1/clause-templates", ("key", "title", "position"), {"builtin": False}),
    Listing("/api/v1/studies", ("id", "created_at", "tickets")),
    Listing("/api/v1/imports/mappings", ("name", "kind"), {"kind": "outages"}),
    Listing(
        "/api/v1/imports",
        ("id", "started_at", "rows_read", "source", "status"),
        {"source": "SOURCE", "status": "completed"},
    ),
]


def _seed(admin: httpx.Client) -> dict[str, Any]:
    """Two customers; three of every row the lists hold, unevenly spread over them."""
    c1 = _ok(admin.post("/api/v1/customers", json={"name": "One"}))["id"]
    c2 = _ok(admin.post("/api/v1/customers", json={"name": "Two"}))["id"]
    cal = _ok(admin.post("/api/v1/calendars", json={"name": "Cal", "definition": CAL}))["id"]
    svc = _ok(admin.post("/api/v1/services", json={"name": "Svc", "calendar_id": cal}))["id"]
    _ok(admin.post("/api/v1/tickets", json={
        "external_id": "T-1", "customer_id": c1, "service_id": svc, "priority": "P1", "status": "new",
        "created_at": T0}))  # fmt: skip
    versions = []
    for title, customer, offer in (
        ("Gamma SLA", c1, True),
        ("Alpha SLA", c2, False),
        ("Beta SLA", c1, False),
    ):
        draft = _ok(
            admin.post("/api/v1/agreements", json={"customer_id": customer, "title": title, "terms": TERMS})
        )
        if offer:
            _ok(admin.post(f"/api/v1/agreement-versions/{draft['version_id']}/offer", json={}))
        versions.append(draft["version_id"])
    for n, (customer, provider, amount) in enumerate(
        ((c1, "stripe", 500), (c2, "generic", 100), (c1, "generic", 300))
    ):
        _ok(admin.post("/api/v1/orders", json={
            "external_id": f"order-{n}", "customer_id": customer, "version_id": versions[n], "provider": provider,
            "amount": amount, "currency": "EUR"}))  # fmt: skip
    for customer, metric, priority, importance in (
        (c1, "resolution", "P1", "must-have"), (c1, "first_response", "P2", "important"),
        (c2, "resolution", "P2", "must-have"),
    ):  # fmt: skip
        _ok(admin.post("/api/v1/expectations", json={
            "customer_id": customer, "metric": metric, "priority": priority, "target": "4h",
            "importance": importance, "comment": f"note {metric}"}))  # fmt: skip
    for customer, email in ((c1, "a@one.test"), (c2, "c@two.test"), (c1, "b@one.test")):
        _ok(admin.post("/api/v1/expectation-invites", json={"customer_id": customer, "email": email}))
    template = _ok(admin.get("/api/v1/clause-templates"))["data"][0]
    _ok(admin.put(f"/api/v1/clause-templates/{template['key']}", json={
        "title": template["title"], "body": template["body"] + "\n\nEdited.", "position": template["position"]}))  # fmt: skip
    for _ in range(3):
        _ok(admin.post("/api/v1/studies", json={"calendar": "Cal"}))
    for _ in range(3):
        _ok(admin.post("/api/v1/imports/outages", data={"mapping": "github-status", "allow_duplicate": "true"},
                       files={"file": ("outages.csv", OUTAGES_CSV, "text/csv")}))  # fmt: skip
    source = _ok(admin.get("/api/v1/imports"))["data"][0]["source"]
    return {"C1": c1, "C2": c2, "V1": versions[0], "SOURCE": source}


@pytest.fixture(scope="module")
def shared_world(module_admin: httpx.Client) -> dict[str, Any]:
    """The world the paging, sorting, filtering and refusal tests only read: seeded once per module."""
    return _seed(module_admin)


@pytest.fixture
def world(admin: httpx.Client) -> dict[str, Any]:
    return _seed(admin)


def _all(admin: httpx.Client, path: str, **params: Any) -> dict[str, Any]:
    body: dict[str, Any] = _ok(admin.get(path, params={"limit": 500, **params}))
    assert body["count"] == len(body["data"])
    return body


def _key(value: Any) -> tuple[bool, Any]:
    return (value is None, value)


@pytest.mark.parametrize("listing", LISTS, ids=[lst.path for lst in LISTS])
def test_a_list_pages_with_the_total_count(
    module_admin: httpx.Client, shared_world: dict[str, Any], listing: Listing
) -> None:
    admin = module_admin
    everything = _all(admin, listing.path)
    assert everything["count"] >= 3
    page = _ok(admin.get(listing.path, params={"limit": 2, "offset": 1}))
    assert page["count"] == everything["count"]
    assert page["data"] == everything["data"][1:3]
    beyond = _ok(admin.get(listing.path, params={"offset": everything["count"]}))
    assert beyond == {"data": [], "count": everything["count"]}


@pytest.mark.parametrize("listing", LISTS, ids=[lst.path for lst in LISTS])
def test_a_list_sorts_by_each_whitelisted_field_both_ways(
    module_admin: httpx.Client, shared_world: dict[str, Any], listing: Listing
) -> None:
    admin = module_admin
    for name in listing.sorts:
        up = [row[name] for row in _all(admin, listing.path, sort=name)["data"]]
        down = [row[name] for row in _all(admin, listing.path, sort=f"-{name}")["data"]]
        assert up == sorted(up, key=_key), name
        assert down == sorted(down, key=_key, reverse=True), name
        assert up != down or len(set(map(repr, up))) == 1, name


@pytest.mark.parametrize("listing", LISTS, ids=[lst.path for lst in LISTS])
def test_a_list_filters_by_each_of_its_parameters(
    module_admin: httpx.Client, shared_world: dict[str, Any], listing: Listing
) -> None:
    admin, world = module_admin, shared_world
    everything = _all(admin, listing.path)["data"]
    for name, given in listing.filters.items():
        value = world.get(given, given) if isinstance(given, str) else given
        expected = [row for row in everything if row[name] == value]
        assert expected, (name, value)
        found = _all(admin, listing.path, **{name: str(value).lower() if isinstance(value, bool) else value})
        assert found["data"] == expected, name
        page = _ok(admin.get(listing.path, params={name: value, "limit": 1}))
        assert page["count"] == len(expected), name


@pytest.mark.parametrize("listing", LISTS, ids=[lst.path for lst in LISTS])
def test_a_list_refuses_an_unknown_sort_field_or_a_negative_offset_naming_the_parameter(
    module_admin: httpx.Client, listing: Listing
) -> None:
    admin = module_admin
    bad_sort = admin.get(listing.path, params={"sort": "colour"})
    assert bad_sort.status_code == 422
    assert bad_sort.headers["content-type"].startswith("application/problem+json")
    assert bad_sort.json()["field"] == "sort"
    negative = admin.get(listing.path, params={"offset": -1})
    assert negative.status_code == 422
    assert negative.json()["field"] == "offset"
    too_many = admin.get(listing.path, params={"limit": 501})
    assert too_many.status_code == 422
    assert too_many.json()["field"] == "limit"


def test_the_derived_filters_select_by_state_flag_status_time_and_text(
    admin: httpx.Client, world: dict[str, Any], client_for: ClientFor
) -> None:
    offered = _all(admin, "/api/v1/agreements", state="offered")["data"]
    assert [a["title"] for a in offered] == ["Gamma SLA"]
    assert _all(admin, "/api/v1/agreements", state="draft")["count"] == 2
    assert [a["title"] for a in _all(admin, "/api/v1/agreements", q="alpha")["data"]] == ["Alpha SLA"]
    # A customer's user sees its own agreements, but never a draft: "latest" is the latest it may see.
    viewer = client_for("viewer", customer_id=world["C1"])
    assert _all(viewer, "/api/v1/agreements")["count"] == 2
    assert [a["title"] for a in _all(viewer, "/api/v1/agreements", state="offered")["data"]] == ["Gamma SLA"]
    assert _all(viewer, "/api/v1/agreements", state="draft")["count"] == 0
    assert _all(viewer, "/api/v1/orders")["count"] == 2  # its own, by tenancy, before any filter
    assert _all(viewer, "/api/v1/orders", customer_id=world["C2"])["data"] == []

    assert _all(admin, "/api/v1/orders", flagged="true")["count"] == 0
    assert _all(admin, "/api/v1/orders", currency="EUR")["count"] == 3
    assert _all(admin, "/api/v1/orders", status="paid")["count"] == 0
    assert [o["external_id"] for o in _all(admin, "/api/v1/orders", q="ORDER-1")["data"]] == ["order-1"]

    assert _all(admin, "/api/v1/expectation-invites", status="open")["count"] == 3
    assert _all(admin, "/api/v1/expectation-invites", status="used")["count"] == 0
    assert _all(admin, "/api/v1/expectation-invites", q="two.test")["count"] == 1
    assert admin.get("/api/v1/expectation-invites", params={"status": "lost"}).json()["field"] == "status"
    assert _all(admin, "/api/v1/expectations", q="note first")["count"] == 1

    studies = _all(admin, "/api/v1/studies")["data"]
    assert _all(admin, "/api/v1/studies", created_from=studies[-1]["created_at"])["count"] == 3
    assert _all(admin, "/api/v1/studies", created_before=studies[-1]["created_at"])["count"] == 0
    assert _all(admin, "/api/v1/studies", created_from="2999-01-01T00:00:00Z")["count"] == 0

    assert _all(admin, "/api/v1/imports", q="outages.csv")["count"] == 3
    assert _all(admin, "/api/v1/imports", status="partial")["count"] == 0
    assert _all(admin, "/api/v1/imports", source="elsewhere")["count"] == 0
    mappings = _all(admin, "/api/v1/imports/mappings", q="github")["data"]
    assert [m["name"] for m in mappings] == ["github-status"]
    assert admin.get("/api/v1/imports/mappings", params={"kind": "x"}).json()["field"] == "kind"
