"""People and machine access: users (provider console) and one's own API tokens (everyone)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from slaforge.domain.errors import Conflict, InvalidInput, NotFound
from slaforge.domain.platform.accounts import Permission, Principal, Role, assignable_roles, can_manage
from slaforge.domain.platform.listing import ListQuery
from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.routes.helpers import form_action
from slaforge.entrypoints.web.session import ProviderUser, WebUow, WebUser, flash, flash_error
from slaforge.services.platform import accounts, catalog
from slaforge.services.platform import tokens as api_tokens

router = APIRouter()
PAGE = 50


@router.get("/console/users")
def users(
    request: Request,
    uow: WebUow,
    actor: ProviderUser,
    q: Annotated[str, Query(max_length=200)] = "",
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    page = accounts.list_users(
        uow=uow, actor=actor, query=ListQuery(limit=PAGE, offset=offset, search=q.replace("\x00", "") or None)
    )
    customers = catalog.list_customers(uow=uow, actor=actor, query=ListQuery(limit=500)).data
    return render(
        request,
        "platform/console/users.html",
        actor,
        page=page,
        customers=customers,
        # Only what this user may do: the roles it may hand out, and the users it may change.
        roles=assignable_roles(actor),
        manageable={u.id for u in page.data if can_manage(actor, Role(u.role), u.customer_id)},
        q=q,
        offset=offset,
        limit=PAGE,
    )


@router.post("/console/users")
def create_user(
    request: Request,
    uow: WebUow,
    actor: ProviderUser,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1000)],
    role: Annotated[str, Form(max_length=32)],
    display_name: Annotated[str, Form(max_length=200)] = "",
    customer_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    customer = int(customer_id) if customer_id.isdigit() else None
    return form_action(
        request,
        lambda: accounts.create_user(
            uow=uow,
            actor=actor,
            email=email,
            password=password,
            role=role,
            customer_id=customer,
            display_name=display_name,
        ),
        success=f"User '{email.strip()}' created.",
        back="/console/users",
    )


@router.post("/console/users/{user_id}/active")
def set_active(
    request: Request,
    user_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    active: Annotated[str, Form(pattern="^(yes|no)$")],
) -> Response:
    changes = accounts.UserChanges(is_active=active == "yes")
    verb = "activated" if active == "yes" else "deactivated"
    return form_action(
        request,
        lambda: accounts.update_user(uow=uow, actor=actor, user_id=user_id, changes=changes),
        success=f"User {verb}.",
        back="/console/users",
    )


def _token_user(actor: WebUser) -> Principal:
    # The tokens page does not exist for a user who may not make tokens (a viewer): 404, as the
    # console for customer users, and the menu does not offer it (base.html).
    if not actor.can(Permission.TOKENS_OWN):
        raise NotFound("no such page")
    return actor


TokenUser = Annotated[Principal, Depends(_token_user)]


@router.get("/tokens")
def tokens(request: Request, uow: WebUow, actor: TokenUser) -> Response:
    page = api_tokens.list_tokens(uow=uow, actor=actor, query=ListQuery(limit=200))
    return render(request, "platform/tokens.html", actor, page=page)


@router.post("/tokens")
def create_token(
    request: Request,
    uow: WebUow,
    actor: TokenUser,
    container: ContainerDep,
    name: Annotated[str, Form(max_length=200)],
    days: Annotated[int, Form(ge=1, le=1825)] = 90,
) -> Response:
    now = container.clock()
    try:
        token, secret = api_tokens.create_token(
            uow=uow, actor=actor, name=name, expires_at=now + timedelta(days=days), now=now
        )
    except (InvalidInput, Conflict) as exc:
        flash_error(request, exc)
        return redirect("/tokens")
    # Rendered straight from the POST, never stored: the secret is shown this once.
    return render(request, "platform/token_created.html", actor, token=token, secret=secret)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(
    request: Request, token_id: ResourceId, uow: WebUow, actor: TokenUser, container: ContainerDep
) -> Response:
    api_tokens.revoke_token(uow=uow, actor=actor, token_id=token_id, now=container.clock())
    flash(request, "Token revoked; it no longer works.", "success")
    return redirect("/tokens")
