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
    sources: list[Name] | None = Field(
        None,
        max_length=50,
        description="study only the tickets and outages imported under these source keys "
        "(e.g. servicenow); default: every source",
    )
    objectives: list[dict[str, Any]] | None = Field(
        None,
        max_length=50,
        description="objectives to back-test with their credit tables, as in an objectives file: "
        "[{name, metric: first_response|resolution, threshold: 0.9, targets: {critical: '4h', "
        "high: '1d'}, credits: [{below: 0.9, credit: 0.1}], monthly_fee: 1000}]",
    )
    credits: list[dict[str, Any]] | None = Field(
        None, max_length=20, description="the default credit table of the objectives: [{below, credit}]"
    )

    @model_validator(mode="after")
    def _one_calendar(self) -> StudyCreate:
        if self.calendar_id is not None and self.calendar is not None:
            raise ValueError("name the calendar by calendar_id or by calendar, not both")
        if len(set(self.segment_by)) != len(self.segment_by):
            raise ValueError("segment_by names a field twice")
        if self.credits is not None and self.objectives is None:
            raise ValueError("credits apply to objectives: give objectives too")
        return self

    def objectives_file(self) -> dict[str, Any] | None:
        """The objectives as an objectives file holds them, for the service to parse (and name
        fields as this body does: objectives[0].threshold, credits[1].below)."""
        if self.objectives is None:
            return None
        out: dict[str, Any] = {"objectives": self.objectives}
        if self.credits is not None:
            out["credits"] = self.credits
        return out


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
