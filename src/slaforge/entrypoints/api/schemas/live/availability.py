"""Schemas of live availability: an outage delivered by a monitoring system, and each month's
downtime of a live agreement's service against what its target allows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from slaforge.entrypoints.api.schemas.common import Input, Instant, Name, Output, Short


class OutageIn(Input):
    """An outage as the monitoring system knows it. Deliver it when it starts (no `ended_at`) and
    again when it ends; a delivery without `ended_at` never erases an end already delivered."""

    external_id: Short = Field(
        description="the outage's id in the monitoring system: delivered twice, stored once"
    )
    service: Name = Field(
        description="the service that was down, by name (an availability objective names it)"
    )
    started_at: Instant
    ended_at: Instant | None = None
    planned: bool = Field(False, description="planned maintenance: excluded from availability")
    description: str = Field("", max_length=2000)


class OutageBatchIn(Input):
    items: list[OutageIn] = Field(min_length=1, max_length=10_000)


class OutageBatchPublic(Output):
    items: int
    created: int = Field(description="outages not delivered before")
    changed: int = Field(description="outages this batch created or changed (an end filled in, say)")


class OutageDeliveredPublic(Output):
    outage_id: int
    created: bool
    changed: bool
    measured_by: list[int] = Field(
        description="the token customer's live agreements that measure this service"
    )
    note: str | None


class OutagePublic(Output):
    id: int
    external_id: str | None
    started_at: datetime
    ended_at: datetime | None
    planned: bool
    description: str


class AvailabilityFiringPublic(Output):
    step: int = Field(description="the escalation ladder's step (from 0), or -1 for the breach")
    kind: str
    due_at: datetime
    fired_at: datetime
    notified: list[Any]
    withdrawn_at: datetime | None
    withdrawn_reason: str | None


class BurnAlertPublic(Output):
    rule: str = Field(
        description="fast (14.4× over 1 h and 5 min), medium (6× over 6 h and 30 min), "
        "slow (1× over 3 d and 6 h)"
    )
    severity: str
    started_at: datetime
    ended_at: datetime | None = Field(description="null while the condition still holds")
    notified: list[Any]


class AvailabilityPublic(BaseModel):
    agreement_id: int
    objective_index: int
    objective: str
    service: str
    target_percent: float
    month: str = Field(description="YYYY-MM, a calendar month in the agreement calendar's zone")
    as_of: datetime
    month_seconds: float
    allowed_seconds: float = Field(description="downtime the target allows in the month")
    down_seconds: float = Field(description="unplanned downtime so far, overlapping outages counted once")
    left_seconds: float
    uptime: float = Field(description="the month's uptime if nothing more goes down")
    ongoing: bool
    at_risk: bool = Field(description="three quarters of the allowance used")
    breached: bool
    breached_at: datetime | None
    projected_breach_at: datetime | None = Field(description="when the outage going on uses up the allowance")
    rule: str
    outages: list[OutagePublic]
    firings: list[AvailabilityFiringPublic]
    burn_alerts: list[BurnAlertPublic]


class AvailabilityListPublic(BaseModel):
    data: list[AvailabilityPublic]
    count: int
