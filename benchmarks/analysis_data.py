"""A generated service history for the analysis benchmark, made directly as columns (no database).

Every ticket opens with `created`, gets a first agent reply, moves between working and waiting
statuses with customer replies in between, is resolved and closed; some are reopened and
resolved again, some change priority, and one in twelve is still open at the end. Gaps between
events are exponential (wall-clock), longer for lower priorities. Seeded: same seed, same history.
Kinds, statuses and priorities come as integer codes (`EventColumns`), as the loader gives them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from slaforge.domain.background.study.frames import HistoryFrame, TicketColumns
from slaforge.domain.time.clocks.columns import KIND_CODES, NO_CODE, EventColumns

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
STATUSES = ("New", "In progress", WAITING, "Resolved", "Closed")


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

    # Middle events: working, waiting, customer replies, more agent replies. Kinds, statuses and
    # priorities are made as codes, as the database loader delivers them.
    kc = {kind.value: np.int8(code) for kind, code in KIND_CODES.items()}
    sc = {name: np.int32(code) for code, name in enumerate(STATUSES)}
    kind = rng.choice(
        np.array([kc["status_changed"], kc["status_changed"], kc["customer_reply"], kc["agent_reply"]]),
        size=total,
    )
    status = np.where(rng.random(total) < 0.4, sc[WAITING], sc["In progress"]).astype(np.int32)
    status[kind != kc["status_changed"]] = NO_CODE
    open_end = (created > START + SPAN_US - 20 * 86400 * US) & (rng.random(n) < 0.5)
    reopened = (rng.random(n) < 0.03) & ~open_end
    kind[pos == 0], status[pos == 0] = kc["created"], sc["New"]
    kind[pos == 1], status[pos == 1] = kc["agent_reply"], NO_CODE
    done = ~open_end[ticket]
    for offset, what, st in ((0, "closed", "Closed"), (1, "resolved", "Resolved")):
        sel = done & (from_end == offset)
        kind[sel], status[sel] = kc[what], sc[st]
    again = reopened[ticket]
    for offset, what, st in ((2, "reopened", "In progress"), (3, "resolved", "Resolved")):
        sel = again & (from_end == offset)
        kind[sel], status[sel] = kc[what], sc[st]
    priority = np.full(total, NO_CODE, dtype=np.int32)
    priority[pos == 0] = prio_idx
    bump = (rng.random(total) < 0.01) & (kind == kc["status_changed"])  # 1 % of changes re-prioritise
    kind[bump], status[bump] = kc["priority_changed"], NO_CODE
    priority[bump] = np.maximum(prio_idx[ticket[bump]] - 1, 0)
    final_code = prio_idx.astype(np.int32)
    final_code[ticket[bump]] = priority[bump]  # a ticket is stored with its latest priority

    frame = HistoryFrame(
        TicketColumns(
            id=np.arange(1, n + 1, dtype=np.int64),
            created_us=created,
            priority=PRIORITIES[final_code],
            category=category[cat_idx],
            service=np.full(n, None, dtype=object),
            customer=np.full(n, None, dtype=object),
            made_sla=np.full(n, np.nan),
            batch_id=np.full(n, -1, dtype=np.int64),
            codebook={  # the codes the loader also delivers
                "priority": (final_code, tuple(PRIORITIES.tolist())),
                "category": (cat_idx.astype(np.int32), tuple(category.tolist())),
            },
        ),
        EventColumns(
            ticket, at.astype("datetime64[us]"), kind, status, priority, STATUSES, tuple(PRIORITIES.tolist())
        ),
    )
    return Generated(frame, int(START + SPAN_US + 30 * 86400 * US))
