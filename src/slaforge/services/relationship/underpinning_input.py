"""How a person writes a contract's hours and targets (CLI options, console forms): weekday hours
'09:00-17:00' or '24x7' in a time zone, and targets 'resolution:P1=2d' in the contract's own
business days."""

from __future__ import annotations

from slaforge.domain.errors import InvalidInput
from slaforge.domain.time.durations import parse_duration

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def calendar_from(timezone: str, hours: str) -> dict[str, object]:
    """A calendar definition: `hours` on weekdays, or every hour of every day for '24x7'."""
    if hours.strip().lower() == "24x7":
        days = (*WEEKDAYS, "sat", "sun")
        return {"timezone": timezone, "hours": {d: ["00:00-24:00"] for d in days}}
    return {"timezone": timezone, "hours": {d: [hours.strip()] for d in WEEKDAYS}}


def targets_from(given: list[str], day: str) -> dict[str, dict[str, float]]:
    """'resolution:P1=2d' … into {metric: {priority: seconds}} ('*' for any priority); a business
    day ('d') is `day` long ('8h')."""
    day_seconds = parse_duration(day, day_seconds=86400, field="day")
    out: dict[str, dict[str, float]] = {}
    for item in given:
        metric, _, rest = item.partition(":")
        priority, _, duration = rest.partition("=")
        if not metric or not priority or not duration:
            raise InvalidInput("METRIC:PRIORITY=DURATION, e.g. resolution:P1=2d", field="targets", value=item)
        seconds = parse_duration(duration, day_seconds=day_seconds, field="targets")
        out.setdefault(metric, {})[priority] = seconds
    return out
