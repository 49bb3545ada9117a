"""The console form that adds a holiday to a live agreement's frozen calendar (the readiness page
lists them): the same use case as `slaforge readiness holidays --add` and POST …/holidays."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from slaforge.domain.errors import InvalidInput
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.routes.agreement.console import require_writer, run_form
from slaforge.entrypoints.web.session import ProviderUser, WebUow
from slaforge.services.readiness import calendars

router = APIRouter()


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"'{text[:20]}' is not a date (YYYY-MM-DD)", field="day") from None


@router.post("/console/agreements/{agreement_id}/readiness/holidays")
def console_add_holiday(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    calendar: Annotated[str, Form(max_length=200)],
    day: Annotated[str, Form(max_length=20)],
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    require_writer(actor)
    back = f"/console/agreements/{agreement_id}/readiness"

    def run() -> Any:
        days, now = [(_day(day), name)], container.clock()
        return calendars.add_holidays(
            uow=uow, agreement_id=agreement_id, calendar=calendar, days=days, actor=actor, now=now
        )

    return run_form(request, run, success=f"Holiday {day} added to {calendar}.", back=back)
