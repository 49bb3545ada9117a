"""The event API with ingestion tokens on a real server: a manager makes a token (the secret is
answered once), a tracking system delivers tickets and events with it, the same delivery twice is
one ticket and one event, a revoked or unknown token is 401, a customer's user cannot make one, and
a token delivers only for its own customer."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx
from sqlalchemy import func, select

from slaforge.adapters.db.models import IngestionArrival, Ticket, TicketEvent
from slaforge.bootstrap import Container
from slaforge.services.readiness import configuration
from tests.agreement_setup import MANAGER, NOW
from tests.integration.api.conftest import ClientFor
from tests.integration.api.live_server import LiveServer
from tests.readiness_setup import accepted, config

TICKET = {"external_id": "ZD-1001", "priority": "P1", "status": "new", "created_at": "2026-11-02T10:00:00Z"}


def _count(container: Container, model: object) -> int:
    uow = container.system_uow()
    with uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


def test_a_token_delivers_its_customers_tickets_once_and_proves_the_source(
    container: Container, client_for: ClientFor, server: LiveServer
) -> None:
    a = accepted(container.system_uow())
    b = accepted(container.system_uow(), "Other Ltd")
    configuration.configure(
        uow=container.system_uow(), agreement_id=a.agreement_id, raw=config(), actor=MANAGER, now=NOW
    )
    manager = client_for("manager")
    tokens = f"/api/v1/agreements/{a.agreement_id}/readiness/ingestion-tokens"
    made = manager.post(tokens, json={"label": "Zendesk production"})
    assert made.status_code == 201, made.text
    secret = made.json()["token"]
    assert secret.startswith("sfi_")
    assert "token" not in manager.get(tokens).json()["data"][0]  # never shown again
    viewer = client_for("viewer", customer_id=a.customer_id)
    assert viewer.post(tokens, json={"label": "mine"}).status_code == 403

    with httpx.Client(base_url=server.url, timeout=30) as system:
        auth = {"Authorization": f"Bearer {secret}"}
        assert system.post("/api/v1/ingest/tickets", json=TICKET).status_code == 401
        assert (
            system.post(
                "/api/v1/ingest/tickets", json=TICKET, headers={"Authorization": "Bearer sfi_x"}
            ).status_code
            == 401
        )
        api_token = {"Authorization": manager.headers["Authorization"]}  # a user's API token is not one
        assert system.post("/api/v1/ingest/tickets", json=TICKET, headers=api_token).status_code == 401
        naming_b = system.post(
            "/api/v1/ingest/tickets", json={**TICKET, "customer_id": b.customer_id}, headers=auth
        )
        assert (naming_b.status_code, naming_b.json()["field"]) == (
            422,
            "customer_id",
        )  # the token says whose
        first = system.post("/api/v1/ingest/tickets", json=TICKET, headers=auth)
        assert first.status_code == 201, first.text
        again = system.post("/api/v1/ingest/tickets", json=TICKET, headers=auth)
        assert (again.status_code, again.json()["ticket_id"]) == (200, first.json()["ticket_id"])
        reply = {"at": "2026-11-02T10:20:00Z", "kind": "agent_reply", "dedupe_key": "zd-evt-77"}
        assert (
            system.post("/api/v1/ingest/tickets/ZD-1001/events", json=reply, headers=auth).status_code == 201
        )
        assert (
            system.post("/api/v1/ingest/tickets/ZD-1001/events", json=reply, headers=auth).status_code == 200
        )
        assert system.post("/api/v1/ingest/tickets/NOPE/events", json=reply, headers=auth).status_code == 404

        # B's token cannot touch A's ticket, and A's ticket is A's.
        b_secret = manager.post(
            f"/api/v1/agreements/{b.agreement_id}/readiness/ingestion-tokens", json={"label": "b"}
        ).json()["token"]
        b_auth = {"Authorization": f"Bearer {b_secret}"}
        assert (
            system.post("/api/v1/ingest/tickets/ZD-1001/events", json=reply, headers=b_auth).status_code
            == 404
        )
        assert system.post("/api/v1/ingest/tickets", json=TICKET, headers=b_auth).status_code == 409
    uow = container.system_uow()
    with uow:
        ticket = uow.session.scalar(select(Ticket).where(Ticket.external_id == "ZD-1001"))  # type: ignore[attr-defined]
        assert ticket is not None
        assert (ticket.customer_id, ticket.source) == (a.customer_id, "api")
    assert (_count(container, TicketEvent), _count(container, IngestionArrival)) == (2, 2)
    items = {
        i["key"]: i for i in manager.get(f"/api/v1/agreements/{a.agreement_id}/readiness").json()["data"]
    }
    assert items["objectives[0].tracking"]["state"] == "ok"
    assert "ticket ZD-1001 (ingestion token, P1)" in items["objectives[0].tracking"]["reason"]

    token_id = manager.get(tokens).json()["data"][0]["id"]
    revoked = manager.post(f"{tokens}/{token_id}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    with httpx.Client(base_url=server.url, timeout=30) as system:
        refused = system.post(
            "/api/v1/ingest/tickets",
            json={**TICKET, "external_id": "ZD-2"},
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert refused.status_code == 401


def test_a_servicenow_webhook_delivered_with_the_token_proves_a_webhook_source(
    container: Container, client_for: ClientFor, server: LiveServer
) -> None:
    from tests.readiness_setup import TERMS
    from tests.unit.readiness.test_webhook_payloads import SERVICENOW

    critical = {**TERMS["objectives"][0], "priorities": ["critical"]}  # ServiceNow's 1 - Critical
    a = accepted(container.system_uow(), terms={**TERMS, "objectives": [critical, *TERMS["objectives"][1:]]})
    raw = config()
    raw["objectives"][0]["tracking"] = {"source": "webhook", "system": "servicenow"}
    configuration.configure(
        uow=container.system_uow(), agreement_id=a.agreement_id, raw=raw, actor=MANAGER, now=NOW
    )
    manager = client_for("manager")
    base = f"/api/v1/agreements/{a.agreement_id}/readiness"
    before = {i["key"]: i for i in manager.get(base).json()["data"]}["objectives[0].tracking"]
    assert before["state"] == "failed"
    assert "POST /api/v1/ingest/webhooks/servicenow" in before["next_step"]
    made = manager.post(f"{base}/ingestion-tokens", json={"label": "ServiceNow"}).json()
    secret, signing = made["token"], "snc-signing-secret-0001"
    url = "/api/v1/ingest/webhooks/servicenow"
    body = {**SERVICENOW, "priority": "1 - Critical"}
    with httpx.Client(base_url=server.url, timeout=30) as system:
        auth = {"Authorization": f"Bearer {secret}"}
        unsigned = system.post(url, json=body, headers=auth)
        assert unsigned.status_code == 401  # no signing secret set yet: nothing is taken unsigned
        assert "signing secret" in unsigned.json()["detail"]
        put = manager.put(f"{base}/ingestion-tokens/{made['id']}/signing-secret", json={"secret": signing})
        assert (put.status_code, put.json()["signed"]) == (200, True)
        assert "secret" not in put.json()

        def post(payload: dict[str, object], headers: dict[str, str]) -> httpx.Response:
            raw = json.dumps(payload).encode()
            sig = "sha256=" + hmac.new(signing.encode(), raw, hashlib.sha256).hexdigest()
            return system.post(
                url,
                content=raw,
                headers={**headers, "X-Slaforge-Signature": sig, "Content-Type": "application/json"},
            )

        assert post(body, {}).status_code == 401  # signed, but names no token
        first = post(body, auth)
        assert first.status_code == 201, first.text
        again = post(body, auth)
        assert (again.status_code, again.json()["new_event"]) == (200, False)
        bad = post({**body, "sys_updated_on": None}, auth)
        assert (bad.status_code, bad.json()["field"]) == (422, "sys_updated_on")
        assert system.post("/api/v1/ingest/webhooks/freshdesk", json=body, headers=auth).status_code == 422
    uow = container.system_uow()
    with uow:
        ticket = uow.session.scalar(select(Ticket).where(Ticket.external_id == "INC0010042"))  # type: ignore[attr-defined]
        assert ticket is not None
        assert (ticket.source, ticket.customer_id, ticket.priority) == (
            "servicenow",
            a.customer_id,
            "critical",
        )
        kinds = uow.session.scalars(
            select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.at)
        )  # type: ignore[attr-defined]
        assert list(kinds) == ["created", "resolved"]
    after = {i["key"]: i for i in manager.get(base).json()["data"]}["objectives[0].tracking"]
    assert after["state"] == "ok"
    assert "ticket INC0010042 (servicenow webhook, critical)" in after["reason"]
