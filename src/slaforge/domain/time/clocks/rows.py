"""The rows the batch clocks read: events up to now, grouped by ticket in time order, as codes.

Shared by `evaluate_batch` (full clocks) and `measure_batch` (elapsed time only). Every array is
per row, in (ticket, time, given order) order, except those documented as per ticket.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from slaforge.domain.time.clocks.columns import KIND_CODES, EventColumns
from slaforge.domain.time.clocks.model import EventKind

I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.integer[Any]]
NAT = np.iinfo(np.int64).min
K = {kind: np.int8(code) for kind, code in KIND_CODES.items()}


def group_starts(g: I64) -> Bools:
    first = np.ones(g.size, dtype=bool)
    first[1:] = g[1:] != g[:-1]
    return first


def group_ends(g: I64) -> Bools:
    last = np.ones(g.size, dtype=bool)
    last[:-1] = g[1:] != g[:-1]
    return last


def ffill_index(flag: Bools, first: Bools) -> I64:
    """For each row, the index of the last flagged row at or before it in its group, else -1."""
    idx = np.where(flag, np.arange(flag.size), -1)
    group_first = np.maximum.accumulate(np.where(first, np.arange(flag.size), 0))
    last = np.maximum.accumulate(idx)
    out: I64 = np.where(last >= group_first, last, -1)
    return out


def carry(flag: Bools, value: Bools, first: Bools) -> Bools:
    """For each row, `value` at the last flagged row at or before it in its group, else False.

    `value` must be False on rows that are not flagged: each group's first row then stands in
    for "no flagged row yet", which saves the group check of `ffill_index`.
    """
    idx = np.where(flag | first, np.arange(flag.size), 0)
    np.maximum.accumulate(idx, out=idx)
    out: Bools = value[idx]
    return out


def first_per_group(mask: Bools, g: I64, values: I64, n: int) -> I64:
    """The first `values` row per group where mask holds (rows are in order), else NAT."""
    out = np.full(n, NAT, dtype=np.int64)
    rows = np.flatnonzero(mask)[::-1]  # reversed, so the earliest row is written last
    out[g[rows]] = values[rows]
    return out


def last_per_group(mask: Bools, g: I64, values: I64, n: int) -> I64:
    """The last `values` row per group where mask holds, else NAT."""
    out = np.full(n, NAT, dtype=np.int64)
    rows = np.flatnonzero(mask)
    out[g[rows]] = values[rows]  # later rows overwrite earlier ones
    return out


@dataclass(frozen=True)
class Rows:
    n: int  # tickets
    g: I64  # ticket index
    t: I64  # µs, moved up to the ticket's creation when stamped before it
    kind: npt.NDArray[np.int8]  # KIND_CODES, -1 for no known kind
    status: Codes  # into status_values, -1 for none
    status_values: tuple[Any, ...]
    priority: Codes | None  # into priority_values, -1 for none (None when not asked for)
    priority_values: tuple[Any, ...]
    first: Bools  # first row of its ticket
    last: Bools  # last row of its ticket
    has: Bools  # per ticket: has events up to now
    created: I64  # per ticket: creation (first `created` event, else first event), NAT if none

    def is_(self, kind: EventKind) -> Bools:
        out: Bools = self.kind == K[kind]
        return out

    def status_rows(self) -> Bools:
        """Rows that set a status: creation and status changes that name one."""
        out: Bools = ((self.kind == K[EventKind.CREATED]) | (self.kind == K[EventKind.STATUS_CHANGED])) & (
            self.status >= 0
        )
        return out

    def paused(self, pause_statuses: frozenset[str]) -> tuple[Bools, Bools]:
        """(in a pause status after each row, rows that set a status)."""
        status_row = self.status_rows()
        table = np.zeros(len(self.status_values) + 1, dtype=bool)  # the last entry serves code -1
        table[:-1] = [s in pause_statuses for s in self.status_values]
        in_pause = table[self.status] & status_row
        return carry(status_row, in_pause, self.first), status_row

    def resolved(self) -> tuple[Bools, Bools]:
        """(resolved after each row, rows that resolve or close)."""
        is_resolve = self.is_(EventKind.RESOLVED) | self.is_(EventKind.CLOSED)
        return carry(is_resolve | self.is_(EventKind.REOPENED), is_resolve, self.first), is_resolve


def arrange(columns: EventColumns, now_us: int, tickets: int | None, *, priorities: bool = True) -> Rows:
    """The rows up to `now_us`, sorted by (ticket, time) unless they already are (an O(n) check)."""
    g_all = np.asarray(columns.ticket, dtype=np.int64)
    n = int(tickets if tickets is not None else (g_all.max() + 1 if g_all.size else 0))
    t_all = np.asarray(columns.at).astype("datetime64[us]", copy=False).view(np.int64)
    keep = t_all <= now_us
    everything = bool(keep.all())
    gk, tk = (g_all, t_all) if everything else (g_all[keep], t_all[keep])
    # Loaders deliver rows in (ticket, time) order already; one O(n) check saves the sort.
    in_order = gk.size < 2 or bool(
        np.all(gk[1:] >= gk[:-1]) and np.all((tk[1:] >= tk[:-1]) | (gk[1:] != gk[:-1]))
    )
    order = np.arange(0) if in_order else np.lexsort((np.arange(gk.size), tk, gk))

    def pick(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """Rows kept (up to now) in (ticket, time, given order) order, copying only when needed."""
        kept = values if everything else values[keep]
        return kept if in_order else kept[order]

    g, t = pick(g_all), pick(t_all)
    kind = pick(columns.kind_codes())
    status, status_values = columns.status_codes()
    prio: Codes | None = None
    prio_values: tuple[Any, ...] = ()
    if priorities:
        prio_all, prio_values = columns.priority_codes()
        prio = pick(np.asarray(prio_all))
    first, last = group_starts(g), group_ends(g)
    has = np.zeros(n, dtype=bool)
    has[g] = True
    created = first_per_group(kind == K[EventKind.CREATED], g, t, n)
    first_t = np.full(n, NAT, dtype=np.int64)
    first_t[g[first]] = t[first]
    created = np.where(created == NAT, first_t, created)
    t = np.maximum(t, created[g])  # an event stamped before creation happened at creation
    return Rows(
        n, g, t, kind, pick(np.asarray(status)), status_values, prio, prio_values, first, last, has, created
    )
