"""Business-hours discovery: the days and hours a provider actually keeps, from its activity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from slaforge.domain.time.calendar.spec import WEEKDAYS
from slaforge.domain.time.calendar.zone import US, offset_pieces

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class HoursSuggestion:
    counts: npt.NDArray[np.int64]  # 7 × 24 events by local weekday (Monday first) and hour
    days: tuple[str, ...]
    start_hour: int
    end_hour: int
    coverage: float  # share of events inside the suggested hours

    def calendar(self, timezone: str) -> dict[str, Any]:
        end = "24:00" if self.end_hour == 24 else f"{self.end_hour:02d}:00"
        return {"timezone": timezone, "hours": {d: [f"{self.start_hour:02d}:00-{end}"] for d in self.days}}


CHUNK = 1 << 18  # instants per pass: temporaries that stay in the CPU cache


class _LocalClock:
    """A zone's offsets over a span, in whole seconds, to read local weekday and hour."""

    def __init__(self, timezone: str, lo_s: int, hi_s: int) -> None:
        starts, _, offsets = offset_pieces(ZoneInfo(timezone), lo_s * US, (hi_s + 1) * US)
        # starts[i] <= s·US exactly when ceil(starts[i] / US) <= s: search in whole seconds.
        self.bounds = -(-starts // US)
        self.offsets = offsets // US

    def weekday_hour(self, secs: I64) -> tuple[I64, I64]:
        piece = np.searchsorted(self.bounds, secs, side="right") - 1
        days, rest = np.divmod(secs + self.offsets[piece], 86400)
        weekday: I64 = (days + 3) % 7  # 1970-01-01 was a Thursday
        hour: I64 = rest // 3600
        return weekday, hour


def _valid(instants: npt.NDArray[np.datetime64]) -> npt.NDArray[np.datetime64]:
    """The instants without NaT, in their own unit (converted to seconds a chunk at a time)."""
    t = np.asarray(instants)
    nat = np.isnat(t)
    return t[~nat] if nat.any() else t


def _span(t: npt.NDArray[np.datetime64]) -> tuple[int, int]:
    lo, hi = t.min(), t.max()  # flooring to seconds keeps the order: convert only the extremes
    return int(lo.astype("datetime64[s]").astype(np.int64)), int(hi.astype("datetime64[s]").astype(np.int64))


def local_weekday_hour(
    instants: npt.NDArray[np.datetime64], timezone: str
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Local weekday (0 = Monday) and hour of UTC instants, via each instant's own UTC offset."""
    t = _valid(instants)
    if t.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    # The zone's offset pieces over the span, then one binary search per instant.
    clock = _LocalClock(timezone, *_span(t))
    return clock.weekday_hour(t.astype("datetime64[s]").view(np.int64))


def hour_counts(instants: npt.NDArray[np.datetime64], timezone: str) -> npt.NDArray[np.int64]:
    """Instants per local weekday (Monday first) and hour, 7 × 24, a cache-sized chunk at a time."""
    t = _valid(instants)
    counts = np.zeros(7 * 24, dtype=np.int64)
    if t.size == 0:
        return counts.reshape(7, 24)
    clock = _LocalClock(timezone, *_span(t))
    for a in range(0, t.size, CHUNK):
        weekday, hour = clock.weekday_hour(t[a : a + CHUNK].astype("datetime64[s]").view(np.int64))
        counts += np.bincount(weekday * 24 + hour, minlength=7 * 24)
    return counts.reshape(7, 24)


def suggest_hours(
    instants: npt.NDArray[np.datetime64], timezone: str, *, day_share: float = 0.2, hour_share: float = 0.15
) -> HoursSuggestion:
    """Days with at least `day_share` of the busiest day's events; the hour span where activity on
    those days reaches `hour_share` of the peak hour."""
    counts = hour_counts(instants, timezone)
    per_day = counts.sum(axis=1)
    if per_day.max(initial=0) == 0:
        return HoursSuggestion(counts, (), 0, 0, 0.0)
    active = per_day >= day_share * per_day.max()
    per_hour = counts[active].sum(axis=0)
    busy = np.flatnonzero(per_hour >= hour_share * per_hour.max())
    start, end = int(busy.min()), int(busy.max()) + 1
    inside = counts[active][:, start:end].sum()
    return HoursSuggestion(
        counts=counts,
        days=tuple(d for d, a in zip(WEEKDAYS, active, strict=True) if a),
        start_hour=start,
        end_hour=end,
        coverage=float(inside / counts.sum()),
    )
