"""Use cases for tickets, their events and outages as the API enters and edits them one by one.

Bulk history goes through the importers; these are the same rows written by hand
or by an integration. Referenced customers and services are loaded through the
caller's scoped session first, so naming another customer's row is NotFound.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from slaforge.adapters.db.listing import fetch_page
from slaforge.adapters.db.models import Customer, Outage, Service, Ticket, TicketEvent
from slaforge.domain.errors import Conflict, InvalidInput, NotFound
from slaforge.domain.platform.accounts import Permission, Principal
from slaforge.domain.platform.listing import ListQuery, Page
from slaforge.services.platform.catalog import commit_or_conflict, load
from slaforge.services.unit_of_work import UnitOfWork

API_SOURCE = "api"


def _ticket(session: Session, ticket_id: int) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound(f"no ticket {ticket_id}")
    return ticket


def _outage(session: Session, outage_id: int) -> Outage:
    outage = session.get(Outage, outage_id)
    if outage is None:
        raise NotFound(f"no outage {outage_id}")
    return outage


def _check_order(start: datetime, end: datetime | None, end_field: str) -> None:
    if end is not None and end < start:
        raise InvalidInput("must not be before the start", field=end_field, value=end.isoformat())


# ------------------------------------------------------------------ tickets


def create_ticket(*, uow: UnitOfWork, actor: Principal, fields: Mapping[str, Any]) -> Ticket:
    with uow:
        if fields.get("customer_id") is not None:
            load(uow.session, Customer, fields["customer_id"], "customer_id")
        if fields.get("service_id") is not None:
            load(uow.session, Service, fields["service_id"], "service_id")
        actor.require(Permission.TICKETS_WRITE)
        source = fields.get("source") or API_SOURCE
        if uow.session.scalar(
            select(exists().where(Ticket.source == source, Ticket.external_id == fields["external_id"]))
        ):
            raise Conflict(f"ticket '{fields['external_id']}' from '{source}' already exists (external_id)")
        _check_order(fields["created_at"], fields.get("resolved_at"), "resolved_at")
        ticket = Ticket(**{**fields, "source": source})
        uow.session.add(ticket)
        commit_or_conflict(uow)
        return ticket


def get_ticket(*, uow: UnitOfWork, actor: Principal, ticket_id: int) -> Ticket:
    with uow:
        return _ticket(uow.session, ticket_id)


def list_tickets(*, uow: UnitOfWork, actor: Principal, query: ListQuery) -> Page[Ticket]:
    with uow:
        return fetch_page(
            uow.session,
            Ticket,
            query,
            sortable={
                "id": Ticket.id,
                "created_at": Ticket.created_at,
                "priority": Ticket.priority,
                "status": Ticket.status,
                "resolved_at": Ticket.resolved_at,
            },
            filterable={
                "customer_id": Ticket.customer_id,
                "service_id": Ticket.service_id,
                "priority": Ticket.priority,
                "status": Ticket.status,
                "category": Ticket.category,
                "source": Ticket.source,
            },
            searchable=(Ticket.external_id, Ticket.category),
            default_sort="-created_at",
        )


def update_ticket(*, uow: UnitOfWork, actor: Principal, ticket_id: int, changes: Mapping[str, Any]) -> Ticket:
    with uow:
        ticket = _ticket(uow.session, ticket_id)
        if changes.get("service_id") is not None:
            load(uow.session, Service, changes["service_id"], "service_id")
        actor.require(Permission.TICKETS_WRITE)
        for key, value in changes.items():
            setattr(ticket, key, value)
        _check_order(ticket.created_at, ticket.resolved_at, "resolved_at")
        commit_or_conflict(uow)
        return ticket


def delete_ticket(*, uow: UnitOfWork, actor: Principal, ticket_id: int) -> None:
    with uow:
        ticket = _ticket(uow.session, ticket_id)
        actor.require(Permission.TICKETS_WRITE)
        uow.session.delete(ticket)
        commit_or_conflict(uow)


def list_events(*, uow: UnitOfWork, actor: Principal, ticket_id: int, query: ListQuery) -> Page[TicketEvent]:
    with uow:
        _ticket(uow.session, ticket_id)
        return fetch_page(
            uow.session,
            TicketEvent,
            query,
            sortable={"id": TicketEvent.id, "at": TicketEvent.at},
            filterable={"kind": TicketEvent.kind},
            where=[TicketEvent.ticket_id == ticket_id],
            default_sort="at",
        )


def add_event(
    *, uow: UnitOfWork, actor: Principal, ticket_id: int, fields: Mapping[str, Any]
) -> tuple[TicketEvent, bool]:
    """Record an event; the same event sent twice (same dedupe key) is stored once.

    Returns the event and whether it was new. Without a dedupe key one is derived from
    the content, so a retried delivery of the same fact does not count twice.
    """
    with uow:
        ticket = _ticket(uow.session, ticket_id)
        actor.require(Permission.TICKETS_WRITE)
        if fields["at"] < ticket.created_at:
            raise InvalidInput(
                "an event cannot precede its ticket's creation", field="at", value=fields["at"].isoformat()
            )
        key = fields.get("dedupe_key") or _derived_key(fields)
        existing = uow.session.scalar(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket.id, TicketEvent.dedupe_key == key)
        )
        if existing is not None:
            return existing, False
        event = TicketEvent(ticket_id=ticket.id, **{**fields, "dedupe_key": key})
        uow.session.add(event)
        commit_or_conflict(uow)
        return event, True


def _derived_key(fields: Mapping[str, Any]) -> str:
    text = "|".join(str(fields.get(k) or "") for k in ("at", "kind", "status", "priority"))
    return hashlib.sha256(text.encode()).hexdigest()


# ------------------------------------------------------------------ outages


def create_outage(*, uow: UnitOfWork, actor: Principal, fields: Mapping[str, Any]) -> Outage:
    with uow:
        load(uow.session, Service, fields["service_id"], "service_id")
        actor.require(Permission.TICKETS_WRITE)
        _check_order(fields["started_at"], fields.get("ended_at"), "ended_at")
        source = fields.get("source") or API_SOURCE
        if fields.get("external_id") is not None and uow.session.scalar(
            select(exists().where(Outage.source == source, Outage.external_id == fields["external_id"]))
        ):
            raise Conflict(f"outage '{fields['external_id']}' from '{source}' already exists (external_id)")
        outage = Outage(**{**fields, "source": source})
        uow.session.add(outage)
        commit_or_conflict(uow)
        return outage


def get_outage(*, uow: UnitOfWork, actor: Principal, outage_id: int) -> Outage:
    with uow:
        return _outage(uow.session, outage_id)


def list_outages(*, uow: UnitOfWork, actor: Principal, query: ListQuery) -> Page[Outage]:
    with uow:
        return fetch_page(
            uow.session,
            Outage,
            query,
            sortable={"id": Outage.id, "started_at": Outage.started_at, "ended_at": Outage.ended_at},
            filterable={"service_id": Outage.service_id, "planned": Outage.planned, "source": Outage.source},
            searchable=(Outage.description,),
            default_sort="-started_at",
        )


def update_outage(*, uow: UnitOfWork, actor: Principal, outage_id: int, changes: Mapping[str, Any]) -> Outage:
    with uow:
        outage = _outage(uow.session, outage_id)
        if changes.get("service_id") is not None:
            load(uow.session, Service, changes["service_id"], "service_id")
        actor.require(Permission.TICKETS_WRITE)
        for key, value in changes.items():
            setattr(outage, key, value)
        _check_order(outage.started_at, outage.ended_at, "ended_at")
        commit_or_conflict(uow)
        return outage


def delete_outage(*, uow: UnitOfWork, actor: Principal, outage_id: int) -> None:
    with uow:
        outage = _outage(uow.session, outage_id)
        actor.require(Permission.TICKETS_WRITE)
        uow.session.delete(outage)
        commit_or_conflict(uow)
