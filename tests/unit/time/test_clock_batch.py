"""The vectorised clocks agree exactly with the per-ticket clock, on random histories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slaforge import BusinessCalendar
from slaforge.domain.errors import InvalidInput
from slaforge.domain.time.calendar.business import to_us
from slaforge.domain.time.clocks.batch import NAT, EventColumns, evaluate_batch
from slaforge.domain.time.clocks.evaluate import evaluate_clock
from slaforge.domain.time.clocks.measure import measure_batch
from slaforge.domain.time.clocks.model import ClockObjective, ClockState, EventKind, Metric, TicketEvent
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
        {"timezone": "America/New_York", "hours": {"mon": ["22:00-06:00"], "sat": ["00:00-24:00"]}}
    ),
]
BASE = datetime(2026, 3, 23, 8, tzinfo=UTC)  # spans the European spring change on the 29th
STATUSES = ["open", "waiting", "pending", None]
PRIORITIES = ["P1", "P2", "P3", "P9", None]
KINDS = list(EventKind)


@st.composite
def ticket_events(draw):
    events = []
    minute = draw(st.integers(0, 3 * 1440))
    if draw(st.integers(0, 9)):  # mostly a creation event first
        events.append(
            TicketEvent(
                BASE + timedelta(minutes=minute),
                EventKind.CREATED,
                status=draw(st.sampled_from(STATUSES)),
                priority=draw(st.sampled_from(PRIORITIES)),
            )
        )
    for _ in range(draw(st.integers(0, 8))):
        minute += draw(st.sampled_from([0, 1, 30, 90, 600, 2000]))
        kind = draw(st.sampled_from(KINDS))
        events.append(
            TicketEvent(
                BASE + timedelta(minutes=minute - draw(st.sampled_from([0, 0, 0, 5000]))),
                kind,
                status=draw(st.sampled_from(STATUSES)),
                priority=draw(st.sampled_from(PRIORITIES)),
            )
        )
    return events


def us_or_nat(moment):
    return NAT if moment is None else to_us(moment)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    histories=st.lists(ticket_events(), min_size=1, max_size=12),
    metric=st.sampled_from([Metric.FIRST_RESPONSE, Metric.RESOLUTION]),
    calendar=st.sampled_from(CALENDARS),
    now_minute=st.integers(0, 12 * 1440),
    warn_before=st.sampled_from([(), (H,), (H, 7 * H)]),
)
def test_batch_agrees_with_per_ticket_clock(histories, metric, calendar, now_minute, warn_before):
    objective = ClockObjective(
        metric,
        {"P1": 2 * H, "P2": 4 * H, "P3": 9 * H},
        frozenset({"waiting", "pending"}),
        warn_before=warn_before,
    )
    now = BASE + timedelta(minutes=now_minute)
    columns = columns_of(histories)
    batch = evaluate_batch(columns, objective, calendar, now=now, tickets=len(histories))
    for i, events in enumerate(histories):
        one = evaluate_clock(events, objective, calendar, now=now)
        assert batch.states()[i] is one.state, i
        assert batch.priority[i] == one.priority
        assert batch.elapsed_us[i] == round(one.elapsed_seconds * 1_000_000)
        assert batch.target_us[i] == (
            -1 if one.target_seconds is None else round(one.target_seconds * 1_000_000)
        )
        assert batch.started_at[i] == us_or_nat(one.started_at)
        assert batch.stopped_at[i] == us_or_nat(one.stopped_at)
        assert batch.due_at[i] == us_or_nat(one.due_at)
        assert bool(batch.breached[i]) == one.breached
        assert batch.breached_at[i] == us_or_nat(one.breached_at)
        assert [w for w in batch.warn_at[i] if w != NAT] == [to_us(w) for w in one.warn_at]


def test_batch_refuses_cycle_metrics_with_the_metric_named():
    cols = EventColumns(
        np.array([0]),
        np.array(["2026-03-02T09:00"], dtype="datetime64[us]"),
        np.array(["created"], dtype=object),
        np.array([None]),
        np.array(["P1"], dtype=object),
    )
    with pytest.raises(InvalidInput) as info:
        evaluate_batch(cols, ClockObjective(Metric.NEXT_RESPONSE, {"P1": H}), CALENDARS[0], now=BASE)
    assert info.value.field == "metric"


def test_kinds_given_as_codes_give_the_same_clocks_as_names():
    from slaforge.domain.time.clocks.batch import KIND_CODES

    rng = np.random.default_rng(11)
    n_rows = 2000
    kinds = list(EventKind)
    names = np.array([kinds[i].value for i in rng.integers(0, len(kinds), n_rows)], dtype=object)
    cols = {
        "ticket": np.sort(rng.integers(0, 300, n_rows)),
        "at": np.datetime64("2026-03-23T08:00", "us")
        + rng.integers(0, 10 * 86400, n_rows).astype("timedelta64[s]"),
        "status": np.array([["open", "waiting", None][i] for i in rng.integers(0, 3, n_rows)], dtype=object),
        "priority": np.array([["P1", "P3", None][i] for i in rng.integers(0, 3, n_rows)], dtype=object),
    }
    codes = np.array([KIND_CODES[EventKind(k)] for k in names], dtype=np.int8)
    objective = ClockObjective(Metric.RESOLUTION, {"P1": 2 * H, "P3": 9 * H}, frozenset({"waiting"}))
    now = BASE + timedelta(days=12)
    a = evaluate_batch(EventColumns(kind=names, **cols), objective, CALENDARS[0], now=now)
    b = evaluate_batch(EventColumns(kind=codes, **cols), objective, CALENDARS[0], now=now)
    for field in (
        "state",
        "target_us",
        "elapsed_us",
        "started_at",
        "stopped_at",
        "due_at",
        "warn_at",
        "breached_at",
    ):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field
    assert a.breached.any()


def _columns(histories, *, coded):
    columns = columns_of(histories)
    return columns.coded() if coded else columns


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    histories=st.lists(ticket_events(), min_size=1, max_size=12),
    calendar=st.sampled_from(CALENDARS),
    now_minute=st.integers(0, 12 * 1440),
    coded=st.booleans(),
)
def test_measuring_agrees_with_the_per_ticket_clock(histories, calendar, now_minute, coded):
    pauses = frozenset({"waiting", "pending"})
    now = BASE + timedelta(minutes=now_minute)
    measured = measure_batch(
        _columns(histories, coded=coded), calendar, now=now, pause_statuses=pauses, tickets=len(histories)
    )
    assert list(measured) == [Metric.FIRST_RESPONSE, Metric.RESOLUTION]
    for metric, m in measured.items():
        objective = ClockObjective(metric, {"P1": 2 * H}, pauses)
        for i, events in enumerate(histories):
            one = evaluate_clock(events, objective, calendar, now=now)
            assert m.elapsed_us[i] == round(one.elapsed_seconds * 1_000_000), (metric, i)
            assert m.started_at[i] == us_or_nat(one.started_at)
            assert m.stopped_at[i] == us_or_nat(one.stopped_at)
            assert bool(m.stopped[i]) == (one.state is ClockState.STOPPED)
            assert bool(m.measured[i]) == (one.state is not ClockState.NOT_STARTED)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    histories=st.lists(ticket_events(), min_size=1, max_size=12),
    metric=st.sampled_from([Metric.FIRST_RESPONSE, Metric.RESOLUTION]),
    now_minute=st.integers(0, 12 * 1440),
)
def test_coded_columns_give_the_same_clocks_as_values(histories, metric, now_minute):
    objective = ClockObjective(metric, {"P1": 2 * H, "P3": 9 * H, "*": 5 * H}, frozenset({"waiting"}))
    now = BASE + timedelta(minutes=now_minute)
    a, b = (
        evaluate_batch(_columns(histories, coded=c), objective, CALENDARS[0], now=now, tickets=len(histories))
        for c in (False, True)
    )
    for field in ("state", "target_us", "elapsed_us", "started_at", "stopped_at", "due_at", "warn_at"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field
    assert a.priority.tolist() == b.priority.tolist()


def test_columns_encode_and_decode_statuses_and_priorities():
    cols = EventColumns(
        np.array([0, 0, 1]),
        np.array(["2026-03-02T09:00"] * 3, dtype="datetime64[us]"),
        np.array(["created", "status_changed", "bogus"], dtype=object),
        np.array(["open", None, "waiting"], dtype=object),
        np.array([None, "P1", "P1"], dtype=object),
    )
    coded = cols.coded()
    assert coded.kind.dtype == np.int8
    assert coded.kind.tolist()[2] == -1
    assert coded.status_values == ("open", "waiting")
    assert coded.status.tolist() == [0, -1, 1]
    assert coded.priority_values == ("P1",)
    assert coded.priority.tolist() == [-1, 0, 0]
    assert coded.statuses().tolist() == ["open", None, "waiting"]
    assert coded.priorities().tolist() == [None, "P1", "P1"]
    assert coded.kinds().tolist() == ["created", "status_changed", None]
    assert coded.distinct_statuses() == cols.distinct_statuses() == {"open", "waiting"}
    assert coded.is_kind(EventKind.CREATED).tolist() == cols.is_kind(EventKind.CREATED).tolist()
    assert coded.coded() is coded
    part = coded.take(slice(2, 3), ticket_offset=1)
    assert part.ticket.tolist() == [0]
    assert part.statuses().tolist() == ["waiting"]
    with pytest.raises(InvalidInput):
        EventColumns(cols.ticket, cols.at, cols.kind, cols.status, cols.priority, status_values=("open",))


def test_measuring_refuses_cycle_metrics():
    cols = _columns([[TicketEvent(BASE, EventKind.CREATED)]], coded=True)
    with pytest.raises(InvalidInput) as info:
        measure_batch(
            cols, CALENDARS[0], now=BASE, pause_statuses=frozenset(), metrics=[Metric.NEXT_RESPONSE]
        )
    assert info.value.field == "metric"
    only = measure_batch(
        cols, CALENDARS[0], now=BASE, pause_statuses=frozenset(), metrics=[Metric.RESOLUTION]
    )
    assert list(only) == [Metric.RESOLUTION]
    assert only[Metric.RESOLUTION].measured.tolist() == [True]
