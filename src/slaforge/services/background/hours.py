"""Business hours from the imported history, for a user with no calendar yet: the days and hours
tickets arrive and agents reply, as a calendar definition ready to save (the same discovery the
capability study reports)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slaforge.domain.background.study import extras as study_extras
from slaforge.domain.errors import InvalidInput
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.domain.time.calendar.spec import WEEKDAYS
from slaforge.services.background.calendars import save_calendar
from slaforge.services.background.study import check_sources
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class SuggestedCalendar:
    definition: dict[str, Any]  # timezone and weekly hours, as a calendar file holds them
    events: int  # ticket openings and agent replies it was read from
    coverage: float  # share of them inside the suggested hours
    saved_as: str | None = None


def suggest_calendar(
    *,
    uow: UnitOfWork,
    timezone: str = "UTC",
    sources: Sequence[str] | None = None,
    save_as: str | None = None,
) -> SuggestedCalendar:
    """The weekly hours the history shows in `timezone`; stored under `save_as` when given."""
    every_hour = {d: ["00:00-24:00"] for d in WEEKDAYS}  # so every event counts, whatever its hour
    try:
        always = BusinessCalendar.from_dict({"timezone": timezone, "hours": every_hour})
    except InvalidInput as exc:
        raise InvalidInput(f"unknown time zone '{timezone}' (e.g. Europe/Berlin)", field="timezone",
                           value=timezone) from exc  # fmt: skip
    with uow:
        frame = uow.background.load_history(sources=check_sources(uow, sources))
    found = study_extras.hours(frame, always)
    if not found["suggested_calendar"]:
        raise InvalidInput("no tickets to read business hours from: import history first", field="source")
    definition = found["suggested_calendar"]
    saved = None
    if save_as is not None:
        save_calendar(uow=uow, name=save_as, calendar=BusinessCalendar.from_dict(definition))
        saved = save_as.strip()
    return SuggestedCalendar(definition, found["events"], float(found["coverage"]), saved)
