"""/api/v1/services"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Query, status

from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.common import MAX_ID
from slaforge.entrypoints.api.schemas.platform.catalog import (
    ServiceCreate,
    ServicePublic,
    ServicesPublic,
    ServiceUpdate,
)
from slaforge.entrypoints.deps import CurrentPrincipal, ResourceId, UowDep, sorted_by
from slaforge.services.platform import catalog

router = api_router(prefix="/services", tags=["services"])


@router.get("", response_model=ServicesPublic)
def list_services(
    uow: UowDep,
    actor: CurrentPrincipal,
    query: Annotated[ListQuery, Depends(sorted_by("id", "name", "created_at"))],
    calendar_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> ServicesPublic:
    page = catalog.list_services(
        uow=uow, actor=actor, query=replace(query, filters={"calendar_id": calendar_id})
    )
    return ServicesPublic.model_validate(page, from_attributes=True)


@router.post("", response_model=ServicePublic, status_code=status.HTTP_201_CREATED)
def create_service(body: ServiceCreate, uow: UowDep, actor: CurrentPrincipal) -> ServicePublic:
    service = catalog.create_service(uow=uow, actor=actor, name=body.name, calendar_id=body.calendar_id)
    return ServicePublic.model_validate(service)


@router.get("/{service_id}", response_model=ServicePublic)
def get_service(service_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> ServicePublic:
    return ServicePublic.model_validate(catalog.get_service(uow=uow, actor=actor, service_id=service_id))


@router.patch("/{service_id}", response_model=ServicePublic)
def update_service(
    service_id: ResourceId, body: ServiceUpdate, uow: UowDep, actor: CurrentPrincipal
) -> ServicePublic:
    service = catalog.update_service(uow=uow, actor=actor, service_id=service_id, changes=body.changes())
    return ServicePublic.model_validate(service)


@router.delete("/{service_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_service(service_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> None:
    catalog.delete_service(uow=uow, actor=actor, service_id=service_id)
