"""/api/v1/agreement-versions/{id}/counter, …/accept-counter and …/decline-counter: a customer's
counter-offer recorded by the provider, and the provider's answers to it (services/agreements_counter).
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from slaforge.entrypoints.api.routes.agreement.agreements import require_decider, require_writer, who
from slaforge.entrypoints.api.schemas.agreement.agreements import (
    CounterAcceptance,
    CounterAcceptedPublic,
    CounterOffer,
    VersionRefPublic,
    Withdrawal,
)
from slaforge.entrypoints.deps import ContainerDep, CurrentPrincipal, ResourceId, UowDep
from slaforge.services.agreement import decisions
from slaforge.services.agreement.counter_offers import accept_counter, decline_counter
from slaforge.services.platform.notifications import NotifyConfig

router = APIRouter(tags=["agreements"])


@router.post("/agreement-versions/{version_id}/counter", response_model=VersionRefPublic)
def counter(
    version_id: ResourceId, body: CounterOffer, uow: UowDep, actor: CurrentPrincipal, container: ContainerDep
) -> VersionRefPublic:
    """Record the customer's counter-offer: answers the new draft carrying the proposed terms."""
    require_decider(actor, uow, version_id)
    ref = decisions.counter_version(
        uow=uow,
        version_id=version_id,
        proposed_terms=body.proposed_terms,
        comment=body.comment,
        actor=who(actor),
        now=container.clock(),
    )
    return VersionRefPublic.model_validate(ref)


@router.post("/agreement-versions/{version_id}/accept-counter", response_model=CounterAcceptedPublic)
def accept_counter_offer(
    version_id: ResourceId,
    body: CounterAcceptance,
    request: Request,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
) -> CounterAcceptedPublic:
    """Accept the customer's counter-offer (the draft it made) as proposed: offer it unchanged and
    send a signature link to the contact who proposed it. An edited draft answers 409."""
    require_writer(actor)
    settings = container.settings
    sent = accept_counter(
        uow=uow,
        version_id=version_id,
        actor=who(actor),
        now=container.clock(),
        base_url=settings.public_url or str(request.base_url),
        link_days=settings.signature_link_days,
        expires_at=body.expires_at,
        recipients=body.recipients,
        notify=NotifyConfig.from_settings(settings),
    )
    return CounterAcceptedPublic.model_validate(sent)


@router.post("/agreement-versions/{version_id}/decline-counter", response_model=VersionRefPublic)
def decline_counter_offer(
    version_id: ResourceId, body: Withdrawal, uow: UowDep, actor: CurrentPrincipal, container: ContainerDep
) -> VersionRefPublic:
    """Decline the customer's counter-offer: its draft is withdrawn and the customer told why."""
    require_writer(actor)
    ref = decline_counter(
        uow=uow, version_id=version_id, actor=who(actor), now=container.clock(), reason=body.reason
    )
    return VersionRefPublic.model_validate(ref)
