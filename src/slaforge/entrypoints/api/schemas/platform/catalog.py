"""Customers, services and calendars as the API reads and writes them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from slaforge.entrypoints.api.schemas.common import Changes, Id, Input, Name, Output

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=100)]
IntervalText = Annotated[str, StringConstraints(max_length=11)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class CustomerCreate(Input):
    name: Name
    slug: Slug | None = Field(None, description="used in URLs; made from the name when absent")


class CustomerUpdate(Changes):
    name: Name | None = None
    slug: Slug | None = None


class CustomerPublic(Output):
    id: int
    name: str
    slug: str
    created_at: datetime


class CustomersPublic(Output):
    data: list[CustomerPublic]
    count: int


class ServiceCreate(Input):
    name: Name
    calendar_id: Id | None = Field(None, description="the coverage calendar")


class ServiceUpdate(Changes):
    nullable = frozenset({"calendar_id"})
    name: Name | None = None
    calendar_id: Id | None = None


class ServicePublic(Output):
    id: int
    name: str
    calendar_id: int | None
    created_at: datetime


class ServicesPublic(Output):
    data: list[ServicePublic]
    count: int


class HolidaySet(Input):
    country: Annotated[str, StringConstraints(max_length=10)] | None = Field(None, examples=["DE"])
    subdivision: Annotated[str, StringConstraints(max_length=10)] | None = None
    dates: list[Annotated[str, StringConstraints(max_length=10)]] = Field(
        default_factory=list, max_length=1000, description="own holidays, YYYY-MM-DD"
    )


class CalendarDefinition(Input):
    """Open hours in the calendar's zone; see the business-time rule in the README."""

    timezone: Annotated[str, StringConstraints(max_length=64)] = Field(examples=["Europe/Berlin"])
    hours: dict[Weekday, list[IntervalText]] = Field(
        default_factory=dict,
        examples=[{"mon": ["09:00-17:00"]}],
        description="weekday -> intervals 'HH:MM-HH:MM'; an end at or before the start crosses midnight",
    )
    holidays: HolidaySet | None = None
    overrides: dict[Annotated[str, StringConstraints(max_length=10)], list[IntervalText]] = Field(
        default_factory=dict, description="date (YYYY-MM-DD) -> intervals replacing that date; [] closes it"
    )

    def plain(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class CalendarCreate(Input):
    name: Name
    definition: CalendarDefinition


class CalendarUpdate(Changes):
    name: Name | None = None
    definition: CalendarDefinition | None = None


class CalendarPublic(Output):
    id: int
    name: str
    definition: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class CalendarsPublic(Output):
    data: list[CalendarPublic]
    count: int


class OpenPeriod(Output):
    start: datetime
    end: datetime
    seconds: float


class CalendarPreview(Output):
    calendar_id: int
    timezone: str
    after: datetime
    periods: list[OpenPeriod]
