"""/api/v1/agreements/{id}/readiness/holidays: holidays added to a live agreement's frozen
calendars — the one change a live version takes without a new version (days to come only)."""

from __future__ import annotations

from fastapi import Response, status

from slaforge.entrypoints.api.routes.agreement.agreements import Ctx
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.readiness.holidays import HolidaysIn, HolidaysPublic
from slaforge.entrypoints.deps import ResourceId
from slaforge.services.readiness import calendars

router = api_router(tags=["readiness"])
PATH = "/agreements/{agreement_id}/readiness/holidays"


@router.get(PATH, response_model=HolidaysPublic)
def get_holidays(agreement_id: ResourceId, ctx: Ctx) -> HolidaysPublic:
    """The frozen calendars and the holidays added since going live (409 before)."""
    return HolidaysPublic.model_validate(calendars.added_holidays(uow=ctx.uow, agreement_id=agreement_id))


@router.post(PATH, response_model=HolidaysPublic, responses={201: {"model": HolidaysPublic}})
def add_holidays(agreement_id: ResourceId, body: HolidaysIn, ctx: Ctx, response: Response) -> HolidaysPublic:
    """A manager adds days to come: 201 when a day was added, 200 when each was there already."""
    view = calendars.add_holidays(
        uow=ctx.uow,
        agreement_id=agreement_id,
        calendar=body.calendar,
        days=[(d.day, d.name) for d in body.days],
        actor=ctx.actor,
        now=ctx.now,
    )
    response.status_code = status.HTTP_201_CREATED if view.new else status.HTTP_200_OK
    return HolidaysPublic.model_validate(view)
