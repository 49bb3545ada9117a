"""Strict tenancy across the whole API: every route in the OpenAPI document, as a user of customer A,
aimed at customer B's resources, answers 404 (never 403, never data); lists, counts and searches
hold none of B's rows, even when filtered by B's ids; nothing of B's changes. A route this test
does not know how to aim fails it with a message saying where to teach it, so new routes join.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.integration.api.conftest import ClientFor
from tests.integration.api.tenancy_world import OUTAGES_CSV, T0, TERMS, build_world, leaked_markers

HERE = "tests/integration/api/platform/test_api_tenancy.py"
# Routes that hold no customer's data at all, so there is nothing of B's to aim at.
NOT_TENANT_DATA = {
    ("get", "/healthz"),  # liveness: answers "ok" to anyone, reads nothing
    ("get", "/readyz"),  # readiness: database reachable and migrated, no rows read
    # Payment webhooks are called by the payment provider, not by users: they authenticate by the
    # body's signature (Stripe's, or our HMAC), ignore the caller's token, and are tested for
    # forged and replayed events in tests/integration/agreement/test_payments_api.py.
    ("post", "/api/v1/webhooks/stripe"),
    ("post", "/api/v1/webhooks/payments"),
    # Whether the caller has a calendar feed: its own, whoever asks; names no other user.
    ("get", "/api/v1/me/feed"),
    # A calendar feed is opened by the secret in its URL, not by the caller's token: whoever holds
    # B's URL reads B's feed, as intended. Its tenancy (a customer user's feed never holds another
    # customer's series) and wrong or reset tokens are tested in
    # tests/integration/relationship/test_meeting_records_api.py.
    ("get", "/feeds/{token}.ics"),
    # The event API of tracking systems: they authenticate with an agreement's ingestion token,
    # which says whose tickets they are; a user's API token is refused (401) whatever it names.
    # Tested for tokens of another customer, revoked and unknown tokens, and payloads naming
    # another customer in tests/integration/api/readiness/test_ingestion_api.py.
    ("post", "/api/v1/ingest/tickets"),
    ("post", "/api/v1/ingest/tickets/{external_id}/events"),
    ("post", "/api/v1/ingest/webhooks/{system}"),
    ("post", "/api/v1/ingest/batch"),  # the same token rule; tests/integration/live/test_live_api.py
    # Outages of a service (which customers share), by the same token rule; a user's token is
    # refused in tests/integration/api/live/test_availability_api.py.
    ("post", "/api/v1/ingest/outages"),
    ("post", "/api/v1/ingest/outages/batch"),
    ("post", "/api/v1/ingest/satisfaction"),  # a ticket of the token's customer only (404 otherwise)
}
# Lists of what only the provider has (capability studies, the import history, the clause library,
# questionnaire invitations): to customer users they do not exist at all.
PROVIDER_ONLY_LISTS = {
    "/api/v1/studies",
    "/api/v1/imports",
    "/api/v1/imports/mappings",
    "/api/v1/clause-templates",
    "/api/v1/expectation-invites",
    "/api/v1/underpinning-contracts",
    "/api/v1/ingest/unrouted",  # tickets no live clock measures, of every customer
}
# Lists a role may not read even for its own organisation: the refusal (403) is the same whoever's
# rows are asked for, so it tells nothing of B. Each entry is one deliberate role rule.
ROLE_MAY_NOT_LIST = {
    ("viewer", "/api/v1/users"),  # a viewer sees itself (/users/me), not its colleagues
}
NEW_TASK = {"title": "hacked", "party": "customer", "due": "2026-03-09"}
# Bodies for routes with a path parameter that take one, aimed at B where the body can name B.
PATH_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/api/v1/agreements/{agreement_id}/relationship/underpinning/links"): {
        "objective": 0,
        "contract_id": 1,
    },
    ("patch", "/api/v1/customers/{customer_id}"): {"name": "hacked"},
    ("post", "/api/v1/agreements/{agreement_id}/clocks/repair"): {"reason": "hacked"},
    ("post", "/api/v1/agreements/{agreement_id}/claims"): {"objective_index": 0, "period": "2026-11"},
    ("post", "/api/v1/claims/{claim_id}/decision"): {"approve": True},
    ("put", "/api/v1/agreements/{agreement_id}/relationship/meetings/series/{series_key}"): {
        "name": "hacked",
        "rrule": "FREQ=MONTHLY",
        "start": "2027-01-05T10:00",
        "timezone": "Europe/Berlin",
    },
    ("post", "/api/v1/agreements/{agreement_id}/relationship/meetings/series/{series_key}/exceptions"): {
        "original_start": "2027-01-05T10:00",
        "cancelled": True,
    },
    (
        "put",
        "/api/v1/agreements/{agreement_id}/relationship/meetings/series/{series_key}/occurrences/"
        "{original_start}/minutes",
    ): {"text": "hacked", "actions": [{"title": "hacked", "party": "customer", "due": "2026-03-09"}]},
    (
        "post",
        "/api/v1/agreements/{agreement_id}/relationship/meetings/series/{series_key}/occurrences/"
        "{original_start}/topics",
    ): {"text": "hacked"},
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
    ("post", "/api/v1/agreement-versions/{version_id}/clear-review"): {"note": "hacked"},
    ("post", "/api/v1/agreement-versions/{version_id}/signature-links"): {"recipients": ["x@hacked.test"]},
    ("put", "/api/v1/clause-templates/{template_key}"): {"title": "hacked", "body": "hacked"},
    ("post", "/api/v1/agreements/{agreement_id}/relationship/obligations"): {
        "key": "hacked",
        "name": "hacked",
        "due_seconds": 3600,
        "starts_on": {"status": "waiting"},
        "stops_on": {"event": "customer_reply"},
    },
    ("post", "/api/v1/agreements/{agreement_id}/relationship/obligations/fulfilments"): {
        "ticket_id": 1,
        "obligation": "hacked",
        "started_at": "2026-03-02T10:00:00Z",
    },
    ("post", "/api/v1/agreements/{agreement_id}/relationship/tasks"): NEW_TASK,
    ("patch", "/api/v1/agreements/{agreement_id}/relationship/tasks/{task_id}"): {"note": "hacked"},
    ("post", "/api/v1/agreements/{agreement_id}/relationship/tasks/{task_id}/dependencies"): {
        "depends_on": 1
    },
    ("post", "/api/v1/agreements/{agreement_id}/relationship/task-templates"): {"start": "2026-03-02"},
    ("put", "/api/v1/agreements/{agreement_id}/relationship"): {},
    ("put", "/api/v1/agreements/{agreement_id}/relationship/roles"): {},
    ("put", "/api/v1/agreements/{agreement_id}/relationship/contacts"): {"contacts": []},
    ("post", "/api/v1/agreements/{agreement_id}/relationship/starter"): {},
    ("post", "/api/v1/agreements/{agreement_id}/relationship/activities"): {
        "key": "x",
        "name": "x",
        "raci": [],
    },
    ("put", "/api/v1/agreements/{agreement_id}/relationship/activities/{activity_key}"): {
        "name": "x",
        "raci": [],
    },
    ("post", "/api/v1/agreements/{agreement_id}/relationship/acknowledgements"): {
        "activity_key": "approve-changes"
    },
    ("put", "/api/v1/agreements/{agreement_id}/readiness/config"): {"objectives": [], "reports": []},
    ("post", "/api/v1/agreements/{agreement_id}/readiness/waivers"): {
        "item": "objectives[0].tracking",
        "reason": "hacked",
    },
    ("post", "/api/v1/agreements/{agreement_id}/readiness/channel-tests"): {"channel": "email"},
    ("post", "/api/v1/agreements/{agreement_id}/readiness/go-live"): {},
    ("post", "/api/v1/agreements/{agreement_id}/readiness/shadow-runs"): {
        "start": "2026-01-01T00:00:00Z",
        "end": "2026-02-01T00:00:00Z",
    },
    ("post", "/api/v1/agreements/{agreement_id}/readiness/ingestion-tokens"): {"label": "B's desk"},
    ("put", "/api/v1/agreements/{agreement_id}/readiness/ingestion-tokens/{token_id}/signing-secret"): {
        "secret": "a-secret-of-sixteen-or-more"
    },
    ("post", "/api/v1/agreements/{agreement_id}/readiness/holidays"): {
        "calendar": "Office hours",
        "days": [{"day": "2099-12-24"}],
    },
}


def collection_requests(b: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """For every non-GET route without a path parameter: httpx keyword arguments (`json=`, or
    `data=` and `files=`) for a request whose body names B's resources. A user of A must get 404."""
    return {
        ("post", "/api/v1/agreements"): {"json": {
            "customer_id": b["customer_id"], "title": "X", "terms": TERMS}},
        ("post", "/api/v1/agreements/from-study"): {"json": {
            "customer_id": b["customer_id"], "study_id": b["study_id"], "title": "X"}},
        ("post", "/api/v1/agreements/from-expectations"): {"json": {
            "customer_id": b["customer_id"], "study_id": b["study_id"], "title": "X"}},
        ("post", "/api/v1/services"): {"json": {"name": "X", "calendar_id": b["calendar_id"]}},
        ("post", "/api/v1/users"): {"json": {
            "email": "x@b.test", "password": "x" * 12, "role": "viewer", "customer_id": b["customer_id"]}},
        ("post", "/api/v1/tickets"): {"json": {
            "external_id": "X", "customer_id": b["customer_id"], "service_id": b["service_id"],
            "priority": "P1", "status": "new", "created_at": T0}},
        ("post", "/api/v1/outages"): {"json": {"service_id": b["service_id"], "started_at": T0}},
        ("post", "/api/v1/orders"): {"json": {
            "external_id": "X", "customer_id": b["customer_id"], "version_id": b["version_id"]}},
        ("post", "/api/v1/expectations"): {"json": {
            "customer_id": b["customer_id"], "metric": "resolution", "priority": "P1", "target": "1h"}},
        ("post", "/api/v1/expectations/import"): {"json": {
            "customer_id": b["customer_id"], "content": "metric,priority,target\nresolution,P1,1h\n"}},
        ("post", "/api/v1/expectation-invites"): {"json": {"customer_id": b["customer_id"], "email": "x@b.test"}},
        ("post", "/api/v1/studies"): {"json": {"calendar_id": b["calendar_id"]}},
        ("post", "/api/v1/imports/tickets"): {"data": {"mapping": "github-status"},
                                              "files": {"file": ("x.csv", OUTAGES_CSV, "text/csv")}},
        ("post", "/api/v1/imports/outages"): {"data": {"mapping": "github-status"},
                                              "files": {"file": ("x.csv", OUTAGES_CSV, "text/csv")}},
        ("post", "/api/v1/imports/preview"): {"data": {"mapping": "github-status"},
                                              "files": {"file": ("x.csv", OUTAGES_CSV, "text/csv")}},
    }  # fmt: skip


# Creations whose body has no field that could name another customer: there is no B to aim at, so
# the answer is the role's (403: customer users may not add to the provider's catalogue) or the
# user's own (a token for itself). The snapshot of B afterwards still proves nothing of B changed.
CANNOT_NAME_B: dict[tuple[str, str], tuple[dict[str, Any], int]] = {
    ("post", "/api/v1/customers"): ({"name": "Customer B2"}, 403),
    ("post", "/api/v1/calendars"): ({"name": "Calendar B2", "definition": {"timezone": "UTC"}}, 403),
    ("post", "/api/v1/tokens"): ({"name": "mine"}, 201),
    ("post", "/api/v1/me/feed"): ({}, 200),  # a new feed URL for the caller itself
    # The provider's own contracts: to a customer user they do not exist.
    ("post", "/api/v1/underpinning-contracts"): (
        {"kind": "uc", "name": "x", "calendar": {"timezone": "UTC"}, "targets": {"resolution": {"*": 3600}}},
        404,
    ),
}


def _unknown_route(method: str, path: str, op: dict[str, Any], known: str) -> str:
    has_body = "requestBody" in op
    return (
        f"{method.upper()} {path} is a route the tenancy test does not know ({known}). Teach it in {HERE}: "
        + (
            f"add ('{method}', '{path}') to collection_requests() with a body naming B's ids "
            "(b['customer_id'], b['version_id'], b['study_id'], …; add new ids to build_world() in "
            "tests/integration/api/tenancy_world.py)"
            if has_body
            else f"add ('{method}', '{path}') to NOT_TENANT_DATA with a comment saying why it holds no "
            "customer's data"
        )
        + ", or to CANNOT_NAME_B if its body can name no customer at all."
    )


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def _rows_of_b(body: Any, b: dict[str, Any], path: str) -> list[Any]:
    """Rows in a list answer that belong to B, judged by every id column they carry."""
    resource = path.rsplit("/", 1)[-1].rstrip("s")  # customers -> customer, tokens -> token, …
    leaks = []
    for row in body["data"]:
        own_id = b.get(f"{resource}_id")
        if own_id is not None and row.get("id") == own_id:
            leaks.append(row)
        if any(row.get(key) == value for key, value in b.items() if key != f"{resource}_id"):
            leaks.append(row)
    return leaks


def _b_filters(op: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """The list's filter parameters that name one of B's ids, set to B's."""
    names = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
    return {name: b[name] for name in names if name.endswith("_id") and name in b}


def snapshot_of_b(admin: httpx.Client, b: dict[str, Any]) -> dict[str, Any]:
    """Everything of B's (and the provider-wide lists a customer user must not add to), as the
    admin sees it; equal before and after means nothing of B's was written."""
    paths = [
        f"/api/v1/customers/{b['customer_id']}",
        f"/api/v1/tickets?customer_id={b['customer_id']}",
        f"/api/v1/tickets/{b['ticket_id']}/events",
        f"/api/v1/services?calendar_id={b['calendar_id']}",
        f"/api/v1/calendars/{b['calendar_id']}",
        f"/api/v1/outages?service_id={b['service_id']}",
        f"/api/v1/users?customer_id={b['customer_id']}",
        f"/api/v1/tokens?user_id={b['user_id']}",
        f"/api/v1/agreements?customer_id={b['customer_id']}",
        f"/api/v1/agreements/{b['agreement_id']}",
        f"/api/v1/agreement-versions/{b['version_id']}",
        "/api/v1/orders",
        f"/api/v1/expectations?customer_id={b['customer_id']}",
        f"/api/v1/expectation-invites?customer_id={b['customer_id']}",
        "/api/v1/customers",
        "/api/v1/calendars",
        "/api/v1/studies",
        "/api/v1/imports",
        "/api/v1/clause-templates",
        f"/api/v1/agreements/{b['agreement_id']}/relationship",
        f"/api/v1/agreements/{b['agreement_id']}/relationship/acknowledgements",
        f"/api/v1/agreements/{b['agreement_id']}/relationship/meetings/series/monthly-review/occurrences/"
        f"{b['coming']}/topics",
    ]
    snapshot = {}
    for path in paths:
        response = admin.get(path)
        assert response.status_code == 200, f"snapshot GET {path} -> {response.status_code}"
        snapshot[path] = response.json()
    return snapshot


def _check_path_route(user_a: httpx.Client, role: str, method: str, path: str, op: dict[str, Any],
                      b: dict[str, Any]) -> None:  # fmt: skip
    params = re.findall(r"{(\w+)}", path)
    unknown = [p for p in params if p not in b]
    assert not unknown, (
        f"{method.upper()} {path}: the tenancy test has no id of B's for {unknown}; add it to "
        "build_world() in tests/integration/api/tenancy_world.py"
    )
    body = PATH_BODIES.get((method, path))
    assert body is not None or "requestBody" not in op, (
        f"{method.upper()} {path} takes a body the tenancy test does not know: add "
        f"('{method}', '{path}') to PATH_BODIES in {HERE}"
    )
    url = path.format(**b)
    response = user_a.request(method, url, json=body)
    assert response.status_code == 404, f"{role}: {method.upper()} {url} -> {response.status_code}"
    assert not leaked_markers(response.text), f"{role}: {method.upper()} {url} shows B's data"


def _check_list(user_a: httpx.Client, role: str, path: str, op: dict[str, Any], a: dict[str, Any],
                b: dict[str, Any]) -> None:  # fmt: skip
    if path in PROVIDER_ONLY_LISTS:
        response = user_a.get(path, params=_b_filters(op, b))
        assert response.status_code == 404, f"{role}: GET {path} is the provider's -> {response.status_code}"
        assert not leaked_markers(response.text)
        return
    if (role, path) in ROLE_MAY_NOT_LIST:
        for query in ({}, _b_filters(op, b)):
            response = user_a.get(path, params=query)
            assert response.status_code == 403, f"{role}: GET {path} {query} -> {response.status_code}"
            assert not leaked_markers(response.text)
        return
    filtered = _b_filters(op, b)
    for query in ({}, {"q": "B"}, {"limit": 500}, filtered):
        response = user_a.get(path, params=query)
        assert not leaked_markers(response.text), f"{role}: GET {path} {query} shows B's data"
        if path.endswith("/me"):
            assert response.json()["customer_id"] == a["customer_id"]
            continue
        if query is filtered and filtered and response.status_code == 404:
            continue  # naming B's customer (or its user, service, …) in a filter: no such thing
        assert response.status_code == 200, f"{role}: GET {path} {query} -> {response.status_code}"
        listed = response.json()
        assert not _rows_of_b(listed, b, path), f"{role}: GET {path} {query} shows B's rows"
        assert listed["count"] == len(listed["data"]), f"{role}: GET {path} counts unseen rows"
        if query is filtered and filtered:
            assert listed["data"] == [], f"{role}: GET {path} filtered by B's {filtered} lists rows"


def _check_collection_route(user_a: httpx.Client, role: str, method: str, path: str, op: dict[str, Any],
                            b: dict[str, Any]) -> None:  # fmt: skip
    if (method, path) in CANNOT_NAME_B:
        body, expected = CANNOT_NAME_B[(method, path)]
        if (method, path) == ("post", "/api/v1/tokens") and role == "viewer":
            expected = 403  # a viewer may not make API tokens (Permission.TOKENS_OWN)
        response = user_a.request(method, path, json=body)
        assert response.status_code == expected, f"{role}: {method.upper()} {path} -> {response.status_code}"
    else:
        requests = collection_requests(b)
        assert (method, path) in requests, _unknown_route(method, path, op, "no body aimed at B")
        response = user_a.request(method, path, **requests[(method, path)])
        assert response.status_code == 404, (
            f"{role}: {method.upper()} {path} naming B -> {response.status_code} {response.text[:200]}"
        )
    assert not leaked_markers(response.text), f"{role}: {method.upper()} {path} shows B's data"


@pytest.mark.parametrize("role", ["viewer", "customer-admin"])
def test_every_route_hides_customer_b_from_a_user_of_customer_a(
    admin: httpx.Client, client_for: ClientFor, role: str
) -> None:
    world = build_world(admin, client_for)
    a, b = world["A"], world["B"]
    before = snapshot_of_b(admin, b)
    user_a = client_for(role, customer_id=a["customer_id"])
    spec = admin.get("/api/v1/openapi.json").json()
    checked, failures = 0, []
    for method, path, op in _operations(spec):
        if (method, path) in NOT_TENANT_DATA:
            continue
        try:
            if "{" in path:
                _check_path_route(user_a, role, method, path, op, b)
            elif method == "get":
                _check_list(user_a, role, path, op, a, b)
            else:
                _check_collection_route(user_a, role, method, path, op, b)
        except AssertionError as exc:  # every route's verdict, not only the first one's
            failures.append(str(exc).split("\nassert")[0])
        checked += 1
    assert not failures, "\n".join(failures)
    assert checked >= 60
    assert snapshot_of_b(admin, b) == before, f"{role}: B's data changed"
    _b_is_untouched(admin, b)


def _b_is_untouched(admin: httpx.Client, b: dict[str, Any]) -> None:
    assert admin.get(f"/api/v1/customers/{b['customer_id']}").json()["name"] == "Customer B"
    assert admin.get(f"/api/v1/tickets/{b['ticket_id']}").json()["status"] == "new"
    assert admin.get(f"/api/v1/outages/{b['outage_id']}").json()["description"] == "outage-B"
    assert admin.get(f"/api/v1/tokens/{b['token_id']}").json()["revoked_at"] is None
    assert admin.get(f"/api/v1/tickets/{b['ticket_id']}/events").json()["count"] == 1
    version = admin.get(f"/api/v1/agreement-versions/{b['version_id']}").json()
    assert (version["state"], version["title"], version["review_reason"]) == ("offered", "SLA B", None)
    assert admin.get(f"/api/v1/agreements/{b['agreement_id']}").json()["versions"][-1]["number"] == 1
    expected = admin.get("/api/v1/expectations", params={"customer_id": b["customer_id"]}).json()
    assert [(e["target_seconds"], e["comment"]) for e in expected["data"]] == [
        (14400, "secret-B expectation")
    ]


def test_the_unknown_route_message_says_where_to_teach_the_test() -> None:
    message = _unknown_route("post", "/api/v1/widgets", {"requestBody": {}}, "no body aimed at B")
    assert "POST /api/v1/widgets" in message
    assert "collection_requests()" in message
    assert HERE in message
    assert "NOT_TENANT_DATA" in _unknown_route("post", "/api/v1/ping", {}, "no body aimed at B")


def test_a_customer_user_sees_its_own_organisation(admin: httpx.Client, client_for: ClientFor) -> None:
    world = build_world(admin, client_for)
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
    assert [e["comment"] for e in viewer.get("/api/v1/expectations").json()["data"]] == [
        "secret-A expectation"
    ]
    # Seeing is not changing: a viewer's own organisation is read-only to it.
    assert viewer.patch(f"/api/v1/tickets/{a['ticket_id']}", json={"status": "x"}).status_code == 403
