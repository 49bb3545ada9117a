"""Schemas of /api/v1/agreements/{id}/relationship/meetings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from slaforge.entrypoints.api.schemas.common import Input

Short = Annotated[str, Field(max_length=500, pattern=r"^[^\x00]*$")]


class Attendee(Input):
    party: Short
    name: Short
    email: Short = ""


class SeriesIn(Input):
    name: Short
    rrule: Short = Field(description="RFC 5545 rule without DTSTART, e.g. FREQ=MONTHLY;BYDAY=1TU")
    start: Short = Field(description="first local start 'YYYY-MM-DDTHH:MM' in `timezone`")
    timezone: Short = Field(description="IANA time zone, e.g. Europe/Berlin")
    duration_minutes: Annotated[int, Field(ge=0, le=1440)] = 60
    attendees: list[Attendee] = Field(default_factory=list, max_length=50)
    location: Short = ""
    video: Short = ""


class SeriesPublic(BaseModel):
    key: str
    name: str
    rrule: str
    start: str
    timezone: str
    duration_minutes: int
    attendees: list[dict[str, str]]
    location: str
    video: str


class OccurrencePublic(BaseModel):
    series_key: str
    original_start: str = Field(description="local start before any move (the RECURRENCE-ID)")
    start: datetime = Field(description="with the zone's offset")
    end: datetime
    timezone: str
    moved: bool
    cancelled: bool


class MeetingsPublic(BaseModel):
    agreement_id: int
    version_id: int | None
    version_number: int | None
    version_state: str | None = Field(description="the version whose series are in force")
    series: list[SeriesPublic]
    occurrences: list[OccurrencePublic]
    count: int = Field(description="occurrences in the window matching the filters (before paging)")


class ExceptionIn(Input):
    original_start: Short = Field(description="the occurrence's original local start 'YYYY-MM-DDTHH:MM'")
    new_start: Short | None = Field(default=None, description="its new local start, same time zone")
    cancelled: bool = False
    reason: Short = ""
