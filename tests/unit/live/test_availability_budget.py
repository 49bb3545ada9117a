"""The live availability budget against a minute-by-minute reference: outages on a minute grid
(planned ones among them, overlapping, one perhaps still going on), the month's downtime, whether
and when it breached, and when each ladder step fell due — exactly, in microseconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from slaforge.domain.live.availability import (
    AvailabilityObjective,
    Outage,
    allowed_us,
    month_budget,
    month_of,
)
from slaforge.domain.live.plan import BREACH, Step

NOV = datetime(2026, 11, 1, tzinfo=UTC)
MIN = timedelta(minutes=1)
LADDER = (Step(0.5, "desk@provider.test", "email", "look", 900), Step(0.9, "lead", "email", "call", 600))


def _objective(target: float) -> AvailabilityObjective:
    return AvailabilityObjective(2, "Availability of Managed e-mail", "Managed e-mail", target, LADDER)


def test_a_november_at_99_9_allows_43_minutes_12_seconds_and_breaches_when_they_are_gone() -> None:
    outages = [
        Outage(NOV + timedelta(days=3), NOV + timedelta(days=3, minutes=30)),
        Outage(NOV + timedelta(days=3, minutes=20), NOV + timedelta(days=3, minutes=40)),  # overlaps
        Outage(NOV + timedelta(days=4), NOV + timedelta(days=4, hours=2), planned=True),  # maintenance
        Outage(NOV + timedelta(days=9), None),  # going on
    ]
    b = month_budget(outages, _objective(99.9), now=NOV + timedelta(days=9, minutes=5))
    assert b.allowed_seconds == 2592.0  # 0.1 % of 30 days
    assert b.down_seconds == 45 * 60  # 40 + 5 minutes
    assert b.breached
    assert b.breached_at == NOV + timedelta(days=9, minutes=3, seconds=12)  # 40 min + 3 min 12 s
    assert b.ongoing
    assert [(s.step, s.happened) for s in b.steps] == [(0, True), (1, True), (BREACH, True)]
    assert b.steps[0].at == NOV + timedelta(days=3, minutes=21, seconds=36)  # half: 21 min 36 s


def test_downtime_of_exactly_the_allowance_meets_the_target_and_the_next_minute_breaches() -> None:
    exact = Outage(NOV + timedelta(days=1), NOV + timedelta(days=1, minutes=432))  # 1 % of 30 days
    met = month_budget([exact], _objective(99.0), now=NOV + timedelta(days=20))
    assert (met.down_seconds, met.allowed_seconds, met.breached) == (25920.0, 25920.0, False)
    assert [s.step for s in met.steps] == [0, 1]  # no breach step: nothing beyond the allowance
    later = Outage(NOV + timedelta(days=5), NOV + timedelta(days=5, minutes=1))
    over = month_budget([exact, later], _objective(99.0), now=NOV + timedelta(days=20))
    assert over.breached
    assert over.breached_at == NOV + timedelta(days=5)  # the allowance was gone: the next instant down


def test_an_outage_going_on_projects_the_breach_from_now() -> None:
    b = month_budget(
        [Outage(NOV + timedelta(days=9), None)], _objective(99.9), now=NOV + timedelta(days=9, minutes=10)
    )
    assert not b.breached
    breach = b.steps[-1]
    assert (breach.step, breach.happened) == (BREACH, False)
    assert breach.at == NOV + timedelta(days=9, seconds=2592)


def _reference(
    outages: list[tuple[int, int | None, bool]], target: float, now_min: int, month_minutes: int
) -> tuple[int, bool, list[tuple[int, int, bool]]]:
    """Downtime (µs), breached, and (step, instant µs from the month start, happened) by minutes."""
    down = np.zeros(month_minutes, dtype=bool)
    upto = min(now_min, month_minutes)
    for start, end, planned in outages:
        if not planned:
            down[start : min(upto, end if end is not None else upto)] = True
    total = int(down[:upto].sum()) * 60_000_000
    allowed = allowed_us(month_minutes * 60_000_000, target)
    going = upto < month_minutes and any(
        not p and s <= upto and (e is None or e > upto) for s, e, p in outages
    )

    def instant(level: int) -> tuple[int, bool] | None:
        acc = 0
        for m in np.flatnonzero(down[:upto]):
            if acc + 60_000_000 > level:
                return int(m) * 60_000_000 + level - acc, True
            acc += 60_000_000
        if going:
            at = upto * 60_000_000 + level - acc
            return (at, False) if at < month_minutes * 60_000_000 else None
        return None

    steps = []
    for i, share in enumerate((0.5, 0.9)):
        found = instant(round(allowed * share))
        if found is not None:
            steps.append((i, *found))
    found = instant(allowed)
    if found is not None:
        steps.append((BREACH, *found))
    return total, total > allowed, steps


outage = st.tuples(st.integers(0, 43_199), st.one_of(st.none(), st.integers(1, 600)), st.booleans()).map(
    lambda t: (t[0], None if t[1] is None else t[0] + t[1], t[2])
)


@settings(max_examples=150, deadline=None)
@given(
    outages=st.lists(outage, max_size=6),
    target=st.sampled_from([99.0, 99.5, 99.9, 99.95, 99.99, 100.0, 95.0]),
    now_min=st.integers(0, 43_300),
)
def test_the_budget_equals_the_minute_by_minute_reference(
    outages: list[tuple[int, int | None, bool]], target: float, now_min: int
) -> None:
    start, end = month_of(NOV)
    month_minutes = int((end - start) / MIN)
    rows = [Outage(NOV + s * MIN, None if e is None else NOV + e * MIN, p) for s, e, p in outages]
    b = month_budget(rows, _objective(target), now=NOV + now_min * MIN, month=NOV)
    down, breached, steps = _reference(outages, target, now_min, month_minutes)
    assert round(b.down_seconds * 1_000_000) == down
    assert b.breached is breached
    got = [(s.step, round((s.at - NOV) / timedelta(microseconds=1)), s.happened) for s in b.steps]
    assert got == steps


def test_the_month_is_the_agreements_own_and_its_length_counts_the_dst_hour() -> None:
    berlin = AvailabilityObjective(2, "Availability", "Mail", 99.9, (), "Europe/Berlin")
    # 31 October 23:30 UTC is 1 November 00:30 in Berlin: November's downtime there, October's in UTC.
    outage = [Outage(datetime(2026, 10, 31, 23, 30, tzinfo=UTC), datetime(2026, 11, 1, 0, 30, tzinfo=UTC))]
    at = datetime(2026, 11, 20, tzinfo=UTC)
    assert month_budget(outage, berlin, now=at).down_seconds == 3600.0
    assert month_budget(outage, _objective(99.9), now=at).down_seconds == 1800.0  # UTC: from 00:00
    start, end = month_of(datetime(2026, 10, 15, tzinfo=UTC), "Europe/Berlin")
    assert (start, end) == (datetime(2026, 9, 30, 22, tzinfo=UTC), datetime(2026, 10, 31, 23, tzinfo=UTC))
    october = month_budget([], berlin, now=at, month=datetime(2026, 10, 15, tzinfo=UTC))
    assert october.month_seconds == (31 * 24 + 1) * 3600  # the clocks went back an hour on the 25th
