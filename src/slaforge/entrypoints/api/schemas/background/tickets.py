"""Tickets, ticket events and outages as the API reads and writes them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from slaforge.domain.time.clocks.model import EventKind
from slaforge.entrypoints.api.schemas.common import (
    Changes,
    Id,
    Input,
    Instant,
    Label,
    Name,
    Output,
    Short,
    Text,
)


class TicketCreate(Input):
    external_id: Short = Field(description="the ticket's id in its source system")
    source: Short | None = Field(None, description="where it comes from; default 'api'")
    customer_id: Id | None = None
    service_id: Id | None = None
    priority: Label
    category: Name | None = None
    status: Short
    created_at: Instant
    first_response_at: Instant | None = None
    resolved_at: Instant | None = None
    closed_at: Instant | None = None


class TicketUpdate(Changes):
    nullable = frozenset({"service_id", "category", "first_response_at", "resolved_at", "closed_at"})
    service_id: Id | None = None
    priority: Label | None = None
    category: Name | None = None
    status: Short | None = None
    first_response_at: Instant | None = None
    resolved_at: Instant | None = None
    closed_at: Instant | None = None


class TicketPublic(Output):
    id: int
    source: str
    external_id: str
    customer_id: int | None
    service_id: int | None
    priority: str
    category: str | None
    status: str
    created_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None


class TicketsPublic(Output):
    data: list[TicketPublic]
    count: int


class TicketEventCreate(Input):
    at: Instant
    kind: Annotated[EventKind, Field(strict=False)]
    status: Short | None = Field(None, description="the new status, when the status changed")
    priority: Label | None = Field(None, description="the new priority, when it changed")
    dedupe_key: Label | None = Field(None, description="sending the same key twice stores the event once")


class TicketEventPublic(Output):
    id: int
    ticket_id: int
    at: datetime
    kind: Annotated[EventKind, Field(strict=False)]
    status: str | None
    priority: str | None
    dedupe_key: str


class TicketEventsPublic(Output):
    data: list[TicketEventPublic]
    count: int


class OutageCreate(Input):
    service_id: Id
    started_at: Instant
    ended_at: Instant | None = Field(None, description="absent while the outage goes on")
    planned: bool = False
    description: Text = ""
    external_id: Short | None = None


class OutageUpdate(Changes):
    nullable = frozenset({"ended_at"})
    service_id: Id | None = None
    started_at: Instant | None = None
    ended_at: Instant | None = None
    planned: bool | None = None
    description: Text | None = None


class OutagePublic(Output):
    id: int
    service_id: int
    source: str
    external_id: str | None
    started_at: datetime
    ended_at: datetime | None
    planned: bool
    description: str


class OutagesPublic(Output):
    data: list[OutagePublic]
    count: int
