"""Named clock cases (../shared/CLOCK_CASES.md 15–21, 24) for the per-ticket clock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from slaforge import BusinessCalendar
from slaforge.domain.time.clocks.evaluate import evaluate_clock, evaluate_cycles
from slaforge.domain.time.clocks.model import ClockObjective, ClockState, EventKind, Metric, TicketEvent

B = ZoneInfo("Europe/Berlin")
H = 3600
CAL = BusinessCalendar.from_dict(
    {"timezone": "Europe/Berlin", "hours": {d: ["09:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}}
)
PAUSES = frozenset({"waiting on customer"})


def t(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2026 (Monday the 2nd, Friday the 6th, Monday the 9th)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=B)


def ev(kind: EventKind, at: datetime, **kw: str) -> TicketEvent:
    return TicketEvent(at=at, kind=kind, **kw)


def created(at: datetime, priority: str = "P3", status: str = "open") -> TicketEvent:
    return ev(EventKind.CREATED, at, priority=priority, status=status)


def objective(metric: Metric, **targets: float) -> ClockObjective:
    return ClockObjective(metric=metric, targets=targets, pause_statuses=PAUSES)


RESOLUTION = objective(Metric.RESOLUTION, P1=2 * H, P3=8 * H)
RESPONSE = objective(Metric.FIRST_RESPONSE, P1=1 * H, P3=4 * H)


def test_ticket_on_saturday_answered_monday_0930_took_30_minutes():
    events = [created(t(7, 11)), ev(EventKind.AGENT_REPLY, t(9, 9, 30))]
    clock = evaluate_clock(events, RESPONSE, CAL, now=t(10, 12))
    assert clock.state is ClockState.STOPPED
    assert clock.elapsed_seconds == 1800
    assert not clock.breached
    assert clock.due_at == t(9, 13)


def test_a_weekend_pause_moves_the_deadline_by_business_hours_only():
    # Case 15: paused Friday 16:00 to Monday 10:00 moves the deadline by 2 business hours, not 66 h.
    events = [
        created(t(6, 9)),
        ev(EventKind.STATUS_CHANGED, t(6, 16), status="waiting on customer"),
        ev(EventKind.STATUS_CHANGED, t(9, 10), status="open"),
    ]
    clock = evaluate_clock(events, RESOLUTION, CAL, now=t(9, 10, 30))
    assert clock.elapsed_seconds == 7 * H + 1800
    assert clock.due_at == t(9, 11)  # 8 h target: Fri 09–16 (7 h), then Monday 10–11
    assert clock.paused == ((t(6, 16), t(9, 10)),)
    assert clock.state is ClockState.RUNNING


def test_resolved_straight_from_a_pause_excludes_the_pause():
    # Case 16.
    events = [
        created(t(2, 9)),
        ev(EventKind.STATUS_CHANGED, t(2, 10), status="waiting on customer"),
        ev(EventKind.RESOLVED, t(2, 15)),
    ]
    clock = evaluate_clock(events, RESOLUTION, CAL, now=t(3, 9))
    assert clock.state is ClockState.STOPPED
    assert clock.elapsed_seconds == 1 * H
    assert clock.paused == ((t(2, 10), t(2, 15)),)
    assert clock.stopped_at == t(2, 15)


def test_priority_change_while_paused_retargets_from_the_start_and_keeps_the_pause():
    # Case 17: P3 (8 h) → P1 (2 h) during a pause; the pause still counts as paused.
    events = [
        created(t(2, 9)),
        ev(EventKind.STATUS_CHANGED, t(2, 10), status="waiting on customer"),
        ev(EventKind.PRIORITY_CHANGED, t(2, 12), priority="P1"),
        ev(EventKind.STATUS_CHANGED, t(2, 14), status="open"),
    ]
    clock = evaluate_clock(events, RESOLUTION, CAL, now=t(2, 14, 30))
    assert clock.priority == "P1"
    assert clock.target_seconds == 2 * H
    assert clock.elapsed_seconds == 1.5 * H
    assert clock.due_at == t(2, 15)
    assert not clock.breached


def test_a_stricter_target_already_exceeded_breaches_when_it_takes_effect():
    events = [created(t(2, 9)), ev(EventKind.PRIORITY_CHANGED, t(2, 13), priority="P1")]
    clock = evaluate_clock(events, RESOLUTION, CAL, now=t(2, 14))
    assert clock.breached
    assert clock.breached_at == t(2, 13)
    assert clock.due_at == t(2, 11)


def test_a_breach_stays_recorded_when_priority_is_relaxed_afterwards():
    # Case 18 (and its mirror): breached under P1 at 11:00; lowering to P3 does not erase it.
    events = [
        created(t(2, 9), priority="P1"),
        ev(EventKind.PRIORITY_CHANGED, t(2, 12), priority="P3"),
    ]
    clock = evaluate_clock(events, RESOLUTION, CAL, now=t(2, 13))
    assert clock.breached
    assert clock.breached_at == t(2, 11)
    assert clock.target_seconds == 8 * H
    assert clock.due_at == t(2, 17)


def test_a_reopened_ticket_resumes_with_the_elapsed_time_it_had():
    # Case 19.
    events = [
        created(t(2, 9)),
        ev(EventKind.RESOLVED, t(2, 12)),
        ev(EventKind.REOPENED, t(3, 9)),
    ]
    clock = evaluate_clock(events, RESOLUTION, CAL, now=t(3, 10))
    assert clock.state is ClockState.RUNNING
    assert clock.elapsed_seconds == 4 * H
    assert clock.due_at == t(3, 14)
    while_resolved = evaluate_clock(events, RESOLUTION, CAL, now=t(2, 16))
    assert while_resolved.elapsed_seconds == 3 * H


def test_next_reply_starts_at_the_oldest_unanswered_customer_message():
    # Case 20: internal notes are not replies.
    nxt = objective(Metric.NEXT_RESPONSE, P3=2 * H)
    events = [
        created(t(2, 9)),
        ev(EventKind.AGENT_REPLY, t(2, 9, 30)),
        ev(EventKind.CUSTOMER_REPLY, t(2, 10)),
        ev(EventKind.CUSTOMER_REPLY, t(2, 11)),
        ev(EventKind.INTERNAL_NOTE, t(2, 11, 30)),
        ev(EventKind.AGENT_REPLY, t(2, 13)),
        ev(EventKind.CUSTOMER_REPLY, t(2, 14)),
    ]
    cycles = evaluate_cycles(events, nxt, CAL, now=t(2, 15))
    assert [(c.started_at, c.stopped_at) for c in cycles] == [(t(2, 10), t(2, 13)), (t(2, 14), None)]
    assert cycles[0].breached
    assert cycles[0].elapsed_seconds == 3 * H
    latest = evaluate_clock(events, nxt, CAL, now=t(2, 15))
    assert latest.state is ClockState.RUNNING
    assert latest.elapsed_seconds == 1 * H
    assert latest.breached
    assert latest.breached_at == t(2, 12)


def test_an_update_target_shorter_than_first_response_does_not_preempt_it():
    # Case 21: the update clock only starts at the first agent reply.
    update = objective(Metric.PERIODIC_UPDATE, P3=1 * H)
    events = [created(t(2, 9))]
    assert evaluate_cycles(events, update, CAL, now=t(2, 12)) == []
    assert evaluate_clock(events, update, CAL, now=t(2, 12)).state is ClockState.NOT_STARTED
    events.append(ev(EventKind.AGENT_REPLY, t(2, 12)))
    clock = evaluate_clock(events, update, CAL, now=t(2, 12, 30))
    assert clock.started_at == t(2, 12)
    assert clock.due_at == t(2, 13)


def test_warning_one_hour_before_lands_in_business_time():
    # Case 24: hours 08:00–18:00, 4 h target, ticket Monday 17:00: due Tue 11:00, warn Tue 10:00.
    cal = BusinessCalendar.from_dict(
        {"timezone": "Europe/Berlin", "hours": {d: ["08:00-18:00"] for d in ("mon", "tue")}}
    )
    obj = ClockObjective(Metric.FIRST_RESPONSE, {"P3": 4 * H}, warn_fractions=(), warn_before=(H,))
    clock = evaluate_clock([created(t(2, 17))], obj, cal, now=t(2, 17, 30))
    assert clock.due_at == t(3, 11)
    assert clock.warn_at == (t(3, 10),)


def test_default_warnings_at_75_and_90_percent():
    clock = evaluate_clock([created(t(2, 9))], RESOLUTION, CAL, now=t(2, 9, 30))
    assert clock.warn_at == (t(2, 15), t(2, 16, 12))


def test_paused_now_has_no_deadline_until_it_resumes():
    events = [created(t(2, 9)), ev(EventKind.STATUS_CHANGED, t(2, 10), status="waiting on customer")]
    clock = evaluate_clock(events, RESOLUTION, CAL, now=t(2, 12))
    assert clock.state is ClockState.PAUSED
    assert clock.due_at is None
    assert clock.elapsed_seconds == H
    assert clock.remaining_seconds == 7 * H


def test_first_response_stops_at_resolution_when_nobody_replied():
    events = [created(t(2, 9)), ev(EventKind.RESOLVED, t(2, 10))]
    clock = evaluate_clock(events, RESPONSE, CAL, now=t(2, 12))
    assert clock.state is ClockState.STOPPED
    assert clock.elapsed_seconds == H


def test_the_clock_explains_the_open_intervals_that_counted():
    events = [created(t(6, 16)), ev(EventKind.AGENT_REPLY, t(9, 10))]
    clock = evaluate_clock(events, RESPONSE, CAL, now=t(9, 11))
    assert clock.counted == ((t(6, 16), t(6, 17)), (t(9, 9), t(9, 10)))
    assert clock.elapsed_seconds == 2 * H


def test_an_unknown_priority_has_no_target_and_never_breaches():
    clock = evaluate_clock([created(t(2, 9), priority="P9")], RESPONSE, CAL, now=t(4, 9))
    assert clock.target_seconds is None
    assert not clock.breached
    assert clock.due_at is None


def test_a_default_target_applies_to_any_priority():
    obj = ClockObjective(Metric.FIRST_RESPONSE, {"*": H})
    clock = evaluate_clock([created(t(2, 9), priority="P9")], obj, CAL, now=t(2, 9, 30))
    assert clock.due_at == t(2, 10)


def test_a_naive_now_is_refused():
    from slaforge import CalendarError

    with pytest.raises(CalendarError, match="now"):
        evaluate_clock([created(t(2, 9))], RESPONSE, CAL, now=datetime(2026, 3, 2, 10))
