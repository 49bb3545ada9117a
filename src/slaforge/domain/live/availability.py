"""An availability objective kept live: the month's downtime against the downtime its target allows
(its error budget), and the instants at which the escalation ladder's steps and the breach fall due.

The rule is the study's (domain/background/study/availability.py), so a promise is judged live by
the figures it was recommended from, except that the month is the agreement calendar's (the study
reads UTC months; compliance periods are the agreement's): unplanned outages of the service
only (planned maintenance excluded); overlapping outages counted once; uptime =
(month − downtime) / month. The month allows `(100 − target) % × month` of downtime; the objective
is breached once downtime exceeds it — the breach instant is when downtime reaches the allowance
while an outage goes on. A ladder step at share `at` of the target falls due when downtime reaches
`at × allowance`. All arithmetic is in whole microseconds, so figures are exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from slaforge.domain.live.plan import BREACH, RISK_SHARE, Step

US_PER_S = 1_000_000


@dataclass(frozen=True, slots=True)
class AvailabilityObjective:
    """One availability objective of a live agreement, as its budget needs it."""

    index: int
    label: str
    service: str
    target_percent: float
    ladder: tuple[Step, ...] = ()
    zone: str = "UTC"  # the agreement calendar's time zone: its months are the budget's


@dataclass(frozen=True, slots=True)
class Outage:
    started_at: datetime
    ended_at: datetime | None  # None: still going on
    planned: bool = False


@dataclass(frozen=True, slots=True)
class BudgetStep:
    """A ladder step (its index) or the breach (BREACH) of one month, at the instant downtime
    reaches its share of the allowance; `happened` False: projected from an outage going on."""

    step: int
    at: datetime
    happened: bool


@dataclass(frozen=True, slots=True)
class MonthBudget:
    month_start: datetime
    month_end: datetime
    as_of: datetime
    month_seconds: float
    allowed_seconds: float
    down_seconds: float  # up to `as_of`
    down: tuple[tuple[datetime, datetime | None], ...]  # merged unplanned spans in the month (None: going on)
    ongoing: bool
    breached: bool
    breached_at: datetime | None
    risk_at: datetime | None  # when downtime reached (or, projected, reaches) three quarters of the allowance
    steps: tuple[BudgetStep, ...]

    @property
    def uptime(self) -> float:
        """The month's uptime if nothing more goes down (its final figure once the month is over)."""
        return 1.0 - self.down_seconds / self.month_seconds

    @property
    def used_share(self) -> float | None:
        """Downtime as a share of the allowance (None for a 100 % target: nothing is allowed)."""
        return None if self.allowed_seconds <= 0 else self.down_seconds / self.allowed_seconds

    @property
    def left_seconds(self) -> float:
        return self.allowed_seconds - self.down_seconds

    @property
    def at_risk(self) -> bool:
        return not self.breached and self.risk_at is not None and self.risk_at <= self.as_of


def month_of(at: datetime, zone: str = "UTC") -> tuple[datetime, datetime]:
    """The calendar month holding `at` in `zone`: [start, end), as UTC instants (so that their
    difference is the month's real length, an hour more or less across a DST change)."""
    tz = ZoneInfo(zone)
    local = at.astimezone(tz)
    start = datetime(local.year, local.month, 1, tzinfo=tz)
    end = datetime(local.year + (local.month == 12), local.month % 12 + 1, 1, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def month_key(start: datetime, zone: str = "UTC") -> int:
    local = start.astimezone(ZoneInfo(zone))
    return local.year * 100 + local.month


def _us(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * US_PER_S + delta.microseconds


def allowed_us(month_us: int, target_percent: float) -> int:
    """The month's allowance in whole microseconds (rounded to the nearest)."""
    return round(month_us * (100.0 - target_percent) / 100.0)


def _merged(outages: Sequence[Outage], start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Unplanned outages clipped to [start, end) and merged (overlapping ones count once)."""
    spans = sorted(
        (max(o.started_at, start), end if o.ended_at is None else min(o.ended_at, end))
        for o in outages
        if not o.planned
    )
    out: list[tuple[datetime, datetime]] = []
    for a, b in spans:
        if b <= a:
            continue  # outside the window
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def month_budget(
    outages: Sequence[Outage],
    objective: AvailabilityObjective,
    *,
    now: datetime,
    month: datetime | None = None,
) -> MonthBudget:
    """The budget of the month holding `month` (default: `now`) as of `now`: downtime counted up to
    `now` (the month's end, for a month gone by)."""
    start, end = month_of(month or now, objective.zone)
    as_of = min(max(now, start), end)
    month_us = _us(end - start)
    allowed = allowed_us(month_us, objective.target_percent)
    spans = _merged(outages, start, as_of)
    down = sum(_us(b - a) for a, b in spans)
    ongoing = as_of < end and any(
        not o.planned and o.started_at <= as_of and (o.ended_at is None or o.ended_at > as_of)
        for o in outages
    )

    def instant(level: int) -> tuple[datetime | None, bool]:
        """When downtime reached `level` µs with more of it following (happened), or will if the
        outage going on lasts; None if it does not within the month."""
        acc = 0
        for a, b in spans:
            length = _us(b - a)
            if acc + length > level:
                return a + timedelta(microseconds=level - acc), True
            acc += length
        if ongoing:
            at = as_of + timedelta(microseconds=level - acc)
            return (at, False) if at < end else (None, False)
        return None, False

    def level_of(share: float) -> int:
        return allowed if share >= 1 else max(0, round(allowed * share))

    steps = []
    for i, step in enumerate(objective.ladder):
        at, happened = instant(level_of(step.at))
        if at is not None:
            steps.append(BudgetStep(i, at, happened))
    breach_at, breach_happened = instant(allowed)
    if breach_at is not None:
        steps.append(BudgetStep(BREACH, breach_at, breach_happened))
    risk_at, _ = instant(level_of(RISK_SHARE))
    return MonthBudget(
        month_start=start,
        month_end=end,
        as_of=as_of,
        month_seconds=month_us / US_PER_S,
        allowed_seconds=allowed / US_PER_S,
        down_seconds=down / US_PER_S,
        down=tuple((a, None if ongoing and b == as_of else b) for a, b in spans),
        ongoing=ongoing,
        breached=down > allowed,
        breached_at=breach_at if down > allowed else None,
        risk_at=risk_at,
        steps=tuple(steps),
    )
