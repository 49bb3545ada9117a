"""A calendar definition as validated, immutable data (parsed from a plain dict).

Every problem is reported as a CalendarError naming the field and the value, so a
user can fix a YAML file or an API body without reading code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from slaforge.domain.errors import CalendarError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_INTERVAL = re.compile(r"^(?P<sh>[01]\d|2[0-3]):(?P<sm>[0-5]\d)-(?P<eh>[01]\d|2[0-3]|24):(?P<em>[0-5]\d)$")
_TOP_LEVEL = {"timezone", "hours", "holidays", "overrides", "name", "description"}
_HOLIDAY_KEYS = {"country", "subdivision", "dates"}
MINUTES_PER_DAY = 1440


@dataclass(frozen=True, slots=True)
class Interval:
    """Open hours of one date, in minutes after that date's local midnight.

    `end` is greater than `start`; an interval that crosses midnight has an end past
    1440 and still belongs to the date it starts on.
    """

    start: int
    end: int

    def __str__(self) -> str:
        end = self.end % MINUTES_PER_DAY if self.end != MINUTES_PER_DAY else MINUTES_PER_DAY
        return f"{self.start // 60:02d}:{self.start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


@dataclass(frozen=True, slots=True)
class CalendarSpec:
    timezone: str
    hours: tuple[tuple[Interval, ...], ...]  # index 0 is Monday
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    holiday_dates: frozenset[date] = frozenset()
    overrides: Mapping[date, tuple[Interval, ...]] = field(default_factory=dict)
    name: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def to_dict(self) -> dict[str, Any]:
        """The canonical plain form; `CalendarSpec.from_dict(spec.to_dict()) == spec`."""
        out: dict[str, Any] = {"timezone": self.timezone}
        if self.name:
            out["name"] = self.name
        out["hours"] = {
            day: [str(iv) for iv in ivs] for day, ivs in zip(WEEKDAYS, self.hours, strict=True) if ivs
        }
        holidays: dict[str, Any] = {}
        if self.holiday_country:
            holidays["country"] = self.holiday_country
        if self.holiday_subdivision:
            holidays["subdivision"] = self.holiday_subdivision
        if self.holiday_dates:
            holidays["dates"] = sorted(d.isoformat() for d in self.holiday_dates)
        if holidays:
            out["holidays"] = holidays
        if self.overrides:
            out["overrides"] = {
                d.isoformat(): [str(iv) for iv in ivs] for d, ivs in sorted(self.overrides.items())
            }
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CalendarSpec:
        return parse_spec(data)


def parse_interval(text: object, field_name: str) -> Interval:
    if not isinstance(text, str):
        raise CalendarError(
            f"an interval must be a string like '09:00-17:00', got {text!r}",
            field=field_name,
            value=text,
        )
    m = _INTERVAL.match(text.strip())
    if not m:
        raise CalendarError(
            f"'{text}' is not an interval of the form 'HH:MM-HH:MM' "
            "(00:00 to 23:59, an end of 24:00 allowed)",
            field=field_name,
            value=text,
        )
    start = int(m["sh"]) * 60 + int(m["sm"])
    end = int(m["eh"]) * 60 + int(m["em"])
    if end > MINUTES_PER_DAY:
        raise CalendarError(f"'{text}': an end past 24:00 is not a time", field=field_name, value=text)
    if end <= start:
        # Crosses midnight: belongs to the date it starts on (22:00-06:00 runs into the next day).
        end += MINUTES_PER_DAY
    return Interval(start, end)


def _parse_intervals(value: object, field_name: str) -> tuple[Interval, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        raise CalendarError(
            f"expected a list of intervals like ['09:00-17:00'], got {value!r}",
            field=field_name,
            value=value,
        )
    ivs = [parse_interval(v, f"{field_name}[{i}]") for i, v in enumerate(value)]
    return tuple(sorted(ivs, key=lambda iv: (iv.start, iv.end)))


def _parse_date(value: object, field_name: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CalendarError(f"'{value}' is not a date of the form YYYY-MM-DD", field=field_name, value=value)


def _parse_timezone(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CalendarError(
            "an IANA time zone such as 'Europe/Berlin' is required", field="timezone", value=value
        )
    name = value.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CalendarError(f"unknown time zone '{name}'", field="timezone", value=value) from exc
    # ZoneInfo also accepts odd file names (e.g. 'posixrules'); keep to the IANA names.
    if name not in available_timezones() and name != "UTC":
        raise CalendarError(f"unknown time zone '{name}'", field="timezone", value=value)
    return name


def _parse_holidays(value: object) -> tuple[str | None, str | None, frozenset[date]]:
    if value is None:
        return None, None, frozenset()
    if not isinstance(value, Mapping):
        raise CalendarError(
            "expected a mapping with country, subdivision, dates", field="holidays", value=value
        )
    unknown = set(value) - _HOLIDAY_KEYS
    if unknown:
        key = sorted(map(str, unknown))[0]
        raise CalendarError(
            f"unknown key '{key}' (allowed: {', '.join(sorted(_HOLIDAY_KEYS))})",
            field=f"holidays.{key}",
            value=value[key],
        )
    country = value.get("country")
    subdivision = value.get("subdivision")
    if country is not None:
        # Local import: the holiday tables are data, not I/O, but large to load.
        from slaforge.domain.time.calendar.holiday_sets import validate_country

        country, subdivision = validate_country(country, subdivision)
    elif subdivision is not None:
        raise CalendarError("a subdivision needs a country", field="holidays.subdivision", value=subdivision)
    raw_dates = value.get("dates") or []
    if not isinstance(raw_dates, list | tuple):
        raise CalendarError("expected a list of dates", field="holidays.dates", value=raw_dates)
    dates = frozenset(_parse_date(d, f"holidays.dates[{i}]") for i, d in enumerate(raw_dates))
    return country, subdivision, dates


def parse_spec(data: Mapping[str, Any]) -> CalendarSpec:
    if not isinstance(data, Mapping):
        raise CalendarError("a calendar must be a mapping", field="calendar", value=data)
    unknown = set(data) - _TOP_LEVEL
    if unknown:
        key = sorted(map(str, unknown))[0]
        raise CalendarError(
            f"unknown key '{key}' (allowed: {', '.join(sorted(_TOP_LEVEL))})", field=key, value=data[key]
        )
    tz = _parse_timezone(data.get("timezone"))
    raw_hours = data.get("hours")
    if raw_hours is None:
        raw_hours = {}
    if not isinstance(raw_hours, Mapping):
        raise CalendarError("expected a mapping of weekday to intervals", field="hours", value=raw_hours)
    hours: list[tuple[Interval, ...]] = [() for _ in WEEKDAYS]
    for key, ivs in raw_hours.items():
        day = str(key).strip().lower()
        if day not in WEEKDAYS:
            raise CalendarError(
                f"unknown weekday '{key}' (use {', '.join(WEEKDAYS)})", field=f"hours.{key}", value=key
            )
        hours[WEEKDAYS.index(day)] = _parse_intervals(ivs, f"hours.{day}")
    country, subdivision, dates = _parse_holidays(data.get("holidays"))
    raw_overrides = data.get("overrides") or {}
    if not isinstance(raw_overrides, Mapping):
        raise CalendarError("expected a mapping of date to intervals", field="overrides", value=raw_overrides)
    overrides = {
        _parse_date(k, f"overrides.{k}"): _parse_intervals(v, f"overrides.{k}")
        for k, v in raw_overrides.items()
    }
    name = data.get("name")
    return CalendarSpec(
        timezone=tz,
        hours=tuple(hours),
        holiday_country=country,
        holiday_subdivision=subdivision,
        holiday_dates=dates,
        overrides=overrides,
        name=str(name) if name is not None else None,
    )
