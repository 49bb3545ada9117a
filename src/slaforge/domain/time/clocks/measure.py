"""Measuring only: elapsed business time, start and stop of first response and resolution at once.

A capability study needs how long each clock ran and whether it stopped, not deadlines,
warnings or breaches. `measure_batch` gives exactly the elapsed time, stop and start that
`evaluate_batch` gives (a property test proves it), for both clocks from one pass over the rows:
one arrangement, one carry-forward of the pause and resolved states, and one business-time
lookup per row shared by both clocks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from slaforge.domain.errors import InvalidInput
from slaforge.domain.time.calendar.business import BusinessCalendar, to_us
from slaforge.domain.time.clocks.columns import EventColumns
from slaforge.domain.time.clocks.model import EventKind, Metric
from slaforge.domain.time.clocks.rows import NAT, Rows, arrange, first_per_group, last_per_group

I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
MEASURED = (Metric.FIRST_RESPONSE, Metric.RESOLUTION)


@dataclass(frozen=True)
class MeasuredClocks:
    """One clock per ticket: elapsed business µs (0 for a ticket without events up to now), and
    its start and stop as µs instants (NAT for a ticket without events; stop NAT while running)."""

    metric: Metric
    elapsed_us: I64
    started_at: I64
    stopped_at: I64

    @property
    def measured(self) -> Bools:
        """Tickets that exist at `now` (they have events up to it)."""
        out: Bools = self.started_at != NAT
        return out

    @property
    def stopped(self) -> Bools:
        out: Bools = self.stopped_at != NAT
        return out


def open_steps(r: Rows, calendar: BusinessCalendar, now_us: int) -> I64:
    """Open business µs from each row to the next row of its ticket (from the last row: to now),
    as the difference of one running total: a segment a clock counts is always a whole such step,
    because a clock starts and stops at the time of one of its ticket's rows (or runs on to now)."""
    t = r.t
    upto = calendar.elapsed_us(np.array([t.min()], dtype=np.int64), np.append(t, now_us))
    step = np.empty_like(t)
    step[:-1] = upto[1 : t.size]
    step[r.last] = upto[-1]
    step -= upto[:-1]
    return step


def measure_batch(
    columns: EventColumns,
    calendar: BusinessCalendar,
    *,
    now: datetime,
    pause_statuses: frozenset[str],
    tickets: int | None = None,
    metrics: Iterable[Metric] = MEASURED,
) -> dict[Metric, MeasuredClocks]:
    """Elapsed, start and stop of each clock in `metrics`, as `evaluate_batch` reports them for
    an objective with these pause statuses (targets do not change elapsed time)."""
    wanted = tuple(dict.fromkeys(metrics))
    for metric in wanted:
        if metric not in MEASURED:
            raise InvalidInput(
                "measuring in batch covers first response and resolution",
                field="metric",
                value=str(metric),
            )
    now_us = to_us(now, "now")
    r = arrange(columns, now_us, tickets, priorities=False)
    n, g, t = r.n, r.g, r.t
    started = np.where(r.has, r.created, NAT)
    if g.size == 0:
        zeros = np.zeros(n, dtype=np.int64)
        return {m: MeasuredClocks(m, zeros, started, np.full(n, NAT, dtype=np.int64)) for m in wanted}

    paused, _ = r.paused(pause_statuses)
    resolved, is_resolve = r.resolved()

    step = open_steps(r, calendar, now_us)
    starts = np.flatnonzero(r.first)

    def finish(metric: Metric, stop: I64, counts: Bools) -> MeasuredClocks:
        end = np.where(stop == NAT, now_us, stop)
        counts &= t < end[g]  # rows at or after the stop add nothing
        elapsed = np.zeros(n, dtype=np.int64)
        elapsed[g[starts]] = np.add.reduceat(np.where(counts, step, 0), starts)
        return MeasuredClocks(metric, elapsed, started, np.where(r.has, stop, NAT))

    out = {}
    if Metric.FIRST_RESPONSE in wanted:
        replied = r.is_(EventKind.AGENT_REPLY) | is_resolve
        out[Metric.FIRST_RESPONSE] = finish(Metric.FIRST_RESPONSE, first_per_group(replied, g, t, n), ~paused)
    if Metric.RESOLUTION in wanted:
        became = resolved.copy()
        became[1:] &= ~resolved[:-1]
        became[r.first] = resolved[r.first]  # the first row of a ticket follows nothing
        final = np.zeros(n, dtype=bool)
        final[g[r.last]] = resolved[r.last]
        stop = np.where(final, last_per_group(became, g, t, n), NAT)  # the last run of being resolved
        out[Metric.RESOLUTION] = finish(Metric.RESOLUTION, stop, ~paused & ~resolved)
    return {m: out[m] for m in wanted}
