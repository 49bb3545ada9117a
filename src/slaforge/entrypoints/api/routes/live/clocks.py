"""Live clocks: per ticket (`GET /api/v1/tickets/{id}/clocks`), per agreement with a filter — open
ones in the order they breach, at-risk, breached — a repair of an agreement's open clocks, and the
delivered tickets no clock measures.
A customer's user sees its own tickets' clocks only (another's: 404)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

from slaforge.entrypoints.api.routes.agreement.agreements import Ctx, require_writer
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.live.clocks import (
    ClockPagePublic,
    ClockPublic,
    RepairIn,
    RepairPublic,
    TicketClocksPublic,
    UnroutedListPublic,
    UnroutedPublic,
)
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.services.live import ingest, repair, views

router = api_router(tags=["live"])
Which = Annotated[Literal["open", "at_risk", "breached", "all"], Query()]


@router.get("/tickets/{ticket_id}/clocks", response_model=TicketClocksPublic)
def ticket_clocks(ticket_id: ResourceId, ctx: Ctx) -> TicketClocksPublic:
    """Each live clock of the ticket read as of now (a running clock's time counts on)."""
    clocks = views.ticket_clocks(uow=ctx.uow, ticket_id=ticket_id, now=ctx.now)
    return TicketClocksPublic.model_validate(clocks)


@router.get("/agreements/{agreement_id}/clocks", response_model=ClockPagePublic)
def agreement_clocks(
    agreement_id: ResourceId,
    ctx: Ctx,
    which: Which = "open",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ClockPagePublic:
    """`which`: open (running or paused, soonest deadline first: the queue), at_risk (running, past
    three quarters of the target), breached (newest first), all."""
    page = views.agreement_clocks(
        uow=ctx.uow, agreement_id=agreement_id, which=which, now=ctx.now, limit=limit, offset=offset
    )
    data = [ClockPublic.model_validate(c) for c in page.data]
    return ClockPagePublic(data=data, count=len(data), total=page.total, which=page.which)


@router.post("/agreements/{agreement_id}/clocks/repair", response_model=RepairPublic)
def repair_clocks(
    agreement_id: ResourceId, body: RepairIn, ctx: Ctx, container: ContainerDep
) -> RepairPublic:
    """Recompute the agreement's open clocks from their tickets' histories (after a correction, say),
    in chunks of one transaction each; every change is audited with `reason`, and a recorded breach
    the history no longer holds is withdrawn with it, never erased. Provider staff who may change
    agreements only."""
    require_writer(ctx.actor)
    done = repair.repair(
        units=lambda: container.uow(ctx.actor),
        agreement_id=agreement_id,
        reason=body.reason,
        actor=ctx.actor,
        now=ctx.now,
    )
    return RepairPublic.model_validate(done)


@router.get("/ingest/unrouted", response_model=UnroutedListPublic)
def unrouted(ctx: Ctx, limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> UnroutedListPublic:
    """Delivered tickets no live clock measures, with the reason (provider users only)."""
    found = ingest.unrouted(uow=ctx.uow, limit=limit)
    return UnroutedListPublic(data=[UnroutedPublic.model_validate(u) for u in found], count=len(found))
