"""Compliance: `GET /api/v1/agreements/{id}/compliance?period=2026-11` — each objective's figures
for a month or quarter, as closed (with the adjustments late events made since) or as of now,
with the credit each earns and the period's after the cap; `GET …/credits.csv` — every closed
period's credit lines for the billing system."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response, status

from slaforge.entrypoints.api.routes.agreement.agreements import Ctx
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.live.compliance import (
    AmendmentPublic,
    ChangePublic,
    ClaimIn,
    ClaimListPublic,
    ClaimPublic,
    CompliancePublic,
    DecisionIn,
    SignalListPublic,
    SignalPublic,
    WatermelonListPublic,
    WatermelonPublic,
)
from slaforge.entrypoints.deps import ResourceId
from slaforge.services.live import claims, compliance, credits, satisfaction, signals

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


@router.post(
    "/agreements/{agreement_id}/claims", response_model=ClaimPublic, status_code=status.HTTP_201_CREATED
)
def file_claim(agreement_id: ResourceId, body: ClaimIn, ctx: Ctx) -> ClaimPublic:
    """The customer's administrator claims one objective's credit for a closed period (where the
    objective's remedy is applied by claim, within its claim window); 409 when filed already."""
    c = claims.file_claim(
        uow=ctx.uow,
        agreement_id=agreement_id,
        objective_index=body.objective_index,
        period=body.period,
        note=body.note,
        actor=ctx.actor,
        now=ctx.now,
    )
    return ClaimPublic.model_validate(c, from_attributes=True)


@router.get("/agreements/{agreement_id}/claims", response_model=ClaimListPublic)
def list_claims(agreement_id: ResourceId, ctx: Ctx) -> ClaimListPublic:
    found = claims.claims_of(uow=ctx.uow, agreement_id=agreement_id)
    return ClaimListPublic(
        data=[ClaimPublic.model_validate(c, from_attributes=True) for c in found], count=len(found)
    )


@router.post("/claims/{claim_id}/decision", response_model=ClaimPublic)
def decide_claim(claim_id: ResourceId, body: DecisionIn, ctx: Ctx) -> ClaimPublic:
    """The provider approves a filed claim, or rejects it saying why (provider staff who may change
    agreements); 409 once decided."""
    c = claims.decide_claim(
        uow=ctx.uow, claim_id=claim_id, approve=body.approve, reason=body.reason, actor=ctx.actor, now=ctx.now
    )
    return ClaimPublic.model_validate(c, from_attributes=True)


@router.get("/agreements/{agreement_id}/signals", response_model=SignalListPublic)
def agreement_signals(agreement_id: ResourceId, ctx: Ctx) -> SignalListPublic:
    """Per objective: does the promise need renegotiating? Tighten after three closed periods each
    4 points or more above the threshold; loosen after two misses in three, or three passes by less
    than a point; with the newest study's recommended target to start from."""
    found = signals.signals_of(uow=ctx.uow, agreement_id=agreement_id)
    return SignalListPublic(
        data=[
            SignalPublic(
                objective_index=s.objective_index,
                objective=s.objective,
                kind=s.signal.kind,
                reason=s.signal.reason,
                attainments=list(s.signal.attainments),
                threshold=s.signal.threshold,
                recommended=s.recommended,
            )
            for s in found
        ]
    )


@router.post(
    "/agreements/{agreement_id}/signals/amendment",
    response_model=AmendmentPublic,
    status_code=status.HTTP_201_CREATED,
)
def draft_amendment(agreement_id: ResourceId, ctx: Ctx) -> AmendmentPublic:
    """A new draft version whose signalled objectives start from the newest figures: the study's
    recommended target where it moves the promise the signalled way, else the threshold the last
    closed periods reached; 422 when no objective signals a renegotiation or none would move."""
    d = signals.draft_amendment(uow=ctx.uow, agreement_id=agreement_id, actor=ctx.actor, now=ctx.now)
    return AmendmentPublic(
        agreement_id=d.version.agreement_id,
        version_id=d.version.version_id,
        number=d.version.number,
        changes=[ChangePublic.model_validate(c, from_attributes=True) for c in d.changes],
    )


@router.get("/agreements/{agreement_id}/watermelon", response_model=WatermelonListPublic)
def agreement_watermelon(agreement_id: ResourceId, ctx: Ctx) -> WatermelonListPublic:
    """Per objective: compliant in each of the last three closed periods while the customer's
    satisfaction (CSAT or NPS answers) fell by more than 10 points? Green outside, red inside."""
    found = satisfaction.watermelon_of(uow=ctx.uow, agreement_id=agreement_id)
    return WatermelonListPublic(
        data=[
            WatermelonPublic(
                objective_index=w.objective_index,
                objective=w.objective,
                flagged=w.check.flagged,
                reason=w.check.reason,
                periods=[
                    {
                        "period": p.label,
                        "complies": p.complies,
                        "satisfaction": p.satisfaction,
                        "answers": p.answers,
                    }
                    for p in w.check.periods
                ],
            )
            for w in found
        ]
    )
