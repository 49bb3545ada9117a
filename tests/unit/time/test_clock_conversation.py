"""The history-wide measure of next response and periodic update agrees exactly with the one clock
engine: per ticket, the longest of `evaluate_cycles`' cycles, whether every cycle stopped, the
first cycle's start and the last one's stop — on random histories with ties, pauses, resolutions,
reopenings, events stamped before creation, a DST change and a holiday."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slaforge import BusinessCalendar
from slaforge.domain.errors import InvalidInput
from slaforge.domain.time.calendar.business import to_us
from slaforge.domain.time.clocks.conversation import measure_conversations
from slaforge.domain.time.clocks.evaluate import evaluate_cycles
from slaforge.domain.time.clocks.model import ClockObjective, EventKind, Metric, TicketEvent
from slaforge.domain.time.clocks.rows import NAT
from tests.clock_columns import columns_of

H = 3600
CALENDARS = [
    BusinessCalendar.from_dict(
        {
            "timezone": "Europe/Berlin",
            "hours": {d: ["09:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
            "holidays": {"dates": ["2026-03-27"]},
        }
    ),
    BusinessCalendar.from_dict(
        {
            "timezone": "UTC",
            "hours": {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        }
    ),
]
BASE = datetime(2026, 3, 23, 8, tzinfo=UTC)  # spans the European spring change on the 29th
STATUSES = ["open", "waiting", None]
# Replies most of the time: the cycles are made of them.
KINDS = (
    [EventKind.AGENT_REPLY] * 4
    + [EventKind.CUSTOMER_REPLY] * 4
    + [
        EventKind.STATUS_CHANGED,
        EventKind.RESOLVED,
        EventKind.REOPENED,
        EventKind.CLOSED,
        EventKind.INTERNAL_NOTE,
    ]
)


@st.composite
def ticket_events(draw: st.DrawFn) -> list[TicketEvent]:
    minute = draw(st.integers(0, 3 * 1440))
    events = []
    if draw(st.integers(0, 9)):
        events.append(
            TicketEvent(BASE + timedelta(minutes=minute), EventKind.CREATED, status="open", priority="P1")
        )
    for _ in range(draw(st.integers(0, 10))):
        minute += draw(st.sampled_from([0, 0, 1, 30, 90, 600, 2000]))  # ties are common
        early = draw(st.sampled_from([0, 0, 0, 0, 5000]))  # now and then stamped before creation
        events.append(
            TicketEvent(
                BASE + timedelta(minutes=minute - early),
                draw(st.sampled_from(KINDS)),
                status=draw(st.sampled_from(STATUSES)),
                priority="P1",
            )
        )
    return events


def _us(moment: datetime | None) -> int:
    return NAT if moment is None else to_us(moment)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    histories=st.lists(ticket_events(), min_size=1, max_size=10),
    calendar=st.sampled_from(CALENDARS),
    now_minute=st.integers(0, 14 * 1440),
    coded=st.booleans(),
)
def test_the_longest_cycle_equals_the_engines(
    histories: list[list[TicketEvent]], calendar: BusinessCalendar, now_minute: int, coded: bool
) -> None:
    pauses = frozenset({"waiting"})
    now = BASE + timedelta(minutes=now_minute)
    columns = columns_of(histories)
    measured = measure_conversations(
        columns.coded() if coded else columns,
        calendar,
        now=now,
        pause_statuses=pauses,
        tickets=len(histories),
    )
    for metric, m in measured.items():
        objective = ClockObjective(metric, {"P1": 2 * H}, pauses)
        for i, events in enumerate(histories):
            cycles = evaluate_cycles(events, objective, calendar, now=now)
            assert bool(m.measured[i]) == bool(cycles), (metric, i)
            if not cycles:
                continue
            worst = max(round(c.elapsed_seconds * 1_000_000) for c in cycles)
            assert m.elapsed_us[i] == worst, (metric, i)
            assert bool(m.stopped[i]) == all(c.stopped_at is not None for c in cycles), (metric, i)
            assert m.started_at[i] == _us(cycles[0].started_at)
            assert m.stopped_at[i] == (_us(cycles[-1].stopped_at) if m.stopped[i] else NAT)


def test_a_worked_ticket_gives_its_longest_wait_and_gap_by_hand() -> None:
    cal = CALENDARS[1]  # around the clock: business time is wall time
    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    events = [
        TicketEvent(t0, EventKind.CREATED, status="open", priority="P1"),
        TicketEvent(t0 + timedelta(minutes=20), EventKind.AGENT_REPLY),  # first response
        TicketEvent(t0 + timedelta(minutes=30), EventKind.CUSTOMER_REPLY),  # waits 50 min
        TicketEvent(t0 + timedelta(minutes=40), EventKind.CUSTOMER_REPLY),  # the same wait
        TicketEvent(t0 + timedelta(minutes=80), EventKind.AGENT_REPLY),
        TicketEvent(t0 + timedelta(minutes=90), EventKind.CUSTOMER_REPLY),  # waits 15 min
        TicketEvent(t0 + timedelta(minutes=95), EventKind.STATUS_CHANGED, status="waiting"),  # paused 60
        TicketEvent(t0 + timedelta(minutes=155), EventKind.STATUS_CHANGED, status="open"),
        TicketEvent(t0 + timedelta(minutes=165), EventKind.AGENT_REPLY),
        TicketEvent(t0 + timedelta(minutes=200), EventKind.RESOLVED),
    ]
    m = measure_conversations(
        columns_of([events]), cal, now=t0 + timedelta(days=1), pause_statuses=frozenset({"waiting"})
    )
    assert m[Metric.NEXT_RESPONSE].elapsed_us[0] == 50 * 60 * 1_000_000
    # Agent replies at 20, 80, 165 and the resolution at 200: gaps 60, 85 less the 60 paused, 35.
    assert m[Metric.PERIODIC_UPDATE].elapsed_us[0] == 60 * 60 * 1_000_000
    assert bool(m[Metric.NEXT_RESPONSE].stopped[0])
    assert np.array_equal(m[Metric.PERIODIC_UPDATE].stopped, [True])


def test_only_the_conversation_metrics_are_measured_here() -> None:
    with pytest.raises(InvalidInput) as info:
        measure_conversations(
            columns_of([[]]), CALENDARS[0], now=BASE, pause_statuses=frozenset(), metrics=[Metric.RESOLUTION]
        )
    assert info.value.field == "metric"
