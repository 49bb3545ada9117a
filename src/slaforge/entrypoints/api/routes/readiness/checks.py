"""/api/v1/agreements/{id}/readiness: the check of an accepted agreement (every item with its
state, reason and next step), its configuration, waivers, channel tests and the go-live gate.

Every route loads the agreement through the caller's scoped unit of work first, so another
customer's agreement is 404; a customer's user reads its own agreement's check and changes nothing
(the services refuse with 403)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Query, Response, status

from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.api.routes.agreement.agreements import Ctx
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.readiness.checks import (
    ChannelTestIn,
    ChannelTestPublic,
    ItemPublic,
    Kind,
    LivePublic,
    ReadinessConfigIn,
    ReadinessConfigPublic,
    ReadinessPublic,
    State,
    WaiverIn,
    WaiverPublic,
)
from slaforge.entrypoints.deps import ResourceId, sorted_by
from slaforge.services.readiness import checks, configuration, go_live, proofs, waivers

router = api_router(tags=["readiness"])
BASE = "/agreements/{agreement_id}/readiness"


def _readiness(view: checks.ReadinessView, query: ListQuery) -> ReadinessPublic:
    page = checks.page_items(view, query)
    items = [
        ItemPublic(key=i.key, objective=i.objective, label=i.label, kind=i.kind, state=i.state.value,  # type: ignore[arg-type]
                   reason=i.reason, next_step=i.next_step, waived_by=i.waiver.by if i.waiver else None)
        for i in page.data
    ]  # fmt: skip
    nxt = view.next
    return ReadinessPublic(
        agreement_id=view.agreement_id,
        version_id=view.version_id,
        number=view.number,
        state=view.state,
        ready=view.ready,
        next=nxt.key if nxt else None,
        went_live_at=view.went_live_at,
        frozen_sha256=view.frozen_sha256,
        definitions=view.definitions,
        data=items,
        count=page.count,
    )


@router.get(BASE, response_model=ReadinessPublic)
def get_readiness(
    agreement_id: ResourceId,
    ctx: Ctx,
    query: Annotated[ListQuery, Depends(sorted_by("position", "objective", "kind", "state"))],
    state: State | None = None,
    kind: Kind | None = None,
    objective: Annotated[int | None, Query(ge=0, le=1000)] = None,
) -> ReadinessPublic:
    """The computed check (the provider's call also records the proofs the data now allows); its
    items page, sort and filter like every list, by default in the order to fix them."""
    view = checks.check_readiness(uow=ctx.uow, agreement_id=agreement_id, now=ctx.now)
    filters = {"state": state, "kind": kind, "objective": objective}
    return _readiness(view, replace(query, filters=filters))


@router.get(f"{BASE}/config", response_model=ReadinessConfigPublic)
def get_config(agreement_id: ResourceId, ctx: Ctx) -> ReadinessConfigPublic:
    return ReadinessConfigPublic.model_validate(
        configuration.get_config(uow=ctx.uow, agreement_id=agreement_id)
    )


@router.put(f"{BASE}/config", response_model=ReadinessConfigPublic)
def put_config(agreement_id: ResourceId, body: ReadinessConfigIn, ctx: Ctx) -> ReadinessConfigPublic:
    """Replace the configuration whole; a bad field is a 422 naming it, and nothing is written."""
    view = configuration.configure(
        uow=ctx.uow, agreement_id=agreement_id, raw=body.model_dump(), actor=ctx.actor, now=ctx.now
    )
    return ReadinessConfigPublic.model_validate(view)


@router.post(
    f"{BASE}/waivers",
    response_model=WaiverPublic,
    responses={201: {"model": WaiverPublic, "description": "waived now"}},
)
def waive(agreement_id: ResourceId, body: WaiverIn, ctx: Ctx, response: Response) -> WaiverPublic:
    """A manager waives one item with a reason: 201 the first time, 200 (the first waiver) after."""
    done = waivers.waive(
        uow=ctx.uow,
        agreement_id=agreement_id,
        item=body.item,
        reason=body.reason,
        actor=ctx.actor,
        now=ctx.now,
    )
    response.status_code = status.HTTP_201_CREATED if done.new else status.HTTP_200_OK
    return WaiverPublic.model_validate(done)


@router.post(f"{BASE}/channel-tests", response_model=ChannelTestPublic, status_code=status.HTTP_202_ACCEPTED)
def test_channel(agreement_id: ResourceId, body: ChannelTestIn, ctx: Ctx) -> ChannelTestPublic:
    """Queue a test notification through the channel; the check records the proof once delivered."""
    sent = proofs.send_channel_test(
        uow=ctx.uow, agreement_id=agreement_id, channel=body.channel, actor=ctx.actor, now=ctx.now
    )
    return ChannelTestPublic.model_validate(sent)


@router.post(
    f"{BASE}/go-live",
    response_model=LivePublic,
    responses={201: {"model": LivePublic, "description": "went live now"}},
)
def go_live_route(agreement_id: ResourceId, ctx: Ctx, response: Response) -> LivePublic:
    """Accepted → active when every item is ok or waived (else 409 naming each open item)."""
    live = go_live.go_live(uow=ctx.uow, agreement_id=agreement_id, actor=ctx.actor, now=ctx.now)
    response.status_code = status.HTTP_201_CREATED if live.new else status.HTTP_200_OK
    return LivePublic.model_validate(live)
