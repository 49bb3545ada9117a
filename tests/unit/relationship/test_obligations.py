"""Customer obligations on a ticket, and an overdue one excusing the provider's clock."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from slaforge import BusinessCalendar
from slaforge.domain.relationship.obligation_terms import normalise_obligation
from slaforge.domain.relationship.obligations import excusals, obligation_instances
from slaforge.domain.time.clocks.evaluate import evaluate_clock
from slaforge.domain.time.clocks.model import (
    ClockObjective,
    ClockState,
    EventKind,
    Excusal,
    Metric,
    TicketEvent,
)

B = ZoneInfo("Europe/Berlin")
NY = ZoneInfo("America/New_York")
H = 3600
WEEK = ("mon", "tue", "wed", "thu", "fri")
PROVIDER = BusinessCalendar.from_dict(
    {"timezone": "Europe/Berlin", "hours": {d: ["09:00-17:00"] for d in WEEK}}
)
CUSTOMER = BusinessCalendar.from_dict(
    {"timezone": "America/New_York", "hours": {d: ["08:00-12:00"] for d in WEEK}}
)
WAIT = "Awaiting User Info"
OBLIGATION = normalise_obligation(
    {
        "key": "answer-information-requests",
        "name": "Answer the provider's information request",
        "due_seconds": 4 * H,
        "starts_on": {"status": WAIT},
        "stops_on": {"status": WAIT},
        "excuses_provider": True,
    },
    "o",
)
RESOLUTION = ClockObjective(Metric.RESOLUTION, {"*": 40 * H}, frozenset({"Awaiting Vendor"}))


def b(day: int, hour: int, minute: int = 0) -> datetime:
    """March 2026 in Berlin: Monday 2nd … Friday 6th, Monday 9th."""
    return datetime(2026, 3, day, hour, minute, tzinfo=B)


def status(at: datetime, name: str) -> TicketEvent:
    return TicketEvent(at=at, kind=EventKind.STATUS_CHANGED, status=name)


def created(at: datetime) -> TicketEvent:
    return TicketEvent(at=at, kind=EventKind.CREATED, status="New", priority="P3")


def test_an_instance_falls_due_in_the_customers_calendar_outside_the_providers_hours():
    # Asked Monday 10:00 Berlin (04:00 New York, before the customer opens at 08:00 = 14:00 Berlin):
    # 4 customer hours run 08:00-12:00 New York, due at 18:00 Berlin — after the provider closes.
    events = [created(b(2, 9)), status(b(2, 10), WAIT), status(b(4, 11), "Active")]
    (inst,) = obligation_instances(events, OBLIGATION, CUSTOMER, now=b(6, 12))
    assert inst.started_at == b(2, 10)
    assert inst.due_at == datetime(2026, 3, 2, 12, tzinfo=NY) == b(2, 18)
    assert inst.stopped_at == b(4, 11)
    assert inst.stopped_by == "stops_on"
    assert inst.overdue
    assert inst.overdue_span == (b(2, 18), b(4, 11))


def test_the_overdue_span_pauses_the_providers_clock_and_is_explained():
    events = [created(b(2, 9)), status(b(2, 10), WAIT), status(b(4, 11), "Active")]
    excused = excusals(obligation_instances(events, OBLIGATION, CUSTOMER, now=b(6, 12)))
    assert excused == [
        Excusal("obligation 'Answer the provider's information request' overdue", b(2, 18), b(4, 11))
    ]
    plain = evaluate_clock(events, RESOLUTION, PROVIDER, now=b(6, 12))
    clock = evaluate_clock(events, RESOLUTION, PROVIDER, now=b(6, 12), excused=excused)
    # Tuesday 09-17 (8 h) and Wednesday 09-11 (2 h) are excused; Monday 18:00 is already closed.
    ((label, start, end, secs),) = clock.excused
    assert (label, start, end, secs) == (excused[0].label, b(2, 18), b(4, 11), 10 * H)
    assert plain.elapsed_seconds - clock.elapsed_seconds == 10 * H
    assert (b(2, 18), b(4, 11)) in clock.paused


def test_an_obligation_still_overdue_now_keeps_the_clock_paused():
    events = [created(b(2, 9)), status(b(2, 10), WAIT)]
    (inst,) = obligation_instances(events, OBLIGATION, CUSTOMER, now=b(3, 12))
    assert inst.open
    assert inst.overdue_span == (b(2, 18), None)
    clock = evaluate_clock(events, RESOLUTION, PROVIDER, now=b(3, 12), excused=excusals([inst]))
    assert clock.state is ClockState.PAUSED
    assert clock.elapsed_seconds == 8 * H  # Monday 09:00-17:00; Tuesday morning excused
    assert clock.excused[0][3] == 3 * H


def test_an_obligation_that_does_not_excuse_changes_nothing():
    events = [created(b(2, 9)), status(b(2, 10), WAIT), status(b(4, 11), "Active")]
    mild = {**OBLIGATION, "excuses_provider": False}
    (inst,) = obligation_instances(events, mild, CUSTOMER, now=b(6, 12))
    assert inst.overdue
    assert excusals([inst]) == []


def test_an_obligation_may_start_several_times_and_a_customer_reply_fulfils_it():
    events = [
        created(b(2, 9)),
        status(b(2, 10), WAIT),
        TicketEvent(at=b(2, 11), kind=EventKind.CUSTOMER_REPLY),
        status(b(2, 12), "Active"),
        status(b(3, 9), WAIT),
        TicketEvent(at=b(5, 10), kind=EventKind.RESOLVED, status="Resolved"),
    ]
    first, second = obligation_instances(events, OBLIGATION, CUSTOMER, now=b(6, 12))
    assert (first.stopped_at, first.stopped_by, first.overdue) == (b(2, 11), "customer reply", False)
    assert (second.started_at, second.stopped_at, second.stopped_by) == (b(3, 9), b(5, 10), "resolved")
    assert second.due_at == b(3, 18)


def test_event_triggers():
    ob = {**OBLIGATION, "starts_on": {"event": "agent_reply"}, "stops_on": {"event": "customer_reply"}}
    events = [
        created(b(2, 9)),
        TicketEvent(at=b(2, 10), kind=EventKind.AGENT_REPLY),
        TicketEvent(at=b(2, 11), kind=EventKind.AGENT_REPLY),  # already owed: no second instance
        TicketEvent(at=b(3, 15), kind=EventKind.CUSTOMER_REPLY),
    ]
    (inst,) = obligation_instances(events, ob, CUSTOMER, now=datetime(2026, 3, 9, tzinfo=UTC))
    assert (inst.started_at, inst.stopped_at, inst.stopped_by) == (b(2, 10), b(3, 15), "stops_on")
    assert inst.overdue


def test_excusal_inside_a_pause_status_excuses_nothing_more():
    events = [
        created(b(2, 9)),
        status(b(2, 10), WAIT),
        status(b(3, 9), "Awaiting Vendor"),  # leaves WAIT: the obligation stops at once
        status(b(3, 12), "Active"),
    ]
    excused = [Excusal("x", b(3, 9), b(3, 12))]
    clock = evaluate_clock(events, RESOLUTION, PROVIDER, now=b(3, 13), excused=excused)
    assert clock.excused == (("x", b(3, 9), b(3, 12), 0.0),)
    assert clock.elapsed_seconds == 8 * H + 1 * H  # Monday 09-17, Tuesday 12-13
