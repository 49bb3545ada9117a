"""Use cases for tickets, their events and outages as the API enters and edits them one by one.

Bulk history goes through the importers; these are the same rows written by hand
or by an integration. Referenced customers and services are loaded through the
caller's scoped unit of work first, so naming another customer's row is NotFound.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from slaforge.adapters.db.background.repository import BackgroundRepository
from slaforge.adapters.db.models import Outage, Ticket, TicketEvent
from slaforge.domain.errors import Conflict, InvalidInput, NotFound
from slaforge.domain.platform.accounts import Permission, Principal
from slaforge.domain.platform.listing import ListQuery, Page
from slaforge.services.platform.catalog import commit_or_conflict
from slaforge.services.unit_of_work import UnitOfWork

API_SOURCE = "api"


def _ticket(repo: BackgroundRepository, ticket_id: int) -> Ticket:
    ticket = repo.ticket(ticket_id)
    if ticket is None:
        raise NotFound(f"no ticket {ticket_id}")
    return ticket


def _outage(repo: BackgroundRepository, outage_id: int) -> Outage:
    outage = repo.outage(outage_id)
    if outage is None:
        raise NotFound(f"no outage {outage_id}")
    return outage


def _customer_exists(repo: BackgroundRepository, customer_id: int) -> None:
    # As services.platform.catalog.load words it, without handing it the session.
    if repo.customer(customer_id) is None:
        raise NotFound(f"no customer {customer_id} (customer_id)")


def _service_exists(repo: BackgroundRepository, service_id: int) -> None:
    if repo.service(service_id) is None:
        raise NotFound(f"no service {service_id} (service_id)")


def _check_order(start: datetime, end: datetime | None, end_field: str) -> None:
    if end is not None and end < start:
        raise InvalidInput("must not be before the start", field=end_field, value=end.isoformat())


# ------------------------------------------------------------------ tickets


def create_ticket(*, uow: UnitOfWork, actor: Principal, fields: Mapping[str, Any]) -> Ticket:
    with uow:
        repo = uow.background
        if fields.get("customer_id") is not None:
            _customer_exists(repo, fields["customer_id"])
        if fields.get("service_id") is not None:
            _service_exists(repo, fields["service_id"])
        actor.require(Permission.TICKETS_WRITE)
        source = fields.get("source") or API_SOURCE
        if repo.ticket_exists(source=source, external_id=fields["external_id"]):
            raise Conflict(f"ticket '{fields['external_id']}' from '{source}' already exists (external_id)")
        _check_order(fields["created_at"], fields.get("resolved_at"), "resolved_at")
        ticket = Ticket(**{**fields, "source": source})
        repo.add(ticket)
        commit_or_conflict(uow)
        return ticket


def get_ticket(*, uow: UnitOfWork, actor: Principal, ticket_id: int) -> Ticket:
    with uow:
        return _ticket(uow.background, ticket_id)


def list_tickets(*, uow: UnitOfWork, actor: Principal, query: ListQuery) -> Page[Ticket]:
    with uow:
        return uow.background.page_tickets(query)


def update_ticket(*, uow: UnitOfWork, actor: Principal, ticket_id: int, changes: Mapping[str, Any]) -> Ticket:
    with uow:
        ticket = _ticket(uow.background, ticket_id)
        if changes.get("service_id") is not None:
            _service_exists(uow.background, changes["service_id"])
        actor.require(Permission.TICKETS_WRITE)
        for key, value in changes.items():
            setattr(ticket, key, value)
        _check_order(ticket.created_at, ticket.resolved_at, "resolved_at")
        commit_or_conflict(uow)
        return ticket


def delete_ticket(*, uow: UnitOfWork, actor: Principal, ticket_id: int) -> None:
    with uow:
        ticket = _ticket(uow.background, ticket_id)
        actor.require(Permission.TICKETS_WRITE)
        uow.background.delete(ticket)
        commit_or_conflict(uow)


def list_events(*, uow: UnitOfWork, actor: Principal, ticket_id: int, query: ListQuery) -> Page[TicketEvent]:
    with uow:
        _ticket(uow.background, ticket_id)
        return uow.background.page_events(ticket_id, query)


def add_event(
    *, uow: UnitOfWork, actor: Principal, ticket_id: int, fields: Mapping[str, Any]
) -> tuple[TicketEvent, bool]:
    """Record an event; the same event sent twice (same dedupe key) is stored once.

    Returns the event and whether it was new. Without a dedupe key one is derived from
    the content, so a retried delivery of the same fact does not count twice.
    """
    with uow:
        ticket = _ticket(uow.background, ticket_id)
        actor.require(Permission.TICKETS_WRITE)
        if fields["at"] < ticket.created_at:
            raise InvalidInput(
                "an event cannot precede its ticket's creation", field="at", value=fields["at"].isoformat()
            )
        key = fields.get("dedupe_key") or _derived_key(fields)
        existing = uow.background.event_by_dedupe_key(ticket.id, key)
        if existing is not None:
            return existing, False
        event = TicketEvent(ticket_id=ticket.id, **{**fields, "dedupe_key": key})
        uow.background.add(event)
        commit_or_conflict(uow)
        return event, True


def _derived_key(fields: Mapping[str, Any]) -> str:
    text = "|".join(str(fields.get(k) or "") for k in ("at", "kind", "status", "priority"))
    return hashlib.sha256(text.encode()).hexdigest()


# ------------------------------------------------------------------ outages


def create_outage(*, uow: UnitOfWork, actor: Principal, fields: Mapping[str, Any]) -> Outage:
    with uow:
        repo = uow.background
        _service_exists(repo, fields["service_id"])
        actor.require(Permission.TICKETS_WRITE)
        _check_order(fields["started_at"], fields.get("ended_at"), "ended_at")
        source = fields.get("source") or API_SOURCE
        if fields.get("external_id") is not None and repo.outage_exists(
            source=source, external_id=fields["external_id"]
        ):
            raise Conflict(f"outage '{fields['external_id']}' from '{source}' already exists (external_id)")
        outage = Outage(**{**fields, "source": source})
        repo.add(outage)
        commit_or_conflict(uow)
        return outage


def get_outage(*, uow: UnitOfWork, actor: Principal, outage_id: int) -> Outage:
    with uow:
        return _outage(uow.background, outage_id)


def list_outages(*, uow: UnitOfWork, actor: Principal, query: ListQuery) -> Page[Outage]:
    with uow:
        return uow.background.page_outages(query)


def update_outage(*, uow: UnitOfWork, actor: Principal, outage_id: int, changes: Mapping[str, Any]) -> Outage:
    with uow:
        outage = _outage(uow.background, outage_id)
        if changes.get("service_id") is not None:
            _service_exists(uow.background, changes["service_id"])
        actor.require(Permission.TICKETS_WRITE)
        for key, value in changes.items():
            setattr(outage, key, value)
        _check_order(outage.started_at, outage.ended_at, "ended_at")
        commit_or_conflict(uow)
        return outage


def delete_outage(*, uow: UnitOfWork, actor: Principal, outage_id: int) -> None:
    with uow:
        outage = _outage(uow.background, outage_id)
        actor.require(Permission.TICKETS_WRITE)
        uow.background.delete(outage)
        commit_or_conflict(uow)
