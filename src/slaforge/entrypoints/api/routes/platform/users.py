"""/api/v1/users"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Query, status

from slaforge.domain.platform.accounts import Role
from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.common import MAX_ID
from slaforge.entrypoints.api.schemas.platform.accounts import UserCreate, UserPublic, UsersPublic, UserUpdate
from slaforge.entrypoints.deps import CurrentPrincipal, ResourceId, UowDep, sorted_by
from slaforge.services.platform import accounts

router = api_router(prefix="/users", tags=["users"])


@router.get("", response_model=UsersPublic)
def list_users(
    uow: UowDep,
    actor: CurrentPrincipal,
    query: Annotated[ListQuery, Depends(sorted_by("id", "email", "display_name", "role", "created_at"))],
    role: Role | None = None,
    customer_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    is_active: bool | None = None,
) -> UsersPublic:
    filters = {"role": role.value if role else None, "customer_id": customer_id, "is_active": is_active}
    page = accounts.list_users(uow=uow, actor=actor, query=replace(query, filters=filters))
    return UsersPublic.model_validate(page, from_attributes=True)


@router.post("", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, uow: UowDep, actor: CurrentPrincipal) -> UserPublic:
    user = accounts.create_user(
        uow=uow,
        actor=actor,
        email=body.email,
        password=body.password,
        role=body.role.value,
        customer_id=body.customer_id,
        display_name=body.display_name or "",
    )
    return UserPublic.model_validate(user)


@router.get("/me", response_model=UserPublic)
def get_me(uow: UowDep, actor: CurrentPrincipal) -> UserPublic:
    return UserPublic.model_validate(accounts.get_user(uow=uow, actor=actor, user_id=actor.user_id))


@router.get("/{user_id}", response_model=UserPublic)
def get_user(user_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> UserPublic:
    return UserPublic.model_validate(accounts.get_user(uow=uow, actor=actor, user_id=user_id))


@router.patch("/{user_id}", response_model=UserPublic)
def update_user(user_id: ResourceId, body: UserUpdate, uow: UowDep, actor: CurrentPrincipal) -> UserPublic:
    changes = accounts.UserChanges(**{**body.changes(), **({"role": body.role.value} if body.role else {})})
    return UserPublic.model_validate(
        accounts.update_user(uow=uow, actor=actor, user_id=user_id, changes=changes)
    )


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_user(user_id: ResourceId, uow: UowDep, actor: CurrentPrincipal) -> None:
    accounts.delete_user(uow=uow, actor=actor, user_id=user_id)
