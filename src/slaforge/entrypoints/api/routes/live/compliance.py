"""Compliance: `GET /api/v1/agreements/{id}/compliance?period=2026-11` — each objective's figures
for a month or quarter, as closed (with the adjustments late events made since) or as of now,
with the credit each earns and the period's after the cap."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from slaforge.entrypoints.api.routes.agreement.agreements import Ctx
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.live.compliance import CompliancePublic
from slaforge.entrypoints.deps import ResourceId
from slaforge.services.live import compliance

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
