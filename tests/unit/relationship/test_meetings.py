"""Meeting series expanded in local wall time: 10:00 Berlin stays 10:00 across DST; RFC 5545
handling of skipped and repeated local times; moved and cancelled occurrences; which version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from slaforge.domain.errors import InvalidInput
from slaforge.domain.relationship.meetings import (
    Change,
    check_exception,
    occurrences,
    series_version,
)

MONTHLY = {
    "key": "monthly-review",
    "name": "Monthly service review",
    "rrule": "FREQ=MONTHLY;BYDAY=1TU",
    "start": "2027-01-05T10:00",
    "timezone": "Europe/Berlin",
    "duration_minutes": 60,
    "attendees": [],
    "location": "",
    "video": "",
}
YEAR = (datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))


def test_ten_o_clock_berlin_in_winter_and_summer() -> None:
    occ = occurrences(MONTHLY, *YEAR)
    assert len(occ) == 12
    assert {(o.start.hour, o.start.minute) for o in occ} == {(10, 0)}
    by_month = {o.start.month: o for o in occ}
    assert by_month[1].start.utcoffset() == timedelta(hours=1)
    assert by_month[7].start.utcoffset() == timedelta(hours=2)
    assert by_month[1].start.astimezone(UTC).hour == 9
    assert by_month[7].start.astimezone(UTC).hour == 8
    assert by_month[7].start.date().isoformat() == "2027-07-06"
    assert all(o.end - o.start == timedelta(hours=1) for o in occ)


def test_skipped_local_time_moves_forward_and_repeated_takes_the_first() -> None:
    nightly = dict(MONTHLY, rrule="FREQ=DAILY", start="2027-03-27T02:30")
    spring = occurrences(nightly, datetime(2027, 3, 27, tzinfo=UTC), datetime(2027, 3, 30, tzinfo=UTC))
    gap = next(o for o in spring if o.original_start.day == 28)
    # 02:30 does not exist on 28 March 2027 in Berlin: RFC 5545 shifts it by the gap to 03:30 CEST.
    assert (gap.start.hour, gap.start.minute, gap.start.utcoffset()) == (3, 30, timedelta(hours=2))
    assert gap.start.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    autumn = occurrences(nightly, datetime(2027, 10, 30, tzinfo=UTC), datetime(2027, 11, 1, tzinfo=UTC))
    twice = next(o for o in autumn if o.original_start.day == 31)
    # 02:30 happens twice on 31 October 2027: the first one (CEST, +02:00) is taken.
    assert twice.start.utcoffset() == timedelta(hours=2)
    assert twice.start.astimezone(UTC) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_moved_and_cancelled_occurrences() -> None:
    march = check_exception(MONTHLY, "2027-03-02T10:00", "2027-03-04T14:00", cancelled=False)
    april = check_exception(MONTHLY, "2027-04-06T10:00", None, cancelled=True)
    occ = occurrences(MONTHLY, *YEAR, [march, april])
    assert len(occ) == 11
    moved = [o for o in occ if o.moved]
    assert [(o.start.day, o.start.hour, o.original_start.day) for o in moved] == [(4, 14, 2)]
    assert not any(o.start.month == 4 for o in occ)
    with_cancelled = occurrences(MONTHLY, *YEAR, [april], include_cancelled=True)
    assert [o.cancelled for o in with_cancelled if o.start.month == 4] == [True]


def test_a_move_into_the_window_counts_where_it_now_is() -> None:
    change = Change(datetime(2027, 2, 2, 10, 0), datetime(2027, 3, 10, 9, 0))
    window = (datetime(2027, 3, 5, tzinfo=UTC), datetime(2027, 3, 20, tzinfo=UTC))
    occ = occurrences(MONTHLY, *window, [change])
    assert [(o.start.day, o.moved) for o in occ] == [(10, True)]


def test_exception_must_name_a_real_occurrence() -> None:
    with pytest.raises(InvalidInput) as err:
        check_exception(MONTHLY, "2027-03-03T10:00", None, cancelled=True)
    assert err.value.field == "original_start"
    with pytest.raises(InvalidInput) as err:
        check_exception(MONTHLY, "2027-03-02T10:00", "soon", cancelled=False)
    assert err.value.field == "new_start"


def test_window_is_bounded_and_aware() -> None:
    with pytest.raises(InvalidInput):
        occurrences(MONTHLY, datetime(2027, 1, 1), datetime(2027, 2, 1))
    with pytest.raises(InvalidInput):
        occurrences(MONTHLY, datetime(2027, 1, 1, tzinfo=UTC), datetime(2037, 1, 1, tzinfo=UTC))


@dataclass
class V:
    number: int
    state: str


@pytest.mark.parametrize(
    ("versions", "expected"),
    [
        ([V(1, "active"), V(2, "offered"), V(3, "draft")], 1),
        ([V(1, "accepted"), V(2, "draft")], 1),
        ([V(1, "rejected"), V(2, "offered"), V(3, "offered"), V(4, "draft")], 3),
        ([V(1, "draft"), V(2, "withdrawn"), V(3, "draft")], 3),
        ([V(1, "withdrawn")], None),
        ([], None),
    ],
)
def test_which_version_holds_the_series(versions: list[V], expected: int | None) -> None:
    chosen = series_version(versions)
    assert (chosen.number if chosen else None) == expected
