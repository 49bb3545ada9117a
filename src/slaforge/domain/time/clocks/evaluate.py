"""Evaluate one ticket's SLA clock: elapsed business time, deadline, warnings, breach, and why.

Rules (DESIGN.md, "Clock semantics"): a clock runs from its start, pauses while the ticket is in
a pause status or inside an excusal (e.g. an overdue customer obligation that excuses the
provider), and stops at its stop event. A priority change re-targets the running clock from
its original start; a breach, once it happened under the target then in force, stays recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import numpy as np

from slaforge.domain.time.calendar.business import BusinessCalendar, from_us, to_us
from slaforge.domain.time.calendar.zone import US
from slaforge.domain.time.clocks.cycles import Cycle, cycles_for
from slaforge.domain.time.clocks.model import (
    ClockObjective,
    ClockResult,
    ClockState,
    Excusal,
    ExcusedSpan,
    Metric,
    TicketEvent,
)
from slaforge.domain.time.clocks.timeline import (
    Timeline,
    USpan,
    build_timeline,
    clip,
    priority_at,
    subtract,
    union,
)


def target_for(objective: ClockObjective, priority: str | None) -> float | None:
    """The target for a priority; '*' in the targets is the default for any other priority."""
    if priority is not None and priority in objective.targets:
        return float(objective.targets[priority])
    default = objective.targets.get("*")
    return float(default) if default is not None else None


def target_us(objective: ClockObjective, priority: str | None) -> int | None:
    secs = target_for(objective, priority)
    return None if secs is None else round(secs * US)


class _Segments:
    """The running segments of one cycle and the open time inside each."""

    def __init__(self, calendar: BusinessCalendar, spans: list[USpan]) -> None:
        self.calendar = calendar
        self.spans = spans
        if spans:
            a = np.array([s for s, _ in spans], dtype=np.int64)
            b = np.array([e for _, e in spans], dtype=np.int64)
            self.open = [int(x) for x in calendar.elapsed_us(a, b)]
        else:
            self.open = []
        self.total = sum(self.open)

    def elapsed_at(self, t: int) -> int:
        """Open running µs before instant t."""
        done = 0
        for (a, b), o in zip(self.spans, self.open, strict=True):
            if b <= t:
                done += o
            elif a < t:
                done += int(self.calendar.elapsed_us(np.array([a]), np.array([t]))[0])
        return done

    def instant_at(self, x: int) -> int | None:
        """The earliest instant at which elapsed reaches x (> 0), if it does within the segments."""
        done = 0
        for (a, _), o in zip(self.spans, self.open, strict=True):
            if done < x <= done + o:
                return int(self.calendar.add_us(np.array([a]), np.array([x - done]))[0])
            done += o
        return None


def evaluate_cycles(
    events: Sequence[TicketEvent],
    objective: ClockObjective,
    calendar: BusinessCalendar,
    *,
    now: datetime,
    excused: Sequence[Excusal] = (),
) -> list[ClockResult]:
    """Every measured cycle of the metric for one ticket (first response and resolution have one).

    `excused` spans pause the clock exactly like pause statuses; each result says, per excusal,
    the part inside its cycle and the business time it took off."""
    tl = build_timeline(events, objective.pause_statuses, now)
    if tl is None:
        return []
    ex = _excusals(excused, tl.now)
    return [_evaluate_cycle(tl, cycle, objective, calendar, ex) for cycle in cycles_for(objective.metric, tl)]


# An excusal in µs: (label, start, end clipped to now, still excused at now).
_UExcusal = tuple[str, int, int, bool]


def _excusals(excused: Sequence[Excusal], now: int) -> list[_UExcusal]:
    out = []
    for i, e in enumerate(excused):
        a = to_us(e.start, f"excused[{i}].start")
        b = now if e.end is None else to_us(e.end, f"excused[{i}].end")
        out.append((e.label, a, min(b, now), a <= now and (e.end is None or b > now)))
    return out


def evaluate_clock(
    events: Sequence[TicketEvent],
    objective: ClockObjective,
    calendar: BusinessCalendar,
    *,
    now: datetime,
    excused: Sequence[Excusal] = (),
) -> ClockResult:
    """The ticket's clock for this objective as of `now` (`excused`: see evaluate_cycles).

    For metrics with several cycles (next response, periodic update) this is the latest cycle,
    reported as breached if any cycle breached, at the first breach.
    """
    to_us(now, "now")
    results = evaluate_cycles(events, objective, calendar, now=now, excused=excused)
    if not results:
        return _not_started(objective.metric)
    last = results[-1]
    first_breach = next((r for r in results if r.breached), None)
    if first_breach is None or first_breach is last:
        return last
    return replace(last, breached=True, breached_at=first_breach.breached_at)


def _not_started(metric: Metric) -> ClockResult:
    return ClockResult(
        metric=metric,
        state=ClockState.NOT_STARTED,
        priority=None,
        target_seconds=None,
        elapsed_seconds=0.0,
        started_at=None,
        stopped_at=None,
        due_at=None,
        warn_at=(),
        breached=False,
        breached_at=None,
    )


def _evaluate_cycle(
    tl: Timeline,
    cycle: Cycle,
    objective: ClockObjective,
    calendar: BusinessCalendar,
    excusals: Sequence[_UExcusal] = (),
) -> ClockResult:
    start, stop = cycle
    end = stop if stop is not None else tl.now
    holes = list(tl.pauses)
    if objective.metric is Metric.RESOLUTION:
        holes += tl.resolved
    excused = _excused_in(calendar, holes, excusals, start, end)
    holes += [(a, b) for _, a, b, _ in excusals if a < b]
    running = subtract((start, end), sorted(holes))
    seg = _Segments(calendar, running)
    paused = union(clip(holes, start, end))
    excused_now = any(now_in for *_, now_in in excusals)

    # Priority periods: changes after the start and (for a stopped clock) before the stop.
    changes = [(t, p) for t, p in tl.priorities if start < t and (t < end)]
    periods: list[tuple[int, int, int | None]] = []
    period_start, prio = start, priority_at(tl, start)
    for t, p in changes:
        periods.append((period_start, t, target_us(objective, prio)))
        period_start, prio = t, p
    final_target = target_us(objective, prio)
    periods.append((period_start, end, final_target))

    breached_at: int | None = None
    for p0, p1, target in periods:
        if target is None:
            continue
        if seg.elapsed_at(p1) > target or (p1 == end and seg.total > target):
            # Already over a new, stricter target when it took effect: breached at that moment.
            breached_at = p0 if seg.elapsed_at(p0) > target else seg.instant_at(target)
            break

    state = (
        ClockState.STOPPED
        if stop is not None
        else ClockState.PAUSED
        if (
            tl.paused_now
            or excused_now
            or (objective.metric is Metric.RESOLUTION and tl.final_stop is not None)
        )
        else ClockState.RUNNING
    )
    due_at = _deadline(seg, final_target, state, end, calendar) if final_target is not None else None
    warn_at: list[int] = []
    if final_target is not None:
        for level_s in objective.warning_levels(final_target / US):
            w = _deadline(seg, round(level_s * US), state, end, calendar)
            if w is not None:
                warn_at.append(w)

    counted = [iv for a, b in running for iv in calendar.open_intervals(from_us(a), from_us(b))]
    return ClockResult(
        metric=objective.metric,
        state=state,
        priority=prio,
        target_seconds=None if final_target is None else final_target / US,
        elapsed_seconds=seg.total / US,
        started_at=from_us(start),
        stopped_at=None if stop is None else from_us(stop),
        due_at=None if due_at is None else from_us(due_at),
        warn_at=tuple(from_us(w) for w in warn_at),
        breached=breached_at is not None,
        breached_at=None if breached_at is None else from_us(breached_at),
        counted=tuple(counted),
        paused=tuple((from_us(a), from_us(b)) for a, b in paused),
        excused=tuple(excused),
    )


def _excused_in(
    calendar: BusinessCalendar,
    holes: Sequence[USpan],
    excusals: Sequence[_UExcusal],
    start: int,
    end: int,
) -> list[ExcusedSpan]:
    """Each excusal's part inside the cycle [start, end), with the open time it alone took off:
    not what a pause status, a resolved spell or an earlier excusal already took (so the amounts
    add up to the elapsed time the excusals removed)."""
    out: list[ExcusedSpan] = []
    taken = list(holes)
    for label, a, b, _ in excusals:
        lo, hi = max(a, start), min(b, end)
        if hi <= lo:
            continue
        pieces = subtract((lo, hi), sorted(taken))
        if pieces:
            x = np.array([p for p, _ in pieces], dtype=np.int64)
            y = np.array([q for _, q in pieces], dtype=np.int64)
            took = int(calendar.elapsed_us(x, y).sum())
        else:
            took = 0
        out.append((label, from_us(lo), from_us(hi), took / US))
        taken.append((lo, hi))
    return out


def _deadline(
    seg: _Segments, level: int, state: ClockState, end: int, calendar: BusinessCalendar
) -> int | None:
    """When elapsed reaches `level`: found in the past, projected from now, or unknown while paused.

    A stopped clock that never reached the level gets the deadline it had when it stopped.
    """
    reached = seg.instant_at(level)
    if reached is not None:
        return reached
    if state is ClockState.PAUSED:
        return None
    remaining = level - seg.total
    return int(calendar.add_us(np.array([end]), np.array([remaining]))[0])
