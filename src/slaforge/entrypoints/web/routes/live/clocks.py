"""The live clocks' pages. Console: a ticket with its clocks (state, business time used and left,
due instant in the zone asked for, the warnings sent, the intervals that counted) and an
agreement's queue of what breaches next, with the at-risk and breached filters. Portal: the same
for a customer's user's own tickets and agreements (another customer's: 404, by the scoped unit
of work). `?tz=Area/City` shows instants in that zone; by default the calendar's."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.session import ProviderUser, WebUow, WebUser
from slaforge.services.live import availability, claims, compliance, satisfaction, signals, views

router = APIRouter()
Which = Annotated[Literal["open", "at_risk", "breached", "all"], Query()]
Zone = Annotated[str | None, Query(max_length=64)]


def _zone(tz: str | None) -> str | None:
    if not tz:
        return None
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"'{tz}' is not a time zone (e.g. Europe/Berlin)", field="tz") from None
    if tz not in available_timezones():
        raise InvalidInput(f"'{tz}' is not a time zone (e.g. Europe/Berlin)", field="tz")
    return tz


def _ticket_page(
    request: Request,
    uow: WebUow,
    actor: WebUser,
    ticket_id: int,
    tz: str | None,
    side: str,
    container: ContainerDep,
) -> Response:
    t = views.ticket_clocks(uow=uow, ticket_id=ticket_id, now=container.clock())
    return render(request, "live/ticket_clocks.html", actor, t=t, zone=_zone(tz), side=side)


def _queue_page(
    request: Request,
    uow: WebUow,
    actor: WebUser,
    agreement_id: int,
    which: str,
    tz: str | None,
    side: str,
    container: ContainerDep,
) -> Response:
    page = views.agreement_clocks(
        uow=uow, agreement_id=agreement_id, which=which, now=container.clock(), limit=200
    )
    try:
        months = availability.availability_of(uow=uow, agreement_id=agreement_id, now=container.clock())
        standing = compliance.compliance_of(uow=uow, agreement_id=agreement_id, now=container.clock())
        open_claims = claims.claimable(uow=uow, agreement_id=agreement_id, now=container.clock())
        filed = claims.claims_of(uow=uow, agreement_id=agreement_id)
        hints = [s for s in signals.signals_of(uow=uow, agreement_id=agreement_id) if s.signal.kind]
        melons = [
            w for w in satisfaction.watermelon_of(uow=uow, agreement_id=agreement_id) if w.check.flagged
        ]
    except NotFound:  # not live (the agreement itself was found above, for this caller)
        months, standing, open_claims, filed, hints, melons = [], None, [], [], [], []
    return render(
        request,
        "live/queue.html",
        actor,
        page=page,
        availability=months,
        compliance=standing,
        claimable=open_claims,
        claims=filed,
        signals=hints,
        watermelons=melons,
        agreement_id=agreement_id,
        zone=_zone(tz),
        side=side,
    )


@router.get("/console/tickets/{ticket_id}/clocks")
def console_ticket(
    request: Request,
    ticket_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    tz: Zone = None,
) -> Response:
    return _ticket_page(request, uow, actor, ticket_id, tz, "console", container)


@router.get("/console/agreements/{agreement_id}/clocks")
def console_queue(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    which: Which = "open",
    tz: Zone = None,
) -> Response:
    return _queue_page(request, uow, actor, agreement_id, which, tz, "console", container)


@router.get("/portal/tickets/{ticket_id}/clocks")
def portal_ticket(
    request: Request,
    ticket_id: ResourceId,
    uow: WebUow,
    actor: WebUser,
    container: ContainerDep,
    tz: Zone = None,
) -> Response:
    if actor.customer_id is None:
        return redirect(f"/console/tickets/{ticket_id}/clocks")
    return _ticket_page(request, uow, actor, ticket_id, tz, "portal", container)


@router.get("/portal/agreements/{agreement_id}/clocks")
def portal_queue(
    request: Request,
    agreement_id: ResourceId,
    uow: WebUow,
    actor: WebUser,
    container: ContainerDep,
    which: Which = "open",
    tz: Zone = None,
) -> Response:
    if actor.customer_id is None:
        return redirect(f"/console/agreements/{agreement_id}/clocks")
    return _queue_page(request, uow, actor, agreement_id, which, tz, "portal", container)
