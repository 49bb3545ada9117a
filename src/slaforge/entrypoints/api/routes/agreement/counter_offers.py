"""/api/v1/agreement-versions/{id}/counter, …/accept-counter and …/decline-counter: a customer's
counter-offer recorded by the provider, and the provider's answers to it
(services/agreement/counter_offers.py).
"""

from __future__ import annotations

from fastapi import Request

from slaforge.domain.platform.notify import NotifyConfig
from slaforge.entrypoints.api.routes.agreement.agreements import (
    Ctx,
    ref_public,
    require_decider,
    require_writer,
)
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.agreement.agreements import (
    CounterAcceptance,
    CounterAcceptedPublic,
    CounterOffer,
    VersionRefPublic,
    Withdrawal,
)
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.services.agreement import decisions
from slaforge.services.agreement.counter_offers import accept_counter, decline_counter

router = api_router(tags=["agreements"])


@router.post("/agreement-versions/{version_id}/counter", response_model=VersionRefPublic)
def counter(version_id: ResourceId, body: CounterOffer, c: Ctx) -> VersionRefPublic:
    """Record the customer's counter-offer: answers the new draft carrying the proposed terms."""
    require_decider(c.actor, c.uow, version_id)
    return ref_public(decisions.counter_version(**c.acting(), version_id=version_id, **body.model_dump()))


@router.post("/agreement-versions/{version_id}/accept-counter", response_model=CounterAcceptedPublic)
def accept_counter_offer(
    version_id: ResourceId, body: CounterAcceptance, request: Request, c: Ctx, container: ContainerDep
) -> CounterAcceptedPublic:
    """Accept the customer's counter-offer (the draft it made) as proposed: offer it unchanged and
    send a signature link to the contact who proposed it. An edited draft answers 409."""
    require_writer(c.actor)
    settings = container.settings
    sent = accept_counter(
        **c.acting(),
        version_id=version_id,
        base_url=settings.public_url or str(request.base_url),
        link_days=settings.signature_link_days,
        expires_at=body.expires_at,
        recipients=body.recipients,
        notify=NotifyConfig.from_settings(settings),
    )
    return CounterAcceptedPublic.model_validate(sent)


@router.post("/agreement-versions/{version_id}/decline-counter", response_model=VersionRefPublic)
def decline_counter_offer(version_id: ResourceId, body: Withdrawal, c: Ctx) -> VersionRefPublic:
    """Decline the customer's counter-offer: its draft is withdrawn and the customer told why."""
    require_writer(c.actor)
    return ref_public(decline_counter(**c.acting(), version_id=version_id, reason=body.reason))
