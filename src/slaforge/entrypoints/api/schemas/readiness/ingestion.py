"""Schemas of ingestion tokens and of what a tracking system delivers with one."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from slaforge.domain.time.clocks.model import EventKind
from slaforge.entrypoints.api.schemas.common import Id, Input, Instant, Label, Name, Output, Short


class TokenIn(Input):
    label: str = Field(
        min_length=1, max_length=200, description="where the token is used, e.g. 'Zendesk prod'"
    )


class TokenPublic(Output):
    id: int
    agreement_id: int
    customer_id: int
    label: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    signed: bool = Field(description="a webhook signing secret is set (the secret is never shown)")


class SigningSecretIn(Input):
    secret: str = Field(
        min_length=16, max_length=200, description="the secret the tracking system signs its webhooks with"
    )


class TokenCreated(TokenPublic):
    token: str = Field(description="the secret: shown this once, only its SHA-256 is kept")


class TokensPublic(BaseModel):
    data: list[TokenPublic]
    count: int


class DeliveredTicketIn(Input):
    """A ticket as the tracking system knows it; the customer is the token's."""

    external_id: Short = Field(description="the ticket's id in the tracking system")
    priority: Label
    status: Short
    created_at: Instant
    category: Name | None = None
    service_id: Id | None = None


class DeliveredEventIn(Input):
    at: Instant
    kind: Annotated[EventKind, Field(strict=False)]
    status: Short | None = None
    priority: Label | None = None
    dedupe_key: Label | None = Field(None, description="the delivery's id: the same key twice is one event")


class DeliveredPublic(Output):
    ticket_id: int
    event_id: int
    new_ticket: bool
    new_event: bool
