"""Compliance: `GET /api/v1/agreements/{id}/compliance?period=2026-11` — each objective's figures
for a month or quarter, as closed (with the adjustments late events made since) or as of now,
with the credit each earns and the period's after the cap; `GET …/credits.csv` — every closed
period's credit lines for the billing system."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from slaforge.entrypoints.api.routes.agreement.agreements import Ctx
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.live.compliance import CompliancePublic
from slaforge.entrypoints.deps import ResourceId
from slaforge.services.live import compliance, credits

router = api_router(tags=["live"])


@router.get("/agreements/{agreement_id}/compliance", response_model=CompliancePublic)
def agreement_compliance(
    agreement_id: ResourceId,
    ctx: Ctx,
    period: Annotated[
        str | None, Query(pattern=r"^\d{4}-(\d{2}|Q[1-4])$", description="2026-11 or 2026-Q4; default now")
    ] = None,
) -> CompliancePublic:
    """Each objective's compliance in the period: as closed (with the adjustments late events made
    since), or, while it runs, as of now; with the credit each earns and the period's after the cap."""
    c = compliance.compliance_of(uow=ctx.uow, agreement_id=agreement_id, now=ctx.now, period=period)
    return CompliancePublic.model_validate(c, from_attributes=True)


@router.get(
    "/agreements/{agreement_id}/credits.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "one line per closed period and objective"}},
)
def agreement_credits(agreement_id: ResourceId, ctx: Ctx) -> Response:
    """Every closed period's credit lines (as adjusted, with exact shares) for the billing system."""
    text = credits.credits_csv(uow=ctx.uow, agreement_id=agreement_id, now=ctx.now)
    name = f"agreement-{agreement_id}-credits.csv"
    return Response(
        text, media_type="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
