"""Ingestion tokens of an agreement: made and revoked by a manager; the secret is answered once.
What a tracking system delivers with one is the live step's (`routes.live.ingest`)."""

from __future__ import annotations

from fastapi import status

from slaforge.entrypoints.api.routes.agreement.agreements import Ctx
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.readiness.ingestion import (
    SigningSecretIn,
    TokenCreated,
    TokenIn,
    TokenPublic,
    TokensPublic,
)
from slaforge.entrypoints.deps import ResourceId
from slaforge.services.readiness import ingestion

router = api_router(tags=["readiness"])
TOKENS = "/agreements/{agreement_id}/readiness/ingestion-tokens"


@router.post(TOKENS, response_model=TokenCreated, status_code=status.HTTP_201_CREATED)
def create_token(agreement_id: ResourceId, body: TokenIn, ctx: Ctx) -> TokenCreated:
    view, secret = ingestion.create_token(uow=ctx.uow, agreement_id=agreement_id, label=body.label,
                                          actor=ctx.actor, now=ctx.now)  # fmt: skip
    return TokenCreated.model_validate({**TokenPublic.model_validate(view).model_dump(), "token": secret})


@router.get(TOKENS, response_model=TokensPublic)
def list_tokens(agreement_id: ResourceId, ctx: Ctx) -> TokensPublic:
    tokens = ingestion.list_tokens(uow=ctx.uow, agreement_id=agreement_id)
    return TokensPublic(data=[TokenPublic.model_validate(t) for t in tokens], count=len(tokens))


@router.post(TOKENS + "/{token_id}/revoke", response_model=TokenPublic)
def revoke_token(agreement_id: ResourceId, token_id: ResourceId, ctx: Ctx) -> TokenPublic:
    view = ingestion.revoke_token(uow=ctx.uow, agreement_id=agreement_id, token_id=token_id, actor=ctx.actor,
                                  now=ctx.now)  # fmt: skip
    return TokenPublic.model_validate(view)


@router.put(TOKENS + "/{token_id}/signing-secret", response_model=TokenPublic)
def set_signing_secret(
    agreement_id: ResourceId, token_id: ResourceId, body: SigningSecretIn, ctx: Ctx
) -> TokenPublic:
    """The secret the tracking system signs its webhooks with: webhooks delivered with this token
    must carry its valid signature (docs/live.md). Never answered back."""
    view = ingestion.set_signing_secret(uow=ctx.uow, agreement_id=agreement_id, token_id=token_id,
                                        secret=body.secret, actor=ctx.actor, now=ctx.now)  # fmt: skip
    return TokenPublic.model_validate(view)
