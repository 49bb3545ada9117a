"""Property-based fuzzing of the whole API from its own OpenAPI document (Schemathesis), as an admin:
no 5xx, and every answer matches its documented status, content type and schema.
Bounded by max_examples so the run takes about a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
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

MAX_EXAMPLES = 80
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@dataclass
class Target:
    schema: schemathesis.BaseSchema
    base_url: str
    headers: dict[str, str]


@pytest.fixture
def fuzz_target(server: LiveServer, admin: httpx.Client, client_for: ClientFor) -> Iterator[Target]:
    # A little real data, so that some generated ids hit rows instead of all being 404.
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
    spec = admin.get("/api/v1/openapi.json").json()
    return Target(
        schemathesis.openapi.from_dict(spec), server.url, {"Authorization": admin.headers["Authorization"]}
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
            max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=fuzz_target.base_url, headers=fuzz_target.headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them together
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
