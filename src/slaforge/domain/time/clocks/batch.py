"""The same clocks for a whole history at once, vectorised with NumPy.

Agrees exactly with `evaluate_clock` (a property test proves it) for the metrics a history
study needs: first response and resolution. Events arrive as columns (`EventColumns`, names or
integer codes); each ticket is a group. A study that needs elapsed time only uses `measure_batch`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from slaforge.domain.errors import InvalidInput
from slaforge.domain.time.calendar.business import BusinessCalendar, to_us
from slaforge.domain.time.calendar.zone import US
from slaforge.domain.time.clocks.columns import KIND_CODES, EventColumns, value_table
from slaforge.domain.time.clocks.evaluate import target_us
from slaforge.domain.time.clocks.model import ClockObjective, ClockState, EventKind, Metric
from slaforge.domain.time.clocks.rows import (
    NAT,
    arrange,
    ffill_index,
    first_per_group,
    group_starts,
    last_per_group,
)

__all__ = ["KIND_CODES", "NAT", "STATE_CODES", "BatchClocks", "EventColumns", "evaluate_batch"]

I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
STATE_CODES = (ClockState.NOT_STARTED, ClockState.RUNNING, ClockState.PAUSED, ClockState.STOPPED)


@dataclass(frozen=True)
class BatchClocks:
    """Per ticket: int64 µs instants (NAT where none), elapsed/target µs, and codes into STATE_CODES."""

    state: npt.NDArray[np.int8]
    priority: npt.NDArray[Any]
    target_us: I64  # -1 where the priority has no target
    elapsed_us: I64
    started_at: I64
    stopped_at: I64
    due_at: I64
    warn_at: I64  # shape (tickets, levels); levels ascending, NAT-padded
    breached: Bools
    breached_at: I64

    def states(self) -> list[ClockState]:
        return [STATE_CODES[c] for c in self.state]


def evaluate_batch(
    columns: EventColumns,
    objective: ClockObjective,
    calendar: BusinessCalendar,
    *,
    now: datetime,
    tickets: int | None = None,
) -> BatchClocks:
    if objective.metric not in (Metric.FIRST_RESPONSE, Metric.RESOLUTION):
        raise InvalidInput(
            "the batch form measures first response and resolution; "
            "evaluate next-response and update cycles per ticket",
            field="metric",
            value=str(objective.metric),
        )
    now_us = to_us(now, "now")
    r = arrange(columns, now_us, tickets)
    n, g, t, first, last_row, has, created = r.n, r.g, r.t, r.first, r.last, r.has, r.created
    prio = r.priority if r.priority is not None else np.full(g.size, -1)  # always given here
    is_ = r.is_
    is_created = is_(EventKind.CREATED)

    # Pause and resolved states after each event, carried forward within the ticket.
    paused, _ = r.paused(objective.pause_statuses)
    resolved, is_resolve = r.resolved()
    prev_resolved = np.zeros(g.size, dtype=bool)
    prev_resolved[1:] = resolved[:-1]
    prev_resolved[first] = False
    became_resolved = resolved & ~prev_resolved

    final_resolved = np.zeros(n, dtype=bool)
    final_resolved[g[last_row]] = resolved[last_row]
    paused_now = np.zeros(n, dtype=bool)
    paused_now[g[last_row]] = paused[last_row]

    if objective.metric is Metric.FIRST_RESPONSE:
        stop_mask = is_(EventKind.AGENT_REPLY) | is_resolve
        stop = first_per_group(stop_mask, g, t, n)
        running = ~paused
    else:
        stop = np.where(final_resolved, last_per_group(became_resolved, g, t, n), NAT)  # the last run wins
        running = ~paused & ~resolved
    end = np.where(stop == NAT, now_us, stop)

    # Running segments: from each event to the next one of its ticket (or the end), clipped to the end.
    seg_a = t
    seg_b = np.empty_like(t)
    seg_b[:-1] = t[1:]
    seg_b[last_row] = end[g[last_row]]
    seg_b = np.minimum(seg_b, end[g])
    live = running & (seg_a < seg_b)
    seg_open = np.zeros(g.size, dtype=np.int64)
    if live.any():
        seg_open[live] = calendar.elapsed_us(seg_a[live], seg_b[live])
    cum_incl = np.cumsum(seg_open)
    cum_excl = cum_incl - seg_open
    group_base = np.zeros(n, dtype=np.int64)
    group_base[g[first]] = cum_excl[first]
    total = np.zeros(n, dtype=np.int64)
    total[g[last_row]] = cum_incl[last_row] - group_base[g[last_row]]

    def instant_at(groups: I64, x: I64) -> I64:
        """Earliest instant at which each group's elapsed reaches x (0 < x <= its total)."""
        j = np.searchsorted(cum_incl, group_base[groups] + x, side="left")
        return calendar.add_us(seg_a[j], group_base[groups] + x - cum_excl[j])

    # Priorities: which one holds at the start, at each change, and at the end.
    prio_row = is_created | (is_(EventKind.PRIORITY_CHANGED) & (prio >= 0))
    start_g = created[g]
    effective = prio_row & ((t < end[g]) | (t == start_g))
    last_prio = ffill_index(effective, first)
    prio_before = np.full(g.size, -1, dtype=np.int64)
    prio_before[1:] = last_prio[:-1]
    prio_before[first] = -1
    boundary = effective & (t > start_g) & (t < end[g])

    # Target per priority code; the last entry serves code -1 (no priority) and rows -1 (none).
    values = r.priority_values
    targets = np.array(
        [-1 if (x := target_us(objective, p)) is None else x for p in (*values, None)], dtype=np.int64
    )
    prio_ext = np.append(prio, -1)  # row -1 reads the trailing -1: no priority

    def target_of_rows(rows: I64) -> I64:
        out: I64 = targets[prio_ext[rows]]
        return out

    final_prio_row = np.full(n, -1, dtype=np.int64)
    final_prio_row[g[last_row]] = last_prio[last_row]
    b_rows = np.flatnonzero(boundary)
    # Period rows: each boundary closes the period before it; every ticket has a final period.
    p_group = np.concatenate([g[b_rows], np.arange(n)])
    p_end = np.concatenate([t[b_rows], end])
    p_elapsed_end = np.concatenate([cum_excl[b_rows] - group_base[g[b_rows]], total])
    p_target = np.concatenate([target_of_rows(prio_before[b_rows]), target_of_rows(final_prio_row)])
    p_seq = np.concatenate([b_rows, np.full(n, np.iinfo(np.int64).max)])
    porder = np.lexsort((p_seq, p_group))
    p_group, p_end, p_elapsed_end, p_target = (
        p_group[porder],
        p_end[porder],
        p_elapsed_end[porder],
        p_target[porder],
    )
    p_first = group_starts(p_group)
    p_start = np.empty_like(p_end)
    p_start[1:] = p_end[:-1]
    p_start[p_first] = np.where(has, created, 0)[p_group[p_first]]
    p_elapsed_start = np.empty_like(p_elapsed_end)
    p_elapsed_start[1:] = p_elapsed_end[:-1]
    p_elapsed_start[p_first] = 0
    over = (p_target >= 0) & (p_elapsed_end > p_target) & has[p_group]
    breach_rows = np.flatnonzero(over)
    at_change = p_elapsed_start[breach_rows] > p_target[breach_rows]
    breach_when = np.where(at_change, p_start[breach_rows], 0)
    crossing = ~at_change
    if crossing.any():
        breach_when[crossing] = instant_at(p_group[breach_rows][crossing], p_target[breach_rows][crossing])
    breached_at = np.full(n, NAT, dtype=np.int64)
    rev = slice(None, None, -1)  # earliest breach wins: write in reverse order
    breached_at[p_group[breach_rows][rev]] = breach_when[rev]

    state = np.where(stop != NAT, 3, np.where(paused_now, 2, 1)).astype(np.int8)
    state[~has] = 0
    final_target = target_of_rows(final_prio_row)
    final_target[~has] = -1

    def deadline(level: I64) -> I64:
        out = np.full(n, NAT, dtype=np.int64)
        ok = has & (level > 0)
        reached = ok & (total >= level)
        if reached.any():
            out[reached] = instant_at(np.flatnonzero(reached), level[reached])
        proj = ok & ~reached & (state != 2)
        if proj.any():
            out[proj] = calendar.add_us(end[proj], level[proj] - total[proj])
        return out

    due = deadline(np.where(final_target > 0, final_target, 0))
    warn = _warnings(objective, final_target, deadline, n)
    prio_out = value_table(values)[prio_ext[final_prio_row]]
    return BatchClocks(
        state=state,
        priority=prio_out,
        target_us=final_target,
        elapsed_us=np.where(has, total, 0),
        started_at=np.where(has, created, NAT),
        stopped_at=np.where(has, stop, NAT),
        due_at=due,
        warn_at=warn,
        breached=breached_at != NAT,
        breached_at=breached_at,
    )


def _warnings(objective: ClockObjective, final_target: I64, deadline: Any, n: int) -> I64:
    """Warning instants per ticket: the levels of each distinct target, in ascending order."""
    per_target = {
        int(tg): [round(s * US) for s in objective.warning_levels(int(tg) / US)]
        for tg in np.unique(final_target)
        if tg > 0
    }
    width = max((len(v) for v in per_target.values()), default=0)
    out = np.full((n, width), NAT, dtype=np.int64)
    for col in range(width):
        level = np.zeros(n, dtype=np.int64)
        for tg, levels in per_target.items():
            if col < len(levels):
                level[final_target == tg] = levels[col]
        out[:, col] = deadline(level)
    return out
