"""The demo's live part: once the agreement is live, a short stream of one ticket's events
goes through the batch API's use case with an ingestion token, and the scheduler runs at the
moments a server would have run it, so the first-response clock warns the desk at 50 %, the duty
manager at 90 %, and breaches — each e-mail once, in the outbox folder.

The ticket is replayed on the last weekday morning before today, in the agreement's calendar, so
that its business hours have passed whatever day and hour the demo runs (a Saturday's clock would
not move); each event is delivered at the instant it happened, as a tracking system sends them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from slaforge.domain.platform.accounts import Principal
from slaforge.domain.time.clocks.model import Metric
from slaforge.services.live import firing, ingest, views
from slaforge.services.live.context import context_for
from slaforge.services.readiness import ingestion
from slaforge.services.relationship.obligations import find_ticket
from slaforge.services.unit_of_work import UnitOfWork

TICKET = "DEMO-LIVE-1"


@dataclass(frozen=True, slots=True)
class DemoLive:
    ticket_id: int
    external_id: str
    day: datetime  # the morning replayed (09:00 in the calendar's zone)
    clock: views.ClockView  # the first-response clock, as it stands after the stream


def _morning(now: datetime, zone: str) -> datetime:
    """09:00 on the last weekday before `now`'s date, in `zone`."""
    day = now.astimezone(ZoneInfo(zone)).date() - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return datetime.combine(day, time(9, 0), tzinfo=ZoneInfo(zone))


def run_demo_live(
    *, units: Callable[[], UnitOfWork], agreement_id: int, actor: Principal, now: datetime
) -> DemoLive | None:
    """None when the terms promise no first response (nothing to show warn and breach)."""
    uow = units()
    with uow:
        ctx = context_for(uow, agreement_id)
        assert ctx is not None, "the demo agreement is live before its stream is posted"
        zone = ctx.calendar.timezone
        first = next((o for o in ctx.objectives if o.clock.metric is Metric.FIRST_RESPONSE), None)
    if first is None:
        return None
    # The first priority the first-response objective names (its ticket is in that clause's scope).
    priority = next(iter(first.clock.targets))
    _, secret = ingestion.create_token(
        uow=units(), agreement_id=agreement_id, label="Demo event stream", actor=actor, now=now
    )
    opened = _morning(now, zone)
    ticket = {"external_id": TICKET, "priority": priority, "status": "New", "created_at": opened}

    def post(minutes: int, kind: str, status: str | None = None) -> None:
        at = opened + timedelta(minutes=minutes)
        key = f"created:{TICKET}" if kind == "created" else f"{TICKET}:{minutes}:{kind}"
        event = {
            "at": at,
            "kind": kind,
            "status": status,
            "priority": priority if kind == "created" else None,
            "dedupe_key": key,
        }
        ingest.deliver_batch(
            uow=units(), secret=secret, items=[{"ticket": ticket, "event": event}], system="api", now=at
        )

    def scheduler(at: datetime) -> None:
        firing.fire_due(units=units, now=at)

    post(0, "created", "New")
    tid = find_ticket(units(), TICKET)
    # The scheduler runs a minute after each instant the clock has something due (each ladder step,
    # then the breach), as a server's scheduler would within its interval.
    due = sorted({datetime.fromisoformat(s["at"]) for s in _first(units, tid, opened).explanation["steps"]})
    for at in due:
        scheduler(at + timedelta(minutes=1))
    answered = int((due[-1] - opened).total_seconds() // 60) + 20
    post(answered, "agent_reply")
    post(answered + 10, "status_changed", "In Progress")
    post(answered + 30, "resolved", "Resolved")
    return DemoLive(tid, TICKET, opened, _first(units, tid, now))


def _first(units: Callable[[], UnitOfWork], ticket_id: int, now: datetime) -> views.ClockView:
    clocks = views.ticket_clocks(uow=units(), ticket_id=ticket_id, now=now).clocks
    return next(c for c in clocks if c.metric == "first_response")
