"""Business-hours discovery: the days and hours a provider actually keeps, from its activity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from slaforge.domain.calendar.spec import WEEKDAYS
from slaforge.domain.calendar.zone import US, offset_pieces


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


def local_weekday_hour(
    instants: npt.NDArray[np.datetime64], timezone: str
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Local weekday (0 = Monday) and hour of UTC instants, via each instant's own UTC offset."""
    t = np.asarray(instants).astype("datetime64[s]")
    t = t[~np.isnat(t)]
    if t.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    # The zone's offset pieces over the span, then one binary search per instant.
    secs = t.astype(np.int64)
    starts, _, offsets = offset_pieces(ZoneInfo(timezone), int(secs.min()) * US, (int(secs.max()) + 1) * US)
    piece = np.searchsorted(starts, secs * US, side="right") - 1
    local = secs + offsets[piece] // US
    days = local // 86400
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday
    hour = (local % 86400) // 3600
    return weekday, hour


def suggest_hours(
    instants: npt.NDArray[np.datetime64], timezone: str, *, day_share: float = 0.2, hour_share: float = 0.15
) -> HoursSuggestion:
    """Days with at least `day_share` of the busiest day's events; the hour span where activity on
    those days reaches `hour_share` of the peak hour."""
    weekday, hour = local_weekday_hour(instants, timezone)
    counts = np.zeros((7, 24), dtype=np.int64)
    np.add.at(counts, (weekday, hour), 1)
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
