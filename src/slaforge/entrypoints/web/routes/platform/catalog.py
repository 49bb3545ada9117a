"""Provider console: customers, services, and calendars with their week view."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from slaforge.domain.platform.listing import ListQuery
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.domain.time.calendar.spec import WEEKDAYS
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.charts import week_view
from slaforge.entrypoints.web.pages import render
from slaforge.entrypoints.web.routes.helpers import form_action
from slaforge.entrypoints.web.session import ProviderUser, WebUow
from slaforge.services.platform import catalog

router = APIRouter(prefix="/console")
Search = Annotated[str, Query(max_length=200)]
Offset = Annotated[int, Query(ge=0, le=10**9)]
PAGE = 50


def _query(q: str, offset: int, sort: str | None = None) -> ListQuery:
    return ListQuery(limit=PAGE, offset=offset, search=q.replace("\x00", "") or None, sort=sort)


@router.get("/customers")
def customers(
    request: Request, uow: WebUow, actor: ProviderUser, q: Search = "", offset: Offset = 0
) -> Response:
    page = catalog.list_customers(uow=uow, actor=actor, query=_query(q, offset))
    return render(
        request, "platform/console/customers.html", actor, page=page, q=q, offset=offset, limit=PAGE
    )


@router.post("/customers")
def create_customer(
    request: Request, uow: WebUow, actor: ProviderUser, name: Annotated[str, Form(max_length=200)]
) -> Response:
    return form_action(
        request,
        lambda: catalog.create_customer(uow=uow, actor=actor, name=name),
        success=f"Customer '{name.strip()}' created.",
        back="/console/customers",
    )


@router.get("/customers/{customer_id}")
def customer(request: Request, customer_id: ResourceId, uow: WebUow, actor: ProviderUser) -> Response:
    summary = catalog.customer_summary(uow=uow, actor=actor, customer_id=customer_id)
    return render(request, "platform/console/customer.html", actor, summary=summary)


@router.get("/services")
def services(
    request: Request, uow: WebUow, actor: ProviderUser, q: Search = "", offset: Offset = 0
) -> Response:
    page = catalog.list_services(uow=uow, actor=actor, query=_query(q, offset))
    calendars = catalog.list_calendars(uow=uow, actor=actor, query=ListQuery(limit=500)).data
    return render(
        request,
        "platform/console/services.html",
        actor,
        page=page,
        calendars=calendars,
        q=q,
        offset=offset,
        limit=PAGE,
    )


@router.post("/services")
def create_service(
    request: Request,
    uow: WebUow,
    actor: ProviderUser,
    name: Annotated[str, Form(max_length=200)],
    calendar_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    calendar = int(calendar_id) if calendar_id.isdigit() else None
    return form_action(
        request,
        lambda: catalog.create_service(uow=uow, actor=actor, name=name, calendar_id=calendar),
        success=f"Service '{name.strip()}' created.",
        back="/console/services",
    )


@router.get("/calendars")
def calendars(
    request: Request, uow: WebUow, actor: ProviderUser, q: Search = "", offset: Offset = 0
) -> Response:
    page = catalog.list_calendars(uow=uow, actor=actor, query=_query(q, offset))
    return render(
        request,
        "background/console/calendars.html",
        actor,
        page=page,
        q=q,
        offset=offset,
        limit=PAGE,
        weekdays=WEEKDAYS,
    )


Hours = Annotated[str, Form(max_length=200)]


def _definition(timezone: str, hours: dict[str, str], holiday_country: str) -> dict[str, Any]:
    """One text box per weekday ('09:00-12:00, 13:00-17:00'); empty means closed that day."""
    parsed = {day: [part.strip() for part in text.split(",") if part.strip()] for day, text in hours.items()}
    definition: dict[str, Any] = {
        "timezone": timezone.strip(),
        "hours": {d: v for d, v in parsed.items() if v},
    }
    if holiday_country.strip():
        definition["holidays"] = {"country": holiday_country.strip()}
    return definition


@router.post("/calendars")
def create_calendar(
    request: Request,
    uow: WebUow,
    actor: ProviderUser,
    name: Annotated[str, Form(max_length=200)],
    timezone: Annotated[str, Form(max_length=64)],
    mon: Hours = "",
    tue: Hours = "",
    wed: Hours = "",
    thu: Hours = "",
    fri: Hours = "",
    sat: Hours = "",
    sun: Hours = "",
    holiday_country: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    hours = dict(zip(WEEKDAYS, (mon, tue, wed, thu, fri, sat, sun), strict=True))
    definition = _definition(timezone, hours, holiday_country)
    return form_action(
        request,
        lambda: catalog.create_calendar(uow=uow, actor=actor, name=name, definition=definition),
        success=f"Calendar '{name.strip()}' created.",
        back="/console/calendars",
    )


@router.get("/calendars/{calendar_id}")
def calendar(
    request: Request, calendar_id: ResourceId, uow: WebUow, actor: ProviderUser, container: ContainerDep
) -> Response:
    cal, periods = catalog.preview_calendar(
        uow=uow, actor=actor, calendar_id=calendar_id, after=container.clock(), count=10
    )
    spec = BusinessCalendar.from_dict(cal.definition).spec
    return render(
        request,
        "background/console/calendar.html",
        actor,
        calendar=cal,
        spec=spec,
        periods=periods,
        week=week_view(spec.hours),
        timezone=spec.timezone,
    )
