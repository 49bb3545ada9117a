"""Measuring next response and periodic update over a whole history at once: per ticket, its
longest cycle (the longest wait for a next reply; the longest gap between agent replies).

The cycles are the clock engine's (`cycles.py`): a next-response cycle opens at the first customer
message after an agent reply (or a resolution), once the ticket has had its first agent reply and
while it is not resolved, and closes at the next agent reply or resolution; a periodic-update
cycle opens at each agent reply while the ticket is not resolved and closes at the next agent
reply or resolution. Replies come before a resolution of the same instant. A cycle's elapsed time
is the open business time between its ends, less pauses — a sum of whole row-to-row steps
(`open_steps`), so each cycle is the difference of one running total. A property test proves the
figures equal the per-ticket engine's (`evaluate_cycles`) exactly.

Why per ticket and its longest cycle: a live clock of these metrics breaches for the ticket when
any of its cycles breaches, so "the share of tickets whose every cycle met T" is the attainment the
agreement will be judged by. A ticket with no cycle (no customer message after the first reply;
no agent reply) is not measured. A ticket with a cycle still open at `now` reports at least its
figure so far (not stopped: censored).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import numpy as np
import numpy.typing as npt

from slaforge.domain.errors import InvalidInput
from slaforge.domain.time.calendar.business import BusinessCalendar, to_us
from slaforge.domain.time.clocks.columns import EventColumns
from slaforge.domain.time.clocks.measure import MeasuredClocks, open_steps
from slaforge.domain.time.clocks.model import EventKind, Metric
from slaforge.domain.time.clocks.rows import NAT, Rows, arrange, ffill_index, group_starts

I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
CONVERSATION = (Metric.NEXT_RESPONSE, Metric.PERIODIC_UPDATE)


def _next_flagged(flag: Bools, first: Bools) -> I64:
    """For each position, the index of the next flagged position strictly after it in its group,
    else -1 (groups are runs starting where `first` holds)."""
    size = flag.size
    last = np.ones(size, dtype=bool)
    last[:-1] = first[1:]
    found = ffill_index(flag[::-1], last[::-1])  # reversed: the first flagged at or after
    at_or_after = np.where(found >= 0, size - 1 - found, -1)[::-1]
    out = np.full(size, -1, dtype=np.int64)
    out[:-1] = np.where(last[:-1], -1, at_or_after[1:])
    return out


def _resolved_at(r: Rows, res_start: Bools, before: Bools, now_us: int) -> Bools:
    """Per row: whether its instant lies in a resolved span [resolution, reopening) — by time, so a
    resolution recorded after a reply of the same instant covers it; the last span runs to now."""
    size = r.g.size
    # The last row of each row's tie block (same ticket, same instant): a span starting at its
    # instant covers it, whatever the order among the ties.
    tie_start = r.first.copy()
    tie_start[1:] |= r.t[1:] != r.t[:-1]
    ends = np.flatnonzero(np.append(tie_start[1:], True))
    block_last = np.repeat(ends, np.diff(np.append(-1, ends)))
    span = ffill_index(res_start, r.first)[block_last]
    reopened = _next_flagged(r.is_(EventKind.REOPENED) & before, r.first)[np.maximum(span, 0)]
    span_end = np.where(reopened >= 0, r.t[np.maximum(reopened, 0)], now_us)
    out: Bools = (span >= 0) & (r.t < span_end)
    assert out.size == size
    return out


def measure_conversations(
    columns: EventColumns,
    calendar: BusinessCalendar,
    *,
    now: datetime,
    pause_statuses: frozenset[str],
    tickets: int | None = None,
    metrics: Iterable[Metric] = CONVERSATION,
) -> dict[Metric, MeasuredClocks]:
    """Per ticket, the longest cycle of each metric in `metrics`: elapsed business µs (0 and not
    measured for a ticket without a cycle), the first cycle's start, and the last cycle's stop
    (NAT while a cycle is open)."""
    wanted = tuple(dict.fromkeys(metrics))
    for metric in wanted:
        if metric not in CONVERSATION:
            raise InvalidInput(
                "measures next response and periodic update", field="metric", value=str(metric)
            )
    now_us = to_us(now, "now")
    r = arrange(columns, now_us, tickets, priorities=False)
    n = r.n
    empty = {
        m: MeasuredClocks(m, np.zeros(n, dtype=np.int64), np.full(n, NAT), np.full(n, NAT)) for m in wanted
    }
    if r.g.size == 0:
        return empty
    paused, _ = r.paused(pause_statuses)
    resolved_after, is_resolve = r.resolved()
    total = np.zeros(r.g.size + 1, dtype=np.int64)
    np.cumsum(np.where(paused, 0, open_steps(r, calendar, now_us)), out=total[1:])
    ticket_end = np.zeros(n, dtype=np.int64)
    ticket_end[r.g[r.last]] = total[1:][r.last]  # through the last row's step to now
    before = np.zeros(r.g.size, dtype=bool)  # resolved before each row
    before[1:] = resolved_after[:-1]
    before[r.first] = False
    res_start = is_resolve & ~before
    at_resolved = _resolved_at(r, res_start, before, now_us)
    agent, customer = r.is_(EventKind.AGENT_REPLY), r.is_(EventKind.CUSTOMER_REPLY)
    rows = np.flatnonzero(agent | customer | res_start)
    # The marks in the engine's order: by ticket and instant, replies before a resolution of the
    # same instant, then as given.
    # Rows are in (ticket, instant, given) order already: only a resolution that shares its
    # ticket and instant with a later reply moves, behind it — one stable sort on a block key.
    same = np.zeros(rows.size, dtype=bool)
    same[1:] = (r.g[rows[1:]] == r.g[rows[:-1]]) & (r.t[rows[1:]] == r.t[rows[:-1]])
    block = np.cumsum(~same)
    rows = rows[np.argsort(block * 2 + res_start[rows], kind="stable")]
    mg = r.g[rows]
    m_agent, m_customer = agent[rows], customer[rows]
    m_closer = m_agent | res_start[rows]
    m_first = group_starts(mg)
    next_closer = _next_flagged(m_closer, m_first)
    free = ~at_resolved[rows]

    out = dict(empty)
    for metric in wanted:
        if metric is Metric.PERIODIC_UPDATE:
            opener = m_agent & free
        else:
            answered = (ffill_index(m_agent, m_first) >= 0) & m_customer  # an agent reply came before
            candidate = answered & free
            seg_start = m_first.copy()
            seg_start[1:] |= m_closer[:-1]
            seg = np.cumsum(seg_start) - 1
            count = np.cumsum(candidate)
            base: I64 = (count - candidate)[seg_start]  # candidates before each segment
            opener = candidate & (count - base[seg] == 1)
        p = np.flatnonzero(opener)
        q = next_closer[p]
        start_row = rows[p]
        stopped = q >= 0
        stop_row = rows[np.maximum(q, 0)]
        g = mg[p]
        elapsed = np.where(stopped, total[stop_row] - total[start_row], ticket_end[g] - total[start_row])
        elapsed = np.maximum(elapsed, 0)
        worst = np.zeros(n, dtype=np.int64)
        if p.size:  # openers are in ticket order: one reduction per ticket's run of cycles
            starts = np.flatnonzero(np.append(True, g[1:] != g[:-1]))
            worst[g[starts]] = np.maximum.reduceat(elapsed, starts)
        started_at = np.full(n, NAT, dtype=np.int64)
        started_at[g[::-1]] = r.t[start_row][::-1]  # the first cycle's start
        stop_at = np.where(stopped, r.t[stop_row], NAT)
        open_any = np.zeros(n, dtype=bool)
        open_any[g[~stopped]] = True
        last_stop = np.full(n, NAT, dtype=np.int64)
        last_stop[g] = stop_at  # later cycles overwrite earlier ones
        last_stop[open_any] = NAT
        out[metric] = MeasuredClocks(metric, worst, started_at, last_stop)
    return {m: out[m] for m in wanted}
