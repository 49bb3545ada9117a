"""/api/v1/outages"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Query, status

from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.background.tickets import (
    OutageCreate,
    OutagePublic,
    OutagesPublic,
    OutageUpdate,
)
from slaforge.entrypoints.api.schemas.common import MAX_ID
from slaforge.entrypoints.deps import CurrentPrincipal, ResourceId, UowDep, sorted_by
from slaforge.services.background import tickets as ticket_records

router = api_router(prefix="/outages", tags=["outages"])


@router.get("", response_model=OutagesPublic)
def list_outages(
    uow: UowDep,
    actor: CurrentPrincipal,
    query: Annotated[ListQuery, Depends(sorted_by("id", "started_at", "ended_at"))],
    service_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    planned: bool | None = None,
) -> OutagesPublic:
    filters = {"service_id": service_id, "planned": planned}
    page = ticket_records.list_outages(uow=uow, actor=actor, query=replace(query, filters=filters))
    return OutagesPublic.model_validate(page, from_attributes=True)


@router.post("", response_model=OutagePublic, status_code=status.HTTP_201_CREATED)
def create_outage(body: OutageCreate, uow: UowDep, actor: CurrentPrincipal) -> OutagePublic:
    fields = body.model_dump(exclude_none=True)
    return OutagePublic.model_validate(ticket_records.create_outage(uow=uow, actor=actor, fields=fields))


@router.get("/{outage_id}", response_model=OutagePublic)
def get_outage(outage_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> OutagePublic:
    return OutagePublic.model_validate(ticket_records.get_outage(uow=uow, actor=actor, outage_id=outage_id))


@router.patch("/{outage_id}", response_model=OutagePublic)
def update_outage(
    outage_id: ResourceId, body: OutageUpdate, uow: UowDep, actor: CurrentPrincipal
) -> OutagePublic:
    outage = ticket_records.update_outage(uow=uow, actor=actor, outage_id=outage_id, changes=body.changes())
    return OutagePublic.model_validate(outage)


@router.delete("/{outage_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_outage(outage_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> None:
    ticket_records.delete_outage(uow=uow, actor=actor, outage_id=outage_id)
