"""Property-based fuzzing of the whole API from its own OpenAPI document (Schemathesis), as an admin
and again, more briefly, as a viewer of one customer (whose answers take the tenancy paths: 404s
and scoped lists): no 5xx, and every answer matches its documented status, content type and schema.
Bounded by max_examples so both runs together take about three minutes on two cores.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.integration.api.conftest import ClientFor
from tests.integration.api.live_server import LiveServer
from tests.integration.api.tenancy_world import TERMS

# Examples per operation and per role: the admin reaches every handler, the viewer mostly the
# tenancy refusals, which are cheaper and fewer, so it needs fewer.
MAX_EXAMPLES = {"admin": 60, "viewer": 20}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@dataclass
class Target:
    schema: schemathesis.BaseSchema
    base_url: str
    headers: dict[str, str]
    max_examples: int


@pytest.fixture(params=["admin", "viewer"])
def fuzz_target(
    request: pytest.FixtureRequest, server: LiveServer, admin: httpx.Client, client_for: ClientFor
) -> Target:
    # A little real data, so that some generated ids hit rows instead of all being 404: a ticket,
    # and an offered agreement with an order, so that the agreement handlers run past their loads.
    cust = admin.post("/api/v1/customers", json={"name": "Acme"}).json()["id"]
    cal = admin.post("/api/v1/calendars", json={"name": "Office", "definition": {"timezone": "UTC"}}).json()[
        "id"
    ]
    svc = admin.post("/api/v1/services", json={"name": "Email", "calendar_id": cal}).json()["id"]
    admin.post(
        "/api/v1/tickets",
        json={
            "external_id": "T-1",
            "customer_id": cust,
            "service_id": svc,
            "priority": "P1",
            "status": "new",
            "created_at": "2026-03-02T09:00:00Z",
        },
    )
    draft = admin.post(
        "/api/v1/agreements", json={"customer_id": cust, "title": "SLA", "terms": TERMS}
    ).json()
    offered = admin.post(f"/api/v1/agreement-versions/{draft['version_id']}/offer", json={})
    assert offered.status_code == 200, offered.text
    order = admin.post(
        "/api/v1/orders",
        json={"external_id": "order-1", "customer_id": cust, "version_id": draft["version_id"]},
    )
    assert order.status_code == 201, order.text
    role = str(request.param)
    user = admin if role == "admin" else client_for(role, customer_id=cust)
    spec = admin.get("/api/v1/openapi.json").json()
    return Target(
        schemathesis.openapi.from_dict(spec),
        server.url,
        {"Authorization": user.headers["Authorization"]},
        MAX_EXAMPLES[role],
    )


@pytest.mark.slow
def test_the_api_honours_its_own_openapi_document(fuzz_target: Target) -> None:
    # Driven operation by operation here rather than through Schemathesis' pytest plugin, which
    # does not load under pytest 9; each operation gets its own bounded Hypothesis run.
    failures: list[str] = []
    operations = [result.ok() for result in fuzz_target.schema.get_all_operations()]
    # Revoking tokens goes last: the fuzzer may well revoke the very token it is using.
    operations.sort(key=lambda op: op.method.upper() == "DELETE" and op.path == "/api/v1/tokens/{token_id}")
    assert len(operations) > 25
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=fuzz_target.max_examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=fuzz_target.base_url, headers=fuzz_target.headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them together
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
