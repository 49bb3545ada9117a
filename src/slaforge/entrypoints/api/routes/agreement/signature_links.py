"""/api/v1/agreement-versions/{id}/signature-links: offer a draft if need be and e-mail links.

The same use case as `slaforge notify link`. Only provider staff who may change agreements send
links; a customer user is refused after the scoped load, so another customer's version stays 404.
"""

from __future__ import annotations

from fastapi import Request, status

from slaforge.domain.platform.accounts import Permission, PermissionDenied
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.agreement.agreements import VersionRefPublic
from slaforge.entrypoints.api.schemas.agreement.signature_links import (
    SignatureLinkPublic,
    SignatureLinksCreate,
    SignatureLinksSentPublic,
)
from slaforge.entrypoints.deps import ContainerDep, CurrentPrincipal, ResourceId, UowDep
from slaforge.services.agreement import link_offers as acceptance
from slaforge.services.agreement import reading

router = api_router(tags=["agreements"])


@router.post(
    "/agreement-versions/{version_id}/signature-links",
    response_model=SignatureLinksSentPublic,
    status_code=status.HTTP_201_CREATED,
)
def send_signature_links(
    version_id: ResourceId,
    body: SignatureLinksCreate,
    request: Request,
    uow: UowDep,
    actor: CurrentPrincipal,
    container: ContainerDep,
) -> SignatureLinksSentPublic:
    """E-mail a single-use signature link to each contact (queued; sent by the background jobs),
    offering the version first when it is still a draft. A version neither draft nor on offer
    answers 409."""
    if not actor.is_provider:
        reading.get_version(uow=uow, version_id=version_id)  # NotFound for another customer's version
        raise PermissionDenied("signature links are sent by the provider")
    actor.require(Permission.CATALOG_WRITE)
    settings = container.settings
    sent = acceptance.send_links(
        uow=uow,
        version_id=version_id,
        recipients=body.recipients,
        actor=actor.email,
        now=container.clock(),
        base_url=settings.public_url or str(request.base_url),
        link_days=settings.signature_link_days,
        offer_days=body.expires_days,
    )
    return SignatureLinksSentPublic(
        version=VersionRefPublic.model_validate(sent.version),
        links=[SignatureLinkPublic.model_validate(link) for link in sent.links],
    )
