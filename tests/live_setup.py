"""A live agreement made through the real use cases: the readiness test terms (first response P1
in 30 minutes, resolution P1 in 4 hours, Monday to Friday 08:00–17:00 UTC), the standard
configuration (ladder: desk at 50 %, lead at 90 %), every open item waived, gone live at NOW, and
an ingestion token to deliver its customer's tickets with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.services.live import ingest
from slaforge.services.readiness import checks, configuration, go_live, ingestion, waivers
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import MANAGER, NOW
from tests.readiness_setup import accepted, config


@dataclass(frozen=True)
class Live:
    customer_id: int
    agreement_id: int
    version_id: int
    secret: str


def live(uow: UnitOfWork, name: str = "Acme Ltd", *, raw: dict[str, Any] | None = None,
         terms: dict[str, Any] | None = None) -> Live:  # fmt: skip
    a = accepted(uow, name, terms=terms)
    configuration.configure(uow=uow, agreement_id=a.agreement_id, raw=raw or config(), actor=MANAGER, now=NOW)
    for item in checks.check_readiness(uow=uow, agreement_id=a.agreement_id, now=NOW).items:
        if item.state.value not in ("ok", "waived"):
            waivers.waive(uow=uow, agreement_id=a.agreement_id, item=item.key, reason="tested elsewhere",
                          actor=MANAGER, now=NOW)  # fmt: skip
    go_live.go_live(uow=uow, agreement_id=a.agreement_id, actor=MANAGER, now=NOW)
    _, secret = ingestion.create_token(
        uow=uow, agreement_id=a.agreement_id, label="tests", actor=MANAGER, now=NOW
    )
    return Live(a.customer_id, a.agreement_id, a.version_id, secret)


def ticket(external_id: str, at: datetime, *, priority: str = "P1", status: str = "new") -> dict[str, Any]:
    return {"external_id": external_id, "priority": priority, "status": status, "created_at": at}


def open_ticket(uow: UnitOfWork, lv: Live, external_id: str, at: datetime, *, priority: str = "P1") -> int:
    """Deliver a new ticket (its `created` event) as the event API does; its id."""
    t = ticket(external_id, at, priority=priority)
    created = {"at": at, "kind": "created", "status": "new", "priority": priority,
               "dedupe_key": f"created:{external_id}"}  # fmt: skip
    return ingest.deliver(uow=uow, secret=lv.secret, ticket=t, event=created, system="api", now=at).ticket_id


def event(uow: UnitOfWork, lv: Live, external_id: str, at: datetime, kind: str, *,
          arrives: datetime | None = None, **fields: Any) -> None:  # fmt: skip
    """Deliver one event of a ticket delivered before, arriving at `arrives` (default: when it happened)."""
    body = {"at": at, "kind": kind, **fields}
    now = arrives or at
    ingest.deliver_event(
        uow=uow, secret=lv.secret, external_id=external_id, event=body, system="api", now=now
    )
