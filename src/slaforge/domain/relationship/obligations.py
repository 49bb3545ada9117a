"""Customer obligations measured on a ticket: when each instance started, fell due, was fulfilled,
and the span it was overdue — which, when the term says so, excuses the provider.

An instance starts when its `starts_on` happens (the ticket enters the status, or an event of the
kind arrives) and no instance of the same obligation is open; it stops when its `stops_on`
happens (the ticket leaves the status, or an event of the kind arrives). Two things also end it,
because after them nothing is owed any more: a customer reply (the customer answered; this is
what the portal's "information sent" records) and the ticket's resolution or closure. Its due
time is `due_seconds` of business time in the customer's calendar from the start (DESIGN.md's
rule: the earliest instant with that much open time); it is overdue from then until it stopped,
or until `now` while it is open. One ticket may owe the same obligation several times.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from slaforge.domain.time.calendar.business import BusinessCalendar, from_us, to_us
from slaforge.domain.time.clocks.model import EventKind, Excusal, TicketEvent
from slaforge.domain.time.clocks.timeline import ordered

_ENDS = (EventKind.RESOLVED, EventKind.CLOSED)


@dataclass(frozen=True, slots=True)
class ObligationInstance:
    key: str
    name: str
    excuses_provider: bool
    started_at: datetime
    due_at: datetime
    stopped_at: datetime | None  # None: still owed at `now`
    stopped_by: str  # "stops_on", "customer reply", "resolved", or "" while open
    now: datetime

    @property
    def overdue(self) -> bool:
        """Overdue at `now` (still open past its due time) or fulfilled late."""
        end = self.stopped_at if self.stopped_at is not None else self.now
        return end > self.due_at

    @property
    def open(self) -> bool:
        return self.stopped_at is None

    @property
    def overdue_span(self) -> tuple[datetime, datetime | None] | None:
        """[due_at, fulfilled) when it was late; end None while it is still open and overdue."""
        if not self.overdue:
            return None
        return (self.due_at, self.stopped_at)

    def excusal(self) -> Excusal | None:
        span = self.overdue_span
        if span is None or not self.excuses_provider:
            return None
        return Excusal(label=f"obligation '{self.name}' overdue", start=span[0], end=span[1])


def _matches_start(trigger: Mapping[str, str], event: TicketEvent, entered: bool) -> bool:
    if "event" in trigger:
        return event.kind.value == trigger["event"]
    return entered and event.status == trigger["status"]


def _matches_stop(trigger: Mapping[str, str], event: TicketEvent, left: str | None) -> bool:
    if "event" in trigger:
        return event.kind.value == trigger["event"]
    return left == trigger["status"]


def obligation_instances(
    events: Sequence[TicketEvent],
    definition: Mapping[str, Any],
    calendar: BusinessCalendar,
    *,
    now: datetime,
) -> list[ObligationInstance]:
    """Every instance of one obligation (a normalised definition) on one ticket, as of `now`."""
    evs = ordered(events, now)
    starts, stops = definition["starts_on"], definition["stops_on"]
    status: str | None = None
    spans: list[tuple[int, int | None, str]] = []
    open_at: int | None = None
    for t, ev in evs:
        changed = ev.status is not None and ev.kind in (EventKind.CREATED, EventKind.STATUS_CHANGED)
        entered = changed and ev.status != status
        left = status if entered else None
        if changed:
            status = ev.status
        closed_now = False
        if open_at is not None:
            why = (
                "stops_on"
                if _matches_stop(stops, ev, left)
                else "customer reply"
                if ev.kind is EventKind.CUSTOMER_REPLY
                else "resolved"
                if ev.kind in _ENDS
                else ""
            )
            if why:
                spans.append((open_at, t, why))
                open_at, closed_now = None, True
        # The event that fulfils one instance does not open the next, unless it enters the
        # start's status (leaving one status for it is a new request).
        reopens = not closed_now or "status" in starts
        if open_at is None and reopens and _matches_start(starts, ev, entered) and ev.kind not in _ENDS:
            open_at = t
    if open_at is not None:
        spans.append((open_at, None, ""))
    if not spans:
        return []
    a = np.array([s for s, _, _ in spans], dtype=np.int64)
    due = calendar.add_us(a, np.full(a.size, round(float(definition["due_seconds"]) * 1_000_000)))
    return [
        ObligationInstance(
            key=definition["key"],
            name=definition["name"],
            excuses_provider=bool(definition["excuses_provider"]),
            started_at=from_us(s),
            due_at=from_us(int(d)),
            stopped_at=None if e is None else from_us(e),
            stopped_by=why,
            now=from_us(to_us(now, "now")),
        )
        for (s, e, why), d in zip(spans, due.tolist(), strict=True)
    ]


def excusals(instances: Sequence[ObligationInstance]) -> list[Excusal]:
    """The spans that excuse the provider: overdue instances of obligations whose term says so."""
    out = [x for i in instances if (x := i.excusal()) is not None]
    return sorted(out, key=lambda x: x.start)
