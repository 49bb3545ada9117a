"""The event API a tracking system delivers a live agreement's tickets with, each delivery
recomputing the ticket's clocks before it commits:

- `POST /api/v1/ingest/tickets`: a ticket; stored with its `created` event, once by its external id;
- `POST /api/v1/ingest/tickets/{external_id}/events`: an event of a ticket delivered before;
- `POST /api/v1/ingest/batch`: up to 10,000 events at once, all or nothing (422 names the item);
- `POST /api/v1/ingest/webhooks/{zendesk|jsm|servicenow}`: that system's webhook body as it sends it.

All take `Authorization: Bearer sfi_…` (an agreement's ingestion token, not a user's API token):
401 when it is missing, unknown or revoked. The customer is the token's, whatever the payload says.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Header, Path, Query, Request, Response, status

from slaforge.domain.platform.accounts import NotAuthenticated
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.api.schemas.live.clocks import (
    BatchIn,
    BatchPublic,
    SatisfactionIn,
    SatisfactionPublic,
)
from slaforge.entrypoints.api.schemas.readiness.ingestion import (
    DeliveredEventIn,
    DeliveredPublic,
    DeliveredTicketIn,
)
from slaforge.entrypoints.deps import ContainerDep
from slaforge.services.live import ingest, satisfaction
from slaforge.services.readiness.ingestion import Delivered

router = api_router(tags=["live"])
Authorization = Annotated[str | None, Header()]


def secret_of(authorization: str | None) -> str:
    scheme, _, secret = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise NotAuthenticated("an ingestion token is required: Authorization: Bearer sfi_…")
    return secret.strip()


def _answer(done: Delivered, response: Response, new: bool) -> DeliveredPublic:
    response.status_code = status.HTTP_201_CREATED if new else status.HTTP_200_OK
    return DeliveredPublic.model_validate(done)


@router.post("/ingest/tickets", response_model=DeliveredPublic, responses={201: {"model": DeliveredPublic}})
def deliver_ticket(
    body: DeliveredTicketIn, container: ContainerDep, response: Response, authorization: Authorization = None
) -> DeliveredPublic:
    """A ticket of the token's customer, with its `created` event: 201 when new, 200 when known."""
    ticket = body.model_dump()
    event = {
        "at": body.created_at,
        "kind": "created",
        "status": body.status,
        "priority": body.priority,
        "dedupe_key": f"created:{body.external_id}",
    }
    secret, now = secret_of(authorization), container.clock()
    done = ingest.deliver(
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
    done = ingest.deliver_event(
        uow=container.system_uow(),
        secret=secret_of(authorization),
        external_id=external_id,
        event=body.model_dump(),
        system="api",
        now=container.clock(),
    )
    return _answer(done, response, done.new_event)


@router.post("/ingest/batch", response_model=BatchPublic, status_code=status.HTTP_201_CREATED)
def deliver_batch(body: BatchIn, container: ContainerDep, authorization: Authorization = None) -> BatchPublic:
    """Up to 10,000 events (each with its ticket) in one transaction: all are stored, or none and
    the 422 names the first bad item (`items[3].event.at`). Events delivered before count once."""
    items = [{"ticket": i.ticket.model_dump(), "event": i.event.model_dump()} for i in body.items]
    done = ingest.deliver_batch(
        uow=container.system_uow(),
        secret=secret_of(authorization),
        items=items,
        system="api",
        now=container.clock(),
    )
    return BatchPublic.model_validate(done)


async def _raw_body(request: Request) -> bytes:
    """The body exactly as sent: the signature is over these bytes, not over a re-serialisation."""
    return await request.body()


RawBody = Annotated[bytes, Depends(_raw_body)]
_JSON_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"type": "object", "additionalProperties": True}}},
    }
}


@router.post(
    "/ingest/webhooks/{system}",
    response_model=DeliveredPublic,
    responses={201: {"model": DeliveredPublic}},
    openapi_extra=_JSON_BODY,
)
def deliver_webhook(
    system: Literal["zendesk", "jsm", "servicenow"],
    body: RawBody,
    request: Request,
    container: ContainerDep,
    response: Response,
    token: Annotated[
        int | None,
        Query(
            ge=1,
            le=2**31 - 1,
            description="the ingestion token's id, for systems "
            "that cannot send an Authorization header (Jira)",
        ),
    ] = None,
    authorization: Authorization = None,
) -> DeliveredPublic:
    """A Zendesk, Jira Service Management or ServiceNow webhook as the system sends it, signed by
    the system under the token's signing secret (docs/live.md says how each signs; 401 when the
    signature is missing, wrong or, for Zendesk, older than five minutes). The token is named by
    `Authorization: Bearer sfi_…`, or by `?token=ID` where the system cannot send a header. 201
    when the ticket is new, 200 when known; 422 naming a missing or unreadable field."""
    secret = secret_of(authorization) if authorization else None
    if secret is None and token is None:
        raise NotAuthenticated("name the ingestion token: Authorization: Bearer sfi_…, or ?token=ID")
    done = ingest.deliver_webhook(
        uow=container.system_uow(),
        system=system,
        body=body,
        headers=dict(request.headers),
        now=container.clock(),
        secret=secret,
        token_id=token,
    )
    return _answer(done, response, done.new_ticket)


@router.post(
    "/ingest/satisfaction", response_model=SatisfactionPublic, responses={201: {"model": SatisfactionPublic}}
)
def deliver_satisfaction(
    body: SatisfactionIn, container: ContainerDep, response: Response, authorization: Authorization = None
) -> SatisfactionPublic:
    """A customer's satisfaction answer (CSAT 1–5 or NPS 0–10) about a ticket this customer's tokens
    delivered: 201 when new, 200 when delivered before. The watermelon check reads them."""
    done = satisfaction.deliver_answer(
        uow=container.system_uow(),
        secret=secret_of(authorization),
        answer=body.model_dump(),
        now=container.clock(),
    )
    response.status_code = status.HTTP_201_CREATED if done.new else status.HTTP_200_OK
    return SatisfactionPublic(ticket_id=done.ticket_id, new=done.new)
