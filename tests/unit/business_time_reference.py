"""A deliberately simple business-time reference: minute by minute, sharing no code with slaforge.

It reads the calendar dict itself and asks, for each whole UTC minute, whether the local wall
time lies in an open interval of that date's (or the previous date's overnight) schedule.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays as holidays_lib

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTE = timedelta(minutes=1)


class Reference:
    def __init__(self, spec: dict) -> None:
        self.zone = ZoneInfo(spec["timezone"])
        self.hours = spec.get("hours", {})
        hol = spec.get("holidays", {}) or {}
        self.own_holidays = {date.fromisoformat(d) for d in hol.get("dates", [])}
        self.country = hol.get("country")
        self.subdivision = hol.get("subdivision")
        self.overrides = {date.fromisoformat(k): v for k, v in (spec.get("overrides") or {}).items()}
        self._country_days: dict[int, set[date]] = {}

    def _is_holiday(self, d: date) -> bool:
        if d in self.own_holidays:
            return True
        if self.country is None:
            return False
        if d.year not in self._country_days:
            self._country_days[d.year] = set(
                holidays_lib.country_holidays(self.country, subdiv=self.subdivision, years=d.year)
            )
        return d in self._country_days[d.year]

    def _intervals(self, d: date) -> list[tuple[int, int]]:
        if d in self.overrides:
            texts = self.overrides[d]
        elif self._is_holiday(d):
            texts = []
        else:
            texts = self.hours.get(DAYS[d.weekday()], [])
        out = []
        for text in texts:
            a, b = text.split("-")
            start = int(a[:2]) * 60 + int(a[3:])
            end = int(b[:2]) * 60 + int(b[3:])
            out.append((start, end))
        return out

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        minute = local.hour * 60 + local.minute
        today = local.date()
        for start, end in self._intervals(today):
            crosses = end <= start
            if start <= minute < (24 * 60 if crosses else end):
                return True
        return any(end <= start and minute < end for start, end in self._intervals(today - timedelta(days=1)))

    def elapsed(self, start: datetime, end: datetime) -> int:
        """Open seconds in [start, end); both on whole UTC minutes."""
        total = 0
        t = start
        while t < end:
            if self.is_open(t):
                total += 60
            t += MINUTE
        return total

    def add(self, start: datetime, seconds: int, limit_minutes: int) -> datetime | None:
        """Earliest t >= start with `seconds` open seconds in [start, t); None past the limit."""
        if seconds == 0:
            return start
        need = seconds // 60
        t = start
        for _ in range(limit_minutes):
            if self.is_open(t):
                need -= 1
                if need == 0:
                    return t + MINUTE
            t += MINUTE
        return None
