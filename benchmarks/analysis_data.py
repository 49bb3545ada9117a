"""A generated service history for the analysis benchmark, made directly as columns (no database).

Every ticket opens with `created`, gets a first agent reply, moves between working and waiting
statuses with customer replies in between, is resolved and closed; some are reopened and
resolved again, some change priority, and one in twelve is still open at the end. Gaps between
events are exponential (wall-clock), longer for lower priorities. Seeded: same seed, same history.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from slaforge.adapters.history_frames import HistoryFrame, TicketColumns
from slaforge.domain.clocks.batch import EventColumns

I64 = npt.NDArray[np.int64]
US = 1_000_000
HOUR_US = 3600 * US
START = np.datetime64("2023-01-01T00:00", "us").astype(np.int64)
SPAN_US = 2 * 365 * 86400 * US  # tickets open over two years
PRIORITIES = np.array(["critical", "high", "medium", "low"], dtype=object)
PRIORITY_SHARE = (0.05, 0.15, 0.5, 0.3)
MEAN_GAP_H = np.array([1.0, 3.0, 6.0, 10.0])  # mean wall-clock hours between events, per priority
CATEGORIES = 20
WAITING = "Waiting on customer"
CALENDAR = {
    "timezone": "Europe/Berlin",
    "hours": {d: ["09:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": {"country": "DE"},
}
PAUSES = frozenset({WAITING})


@dataclass(frozen=True)
class Generated:
    frame: HistoryFrame
    now_us: int


def generate(tickets: int, events_per_ticket: int = 10, seed: int = 20240601) -> Generated:
    """`tickets` tickets with exactly `tickets × events_per_ticket` events (per ticket: ±4)."""
    rng = np.random.default_rng(seed)
    n, mean_k = tickets, events_per_ticket
    half = rng.integers(-4, 5, size=n // 2)
    spread = np.concatenate([half, -half, np.zeros(n - 2 * half.size, dtype=np.int64)])
    k = mean_k + rng.permutation(spread)  # per-ticket counts, summing to exactly n × mean_k
    if k.min() < 6:
        raise ValueError("events_per_ticket must be at least 10 (each ticket needs 6 events or more)")
    prio_idx = rng.choice(4, size=n, p=PRIORITY_SHARE)
    category = np.array([f"category {c:02d}" for c in range(CATEGORIES)], dtype=object)
    cat_idx = np.minimum(rng.zipf(1.6, size=n) - 1, CATEGORIES - 1)
    created = START + rng.integers(0, SPAN_US, size=n)

    total = int(k.sum())
    ticket = np.repeat(np.arange(n), k)
    first = np.concatenate([[0], np.cumsum(k)[:-1]])
    pos = np.arange(total) - np.repeat(first, k)  # position of each event within its ticket
    from_end = np.repeat(k, k) - 1 - pos
    gap = rng.exponential(1.0, size=total) * MEAN_GAP_H[prio_idx][ticket] * HOUR_US
    gap[pos == 0] = 0
    cum = np.cumsum(gap.astype(np.int64))
    at = created[ticket] + cum - np.repeat(cum[first], k)

    # Middle events: working, waiting, customer replies, more agent replies.
    kind = rng.choice(
        np.array(["status_changed", "status_changed", "customer_reply", "agent_reply"], dtype=object),
        size=total,
    )
    status = np.where(rng.random(total) < 0.4, WAITING, "In progress").astype(object)
    status[kind != "status_changed"] = None
    open_end = (created > START + SPAN_US - 20 * 86400 * US) & (rng.random(n) < 0.5)
    reopened = (rng.random(n) < 0.03) & ~open_end
    kind[pos == 0], status[pos == 0] = "created", "New"
    kind[pos == 1], status[pos == 1] = "agent_reply", None
    done = ~open_end[ticket]
    for offset, what, st in ((0, "closed", "Closed"), (1, "resolved", "Resolved")):
        sel = done & (from_end == offset)
        kind[sel], status[sel] = what, st
    again = reopened[ticket]
    for offset, what, st in ((2, "reopened", "In progress"), (3, "resolved", "Resolved")):
        sel = again & (from_end == offset)
        kind[sel], status[sel] = what, st
    priority = np.full(total, None, dtype=object)
    priority[pos == 0] = PRIORITIES[prio_idx]
    bump = (rng.random(total) < 0.01) & (kind == "status_changed")  # 1 % of changes re-prioritise
    kind[bump], status[bump] = "priority_changed", None
    priority[bump] = PRIORITIES[np.maximum(prio_idx[ticket[bump]] - 1, 0)]
    final_priority = PRIORITIES[prio_idx].copy()
    final_priority[ticket[bump]] = priority[bump]  # a ticket is stored with its latest priority

    frame = HistoryFrame(
        TicketColumns(
            id=np.arange(1, n + 1, dtype=np.int64),
            created_us=created,
            priority=final_priority,
            category=category[cat_idx],
            service=np.full(n, None, dtype=object),
            customer=np.full(n, None, dtype=object),
            made_sla=np.full(n, np.nan),
            batch_id=np.full(n, -1, dtype=np.int64),
        ),
        EventColumns(ticket, at.astype("datetime64[us]"), kind, status, priority),
    )
    return Generated(frame, int(START + SPAN_US + 30 * 86400 * US))
