"""/api/v1/tokens: one's own API tokens (admins see everyone's). The secret is returned once."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Query, status

from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.common import MAX_ID
from slaforge.entrypoints.api.schemas.platform.accounts import (
    TokenCreate,
    TokenCreated,
    TokenPublic,
    TokensPublic,
)
from slaforge.entrypoints.deps import ContainerDep, CurrentPrincipal, ResourceId, UowDep, sorted_by
from slaforge.services.platform import tokens as api_tokens

router = api_router(prefix="/tokens", tags=["tokens"])


@router.get("", response_model=TokensPublic)
def list_tokens(
    uow: UowDep,
    actor: CurrentPrincipal,
    query: Annotated[ListQuery, Depends(sorted_by("id", "name", "created_at", "expires_at"))],
    user_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> TokensPublic:
    page = api_tokens.list_tokens(uow=uow, actor=actor, query=replace(query, filters={"user_id": user_id}))
    return TokensPublic.model_validate(page, from_attributes=True)


@router.post("", response_model=TokenCreated, status_code=status.HTTP_201_CREATED)
def create_token(
    body: TokenCreate, uow: UowDep, actor: CurrentPrincipal, container: ContainerDep
) -> TokenCreated:
    token, secret = api_tokens.create_token(
        uow=uow,
        actor=actor,
        name=body.name,
        expires_at=body.expires_at,
        now=container.clock(),
        default_days=container.settings.token_default_days,
    )
    return TokenCreated.model_validate({**TokenPublic.model_validate(token).model_dump(), "secret": secret})


@router.get("/{token_id}", response_model=TokenPublic)
def get_token(token_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> TokenPublic:
    return TokenPublic.model_validate(api_tokens.get_token(uow=uow, actor=actor, token_id=token_id))


@router.delete("/{token_id}", response_model=TokenPublic)
def revoke_token(
    token_id: ResourceId, uow: UowDep, actor: CurrentPrincipal, container: ContainerDep
) -> TokenPublic:
    """Revoke the token: it stops working at once; the record stays for the audit trail."""
    token = api_tokens.revoke_token(uow=uow, actor=actor, token_id=token_id, now=container.clock())
    return TokenPublic.model_validate(token)
