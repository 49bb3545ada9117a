"""Schemas of the holidays added to a live agreement's frozen calendars."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from slaforge.entrypoints.api.schemas.common import Day, Input, Output


class HolidayIn(Input):
    day: Day
    name: str = Field(default="", max_length=200)


class HolidaysIn(Input):
    calendar: str = Field(min_length=1, max_length=200, description="A frozen calendar of the agreement")
    days: list[HolidayIn] = Field(min_length=1, max_length=366)


class AddedHolidayPublic(Output):
    calendar: str
    day: date
    label: str
    added_at: datetime
    added_by: str


class HolidaysPublic(Output):
    agreement_id: int
    version_number: int
    calendars: list[str] = Field(description="The calendars frozen when the agreement went live")
    added: list[AddedHolidayPublic]
    new: list[date] = Field(description="The days this request added (empty for a read)")
