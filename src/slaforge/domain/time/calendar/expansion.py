"""Turn a calendar's rules for a range of local dates into merged UTC open intervals.

An instant is open when its local wall time lies inside an open interval of that
date's schedule. So each local interval [S, E) maps to the instants t with
S <= t + offset(t) < E: computed per constant-offset piece, which makes a skipped
spring hour never open and a repeated autumn hour count twice, as the rule says.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from slaforge.domain.time.calendar.spec import CalendarSpec, Interval
from slaforge.domain.time.calendar.zone import US, offset_pieces

I64 = npt.NDArray[np.int64]
_EPOCH = date(1970, 1, 1)
_DAY_US = 86400 * US
_MIN_US = 60 * US

HolidayLookup = Callable[[int], set[date]]


def schedule_for(spec: CalendarSpec, day: date, holidays: set[date]) -> tuple[Interval, ...]:
    """The open intervals that start on `day`: override, else closed on a holiday, else weekly."""
    if day in spec.overrides:
        return spec.overrides[day]
    if day in holidays or day in spec.holiday_dates:
        return ()
    return spec.hours[day.weekday()]


def local_intervals(
    spec: CalendarSpec, first: date, last: date, holidays_of: HolidayLookup
) -> tuple[I64, I64]:
    """Local wall-clock intervals (µs since a naive 1970-01-01) of dates first..last."""
    starts: list[int] = []
    ends: list[int] = []
    cache: dict[int, set[date]] = {}
    day = first
    while day <= last:
        if day.year not in cache:
            cache[day.year] = holidays_of(day.year)
        base = (day - _EPOCH).days * _DAY_US
        for iv in schedule_for(spec, day, cache[day.year]):
            starts.append(base + iv.start * _MIN_US)
            ends.append(base + iv.end * _MIN_US)
        day += timedelta(days=1)
    return np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)


def to_utc(spec: CalendarSpec, local_starts: I64, local_ends: I64) -> tuple[I64, I64]:
    """Preimage of local intervals under the zone's local-time map, as UTC pieces."""
    if local_starts.size == 0:
        return local_starts, local_ends
    # Offsets are within ±26 h; pad the window so every candidate instant is covered.
    pad = 30 * 3600 * US
    seg_a, seg_b, seg_o = offset_pieces(spec.zone, int(local_starts.min()) - pad, int(local_ends.max()) + pad)
    ps = np.maximum(seg_a[None, :], local_starts[:, None] - seg_o[None, :])
    pe = np.minimum(seg_b[None, :], local_ends[:, None] - seg_o[None, :])
    keep = ps < pe
    return ps[keep], pe[keep]


def merge(starts: I64, ends: I64) -> tuple[I64, I64]:
    """Union of intervals as sorted, disjoint, non-touching intervals (open time counts once)."""
    if starts.size == 0:
        return starts, ends
    order = np.argsort(starts, kind="stable")
    s, e = starts[order], ends[order]
    reach = np.maximum.accumulate(e)
    # A new run starts where an interval begins after everything before it has ended.
    new_run = np.empty(s.size, dtype=bool)
    new_run[0] = True
    new_run[1:] = s[1:] > reach[:-1]
    first = np.flatnonzero(new_run)
    # Each run ends where its furthest interval does (ends may be negative: before 1970).
    return s[first], np.maximum.reduceat(e, first)
