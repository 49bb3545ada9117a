"""Monthly availability from outages, planned maintenance excluded, and availability targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from slaforge.domain.time.calendar.expansion import merge
from slaforge.domain.time.calendar.zone import US

I64 = npt.NDArray[np.int64]
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
