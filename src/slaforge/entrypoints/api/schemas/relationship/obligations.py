"""Schemas of /api/v1/agreements/{id}/relationship/obligations: definitions, instances, a ticket's
clocks explained with what overdue obligations excused, fulfilment, and the term's worth."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from slaforge.entrypoints.api.schemas.common import Input, Instant, Label, Name, Output, Short


class Trigger(BaseModel):
    """Exactly one of `status` (entered, to start; left, to stop) or `event` (a ticket event kind)."""

    status: str | None = Field(default=None, max_length=100)
    event: str | None = Field(default=None, max_length=30)

    def as_terms(self) -> dict[str, str]:
        return {k: v for k, v in (("status", self.status), ("event", self.event)) if v is not None}


class ObligationCreate(Input):
    key: Label
    name: Name
    activity: str = Field(default="", max_length=50)
    due_seconds: float = Field(
        gt=0, le=366 * 86400, description="business seconds in the customer's calendar"
    )
    calendar: str = Field(default="", max_length=200, description="a stored calendar; '' = the agreement's")
    starts_on: Trigger
    stops_on: Trigger
    excuses_provider: bool = False

    def as_terms(self) -> dict[str, Any]:
        data = self.model_dump()
        data["starts_on"] = self.starts_on.as_terms()
        data["stops_on"] = self.stops_on.as_terms()
        return data


class Fulfilment(Input):
    """The instance (by its start) of `obligation` on `ticket_id` the customer has fulfilled."""

    ticket_id: int = Field(ge=1, le=2**31 - 1)
    obligation: Short
    started_at: Instant


class FulfilmentPublic(Output):
    ticket_id: int
    obligation: str
    started_at: str
    event_id: int
    at: str
    new: bool


class InstancePublic(Output):
    obligation: str
    name: str
    started_at: str
    due_at: str
    stopped_at: str | None
    stopped_by: str | None
    open: bool
    overdue: bool
    overdue_from: str | None
    overdue_until: str | None
    excuses_provider: bool
    ticket_id: int | None = None
    ticket: str | None = None


class ObligationsPublic(Output):
    agreement_id: int
    version_id: int
    version: int
    state: str
    calendar: str
    now: str
    obligations: list[dict[str, Any]]
    open: list[InstancePublic]
    count: int
    problem: str | None


class ExcusedPublic(Output):
    reason: str
    start: str
    end: str
    business_seconds: float
    text: str


class ClockPublic(Output):
    metric: str
    label: str
    state: str
    priority: str | None
    target_seconds: float | None
    elapsed_seconds: float
    started_at: str | None
    stopped_at: str | None
    due_at: str | None
    breached: bool
    breached_at: str | None
    paused: list[list[str | None]]
    excused: list[ExcusedPublic]
    without_excusal: dict[str, Any]


class ExplanationPublic(Output):
    agreement_id: int
    version: int
    ticket: dict[str, Any]
    now: str
    timezone: str
    pause_statuses: list[str]
    governed_statuses: list[str]
    obligations: list[InstancePublic]
    clocks: list[ClockPublic]


class SegmentWorthPublic(Output):
    segment: str
    tickets: int | None
    examined: int
    affected: int
    excused_hours: float
    median_excused_hours: float | None
    breaches_without: int
    breaches_turned_met: int


class WorthPublic(Output):
    agreement_id: int
    version: int
    study_id: int | None
    basis: str
    obligations: list[str]
    governed_statuses: list[str]
    resolution_targets: dict[str, float]
    segments: list[SegmentWorthPublic]
    total: SegmentWorthPublic
