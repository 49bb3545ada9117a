"""/api/v1/tickets and their events."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Query, Response, status

from slaforge.domain.platform.listing import ListQuery
from slaforge.domain.time.clocks.model import EventKind
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.background.tickets import (
    TicketCreate,
    TicketEventCreate,
    TicketEventPublic,
    TicketEventsPublic,
    TicketPublic,
    TicketsPublic,
    TicketUpdate,
)
from slaforge.entrypoints.api.schemas.common import MAX_ID
from slaforge.entrypoints.deps import NO_NUL, CurrentPrincipal, ResourceId, UowDep, sorted_by
from slaforge.services.background import tickets as ticket_records

router = api_router(prefix="/tickets", tags=["tickets"])
OptId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
OptText = Annotated[str | None, Query(max_length=200, pattern=NO_NUL)]


@router.get("", response_model=TicketsPublic)
def list_tickets(
    uow: UowDep,
    actor: CurrentPrincipal,
    query: Annotated[ListQuery, Depends(sorted_by("id", "created_at", "priority", "status", "resolved_at"))],
    customer_id: OptId = None,
    service_id: OptId = None,
    priority: OptText = None,
    status: OptText = None,
    category: OptText = None,
    source: OptText = None,
) -> TicketsPublic:
    filters = {
        "customer_id": customer_id,
        "service_id": service_id,
        "priority": priority,
        "status": status,
        "category": category,
        "source": source,
    }
    page = ticket_records.list_tickets(uow=uow, actor=actor, query=replace(query, filters=filters))
    return TicketsPublic.model_validate(page, from_attributes=True)


@router.post("", response_model=TicketPublic, status_code=status.HTTP_201_CREATED)
def create_ticket(body: TicketCreate, uow: UowDep, actor: CurrentPrincipal) -> TicketPublic:
    ticket = ticket_records.create_ticket(uow=uow, actor=actor, fields=body.model_dump())
    return TicketPublic.model_validate(ticket)


@router.get("/{ticket_id}", response_model=TicketPublic)
def get_ticket(ticket_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> TicketPublic:
    return TicketPublic.model_validate(ticket_records.get_ticket(uow=uow, actor=actor, ticket_id=ticket_id))


@router.patch("/{ticket_id}", response_model=TicketPublic)
def update_ticket(
    ticket_id: ResourceId, body: TicketUpdate, uow: UowDep, actor: CurrentPrincipal
) -> TicketPublic:
    ticket = ticket_records.update_ticket(uow=uow, actor=actor, ticket_id=ticket_id, changes=body.changes())
    return TicketPublic.model_validate(ticket)


@router.delete("/{ticket_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_ticket(ticket_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> None:
    ticket_records.delete_ticket(uow=uow, actor=actor, ticket_id=ticket_id)


@router.get("/{ticket_id}/events", response_model=TicketEventsPublic)
def list_events(
    ticket_id: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    query: Annotated[ListQuery, Depends(sorted_by("id", "at"))],
    kind: EventKind | None = None,
) -> TicketEventsPublic:
    filters = {"kind": kind.value if kind else None}
    page = ticket_records.list_events(
        uow=uow, actor=actor, ticket_id=ticket_id, query=replace(query, filters=filters)
    )
    return TicketEventsPublic.model_validate(page, from_attributes=True)


@router.post(
    "/{ticket_id}/events",
    response_model=TicketEventPublic,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": TicketEventPublic, "description": "the same event was already stored"}},
)
def add_event(
    ticket_id: ResourceId, body: TicketEventCreate, uow: UowDep, actor: CurrentPrincipal, response: Response
) -> TicketEventPublic:
    event, created = ticket_records.add_event(
        uow=uow, actor=actor, ticket_id=ticket_id, fields=body.model_dump()
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return TicketEventPublic.model_validate(event)
