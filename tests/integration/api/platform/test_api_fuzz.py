"""Schemathesis runs the whole API from its own OpenAPI document, with every check it has, as a
provider admin and as a customer's user (whose answers take the tenancy paths: 404s and scoped
lists): no 5xx; every answer matches its documented status, content type, headers and schema;
what the schema allows is accepted and what it forbids is refused; a method a path does not
support is 405 with a correct `Allow`; and so on. Each role's run is bounded in examples and in
time, so the test stays within about two minutes on two cores.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema

from tests.integration.api.conftest import ClientFor
from tests.integration.api.live_server import LiveServer
from tests.integration.api.tenancy_world import TERMS

# Per role: examples per operation and phase, and the wall-clock budget of the whole run.
MAX_EXAMPLES = {"admin": 10, "viewer": 6}
MAX_SECONDS = 25  # per role, with two roles (CI must stay under 20 minutes)


@dataclass
class Target:
    spec: dict[str, object]
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
    return Target(
        admin.get("/api/v1/openapi.json").json(),
        server.url,
        {"Authorization": user.headers["Authorization"]},
        MAX_EXAMPLES[role],
    )


def _config(target: Target) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "base-url": target.base_url,
            "headers": target.headers,
            "max-time": MAX_SECONDS,
            # Generous for a loaded CI machine: a PDF report takes seconds when the cores are busy.
            "request-timeout": 60,
            "seed": 20261204,  # the same cases every run, so a failure reproduces
            "suppress-health-check": ["all"],
            "generation": {"max-examples": target.max_examples, "mode": "all", "database": "none"},
            "cache": {"enabled": False},
            # Every check; the time check needs a limit to be active at all.
            "checks": {
                "enabled": True,
                "max_response_time": 30.0,
                # What the schema can say is said there (types, bounds, patterns, sort enums); what
                # it cannot — a rule over stored state or between fields, such as "you cannot
                # delete yourself", "unknown time zone", "resolved before created" — is refused
                # with 422 naming the field. So schema-valid data may meet a 422, never a 400.
                "positive_data_acceptance": {
                    "expected-statuses": ["2XX", "3XX", 401, 403, 404, 409, 422, 429]
                },
                # Schemathesis's own list plus 413: a body over the size limit (a string longer
                # than its maxLength can make one) is refused before it is parsed.
                "negative_data_rejection": {
                    "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429, "5XX"]
                },
            },
            # Stateful sequences would revoke the very token the run is using.
            "phases": {"stateful": {"enabled": False}},
            "operations": [
                {
                    # A payment webhook's signature covers its raw body; the schema can say only that
                    # it is a string, so a generated event is refused with 400 as the sender expects.
                    "include-path-regex": "^/api/v1/webhooks/",
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": ["2XX", "3XX", 400, 401, 403, 404, 409, 422, 429]
                        }
                    },
                }
            ],
        }
    )


def _failures(event: events.ScenarioFinished) -> list[str]:
    """Each failed check of a scenario, with the request that failed it and the answer."""
    out = []
    for case_id, checks in event.recorder.checks.items():
        interaction = event.recorder.interactions.get(case_id)
        answer = ""
        if interaction is not None and interaction.response is not None:
            response = interaction.response
            answer = f" -> {response.status_code} {response.content[:300]!r}"
        request = f"{interaction.request.method} {interaction.request.uri}" if interaction else ""
        for check in checks:
            if check.failure_info is not None:
                failure = check.failure_info.failure
                why = " | ".join(line for line in failure.message.splitlines()[:4] if line.strip())
                out.append(f"{event.label} [{check.name}] {failure.title}: {why}: {request}{answer}")
    return out


# Once per CI run, on SQLite: it asks whether the API keeps its own contract (status codes, schemas),
# which the database does not change; PostgreSQL's behaviour is every other integration test's. It
# is the suite's longest test (a minute per role), and CI must stay under 20 minutes.
@pytest.mark.slow
@pytest.mark.sqlite_only
def test_the_api_honours_its_own_openapi_document(fuzz_target: Target) -> None:
    schema = schemathesis.openapi.from_dict(fuzz_target.spec, config=_config(fuzz_target))
    # Revoking tokens would cut the run short: the fuzzer may well revoke the very token it is using.
    schema = schema.exclude(method="DELETE", path="/api/v1/tokens/{token_id}")
    failures: list[str] = []
    tested: set[str] = set()
    finished: events.EngineFinished | None = None
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished) and event.label:
            tested.add(event.label)
        if isinstance(event, events.ScenarioFinished) and event.status == Status.FAILURE:
            failures.extend(_failures(event))
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            failures.append(f"{getattr(event, 'label', 'engine')}: {event.info.format()}")
        elif isinstance(event, events.EngineFinished):
            finished = event
    assert finished is not None
    # The time budget may cut a run on a busy machine, but never down to a token run.
    assert len(tested) > 40, (finished.stop_reason, sorted(tested))
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(sorted(set(failures)))
