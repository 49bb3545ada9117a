"""The peers slaforge's business time is measured against, for Mon–Fri 09:00–17:00 with a
list of holiday dates.

Every peer answers the same question as `BusinessCalendar.business_seconds_many`:
the open seconds in [start, end) (0 when end <= start), or, for the deadline loops, the
question of `add_business_seconds_many`. The UTC peers take naive datetimes read as UTC; the
zoned loops take aware datetimes and a `zoneinfo` zone. Each peer is written the way a
competent user of that tool would write it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pandas as pd
from businesstime import BusinessTime

F64 = npt.NDArray[np.float64]
_ONE_DAY = timedelta(days=1)
_ZERO = timedelta(0)


def _seconds_of(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


# --------------------------------------------------------------------------- pandas
def make_cbh(open_t: time, close_t: time, holidays: Sequence[date]) -> pd.offsets.CustomBusinessHour:
    return pd.offsets.CustomBusinessHour(
        start=open_t.strftime("%H:%M"), end=close_t.strftime("%H:%M"), holidays=list(holidays)
    )


def pandas_vectorised(
    starts: npt.NDArray[np.datetime64], ends: npt.NDArray[np.datetime64], cbh: pd.offsets.CustomBusinessHour
) -> F64:
    """Whole business days from the offset's business-day calendar, plus the partial days.

    F(t) = (business days before t's date) * day length + open time of t's own date up to t;
    the answer is F(end) - F(start). `cbh.calendar` is the numpy busdaycalendar pandas builds
    from the offset's weekmask and holidays (the one CustomBusinessDay arithmetic uses).
    Only valid for one interval a day that does not cross midnight, as CustomBusinessHour is.
    """
    cal = cbh.calendar
    open_s = _seconds_of(cbh.start[0])
    length = _seconds_of(cbh.end[0]) - open_s
    ref = np.datetime64("2000-01-03", "D")

    def before(values: npt.NDArray[np.datetime64]) -> F64:
        idx = pd.DatetimeIndex(values)
        days = idx.normalize()
        tod = (idx - days).total_seconds().to_numpy()
        d = days.to_numpy().astype("datetime64[D]")
        whole = np.busday_count(ref, d, busdaycal=cal).astype(np.float64) * length
        part = np.clip(tod - open_s, 0.0, float(length))
        out: F64 = whole + np.where(np.is_busday(d, busdaycal=cal), part, 0.0)
        return out

    return np.maximum(before(ends) - before(starts), 0.0)


def pandas_cbh_per_pair(
    starts: Sequence[pd.Timestamp], ends: Sequence[pd.Timestamp], cbh: pd.offsets.CustomBusinessHour
) -> F64:
    """Per pair with the offset's own arithmetic: roll the start forward and the end back
    into business hours, then whole business days between them plus the time-of-day difference.
    """
    cal = cbh.calendar
    length = _seconds_of(cbh.end[0]) - _seconds_of(cbh.start[0])
    out = np.zeros(len(starts), dtype=np.float64)
    for i, (a, b) in enumerate(zip(starts, ends, strict=True)):
        if b <= a:
            continue
        a2 = cbh.rollforward(a)
        b2 = cbh.rollback(b)
        if b2 <= a2:
            continue
        days = int(np.busday_count(a2.date(), b2.date(), busdaycal=cal))
        tod_a = (a2 - a2.normalize()).total_seconds()
        tod_b = (b2 - b2.normalize()).total_seconds()
        out[i] = days * length + tod_b - tod_a
    return out


# ----------------------------------------------------------------- businesstime
def make_businesstime(open_t: time, close_t: time, holidays: Sequence[date]) -> BusinessTime:
    # A set, not a list: BusinessTime tests `day in holidays` for every day it walks.
    return BusinessTime(business_hours=(open_t, close_t), holidays=frozenset(holidays))


def businesstime_seconds(starts: Sequence[datetime], ends: Sequence[datetime], bt: BusinessTime) -> F64:
    """businesstimedelta answers (business days, remainder); a business day is open_hours long."""
    day_s = bt.open_hours.total_seconds()
    out = np.zeros(len(starts), dtype=np.float64)
    for i, (a, b) in enumerate(zip(starts, ends, strict=True)):
        if b <= a:
            continue
        td = bt.businesstimedelta(a, b)
        out[i] = td.days * day_s + td.seconds + td.microseconds / 1e6
    return out


# -------------------------------------------------------- per-ticket loop, UTC
def loop_business_seconds(
    starts: Sequence[datetime],
    ends: Sequence[datetime],
    open_t: time,
    close_t: time,
    holidays: frozenset[date],
) -> F64:
    """Helpdesk style, in UTC on naive datetimes (no time-zone work at all, so the cheapest
    form such a loop can take): for each day from start to end, intersect [start, end) with
    that day's hours unless it is a weekend or a holiday. The overlaps are summed as timedeltas
    (exact microseconds), then turned into seconds once."""
    out = np.zeros(len(starts), dtype=np.float64)
    for i, (a, b) in enumerate(zip(starts, ends, strict=True)):
        if b <= a:
            continue
        total = _ZERO
        day = a.date()
        last = b.date()
        while day <= last:
            if day.weekday() < 5 and day not in holidays:
                lo = max(a, datetime.combine(day, open_t))
                hi = min(b, datetime.combine(day, close_t))
                if hi > lo:
                    total += hi - lo
            day += _ONE_DAY
        out[i] = total.total_seconds()
    return out


def loop_add_business_seconds(
    starts: Sequence[datetime],
    seconds: float,
    open_t: time,
    close_t: time,
    holidays: frozenset[date],
) -> list[datetime]:
    """Helpdesk style deadline: walk the days, spending the open time of each until the
    target is used up (16:00 plus 1 h in a 09:00–17:00 day is 17:00 that day)."""
    target = timedelta(seconds=seconds)
    out: list[datetime] = []
    for a in starts:
        remaining = target
        if remaining <= timedelta(0):
            out.append(a)
            continue
        day = a.date()
        while True:
            if day.weekday() < 5 and day not in holidays:
                lo = max(a, datetime.combine(day, open_t))
                hi = datetime.combine(day, close_t)
                if hi > lo:
                    if remaining <= hi - lo:
                        out.append(lo + remaining)
                        break
                    remaining -= hi - lo
            day += _ONE_DAY
    return out


# ----------------------------------------------------- per-ticket loop, zoned
def zoned_loop_business_seconds(
    starts: Sequence[datetime],
    ends: Sequence[datetime],
    zone: ZoneInfo,
    open_t: time,
    close_t: time,
    holidays: frozenset[date],
) -> F64:
    """Helpdesk style in a real time zone, on aware datetimes: for each local date from the
    start's to the end's, unless it is a weekend or a holiday, build that day's opening and
    closing instants with zoneinfo, intersect them with [start, end) and add up the overlap.

    Opening and closing are converted to UTC so that all comparisons and subtractions are
    exact UTC arithmetic (Python subtracts two datetimes of the same tzinfo by wall clock).
    """
    out = np.zeros(len(starts), dtype=np.float64)
    for i, (a, b) in enumerate(zip(starts, ends, strict=True)):
        if b <= a:
            continue
        total = _ZERO
        day = a.astimezone(zone).date()
        last = b.astimezone(zone).date()
        while day <= last:
            if day.weekday() < 5 and day not in holidays:
                lo = max(a, datetime.combine(day, open_t, tzinfo=zone).astimezone(UTC))
                hi = min(b, datetime.combine(day, close_t, tzinfo=zone).astimezone(UTC))
                if hi > lo:
                    total += hi - lo
            day += _ONE_DAY
        out[i] = total.total_seconds()
    return out


def zoned_loop_add_business_seconds(
    starts: Sequence[datetime],
    seconds: float,
    zone: ZoneInfo,
    open_t: time,
    close_t: time,
    holidays: frozenset[date],
) -> list[datetime]:
    """Helpdesk style deadline in a real time zone: walk the local dates from the start's,
    spending each open day's time (opening and closing built with zoneinfo, in UTC) until
    the target is used up. Answers are aware UTC datetimes."""
    target = timedelta(seconds=seconds)
    out: list[datetime] = []
    for a in starts:
        remaining = target
        if remaining <= _ZERO:
            out.append(a)
            continue
        day = a.astimezone(zone).date()
        while True:
            if day.weekday() < 5 and day not in holidays:
                lo = max(a, datetime.combine(day, open_t, tzinfo=zone).astimezone(UTC))
                hi = datetime.combine(day, close_t, tzinfo=zone).astimezone(UTC)
                if hi > lo:
                    if remaining <= hi - lo:
                        out.append(lo + remaining)
                        break
                    remaining -= hi - lo
            day += _ONE_DAY
    return out
