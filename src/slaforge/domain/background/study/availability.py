"""Monthly availability from outages, planned maintenance excluded, and availability targets;
and the availability block of a capability study.

Outage histories rarely cover the same years as the ticket history (ServiceNow tickets of 2016,
cloud outages of 2018-2020), so availability has its own window: the chosen period when there is
one, else each outage source's own span, from the month of its first outage to the month of its
last end. Only outages inside the window count (clipped to it); one still going on runs to the
window's end, and the block says so. Uptime per month is the cloud providers' formula:
(minutes in the month − unavailable minutes) / minutes in the month, planned maintenance excluded,
overlapping outages of one service counted once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from slaforge.domain.time.calendar.business import from_us, to_us
from slaforge.domain.time.calendar.expansion import merge
from slaforge.domain.time.calendar.zone import US

I64 = npt.NDArray[np.int64]
Obj = npt.NDArray[np.object_]
Bools = npt.NDArray[np.bool_]
MONTH_MINUTES = 30 * 24 * 60  # the allowance of a target is quoted for a 30-day month
AVAILABILITY_LADDER = (0.9999, 0.9995, 0.999, 0.998, 0.995, 0.99, 0.98, 0.95, 0.9)


@dataclass(frozen=True, slots=True)
class MonthUptime:
    month: int  # YYYYMM (UTC months)
    minutes: float
    down_minutes: float
    outages: int

    @property
    def uptime(self) -> float:
        return 1 - self.down_minutes / self.minutes


def _month_bounds(first: datetime, last: datetime) -> list[tuple[int, int, int]]:
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        a = int(datetime(y, m, 1, tzinfo=UTC).timestamp()) * US
        b = int(datetime(ny, nm, 1, tzinfo=UTC).timestamp()) * US
        out.append((y * 100 + m, a, b))
        y, m = ny, nm
    return out


def monthly_uptime(
    starts: I64,
    ends: I64,
    planned: npt.NDArray[np.bool_],
    *,
    first: datetime,
    last: datetime,
    window: tuple[int, int] | None = None,
) -> list[MonthUptime]:
    """Uptime per UTC month between `first` and `last` for one service (µs instants).

    Overlapping outages count once; planned maintenance is excluded from downtime. With `window`
    (µs, end exclusive) a month that is only partly inside it counts only its minutes inside, so a
    period starting mid-month is not padded with time nobody observed.
    """
    keep = ~planned & (ends > starts)
    s, e = merge(starts[keep], ends[keep])
    raw_s = starts[keep]
    out = []
    for month, a, b in _month_bounds(first, last):
        if window is not None:
            a, b = max(a, window[0]), min(b, window[1])
            if b <= a:
                continue
        down = np.clip(np.minimum(e, b) - np.maximum(s, a), 0, None).sum()
        count = int(np.sum((raw_s >= a) & (raw_s < b)))
        out.append(MonthUptime(month, (b - a) / US / 60, float(down) / US / 60, count))
    return out


def recommend_availability(months: list[MonthUptime], month_share: float) -> float | None:
    """The strictest ladder target reached in at least `month_share` of months."""
    if not months:
        return None
    uptimes = np.array([m.uptime for m in months])
    needed = int(np.ceil(month_share * uptimes.size))
    for target in AVAILABILITY_LADDER:
        if int(np.sum(uptimes >= target)) >= needed:
            return target
    return None


@dataclass(frozen=True)
class OutageSet:
    """Outages as columns; `open` marks those with no recorded end (their `end_us` is meaningless)."""

    service: Obj
    source: Obj
    start_us: I64
    end_us: I64
    planned: Bools
    open: Bools

    @property
    def size(self) -> int:
        return int(self.start_us.size)


def _month_start(us: int) -> datetime:
    t = from_us(us).astimezone(UTC)
    return datetime(t.year, t.month, 1, tzinfo=UTC)


def _next_month(t: datetime) -> datetime:
    return datetime(t.year + t.month // 12, t.month % 12 + 1, 1, tzinfo=UTC)


def source_window(outages: OutageSet, sel: Bools) -> tuple[datetime, datetime]:
    """One source's own span in whole UTC months: [month of first start, month after last end)."""
    closed = sel & ~outages.open
    last = int(outages.start_us[sel].max())
    if closed.any():
        last = max(last, int(outages.end_us[closed].max()) - 1)
    return _month_start(int(outages.start_us[sel].min())), _next_month(_month_start(last))


def period_label(first: datetime, end: datetime) -> str:
    """'2018-01 to 2020-12 (36 months)'; a window not on month bounds is written as dates."""
    last = end - timedelta(microseconds=1)
    n = (last.year - first.year) * 12 + last.month - first.month + 1
    whole = first.day == 1 and end.day == 1 and first.time() == end.time() == datetime.min.time()
    a, b = (first.strftime("%Y-%m"), last.strftime("%Y-%m")) if whole else (
        first.date().isoformat(), last.date().isoformat())  # fmt: skip
    return f"{a} to {b} ({n} month{'s' if n != 1 else ''})"


def _service_block(
    outages: OutageSet, sel: Bools, window: tuple[int, int], first: datetime, end: datetime, share: float
) -> dict[str, Any]:
    lo, hi = window
    ends = np.where(outages.open[sel], hi, outages.end_us[sel])
    starts = outages.start_us[sel]
    inside = (starts < hi) & (ends > lo)  # only outages inside the window count, clipped to it
    s, e = np.clip(starts[inside], lo, hi), np.clip(ends[inside], lo, hi)
    planned = outages.planned[sel][inside]
    months = monthly_uptime(s, e, planned, first=first, last=end - timedelta(microseconds=1), window=window)
    target = recommend_availability(months, share)
    ups = sorted(m.uptime for m in months)
    downs = sorted(m.down_minutes for m in months)
    median_down = downs[len(downs) // 2] if downs else None
    allowed = None if target is None else (1 - target) * MONTH_MINUTES
    return {
        "service": "",
        "outages": int(inside.sum()),
        "planned": int(planned.sum()),
        "open_ended": int(outages.open[sel][inside].sum()),
        "months": [
            {"month": m.month, "uptime": m.uptime, "down_minutes": m.down_minutes, "outages": m.outages}
            for m in months
        ],
        "recommended": target,
        "months_total": len(months),
        "months_meeting": None if target is None else sum(1 for m in months if m.uptime >= target),
        "worst": ups[0] if ups else None,
        "median": ups[len(ups) // 2] if ups else None,
        # Headroom: the downtime a 30-day month may have at the target, less a typical month's.
        "allowed_minutes": allowed,
        "median_down_minutes": median_down,
        "headroom_minutes": None if allowed is None or median_down is None else allowed - median_down,
    }


def availability_block(
    outages: OutageSet, period: tuple[datetime, datetime] | None, month_share: float
) -> dict[str, Any] | None:
    """Monthly uptime per service and the target it supports; None when there are no outages."""
    if outages.size == 0:
        return None
    windows: list[dict[str, Any]] = []
    services = []
    notes = []
    for source in sorted(set(outages.source.tolist())):
        of_source = outages.source == source
        span = source_window(outages, of_source)
        first, end = span
        if period is not None:
            first, end = period[0].astimezone(UTC), period[1].astimezone(UTC)
            if span[1] <= first or span[0] >= end:  # the source was not watching then: nothing known
                notes.append(f"{source}: no outage in the period (its outages span "
                             f"{period_label(*span)}), so it is left out")  # fmt: skip
                continue
        window = (to_us(first), to_us(end))
        count = 0
        open_count = 0
        for name in sorted(set(outages.service[of_source].tolist())):
            block = _service_block(outages, of_source & (outages.service == name), window, first, end,
                                   month_share)  # fmt: skip
            count += block["outages"]
            open_count += block["open_ended"]
            services.append({**block, "service": name, "source": source})
        label = period_label(first, end)
        windows.append({"source": source, "first": first.isoformat(), "end": end.isoformat(),
                        "label": label, "outages": count, "open_ended": open_count})  # fmt: skip
        if open_count:
            notes.append(f"{source}: {open_count} outage(s) with no recorded end are counted as lasting "
                         f"to the end of the window ({end.date().isoformat()})")  # fmt: skip
    if not windows:
        return {"first": None, "last": None, "basis": "period", "label": period_label(*period or span),
                "windows": [], "services": [], "notes": notes}  # fmt: skip
    first_all = min(w["first"] for w in windows)
    end_all = max(w["end"] for w in windows)
    return {
        "first": first_all,
        "last": (datetime.fromisoformat(end_all) - timedelta(microseconds=1)).isoformat(),
        "basis": "period" if period is not None else "source span",
        "label": period_label(datetime.fromisoformat(first_all), datetime.fromisoformat(end_all)),
        "windows": windows,
        "services": services,
        "notes": notes,
    }
