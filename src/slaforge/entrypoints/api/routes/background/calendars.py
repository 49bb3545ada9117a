"""/api/v1/calendars, with a preview of the next open periods."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, status

from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.common import Instant
from slaforge.entrypoints.api.schemas.platform.catalog import (
    CalendarCreate,
    CalendarPreview,
    CalendarPublic,
    CalendarsPublic,
    CalendarUpdate,
    OpenPeriod,
)
from slaforge.entrypoints.deps import ContainerDep, CurrentPrincipal, ResourceId, UowDep, sorted_by
from slaforge.services.platform import catalog

router = api_router(prefix="/calendars", tags=["calendars"])


@router.get("", response_model=CalendarsPublic)
def list_calendars(
    uow: UowDep,
    actor: CurrentPrincipal,
    query: Annotated[ListQuery, Depends(sorted_by("id", "name", "created_at", "updated_at"))],
) -> CalendarsPublic:
    page = catalog.list_calendars(uow=uow, actor=actor, query=query)
    return CalendarsPublic.model_validate(page, from_attributes=True)


@router.post("", response_model=CalendarPublic, status_code=status.HTTP_201_CREATED)
def create_calendar(body: CalendarCreate, uow: UowDep, actor: CurrentPrincipal) -> CalendarPublic:
    calendar = catalog.create_calendar(
        uow=uow, actor=actor, name=body.name, definition=body.definition.plain()
    )
    return CalendarPublic.model_validate(calendar)


@router.get("/{calendar_id}", response_model=CalendarPublic)
def get_calendar(calendar_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> CalendarPublic:
    return CalendarPublic.model_validate(catalog.get_calendar(uow=uow, actor=actor, calendar_id=calendar_id))


@router.get("/{calendar_id}/preview", response_model=CalendarPreview)
def preview_calendar(
    calendar_id: ResourceId,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
    after: Annotated[Instant | None, Query(description="default: now")] = None,
    count: Annotated[int, Query(ge=1, le=catalog.MAX_PREVIEW)] = 10,
) -> CalendarPreview:
    start = after or container.clock()
    calendar, periods = catalog.preview_calendar(
        uow=uow, actor=actor, calendar_id=calendar_id, after=start, count=count
    )
    return CalendarPreview(
        calendar_id=calendar.id,
        timezone=str(calendar.definition.get("timezone", "UTC")),
        after=start,
        periods=[OpenPeriod(start=s, end=e, seconds=(e - s).total_seconds()) for s, e in periods],
    )


@router.patch("/{calendar_id}", response_model=CalendarPublic)
def update_calendar(
    calendar_id: ResourceId, body: CalendarUpdate, uow: UowDep, actor: CurrentPrincipal
) -> CalendarPublic:
    calendar = catalog.update_calendar(
        uow=uow,
        actor=actor,
        calendar_id=calendar_id,
        name=body.name,
        definition=body.definition.plain() if body.definition else None,
    )
    return CalendarPublic.model_validate(calendar)


@router.delete("/{calendar_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_calendar(calendar_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> None:
    catalog.delete_calendar(uow=uow, actor=actor, calendar_id=calendar_id)
