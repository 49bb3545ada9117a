"""Capability studies as the API reads and writes them: the request to run one, its summary,
the stored study (results as stored), and the list."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from slaforge.entrypoints.api.schemas.common import Id, Input, Instant, Name, Output

Segment = Literal["priority", "category", "service", "customer"]


class Period(Input):
    start: Instant
    end: Instant

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if not self.start < self.end:
            raise ValueError("the period must end after it starts")
        return self


class StudyCreate(Input):
    """Run a study over the stored history. Name the calendar by id or by name (one of them);
    without either, the only stored calendar is used."""

    calendar_id: Id | None = Field(None, description="the calendar business time is counted in")
    calendar: Name | None = Field(None, description="the calendar by name, instead of calendar_id")
    segment_by: list[Segment] = Field(
        default_factory=lambda: list[Segment](["priority"]),
        max_length=4,
        description="fields that split the history",
    )
    level: float = Field(0.95, gt=0, le=1, description="share of tickets a target must cover")
    month_share: float = Field(0.8, gt=0, le=1, description="share of months that must reach the level")
    period: Period | None = Field(None, description="tickets opened in [start, end); default: all")

    @model_validator(mode="after")
    def _one_calendar(self) -> StudyCreate:
        if self.calendar_id is not None and self.calendar is not None:
            raise ValueError("name the calendar by calendar_id or by calendar, not both")
        if len(set(self.segment_by)) != len(self.segment_by):
            raise ValueError("segment_by names a field twice")
        return self


class HeadlinePublic(Output):
    segment: str
    tickets: int
    first_response: str = Field(description="the recommended target, or why there is none")
    resolution: str


class BacktestPublic(Output):
    name: str
    months_achieved: int
    months: int


class StudySummaryPublic(Output):
    study_id: int
    calendar_name: str
    tickets: int
    events: int
    months: int
    segments: int
    headline: list[HeadlinePublic]
    backtests: list[BacktestPublic]
    timings: dict[str, float]


class StudyListed(Output):
    id: int
    created_at: datetime
    tickets: int
    calendar_name: str
    segment_by: list[str]
    level: float
    month_share: float


class StudiesPublic(Output):
    data: list[StudyListed]
    count: int


class StudyPublic(Output):
    """A stored study as it was computed: parameters, results and provenance, unchanged."""

    id: int
    created_at: datetime
    tickets: int
    parameters: dict[str, Any]
    results: dict[str, Any]
    provenance: Any
