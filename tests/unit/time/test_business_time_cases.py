"""Named business-time cases (../shared/CLOCK_CASES.md) as a readable table."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from slaforge import BusinessCalendar

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
ALL_DAYS = (*WEEKDAYS, "sat", "sun")


def cal(tz: str = "Europe/Berlin", hours: str | list[str] = "09:00-17:00", days=WEEKDAYS, **extra):
    ivs = [hours] if isinstance(hours, str) else hours
    return BusinessCalendar.from_dict({"timezone": tz, "hours": dict.fromkeys(days, ivs), **extra})


def at(tz: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz))


B = "Europe/Berlin"
NY = "America/New_York"
PARIS = "Europe/Paris"

ELAPSED = [
    # (case, calendar, start, end, expected hours)
    ("1 Saturday ticket answered Monday 09:30", cal(), at(B, 2026, 3, 7, 11), at(B, 2026, 3, 9, 9, 30), 0.5),
    ("4 half-open intervals", cal(), at(B, 2026, 3, 9, 10), at(B, 2026, 3, 9, 11), 1.0),
    (
        "8 Paris 24/7 across spring change",
        cal(PARIS, "00:00-24:00", ALL_DAYS),
        at(PARIS, 2024, 3, 30, 23, 30),
        at(PARIS, 2024, 4, 1, 10),
        33.5,
    ),
    (
        "9 Paris 24/7 across autumn change",
        cal(PARIS, "00:00-24:00", ALL_DAYS),
        at(PARIS, 2024, 10, 26, 0, 30),
        at(PARIS, 2024, 10, 28, 10),
        58.5,
    ),
    (
        "26 Lord Howe 30-minute change",
        cal("Australia/Lord_Howe", "00:00-24:00", ALL_DAYS),
        at("Australia/Lord_Howe", 2026, 4, 4, 12),
        at("Australia/Lord_Howe", 2026, 4, 5, 12),
        24.5,
    ),
    (
        "27 night shift starting the spring-forward Saturday",
        cal(B, "22:00-06:00", ("sat",)),
        at(B, 2026, 3, 28, 12),
        at(B, 2026, 3, 29, 12),
        7.0,
    ),
    (
        "27 night shift starting the fall-back Saturday",
        cal(B, "22:00-06:00", ("sat",)),
        at(B, 2026, 10, 24, 12),
        at(B, 2026, 10, 25, 12),
        9.0,
    ),
    (
        "28 skipped spring hour never opens",
        cal(B, "01:30-03:30", ("sun",)),
        at(B, 2026, 3, 29, 0),
        at(B, 2026, 3, 29, 12),
        1.0,
    ),
    (
        "28 repeated autumn hour counts twice",
        cal(B, "01:30-03:30", ("sun",)),
        at(B, 2026, 10, 25, 0),
        at(B, 2026, 10, 25, 12),
        3.0,
    ),
    (
        "10 a holiday on the 23-hour date closes the whole local date",
        cal(B, "00:00-24:00", ALL_DAYS, holidays={"dates": ["2026-03-29"]}),
        at(B, 2026, 3, 28, 0),
        at(B, 2026, 3, 31, 0),
        48.0,
    ),
    (
        "10 a holiday on the 25-hour date closes the whole local date",
        cal(B, "00:00-24:00", ALL_DAYS, holidays={"dates": ["2026-10-25"]}),
        at(B, 2026, 10, 24, 0),
        at(B, 2026, 10, 27, 0),
        48.0,
    ),
    ("end before start is zero", cal(), at(B, 2026, 3, 9, 11), at(B, 2026, 3, 9, 10), 0.0),
]


@pytest.mark.parametrize(("case", "calendar", "start", "end", "hours"), ELAPSED, ids=[c[0] for c in ELAPSED])
def test_elapsed_business_time(case, calendar, start, end, hours):
    assert calendar.business_seconds(start, end) == hours * 3600


DEADLINES = [
    # (case, calendar, start, seconds, expected local result)
    ("2 Friday 16:00 + 2 h is Monday 10:00", cal(), at(B, 2026, 3, 6, 16), 7200, at(B, 2026, 3, 9, 10)),
    (
        "3 Monday 16:00 + 1 h is Monday 17:00, not Tuesday 09:00",
        cal(),
        at(B, 2026, 3, 9, 16),
        3600,
        at(B, 2026, 3, 9, 17),
    ),
    (
        "5 Berlin 24/7 + 24 h across spring change",
        cal(B, "00:00-24:00", ALL_DAYS),
        at(B, 2024, 3, 30, 12),
        86400,
        at(B, 2024, 3, 31, 13),
    ),
    (
        "6 New York 24/7 00:30 EDT + 2 h is 01:30 EST",
        cal(NY, "00:00-24:00", ALL_DAYS),
        at(NY, 2024, 11, 3, 0, 30),
        7200,
        datetime.fromisoformat("2024-11-03T06:30:00+00:00"),
    ),
    (
        "7 New York Friday 16:00 EST + 2 h is Monday 10:00 EDT",
        cal(NY),
        at(NY, 2024, 3, 8, 16),
        7200,
        datetime.fromisoformat("2024-03-11T14:00:00+00:00"),
    ),
    (
        "11 night shift: Wednesday 05:00 + 2 h is Wednesday 23:00",
        cal(B, "22:00-06:00"),
        at(B, 2026, 3, 11, 5),
        7200,
        at(B, 2026, 3, 11, 23),
    ),
    (
        "13 lunch break: 11:30 + 1 h is 13:30",
        cal(B, ["09:00-12:00", "13:00-17:00"]),
        at(B, 2026, 3, 9, 11, 30),
        3600,
        at(B, 2026, 3, 9, 13, 30),
    ),
    (
        "14 Christmas holiday: Tuesday 24 Dec 16:00 + 2 h is Thursday 10:00",
        cal(B, holidays={"dates": ["2024-12-25"]}),
        at(B, 2024, 12, 24, 16),
        7200,
        at(B, 2024, 12, 26, 10),
    ),
    (
        "22 a two-week closure and a 5-day target still computes",
        cal(B, overrides={f"2026-08-{d:02d}": [] for d in range(3, 17)}),
        at(B, 2026, 7, 31, 9),
        5 * 8 * 3600,
        at(B, 2026, 8, 20, 17),  # Friday 8 h, closed 3-16 Aug, then Monday to Thursday
    ),
    (
        "24 hours 08:00-18:00: Monday 17:00 + 4 h is Tuesday 11:00",
        cal(B, "08:00-18:00"),
        at(B, 2026, 3, 9, 17),
        4 * 3600,
        at(B, 2026, 3, 10, 11),
    ),
    (
        "24 the warning 1 h before is Tuesday 10:00, not midnight",
        cal(B, "08:00-18:00"),
        at(B, 2026, 3, 9, 17),
        3 * 3600,
        at(B, 2026, 3, 10, 10),
    ),
    (
        "zero seconds is the start itself, even when closed",
        cal(),
        at(B, 2026, 3, 7, 3),
        0,
        at(B, 2026, 3, 7, 3),
    ),
]


@pytest.mark.parametrize(
    ("case", "calendar", "start", "seconds", "expected"), DEADLINES, ids=[c[0] for c in DEADLINES]
)
def test_deadline(case, calendar, start, seconds, expected):
    due = calendar.add_business_seconds(start, seconds)
    assert due == expected
    assert calendar.business_seconds(start, due) == seconds


def test_night_shift_on_a_holiday_does_not_start_but_the_eve_shift_runs():
    # Case 12: the shift starting 24 Dec 22:00 runs; the one starting 25 Dec 22:00 does not.
    c = cal(B, "22:00-06:00", ALL_DAYS, holidays={"dates": ["2024-12-25"]})
    assert c.business_seconds(at(B, 2024, 12, 24, 12), at(B, 2024, 12, 25, 12)) == 8 * 3600
    assert c.business_seconds(at(B, 2024, 12, 25, 12), at(B, 2024, 12, 26, 12)) == 0
    assert c.is_open(at(B, 2024, 12, 25, 3))
    assert not c.is_open(at(B, 2024, 12, 25, 23))


def test_override_beats_a_country_holiday():
    c = cal(B, holidays={"country": "DE", "subdivision": "BY"}, overrides={"2026-12-25": ["10:00-12:00"]})
    assert c.business_seconds(at(B, 2026, 12, 25, 0), at(B, 2026, 12, 26, 0)) == 2 * 3600
    # 26 December is a German holiday and has no override: closed.
    assert c.business_seconds(at(B, 2026, 12, 28, 0), at(B, 2026, 12, 29, 0)) == 8 * 3600
    assert c.business_seconds(at(B, 2026, 1, 6, 0), at(B, 2026, 1, 7, 0)) == 0  # Epiphany in Bavaria


def test_overlapping_intervals_count_once():
    c = cal(B, ["09:00-13:00", "12:00-17:00"])
    assert c.business_seconds(at(B, 2026, 3, 9, 0), at(B, 2026, 3, 10, 0)) == 8 * 3600


def test_a_typical_business_day_is_stated_by_the_calendar():
    # Case 23: "1 business day" is the open time of one typical day of that calendar.
    assert cal(B, ["09:00-12:00", "13:00-17:00"]).typical_day_seconds() == 7 * 3600
    assert cal(B, "00:00-24:00", ALL_DAYS).typical_day_seconds() == 24 * 3600


def test_a_calendar_that_never_opens_again_refuses_a_deadline():
    from slaforge import CalendarError

    c = BusinessCalendar.from_dict(
        {"timezone": "UTC", "hours": {}, "overrides": {"2026-01-05": ["09:00-10:00"]}}
    )
    assert c.add_business_seconds(at("UTC", 2026, 1, 1), 1800) == at("UTC", 2026, 1, 5, 9, 30)
    with pytest.raises(CalendarError, match="never"):
        c.add_business_seconds(at("UTC", 2026, 1, 1), 7200)


def test_far_future_and_long_targets_need_no_horizon():
    c = cal("UTC", "09:00-17:00")
    start = at("UTC", 2026, 1, 5, 9)
    due = c.add_business_seconds(start, 8 * 3600 * 260 * 3)  # about three years of workdays
    assert c.business_seconds(start, due) == 8 * 3600 * 260 * 3
    assert 2028 <= due.year <= 2029


def test_dates_before_1970_count_like_any_other():
    # Merged intervals that end before the epoch (negative µs) keep their own ends.
    c = cal(NY, "09:00-17:00")
    assert c.business_seconds(at(NY, 1955, 9, 26, 0), at(NY, 1955, 9, 29, 12)) == (3 * 8 + 3) * 3600
    assert c.add_business_seconds(at(NY, 1935, 11, 15, 16), 2 * 3600) == at(NY, 1935, 11, 18, 10)
    starts = np.array(["1969-12-31T13:00", "1970-01-01T13:00"], dtype="datetime64[us]")
    assert c.business_seconds_many(starts, starts + np.timedelta64(1, "D")).tolist() == [28800.0, 28800.0]
