"""Schemas of the live step: batches of events, and clocks with what they fired."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from slaforge.entrypoints.api.schemas.common import Input, Instant, Output
from slaforge.entrypoints.api.schemas.readiness.ingestion import DeliveredEventIn, DeliveredTicketIn

MAX_BATCH = 10_000


class BatchItemIn(Input):
    """One event of one ticket; the ticket is stored (with its `created` event) the first time."""

    ticket: DeliveredTicketIn
    event: DeliveredEventIn


class BatchIn(Input):
    items: list[BatchItemIn] = Field(min_length=1, max_length=MAX_BATCH)


class BatchPublic(Output):
    items: int
    new_tickets: int
    new_events: int
    tickets: int
    clocks: int


class RepairIn(Input):
    reason: str = Field(
        min_length=1, max_length=500, description="why: recorded with every change and withdrawn breach"
    )


class RepairPublic(Output):
    agreement_id: int
    clocks: int = Field(description="clocks recomputed")
    tickets: int
    changed: int = Field(description="clocks whose state, deadline or breach changed")
    withdrawn: int = Field(description="recorded breaches the history no longer holds, withdrawn")


class FiringPublic(Output):
    step: int = Field(description="the escalation ladder's step (from 0), or -1 for the breach")
    kind: str
    due_at: datetime
    fired_at: datetime
    notified: list[Any]
    withdrawn_at: datetime | None
    withdrawn_reason: str | None
    version_id: int = Field(description="the agreement version in force when it was recorded")


class ClockPublic(Output):
    id: int
    ticket_id: int
    external_id: str
    agreement_id: int
    version_id: int
    objective_index: int
    objective: str
    metric: str
    state: str
    breached: bool
    breached_at: datetime | None
    at_risk: bool
    priority: str | None
    target_seconds: float | None
    elapsed_seconds: float = Field(description="business seconds counted as of `as_of`")
    remaining_seconds: float | None
    started_at: datetime | None
    stopped_at: datetime | None
    due_at: datetime | None
    risk_at: datetime | None
    as_of: datetime
    timezone: str
    config_sha256: str
    explanation: dict[str, Any]
    firings: list[FiringPublic]


class TicketClocksPublic(Output):
    ticket_id: int
    external_id: str
    source: str
    customer_id: int | None
    priority: str
    status: str
    created_at: datetime
    clocks: list[ClockPublic]


class ClockPagePublic(BaseModel):
    data: list[ClockPublic]
    count: int
    total: int
    which: str


class UnroutedPublic(Output):
    ticket_id: int
    external_id: str
    source: str
    customer_id: int | None
    priority: str
    created_at: datetime
    reason: str


class UnroutedListPublic(BaseModel):
    data: list[UnroutedPublic]
    count: int


class SatisfactionIn(Input):
    external_id: str = Field(
        min_length=1, max_length=100, description="the ticket's id in the tracking system"
    )
    at: Instant
    scale: Literal["csat", "nps"] = "csat"
    score: int = Field(ge=0, le=10, description="CSAT 1 to 5, NPS 0 to 10")
    dedupe_key: str | None = Field(
        None, max_length=100, description="the answer's id: the same key twice is one answer"
    )


class SatisfactionPublic(Output):
    ticket_id: int
    new: bool
