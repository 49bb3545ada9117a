"""BusinessCalendar: exact business-time arithmetic, vectorised with NumPy.

The calendar is expanded lazily, a year at a time, into sorted disjoint UTC open
intervals with a running total of open time, tabulated in equal-width buckets (see
`tables.Expanded`): a vectorised query is then a bucket number, one gather and a few element-wise
steps, run a cache-sized chunk at a time. Internally all instants are int64 microseconds
since the epoch.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from statistics import median
from typing import Any

import numpy as np
import numpy.typing as npt

from slaforge.domain.errors import CalendarError
from slaforge.domain.time.calendar import expansion
from slaforge.domain.time.calendar.spec import CalendarSpec
from slaforge.domain.time.calendar.tables import Expanded
from slaforge.domain.time.calendar.zone import US

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAT = np.iinfo(np.int64).min
_MIN_YEAR, _MAX_YEAR = 1900, 2399
# Years without a single open minute before we conclude a deadline is never reached.
_EMPTY_YEARS_LIMIT = 10


def to_us(moment: datetime, field: str = "datetime") -> int:
    if not isinstance(moment, datetime):
        raise CalendarError(f"expected a datetime, got {moment!r}", field=field, value=moment)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError(
            f"{moment.isoformat()} has no time zone; pass an aware datetime", field=field, value=moment
        )
    delta = moment - _EPOCH
    return (delta.days * 86400 + delta.seconds) * US + delta.microseconds


def from_us(t_us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=int(t_us))


def _as_us_array(values: Any, field: str) -> I64:
    arr = np.asarray(values)
    if arr.dtype.kind != "M":
        raise CalendarError(
            f"expected a NumPy datetime64 array (UTC), got dtype {arr.dtype}", field=field, value=arr.dtype
        )
    # A view, not a copy, when the input already has microsecond resolution.
    return arr.astype("datetime64[us]", copy=False).view(np.int64)


class BusinessCalendar:
    """Open hours in a time zone, with holidays and date overrides; see DESIGN.md."""

    def __init__(self, spec: CalendarSpec) -> None:
        self.spec = spec
        self._lock = threading.Lock()
        self._state: Expanded | None = None
        self._holiday_cache: dict[int, set[date]] = {}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BusinessCalendar:
        return cls(CalendarSpec.from_dict(data))

    def to_dict(self) -> dict[str, Any]:
        return self.spec.to_dict()

    @property
    def timezone(self) -> str:
        return self.spec.timezone

    # ----------------------------------------------------------------- expansion
    def _holidays(self, year: int) -> set[date]:
        if self.spec.holiday_country is None:
            return set()
        if year not in self._holiday_cache:
            from slaforge.domain.time.calendar.holiday_sets import holiday_dates

            self._holiday_cache[year] = holiday_dates(
                self.spec.holiday_country, self.spec.holiday_subdivision, year
            )
        return self._holiday_cache[year]

    def _expanded(self, first_year: int, last_year: int) -> Expanded:
        """Expansion covering at least the given UTC years (and their neighbours' spill-over)."""
        state = self._state
        if state is not None and state.first_year <= first_year and state.last_year >= last_year:
            return state
        if first_year < _MIN_YEAR or last_year > _MAX_YEAR:
            raise CalendarError(
                f"dates must lie between {_MIN_YEAR} and {_MAX_YEAR}",
                field="datetime",
                value=first_year if first_year < _MIN_YEAR else last_year,
            )
        with self._lock:
            state = self._state
            if state is not None:
                first_year = min(first_year, state.first_year)
                last_year = max(last_year, state.last_year)
            ls, le = expansion.local_intervals(
                self.spec, date(first_year, 1, 1), date(last_year, 12, 31), self._holidays
            )
            us, ue = expansion.to_utc(self.spec, ls, le)
            s, e = expansion.merge(us, ue)
            # Pieces of dates outside the range are missing, so keep only what the range owns
            # for certain: from 2 days after its first local date to 2 days before its end.
            lo = int((datetime(first_year, 1, 3, tzinfo=UTC) - _EPOCH).total_seconds()) * US
            hi = int((datetime(last_year, 12, 30, tzinfo=UTC) - _EPOCH).total_seconds()) * US
            s, e = np.clip(s, lo, hi), np.clip(e, lo, hi)
            keep = s < e
            state = Expanded.build(first_year, last_year, s[keep], e[keep])
            self._state = state
            return state

    def _cover(self, lo_us: int, hi_us: int) -> Expanded:
        margin = 4 * 86400 * US
        first = from_us(lo_us - margin).year
        last = from_us(hi_us + margin).year
        return self._expanded(first, last)

    @staticmethod
    def _open_before(state: Expanded, t: I64) -> I64:
        return state.open_before(t)

    # ------------------------------------------------------------- single values
    def business_seconds(self, start: datetime, end: datetime) -> float:
        """Open seconds in [start, end); 0 when end <= start."""
        a, b = to_us(start, "start"), to_us(end, "end")
        if b <= a:
            return 0.0
        state = self._cover(a, b)
        f = self._open_before(state, np.array([a, b], dtype=np.int64))
        return float(f[1] - f[0]) / US

    def add_business_seconds(self, start: datetime, seconds: float) -> datetime:
        """The earliest instant t >= start with business_seconds(start, t) == seconds (UTC)."""
        a = to_us(start, "start")
        out = self._add_us(np.array([a], dtype=np.int64), _seconds_to_us(seconds))
        return from_us(int(out[0]))

    # ---------------------------------------------------------------- vectorised
    def business_seconds_many(self, starts: Any, ends: Any) -> F64:
        """Open seconds in [starts[i], ends[i]) for datetime64 (UTC) arrays; NaN where NaT."""
        a = _as_us_array(starts, "starts")
        b = _as_us_array(ends, "ends")
        if a.shape != b.shape:
            raise CalendarError(f"starts has shape {a.shape}, ends {b.shape}", field="ends", value=b.shape)
        out = np.empty(a.shape, dtype=np.float64)
        if a.size == 0:
            return out
        a, b = a.reshape(-1), b.reshape(-1)
        lo_a, lo_b = int(a.min()), int(b.min())
        if lo_a != _NAT and lo_b != _NAT:  # NaT is the smallest int64
            state = self._cover(min(lo_a, lo_b), max(int(a.max()), int(b.max())))
            state.elapsed(a, b, out.reshape(-1))
            return out
        nat = (a == _NAT) | (b == _NAT)
        flat = out.reshape(-1)
        flat[nat] = np.nan
        if not nat.all():
            ok = ~nat
            a, b = a[ok], b[ok]
            state = self._cover(int(min(a.min(), b.min())), int(max(a.max(), b.max())))
            part = np.empty(a.size, dtype=np.float64)
            state.elapsed(a, b, part)
            flat[ok] = part
        return out

    def add_business_seconds_many(self, starts: Any, seconds: Any) -> npt.NDArray[np.datetime64]:
        a = _as_us_array(starts, "starts")
        secs = np.asarray(seconds, dtype=np.float64)
        if secs.ndim == 0:  # one amount for every start: convert it once
            if secs < 0 and a.size:
                raise CalendarError(
                    "business seconds to add must not be negative", field="seconds", value=secs.min()
                )
            if np.isnan(secs):
                return np.full(a.shape, _NAT, dtype=np.int64).view("datetime64[us]")
            s_one = int(np.rint(secs * US).astype(np.int64))
            if a.size == 0 or int(a.min()) != _NAT:
                return self._add_us(a, s_one).view("datetime64[us]")
            nat = a == _NAT
            out = self._add_us(np.where(nat, 0, a), s_one, skip=nat)
            out[nat] = _NAT
            return out.view("datetime64[us]")
        if secs.shape != a.shape:
            secs = np.broadcast_to(secs, a.shape)
        if np.any(secs < 0):
            raise CalendarError(
                "business seconds to add must not be negative", field="seconds", value=secs.min()
            )
        nat = (a == _NAT) | np.isnan(secs)
        if not nat.any():
            return self._add_us(a, np.rint(secs * US).astype(np.int64)).view("datetime64[us]")
        s_us = np.rint(np.where(nat, 0, secs) * US).astype(np.int64)
        out = self._add_us(np.where(nat, 0, a), s_us, skip=nat)
        out[nat] = _NAT
        return out.view("datetime64[us]")

    def elapsed_us(self, a: I64, b: I64) -> I64:
        """Open µs in [a, b) elementwise, for int64 µs arrays without NaT."""
        a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
        if a.shape != b.shape:
            a, b = np.broadcast_arrays(a, b)
        out = np.empty(a.shape, dtype=np.int64)
        if out.size == 0:
            return out
        a, b = a.reshape(-1), b.reshape(-1)
        state = self._cover(int(min(a.min(), b.min())), int(max(a.max(), b.max())))
        state.elapsed(a, b, out.reshape(-1))
        return out

    def add_us(self, a: I64, s_us: I64) -> I64:
        """Earliest instants with `s_us` open µs after `a`, for int64 µs arrays without NaT."""
        return self._add_us(a, s_us)

    def _add_us(self, a: I64, s_us: I64 | int, skip: npt.NDArray[np.bool_] | None = None) -> I64:
        a = np.asarray(a, dtype=np.int64)
        out = np.empty(a.shape, dtype=np.int64)
        if a.size == 0:
            return out
        flat = a.reshape(-1)
        s: I64 | int
        if isinstance(s_us, int):
            s = max(s_us, 0)
        else:
            s = np.broadcast_to(np.asarray(s_us, dtype=np.int64), a.shape).reshape(-1)
            if int(s.min()) < 0:  # no time to add: the start itself
                s = np.maximum(s, 0)
        if skip is None:
            live = np.ones(flat.size, dtype=bool)
            lo, hi = int(flat.min()), int(flat.max())
        else:
            live = ~skip.reshape(-1)
            if not live.any():
                return a.copy()
            lo, hi = int(flat[live].min()), int(flat[live].max())
            s = np.where(live, s, 0)  # skipped entries stay put, whatever they hold
        state = self._cover(lo, hi)
        if not state.reach(flat, s, out.reshape(-1)):
            state = self._extend_for(state, flat, np.broadcast_to(s, flat.shape), live)
            reached = state.reach(flat, s, out.reshape(-1))
            assert reached  # every target now lies within the expansion
        return out

    def _extend_for(self, state: Expanded, a: I64, s_us: I64, live: npt.NDArray[np.bool_]) -> Expanded:
        """Expand until every live target lies within the expansion (or refuse: never reached)."""
        empty_years = 0
        while True:
            target = state.open_before(a) + s_us
            need = live & (s_us > 0) & (target > state.total)
            if not need.any():
                return state
            if state.total == 0 or empty_years:
                empty_years += 1
            if empty_years > _EMPTY_YEARS_LIMIT:
                raise CalendarError(
                    f"the calendar has no open time for {_EMPTY_YEARS_LIMIT} years after "
                    f"{state.last_year}; the deadline would never be reached",
                    field="seconds",
                    value=int(s_us[need].max()) / US,
                )
            before = state.total
            per_year = max(before // max(state.last_year - state.first_year + 1, 1), 1)
            extra_years = int(np.ceil((int(target[need].max()) - before) / per_year)) + 1
            state = self._expanded(state.first_year, min(state.last_year + extra_years, _MAX_YEAR))
            empty_years = max(empty_years, 1) if state.total == before else 0

    # ------------------------------------------------------------ explanations
    def open_intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The open pieces inside [start, end), in UTC: what a clock counted."""
        a, b = to_us(start, "start"), to_us(end, "end")
        if b <= a:
            return []
        state = self._cover(a, b)
        i0 = max(int(np.searchsorted(state.starts, a, side="right")) - 1, 0)
        i1 = int(np.searchsorted(state.starts, b, side="left"))
        out = []
        for s, e in zip(state.starts[i0:i1], state.ends[i0:i1], strict=True):
            lo, hi = max(int(s), a), min(int(e), b)
            if lo < hi:
                out.append((from_us(lo), from_us(hi)))
        return out

    def next_open_periods(self, after: datetime, count: int = 5) -> Iterator[tuple[datetime, datetime]]:
        """The next `count` open periods that end after `after` (the first may already be running)."""
        a = to_us(after, "after")
        found = 0
        horizon = 0
        while found < count and horizon <= _EMPTY_YEARS_LIMIT:
            state = self._cover(a, a + (horizon + 1) * 366 * 86400 * US)
            i = int(np.searchsorted(state.ends, a, side="right"))
            while i < state.starts.size and found < count:
                s = max(int(state.starts[i]), a)
                yield from_us(s), from_us(int(state.ends[i]))
                a = int(state.ends[i])
                found += 1
                i += 1
            horizon += 1

    def is_open(self, moment: datetime) -> bool:
        t = to_us(moment, "moment")
        state = self._cover(t, t)
        i = int(np.searchsorted(state.starts, t, side="right")) - 1
        return i >= 0 and t < int(state.ends[i])

    def typical_day_seconds(self) -> float:
        """Open seconds of one typical business day: the median open length of open weekdays.

        "1 business day" as a target means this many seconds (stated in the objective).
        """
        lengths = []
        for ivs in self.spec.hours:
            if not ivs:
                continue
            minutes: set[int] = set()
            for iv in ivs:
                minutes.update(range(iv.start, iv.end))
            lengths.append(len(minutes) * 60)
        if not lengths:
            raise CalendarError("the calendar has no weekly open hours", field="hours", value={})
        return float(median(lengths))


def _seconds_to_us(seconds: float) -> int:
    if not isinstance(seconds, int | float) or seconds != seconds:
        raise CalendarError(f"expected a number of seconds, got {seconds!r}", field="seconds", value=seconds)
    if seconds < 0:
        raise CalendarError("business seconds to add must not be negative", field="seconds", value=seconds)
    return round(seconds * US)
