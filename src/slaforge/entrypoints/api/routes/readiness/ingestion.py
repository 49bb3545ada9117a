"""Ingestion tokens of an agreement (made and revoked by a manager; the secret is answered once)
and the event API a tracking system delivers with one:

- `POST /api/v1/ingest/tickets`: a ticket; stored with its `created` event, once by its external id;
- `POST /api/v1/ingest/tickets/{external_id}/events`: an event of a ticket delivered before;
- `POST /api/v1/ingest/webhooks/{zendesk|jsm|servicenow}`: that system's webhook body as it sends it.

Both take `Authorization: Bearer sfi_…` (an ingestion token, not a user's API token): 401 when it
is missing, unknown or revoked. The customer is the token's, whatever the payload says."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Body, Header, Path, Response, status

from slaforge.domain.platform.accounts import NotAuthenticated
from slaforge.entrypoints.api.routes.agreement.agreements import Ctx
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.readiness.ingestion import (
    DeliveredEventIn,
    DeliveredPublic,
    DeliveredTicketIn,
    TokenCreated,
    TokenIn,
    TokenPublic,
    TokensPublic,
)
from slaforge.entrypoints.deps import ContainerDep, ResourceId
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


def _secret(authorization: str | None) -> str:
    scheme, _, secret = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise NotAuthenticated("an ingestion token is required: Authorization: Bearer sfi_…")
    return secret.strip()


Authorization = Annotated[str | None, Header()]


def _answer(done: ingestion.Delivered, response: Response, new: bool) -> DeliveredPublic:
    response.status_code = status.HTTP_201_CREATED if new else status.HTTP_200_OK
    return DeliveredPublic.model_validate(done)


@router.post(
    "/ingest/tickets",
    response_model=DeliveredPublic,
    responses={201: {"model": DeliveredPublic}},
)
def deliver_ticket(
    body: DeliveredTicketIn, container: ContainerDep, response: Response, authorization: Authorization = None
) -> DeliveredPublic:
    """A ticket of the token's customer, with its `created` event: 201 when new, 200 when known."""
    ticket = body.model_dump()
    event = {"at": body.created_at, "kind": "created", "status": body.status, "priority": body.priority,
             "dedupe_key": f"created:{body.external_id}"}  # fmt: skip
    secret, now = _secret(authorization), container.clock()
    done = ingestion.deliver(
        uow=container.system_uow(), secret=secret, ticket=ticket, event=event, system="api", now=now
    )
    return _answer(done, response, done.new_ticket)


@router.post(
    "/ingest/tickets/{external_id}/events",
    response_model=DeliveredPublic,
    responses={201: {"model": DeliveredPublic}},
)
def deliver_event(
    external_id: Annotated[str, Path(min_length=1, max_length=100)],
    body: DeliveredEventIn,
    container: ContainerDep,
    response: Response,
    authorization: Authorization = None,
) -> DeliveredPublic:
    """An event of a ticket this customer's tokens delivered: 201 when new, 200 when known."""
    done = ingestion.deliver_event(uow=container.system_uow(), secret=_secret(authorization),
                                   external_id=external_id, event=body.model_dump(), system="api",
                                   now=container.clock())  # fmt: skip
    return _answer(done, response, done.new_event)


@router.post(
    "/ingest/webhooks/{system}", response_model=DeliveredPublic, responses={201: {"model": DeliveredPublic}}
)
def deliver_webhook(
    system: Literal["zendesk", "jsm", "servicenow"],
    payload: Annotated[dict[str, Any], Body()],
    container: ContainerDep,
    response: Response,
    authorization: Authorization = None,
) -> DeliveredPublic:
    """A Zendesk, Jira Service Management or ServiceNow webhook body (docs/readiness.md says which
    fields each is read from): the ticket, its `created` event and the update it reports; 201 when
    the ticket is new, 200 when known; 422 naming a missing or unreadable field."""
    secret, now = _secret(authorization), container.clock()
    done = ingestion.deliver_webhook(
        uow=container.system_uow(), secret=secret, system=system, payload=payload, now=now
    )
    return _answer(done, response, done.new_ticket)
