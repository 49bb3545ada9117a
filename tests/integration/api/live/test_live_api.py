"""The live API on a real server: a batch of events is stored all or nothing (a bad item is named
by index and field and nothing of the batch lands), the same batch twice counts once, and a
ticket's clocks are its customer's to read — another customer's user gets 404."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from slaforge.adapters.db.models import TicketEvent
from slaforge.bootstrap import Container
from tests.integration.api.conftest import ClientFor
from tests.integration.api.live_server import LiveServer
from tests.live_setup import live

TICKET = {"external_id": "ZD-9", "priority": "P1", "status": "new", "created_at": "2026-11-02T09:00:00Z"}


def _item(ref: str, at: str, kind: str) -> dict[str, Any]:
    return {
        "ticket": {**TICKET, "external_id": ref},
        "event": {"at": at, "kind": kind, "dedupe_key": f"{ref}{at}"},
    }


def _events(container: Container) -> int:
    uow = container.system_uow()
    with uow:
        return int(uow.session.scalar(select(func.count()).select_from(TicketEvent)) or 0)  # type: ignore[attr-defined]


def test_a_batch_is_all_or_nothing_and_counts_once(
    container: Container, server: LiveServer, client_for: ClientFor
) -> None:
    lv = live(container.system_uow())
    other = live(container.system_uow(), "Other Ltd")
    good = [
        _item("ZD-9", "2026-11-02T09:10:00Z", "customer_reply"),
        _item("ZD-9", "2026-11-02T09:20:00Z", "agent_reply"),
    ]
    with httpx.Client(
        base_url=server.url, timeout=30, headers={"Authorization": f"Bearer {lv.secret}"}
    ) as system:
        before = _events(container)
        bad = system.post(
            "/api/v1/ingest/batch",
            json={"items": [*good, _item("ZD-10", "2026-11-01T08:00:00Z", "agent_reply")]},
        )
        assert bad.status_code == 422, bad.text
        assert bad.json()["field"] == "items[2].event.at"  # before its ticket's creation
        assert _events(container) == before  # nothing of the batch landed
        done = system.post("/api/v1/ingest/batch", json={"items": good})
        assert done.status_code == 201, done.text
        assert {k: done.json()[k] for k in ("items", "new_tickets", "new_events", "tickets")} == {
            "items": 2,
            "new_tickets": 1,
            "new_events": 3,
            "tickets": 1,
        }
        again = system.post("/api/v1/ingest/batch", json={"items": good}).json()
        assert (again["new_tickets"], again["new_events"]) == (0, 0)
        assert done.json()["clocks"] == 2
        assert system.get("/api/v1/ingest/unrouted").status_code == 401  # an ingestion token reads nothing
    manager = client_for("manager")
    ticket_id = manager.get("/api/v1/tickets", params={"customer_id": lv.customer_id}).json()["data"][0]["id"]
    clocks = manager.get(f"/api/v1/tickets/{ticket_id}/clocks").json()["clocks"]
    assert {c["metric"]: c["state"] for c in clocks} == {"first_response": "stopped", "resolution": "running"}
    assert (
        manager.get(f"/api/v1/agreements/{lv.agreement_id}/clocks", params={"which": "open"}).json()["total"]
        == 1
    )
    own = client_for("viewer", customer_id=lv.customer_id)
    assert own.get(f"/api/v1/tickets/{ticket_id}/clocks").status_code == 200
    outsider = client_for("viewer", customer_id=other.customer_id)
    assert outsider.get(f"/api/v1/tickets/{ticket_id}/clocks").status_code == 404
    assert outsider.get(f"/api/v1/agreements/{lv.agreement_id}/clocks").status_code == 404


def test_a_jira_webhook_names_its_token_by_id_and_is_taken_only_signed(
    container: Container, server: LiveServer, client_for: ClientFor
) -> None:
    import hashlib
    import hmac
    import json

    from tests.unit.readiness.test_webhook_payloads import JIRA

    lv = live(container.system_uow())
    manager = client_for("manager")
    tokens = f"/api/v1/agreements/{lv.agreement_id}/readiness/ingestion-tokens"
    token_id = manager.get(tokens).json()["data"][0]["id"]
    signing = "jira-chosen-secret-42"
    assert manager.put(f"{tokens}/{token_id}/signing-secret", json={"secret": signing}).status_code == 200
    raw = json.dumps(JIRA).encode()
    good = "sha256=" + hmac.new(signing.encode(), raw, hashlib.sha256).hexdigest()
    forged = "sha256=" + hmac.new(b"guessed-secret-0000", raw, hashlib.sha256).hexdigest()
    url = f"/api/v1/ingest/webhooks/jsm?token={token_id}"
    with httpx.Client(base_url=server.url, timeout=30) as jira:
        json_type = {"Content-Type": "application/json"}
        assert (
            jira.post(url, content=raw, headers={**json_type, "X-Hub-Signature": forged}).status_code == 401
        )
        assert jira.post(url, content=raw, headers=json_type).status_code == 401
        taken = jira.post(url, content=raw, headers={**json_type, "X-Hub-Signature": good})
        assert taken.status_code == 201, taken.text
        clocks = manager.get(f"/api/v1/tickets/{taken.json()['ticket_id']}/clocks").json()
        assert clocks["customer_id"] == lv.customer_id  # the token's customer, whatever the body says


def test_a_repair_through_the_api_is_the_providers_and_says_what_it_did(
    container: Container, server: LiveServer, client_for: ClientFor
) -> None:
    lv = live(container.system_uow())
    with httpx.Client(base_url=server.url, timeout=30, headers={"Authorization": f"Bearer {lv.secret}"}) as s:
        item = _item("ZD-1", "2026-11-02T09:10:00Z", "internal_note")
        assert s.post("/api/v1/ingest/batch", json={"items": [item]}).status_code == 201
    path = f"/api/v1/agreements/{lv.agreement_id}/clocks/repair"
    manager = client_for("manager")
    missing = manager.post(path, json={"reason": ""})
    assert missing.status_code == 422
    assert "reason" in missing.text
    done = manager.post(path, json={"reason": "the desk's status names were corrected"})
    assert done.status_code == 200, done.text
    assert {k: done.json()[k] for k in ("agreement_id", "tickets", "clocks", "withdrawn")} == {
        "agreement_id": lv.agreement_id,
        "tickets": 1,
        "clocks": 2,
        "withdrawn": 0,
    }
    assert client_for("agent").post(path, json={"reason": "x"}).status_code == 403  # reads, may not change
    own = client_for("customer-admin", customer_id=lv.customer_id)
    assert own.post(path, json={"reason": "x"}).status_code == 403  # the customer's own: refused
