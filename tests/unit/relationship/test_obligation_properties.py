"""Property test: obligations and the excused provider clock against a minute-by-minute reference.

The reference shares no code with slaforge's calendar or clocks: it walks wall time a minute at a
time (tests/unit/business_time_reference.py, zoneinfo directly), decides from the event list what
status the ticket is in and which obligation instances exist, and counts the provider's open,
unpaused, unexcused minutes. Provider and customer calendars differ (Berlin 09-17 and New York
08-12 by default, so an obligation often falls due after the provider has closed), pause statuses
and excused spans overlap, and the tickets live across both zones' DST changes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from slaforge import BusinessCalendar
from slaforge.domain.relationship.obligation_terms import normalise_obligation
from slaforge.domain.relationship.obligations import excusals, obligation_instances
from slaforge.domain.time.clocks.evaluate import evaluate_clock
from slaforge.domain.time.clocks.model import ClockObjective, EventKind, Excusal, Metric, TicketEvent
from tests.unit.business_time_reference import Reference

WEEK = ("mon", "tue", "wed", "thu", "fri")
PROVIDERS = [
    {"timezone": "Europe/Berlin", "hours": {d: ["09:00-17:00"] for d in WEEK}},
    {"timezone": "Europe/Berlin", "hours": {d: ["22:00-06:00"] for d in WEEK}},  # night shift
]
CUSTOMERS = [
    {"timezone": "America/New_York", "hours": {d: ["08:00-12:00"] for d in WEEK}},
    {"timezone": "America/New_York", "hours": {d: ["08:00-12:00", "13:00-17:00"] for d in WEEK}},
]
# Near New York's and Berlin's spring and autumn changes.
ANCHORS = [
    datetime(2024, 3, 8, tzinfo=UTC),
    datetime(2024, 3, 29, tzinfo=UTC),
    datetime(2024, 10, 25, tzinfo=UTC),
    datetime(2024, 11, 1, tzinfo=UTC),
]
WAIT, VENDOR, ACTIVE = "Awaiting User Info", "Awaiting Vendor", "Active"
MINUTE = timedelta(minutes=1)


@st.composite
def tickets(draw):
    anchor = draw(st.sampled_from(ANCHORS))
    t = anchor + timedelta(minutes=draw(st.integers(0, 2 * 1440)))
    events = [TicketEvent(at=t, kind=EventKind.CREATED, status=ACTIVE, priority="P3")]
    for _ in range(draw(st.integers(1, 6))):
        t += timedelta(minutes=draw(st.integers(1, 3000)))
        kind = draw(st.sampled_from(["status", "status", "status", "reply"]))
        if kind == "reply":
            events.append(TicketEvent(at=t, kind=EventKind.CUSTOMER_REPLY))
        else:
            name = draw(st.sampled_from([WAIT, WAIT, VENDOR, ACTIVE]))
            events.append(TicketEvent(at=t, kind=EventKind.STATUS_CHANGED, status=name))
    resolved = draw(st.booleans())
    if resolved:
        t += timedelta(minutes=draw(st.integers(1, 1800)))
        events.append(TicketEvent(at=t, kind=EventKind.RESOLVED, status="Resolved"))
    now = t + timedelta(minutes=draw(st.integers(0, 1440)))
    pauses = draw(st.sampled_from([frozenset({VENDOR}), frozenset({VENDOR, WAIT}), frozenset()]))
    due_minutes = draw(st.integers(1, 6 * 60))
    return {
        "events": events,
        "now": now,
        "pauses": pauses,
        "due": due_minutes * 60,
        "provider": draw(st.sampled_from(PROVIDERS)),
        "customer": draw(st.sampled_from(CUSTOMERS)),
    }


def reference_instances(events, customer: Reference, due: int, now: datetime):
    """(start, due, stop or None): entering WAIT opens one; leaving it, a reply or resolution ends it."""
    out, open_at, current = [], None, None
    for e in events:
        if e.at > now:
            break
        entered = e.status is not None and e.status != current
        left_wait = entered and current == WAIT
        if e.status is not None:
            current = e.status
        closed = False
        if open_at is not None and (left_wait or e.kind in (EventKind.CUSTOMER_REPLY, EventKind.RESOLVED)):
            out.append((open_at, e.at))
            open_at, closed = None, True
        if open_at is None and entered and e.status == WAIT and e.kind is not EventKind.RESOLVED:
            open_at = e.at
        del closed
    if open_at is not None:
        out.append((open_at, None))
    return [(a, customer.add(a, due, 60 * 24 * 60), b) for a, b in out]


def reference_clock(case, insts):
    """Resolution clock: (elapsed seconds, [excused seconds per overdue instance in start order])."""
    provider = Reference(case["provider"])
    events, now = case["events"], case["now"]
    created = events[0].at
    stop = next((e.at for e in events if e.kind is EventKind.RESOLVED and e.at <= now), now)
    overdue = []
    for _a, due, b in insts:
        end = b if b is not None else now
        if end > due:
            overdue.append((due, min(end, now)))
    overdue.sort()

    def status_at(m):
        current = None
        for e in events:
            if e.at > m:
                break
            if e.status is not None:
                current = e.status
        return current

    elapsed, excused = 0, [0] * len(overdue)
    m = created
    while m < stop:
        if provider.is_open(m) and status_at(m) not in case["pauses"]:
            hit = next((i for i, (a, b) in enumerate(overdue) if a <= m < b), None)
            if hit is None:
                elapsed += 60
            else:
                excused[hit] += 60
        m += MINUTE
    return elapsed, excused, overdue


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tickets())
def test_obligations_and_excused_clock_match_the_reference(case):
    definition = normalise_obligation(
        {
            "key": "info",
            "name": "Answer information requests",
            "due_seconds": case["due"],
            "starts_on": {"status": WAIT},
            "stops_on": {"status": WAIT},
            "excuses_provider": True,
        },
        "o",
    )
    customer = BusinessCalendar.from_dict(case["customer"])
    provider = BusinessCalendar.from_dict(case["provider"])
    now = case["now"]
    got = obligation_instances(case["events"], definition, customer, now=now)
    want = reference_instances(case["events"], Reference(case["customer"]), case["due"], now)
    assert [(i.started_at, i.due_at, i.stopped_at) for i in got] == want

    objective = ClockObjective(Metric.RESOLUTION, {"*": 10 * 3600}, case["pauses"])
    clock = evaluate_clock(case["events"], objective, provider, now=now, excused=excusals(got))
    elapsed, excused, overdue = reference_clock(case, want)
    assert clock.elapsed_seconds == elapsed
    # Overdue spans of one obligation never overlap, so each took what the reference counted.
    stop = clock.stopped_at or now
    shown = [(s, e, secs) for _, s, e, secs in clock.excused]
    expected = [(a, min(b, stop), x) for (a, b), x in zip(overdue, excused, strict=True) if a < min(b, stop)]
    assert shown == expected
    event("excused some business time" if any(x for *_, x in shown) else "excused none")
    outside = [i for i in got if i.overdue and provider.business_seconds(i.due_at, i.due_at + MINUTE) == 0]
    event("an obligation fell due outside the provider's hours" if outside else "none due outside")
    event("pause and excusal overlap" if WAIT in case["pauses"] and shown else "no overlap")


@st.composite
def excused_cases(draw):
    case = draw(tickets())
    created = case["events"][0].at
    spans = []
    for i in range(draw(st.integers(1, 3))):
        a = created + timedelta(minutes=draw(st.integers(-600, 4 * 1440)))
        end = None if draw(st.integers(0, 4)) == 0 else a + timedelta(minutes=draw(st.integers(0, 3 * 1440)))
        spans.append(Excusal(f"excusal {i}", a, end))
    return case, spans


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(excused_cases())
def test_arbitrary_excusals_overlapping_pauses_and_each_other(data):
    """Each excusal is credited with the open time it alone took off, in the order given."""
    case, spans = data
    provider = Reference(case["provider"])
    events, now = case["events"], case["now"]
    objective = ClockObjective(Metric.RESOLUTION, {"*": 10 * 3600}, case["pauses"])
    clock = evaluate_clock(
        events, objective, BusinessCalendar.from_dict(case["provider"]), now=now, excused=spans
    )
    created = events[0].at
    stop = next((e.at for e in events if e.kind is EventKind.RESOLVED and e.at <= now), now)
    bounds = [(s.start, min(s.end or now, now)) for s in spans]

    def status_at(m):
        current = None
        for e in events:
            if e.at > m:
                break
            if e.status is not None:
                current = e.status
        return current

    elapsed, took = 0, [0] * len(spans)
    m = created
    while m < stop:
        if provider.is_open(m) and status_at(m) not in case["pauses"]:
            hit = next((i for i, (a, b) in enumerate(bounds) if a <= m < b), None)
            if hit is None:
                elapsed += 60
            else:
                took[hit] += 60
        m += MINUTE
    assert clock.elapsed_seconds == elapsed
    shown = {label: secs for label, _, _, secs in clock.excused}
    for i, s in enumerate(spans):
        a, b = max(bounds[i][0], created), min(bounds[i][1], stop)
        if a < b:
            assert shown[s.label] == took[i]
        else:
            assert s.label not in shown
