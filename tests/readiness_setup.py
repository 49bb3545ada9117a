"""An accepted agreement (the standard test terms: first response P1 with credit tiers,
resolution P1 and availability without) and a readiness configuration that covers everything,
made through the real use cases."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.adapters.db.models import Service, Ticket
from slaforge.domain.platform.accounts import Principal, Role
from slaforge.domain.time.calendar.business import BusinessCalendar
from slaforge.services.agreement import decisions
from slaforge.services.agreement.core import AcceptanceEvidence
from slaforge.services.background import calendars
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import MANAGER, NOW, draft, offer
from tests.agreement_setup import TERMS as AGREEMENT_TERMS

VIEWER = Principal(user_id=9, email="agent@provider.test", role=Role.AGENT)
LADDER = [
    {"at": 0.5, "notify": "desk@provider.test", "channel": "email", "action": "look at it", "within": 1800},
    {
        "at": 0.9,
        "notify": "lead@provider.test",
        "channel": "email",
        "action": "call the customer",
        "within": 900,
    },
]
PROCEDURE = {"owner": "Service desk lead", "runbook": "https://wiki.provider.test/p1", "ladder": LADDER}
CONFIG: dict[str, Any] = {
    "objectives": [
        {"tracking": {"source": "event_api"}, "procedure": PROCEDURE, "remedy": {"application": "invoice"}},
        {"tracking": {"source": "event_api"}, "procedure": PROCEDURE, "remedy": {"application": "invoice"}},
        {
            "tracking": {"source": "scheduled_import", "mapping": "cloud-uptime"},
            "procedure": PROCEDURE,
            "remedy": {"application": "claim", "claim_window_days": 30},
        },
    ],
    "reports": [
        {
            "name": "monthly",
            "audience": "customer",
            "objectives": [0, 1, 2],
            "contents": ["attainment", "breaches", "credits"],
            "period": "month",
            "rrule": "FREQ=MONTHLY;BYMONTHDAY=2",
            "format": "pdf",
            "recipients": ["it@customer.test"],
        }
    ],
}


def config() -> dict[str, Any]:
    return json.loads(json.dumps(CONFIG))  # no part shared between objectives (deepcopy would share)


@dataclass(frozen=True)
class Accepted:
    customer_id: int
    agreement_id: int
    version_id: int


CALENDAR = "Office hours (UTC)"
TERMS = {**AGREEMENT_TERMS, "calendar": {**AGREEMENT_TERMS["calendar"], "name": CALENDAR}}


def store_calendar(uow: UnitOfWork) -> None:
    """The calendar the readiness terms measure in (Monday to Friday 08:00–17:00, UTC)."""
    hours = {day: ["08:00-17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
    definition = BusinessCalendar.from_dict({"timezone": "UTC", "hours": hours})
    calendars.save_calendar(uow=uow, name=CALENDAR, calendar=definition, actor=MANAGER.email)


def accepted(
    uow: UnitOfWork, name: str = "Acme Ltd", *, calendar: bool = True, terms: dict[str, Any] | None = None
) -> Accepted:
    """An accepted agreement whose terms measure in CALENDAR (stored unless `calendar` is False)."""
    if calendar:
        store_calendar(uow)
    d = draft(uow, name, terms=TERMS if terms is None else terms)
    content_hash = offer(uow, d.version_id)
    decisions.accept_version(
        uow=uow,
        version_id=d.version_id,
        evidence=AcceptanceEvidence(method="manual", accepted_hash=content_hash, name="Buyer"),
        actor=MANAGER.email,
        now=NOW,
    )
    return Accepted(d.customer_id, d.agreement_id, d.version_id)


def api_ticket(
    uow: UnitOfWork, customer_id: int, external_id: str, *, priority: str = "P1", source: str = "api",
    created_at: datetime = NOW, service: str | None = None,
) -> int:  # fmt: skip
    """A ticket as the event API stores it (source "api", no import batch)."""
    with uow:
        service_id = None
        if service is not None:
            row = Service(name=service)
            uow.session.add(row)
            uow.session.flush()
            service_id = row.id
        ticket = Ticket(
            source=source, external_id=external_id, customer_id=customer_id, priority=priority,
            status="new", created_at=created_at, service_id=service_id,
        )  # fmt: skip
        uow.session.add(ticket)
        uow.session.flush()
        uow.commit()
        return ticket.id


def delivered(
    uow: UnitOfWork, agreement_id: int, external_id: str, *, priority: str = "P1", created_at: datetime = NOW
) -> int:
    """A ticket delivered through the event API with a new ingestion token of the agreement (what
    proves a clause's event-API source); its id."""
    from slaforge.services.readiness import ingestion

    _, secret = ingestion.create_token(uow=uow, agreement_id=agreement_id, label="tests", actor=MANAGER, now=NOW)
    ticket = {"external_id": external_id, "priority": priority, "status": "new", "created_at": created_at}
    event = {"at": created_at, "kind": "created", "status": "new", "priority": priority}
    done = ingestion.deliver(uow=uow, secret=secret, ticket=ticket, event=event, system="api", now=created_at)
    return done.ticket_id
