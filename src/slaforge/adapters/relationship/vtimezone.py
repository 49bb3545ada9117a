"""VTIMEZONE components built from the zone's current rule (the POSIX TZ footer of its TZif file),
as yearly RRULE observances: valid for every future year, and read correctly by vobject/dateutil.

Why not icalendar's `add_missing_timezones()` alone: it writes one RDATE per transition between
1970 and 2038, which vobject (dateutil's tzical) resolves to the wrong offset for dates in 2027
(a 10:00 Berlin meeting in April came back as 09:00 UTC). It remains the fallback for zones whose
footer this module does not understand.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

from dateutil.rrule import YEARLY, rrule, weekday
from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

_NAME = r"(?:<[^>]+>|[A-Za-z]{3,})"
_OFFSET = r"[+-]?\d{1,2}(?::\d{2}){0,2}"
_RULE = r"M(\d{1,2})\.(\d)\.(\d)(?:/(\d{1,2})(?::(\d{2}))?)?"
_POSIX = re.compile(rf"^({_NAME})({_OFFSET})(?:({_NAME})({_OFFSET})?,{_RULE},{_RULE})?$")
# Observance starts are local wall times (RFC 5545 3.6.5), hence naive.
_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001
_DAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")


def _footer(key: str) -> str | None:
    for base in zoneinfo.TZPATH:
        path = Path(base) / key
        if path.is_file():
            data = path.read_bytes()
            break
    else:
        try:
            data = resources.files("tzdata.zoneinfo").joinpath(*key.split("/")).read_bytes()
        except (ModuleNotFoundError, FileNotFoundError):
            return None
    lines = data.rstrip(b"\n").rsplit(b"\n", 1)
    return lines[-1].decode("ascii", "replace") if len(lines) == 2 else None


def _offset(text: str) -> timedelta:
    sign = -1 if text.startswith("-") else 1
    parts = [int(p) for p in text.lstrip("+-").split(":")] + [0, 0]
    # POSIX offsets count west of Greenwich: "CET-1" is UTC+1.
    return -sign * timedelta(hours=parts[0], minutes=parts[1], seconds=parts[2])


def _observance(
    kind: type[TimezoneStandard] | type[TimezoneDaylight],
    name: str,
    before: timedelta,
    after: timedelta,
    rule: tuple[str, ...],
) -> TimezoneStandard | TimezoneDaylight:
    month, week, day, hour, minute = (int(x) if x else None for x in rule)
    assert month is not None
    assert week is not None
    assert day is not None
    nth = -1 if week == 5 else week
    at = timedelta(hours=hour if hour is not None else 2, minutes=minute or 0)
    by_day = weekday((day - 1) % 7, nth)
    first = rrule(YEARLY, dtstart=_EPOCH, bymonth=month, byweekday=by_day)[0]
    comp = kind()
    comp.add("tzname", name.strip("<>"))
    comp.add("dtstart", first + at)
    comp.add("tzoffsetfrom", before)
    comp.add("tzoffsetto", after)
    comp.add("rrule", vRecur({"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": f"{nth}{_DAYS[day]}"}))
    return comp


def vtimezone(key: str) -> Timezone | None:
    """The zone as a VTIMEZONE with RRULE observances, or None when its rule is not a plain one."""
    footer = _footer(key)
    match = _POSIX.match(footer or "")
    if match is None:
        return None
    std_name, std_off, dst_name, dst_off = match.group(1, 2, 3, 4)
    std = _offset(std_off)
    tz = Timezone()
    tz.add("tzid", key)
    if dst_name is None:
        comp = TimezoneStandard()
        comp.add("tzname", std_name.strip("<>"))
        comp.add("dtstart", _EPOCH)
        comp.add("tzoffsetfrom", std)
        comp.add("tzoffsetto", std)
        tz.add_component(comp)
        return tz
    hours = match.group(8, 13)
    if any(h is not None and int(h) > 23 for h in hours):
        return None  # a transition written past midnight: leave it to the fallback
    dst = _offset(dst_off) if dst_off else std + timedelta(hours=1)
    tz.add_component(_observance(TimezoneDaylight, dst_name, std, dst, match.group(5, 6, 7, 8, 9)))
    tz.add_component(_observance(TimezoneStandard, std_name, dst, std, match.group(10, 11, 12, 13, 14)))
    return tz
