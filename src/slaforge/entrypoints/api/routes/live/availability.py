"""Live availability: `POST /api/v1/ingest/outages` (a monitoring system's outage, with an
agreement's ingestion token) and `GET /api/v1/agreements/{id}/availability` (each availability
objective's month: downtime against its allowance, the outages counted, what fired)."""

from __future__ import annotations

from typing import Annotated

import yaml
from fastapi import Query, Response, status

from slaforge.domain.live.plan import BREACH
from slaforge.entrypoints.api.routes.agreement.agreements import Ctx
from slaforge.entrypoints.api.routes.live.ingest import Authorization, secret_of
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.live.availability import (
    AvailabilityFiringPublic,
    AvailabilityListPublic,
    AvailabilityPublic,
    BurnAlertPublic,
    OutageBatchIn,
    OutageBatchPublic,
    OutageDeliveredPublic,
    OutageIn,
    OutagePublic,
)
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.services.live import availability, openslo

router = api_router(tags=["live"])
RULE = (
    "a calendar month in UTC; unplanned outages only (planned maintenance excluded); overlapping "
    "outages counted once; uptime = (month - downtime) / month; breached once downtime exceeds "
    "(100 - target) % of the month"
)


@router.post(
    "/ingest/outages", response_model=OutageDeliveredPublic, responses={201: {"model": OutageDeliveredPublic}}
)
def deliver_outage(
    body: OutageIn, container: ContainerDep, response: Response, authorization: Authorization = None
) -> OutageDeliveredPublic:
    """An outage of a service: 201 when new, 200 when delivered before (its end filled in if given)."""
    done = availability.deliver_outage(
        uow=container.system_uow(),
        secret=secret_of(authorization),
        outage=body.model_dump(),
        system="api",
        now=container.clock(),
    )
    response.status_code = status.HTTP_201_CREATED if done.created else status.HTTP_200_OK
    return OutageDeliveredPublic(
        outage_id=done.outage_id,
        created=done.created,
        changed=done.changed,
        measured_by=list(done.measured_by),
        note=done.note,
    )


@router.post("/ingest/outages/batch", response_model=OutageBatchPublic, status_code=status.HTTP_201_CREATED)
def deliver_outages(
    body: OutageBatchIn, container: ContainerDep, authorization: Authorization = None
) -> OutageBatchPublic:
    """Up to 10,000 outages in one transaction: all are stored, or none and the 422 names the first
    bad item (`items[3].ended_at`). Outages delivered before are completed and counted once."""
    done = availability.deliver_outages(
        uow=container.system_uow(),
        secret=secret_of(authorization),
        items=[i.model_dump() for i in body.items],
        system="api",
        now=container.clock(),
    )
    return OutageBatchPublic.model_validate(done)


def _public(v: availability.AvailabilityView) -> AvailabilityPublic:
    b = v.budget
    breach = next((s for s in b.steps if s.step == BREACH), None)
    return AvailabilityPublic(
        agreement_id=v.agreement_id,
        objective_index=v.objective_index,
        objective=v.objective,
        service=v.service,
        target_percent=v.target_percent,
        month=v.month,
        as_of=b.as_of,
        month_seconds=b.month_seconds,
        allowed_seconds=b.allowed_seconds,
        down_seconds=b.down_seconds,
        left_seconds=b.left_seconds,
        uptime=b.uptime,
        ongoing=b.ongoing,
        at_risk=b.at_risk,
        breached=b.breached,
        breached_at=b.breached_at,
        projected_breach_at=None if breach is None or breach.happened else breach.at,
        rule=RULE,
        outages=[OutagePublic.model_validate(o) for o in v.outages],
        firings=[AvailabilityFiringPublic.model_validate(f) for f in v.firings],
        burn_alerts=[BurnAlertPublic.model_validate(a) for a in v.burn_alerts],
    )


@router.get(
    "/agreements/{agreement_id}/openslo",
    response_class=Response,
    responses={200: {"content": {"application/yaml": {}}, "description": "openslo/v1 SLI, SLO, AlertPolicy"}},
)
def agreement_openslo(agreement_id: ResourceId, ctx: Ctx) -> Response:
    """The agreement's availability objectives as OpenSLO YAML (the live version's, with its
    escalation ladders as alert policies); `slaforge openslo import` reads such a file back."""
    docs = openslo.export_openslo(uow=ctx.uow, agreement_id=agreement_id)
    text = yaml.safe_dump_all(docs, sort_keys=False, allow_unicode=True)
    return Response(text, media_type="application/yaml")


@router.get("/agreements/{agreement_id}/availability", response_model=AvailabilityListPublic)
def agreement_availability(
    agreement_id: ResourceId,
    ctx: Ctx,
    month: Annotated[
        str | None, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM; default this month")
    ] = None,
) -> AvailabilityListPublic:
    """Each availability objective of the live agreement in the month, as of now."""
    views = availability.availability_of(uow=ctx.uow, agreement_id=agreement_id, now=ctx.now, month=month)
    return AvailabilityListPublic(data=[_public(v) for v in views], count=len(views))
