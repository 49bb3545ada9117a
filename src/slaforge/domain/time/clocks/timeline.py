"""A ticket's history read as spans: when it was paused, resolved, and which priority held.

Shared by the per-ticket clock; all instants are int64 microseconds since the epoch (UTC).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from slaforge.domain.time.calendar.business import to_us
from slaforge.domain.time.clocks.model import EventKind, TicketEvent

USpan = tuple[int, int]


@dataclass(slots=True)
class Timeline:
    created: int
    now: int
    pauses: list[USpan] = field(default_factory=list)  # in a pause status
    resolved: list[USpan] = field(default_factory=list)  # resolved or closed, until reopened
    priorities: list[tuple[int, str | None]] = field(default_factory=list)  # (from, priority)
    replies: list[tuple[int, EventKind]] = field(default_factory=list)  # agent and customer, in order
    final_stop: int | None = None  # resolved or closed and not reopened since
    paused_now: bool = False


def ordered(events: Sequence[TicketEvent], now: datetime) -> list[tuple[int, TicketEvent]]:
    """Events up to `now` in time order (ties keep their given order), each with its µs time."""
    now_us = to_us(now, "now")
    timed = [(to_us(e.at, "at"), i, e) for i, e in enumerate(events)]
    timed.sort(key=lambda x: (x[0], x[1]))
    return [(t, e) for t, _, e in timed if t <= now_us]


def build_timeline(
    events: Sequence[TicketEvent], pause_statuses: frozenset[str], now: datetime
) -> Timeline | None:
    """None when the ticket does not exist yet at `now`."""
    evs = ordered(events, now)
    if not evs:
        return None
    created = next((t for t, e in evs if e.kind is EventKind.CREATED), evs[0][0])
    tl = Timeline(created=created, now=to_us(now, "now"))
    paused_since: int | None = None
    resolved_since: int | None = None
    for raw_t, ev in evs:
        t = max(raw_t, created)  # an event stamped before creation happened at creation
        if ev.status is not None and ev.kind in (EventKind.CREATED, EventKind.STATUS_CHANGED):
            in_pause = ev.status in pause_statuses
            if in_pause and paused_since is None:
                paused_since = t
            elif not in_pause and paused_since is not None:
                tl.pauses.append((paused_since, t))
                paused_since = None
        if ev.kind is EventKind.CREATED or ev.kind is EventKind.PRIORITY_CHANGED:
            if ev.priority is not None or ev.kind is EventKind.CREATED:
                tl.priorities.append((t, ev.priority))
        elif ev.kind in (EventKind.AGENT_REPLY, EventKind.CUSTOMER_REPLY):
            tl.replies.append((t, ev.kind))
        elif ev.kind in (EventKind.RESOLVED, EventKind.CLOSED):
            if resolved_since is None:
                resolved_since = t
        elif ev.kind is EventKind.REOPENED and resolved_since is not None:
            tl.resolved.append((resolved_since, t))
            resolved_since = None
    if paused_since is not None:
        tl.pauses.append((paused_since, tl.now))
        tl.paused_now = True
    if resolved_since is not None:
        tl.resolved.append((resolved_since, tl.now))
        tl.final_stop = resolved_since
    if not tl.priorities:
        tl.priorities.append((created, None))
    return tl


def priority_at(tl: Timeline, t: int) -> str | None:
    """The priority in force at instant t (the last change at or before t); None before any."""
    current: str | None = None
    for since, prio in tl.priorities:
        if since <= t:
            current = prio
        else:
            break
    return current


def subtract(span: USpan, holes: Sequence[USpan]) -> list[USpan]:
    """Parts of `span` outside every hole."""
    parts = [span]
    for h0, h1 in holes:
        nxt = []
        for a, b in parts:
            if h1 <= a or h0 >= b:
                nxt.append((a, b))
                continue
            if a < h0:
                nxt.append((a, h0))
            if h1 < b:
                nxt.append((h1, b))
        parts = nxt
    return [(a, b) for a, b in parts if a < b]


def clip(spans: Sequence[USpan], lo: int, hi: int) -> list[USpan]:
    return [(max(a, lo), min(b, hi)) for a, b in spans if min(b, hi) > max(a, lo)]


def union(spans: Sequence[USpan]) -> list[USpan]:
    """Overlapping or touching spans joined, in order (a pause that runs into a resolution is one)."""
    out: list[USpan] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
