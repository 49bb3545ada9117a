"""What a live clock is and what it has to fire: the clock engine's cycles of one ticket and one
objective, read as instants at which the clause's escalation ladder steps and the breach fall due.

One engine: the figures come from `evaluate_cycles`, the function the shadow run and the study
use; this module only reads its results. A ladder step at share `at` of the target falls due when
the elapsed business time reaches `at × target` (0: when the cycle starts; 1: at the deadline).
A step is kept only while it can still mean something: once a cycle has stopped, its warnings
(at < 1) are moot and are not sent late, but a breach is always news.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from slaforge.domain.time.calendar.business import BusinessCalendar
from slaforge.domain.time.clocks.evaluate import evaluate_cycles
from slaforge.domain.time.clocks.model import ClockObjective, ClockResult, ClockState, Excusal, TicketEvent

BREACH = -1  # the step number of a cycle's breach
RISK_SHARE = 0.75  # "at risk" from three quarters of the target, as DESIGN.md's default warning


@dataclass(frozen=True, slots=True)
class Step:
    """One rung of a clause's escalation ladder (readiness configuration)."""

    at: float
    notify: str
    channel: str
    action: str
    within: int


@dataclass(frozen=True, slots=True)
class LiveObjective:
    """One objective of a live agreement as its clocks need it."""

    index: int
    label: str
    clock: ClockObjective
    ladder: tuple[Step, ...] = ()

    def shares(self) -> tuple[float, ...]:
        """The shares of the target the engine is asked for instants of (ascending)."""
        return tuple(sorted({s.at for s in self.ladder if 0 < s.at < 1} | {RISK_SHARE}))


@dataclass(frozen=True, slots=True)
class Firing:
    """Something of one cycle that falls due at `at`: a ladder step (its index) or the breach."""

    cycle_started_at: datetime
    step: int
    at: datetime
    # False for a deadline projected from now (the breach, or a step at the target, of a cycle not
    # yet over it): it schedules the next look, and fires only once the engine says it happened.
    happened: bool = True

    @property
    def key(self) -> tuple[datetime, int]:
        return (self.cycle_started_at, self.step)


@dataclass(frozen=True, slots=True)
class ClockPlan:
    """A clock as of `now`: the latest cycle (breached if any cycle breached), every cycle, the
    instant it becomes at risk, and everything that has fallen or will fall due."""

    result: ClockResult
    cycles: tuple[ClockResult, ...]
    risk_at: datetime | None
    firings: tuple[Firing, ...]

    def due(self, now: datetime, fired: Collection[tuple[datetime, int]]) -> list[Firing]:
        """What is due at `now` and not fired yet, in time order."""
        due = (f for f in self.firings if f.happened and f.at <= now and f.key not in fired)
        return sorted(due, key=lambda f: f.at)

    def next_fire_at(self, fired: Collection[tuple[datetime, int]]) -> datetime | None:
        """The earliest instant of something not fired yet (in the past: due now)."""
        return min((f.at for f in self.firings if f.key not in fired), default=None)


def _instants(result: ClockResult, shares: Sequence[float]) -> dict[float, datetime]:
    """The engine's warning instants by share. Elapsed time only grows, so the levels it reports
    are always the lowest ones: warn_at[i] is the instant of shares[i]."""
    return dict(zip(shares, result.warn_at, strict=False))


def plan_clock(
    events: Sequence[TicketEvent],
    objective: LiveObjective,
    calendar: BusinessCalendar,
    *,
    now: datetime,
    excused: Sequence[Excusal] = (),
    since: datetime | None = None,
) -> ClockPlan | None:
    """The clock of one ticket for one objective, or None before the ticket exists. A cycle that
    stopped before `since` (the instant these terms came into force) fires nothing and breaches
    nothing: it ended under other terms, or none."""
    shares = objective.shares()
    clock = replace(objective.clock, warn_fractions=shares, warn_before=())
    cycles = evaluate_cycles(events, clock, calendar, now=now, excused=excused)
    if not cycles:
        return None
    firings: list[Firing] = []

    def in_force(c: ClockResult) -> bool:
        return since is None or c.stopped_at is None or c.stopped_at >= since

    for c in cycles:
        assert c.started_at is not None
        if not in_force(c):
            continue
        at_share = _instants(c, shares)
        for i, step in enumerate(objective.ladder):
            happened = True
            if step.at >= 1:
                at, happened = (c.breached_at, True) if c.breached else (c.due_at, False)
            elif step.at <= 0:
                at = c.started_at
            else:
                at = at_share.get(step.at)
            if at is None:
                continue
            if c.state is ClockState.STOPPED and (step.at < 1 or not c.breached):
                continue  # a stopped cycle's warnings are moot; its breach step stays news
            firings.append(Firing(c.started_at, i, at, happened))
        if c.breached and c.breached_at is not None:
            firings.append(Firing(c.started_at, BREACH, c.breached_at))
        elif c.state is not ClockState.STOPPED and c.due_at is not None:
            firings.append(Firing(c.started_at, BREACH, c.due_at, happened=False))
    last = cycles[-1]
    first_breach = next((c for c in cycles if c.breached and in_force(c)), None)
    if first_breach is None and last.breached:
        last = replace(last, breached=False, breached_at=None)  # a breach under other terms
    elif first_breach is not None and first_breach is not last:
        last = replace(last, breached=True, breached_at=first_breach.breached_at)
    risk = _instants(cycles[-1], shares).get(RISK_SHARE)
    return ClockPlan(last, tuple(cycles), risk, tuple(firings))
