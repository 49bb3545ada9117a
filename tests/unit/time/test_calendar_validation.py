"""Bad calendar input names the field and the value."""

from __future__ import annotations

from datetime import datetime

import pytest

from slaforge import BusinessCalendar, CalendarError

GOOD = {"timezone": "Europe/Berlin", "hours": {"mon": ["09:00-17:00"]}}

BAD = [
    ({"timezone": "Mars/Olympus", "hours": {}}, "timezone", "Mars/Olympus"),
    ({"hours": {}}, "timezone", None),
    ({**GOOD, "hours": {"mon": ["25:00-26:00"]}}, "hours.mon[0]", "25:00-26:00"),
    ({**GOOD, "hours": {"mon": ["9-17"]}}, "hours.mon[0]", "9-17"),
    ({**GOOD, "hours": {"mon": ["09:00-24:30"]}}, "hours.mon[0]", "09:00-24:30"),
    ({**GOOD, "hours": {"funday": ["09:00-17:00"]}}, "hours.funday", "funday"),
    ({**GOOD, "holidays": {"country": "XX"}}, "holidays.country", "XX"),
    ({**GOOD, "holidays": {"country": "DE", "subdivision": "ZZ"}}, "holidays.subdivision", "ZZ"),
    ({**GOOD, "holidays": {"dates": ["2026-02-30"]}}, "holidays.dates[0]", "2026-02-30"),
    ({**GOOD, "overrides": {"someday": []}}, "overrides.someday", "someday"),
    ({**GOOD, "colour": "blue"}, "colour", "blue"),
]


@pytest.mark.parametrize(("data", "field", "value"), BAD, ids=[b[1] for b in BAD])
def test_bad_calendar_input_names_field_and_value(data, field, value):
    with pytest.raises(CalendarError) as info:
        BusinessCalendar.from_dict(data)
    assert info.value.field == field
    assert info.value.value == value
    assert field in str(info.value)


def test_a_naive_datetime_is_refused_with_the_argument_named():
    cal = BusinessCalendar.from_dict(GOOD)
    with pytest.raises(CalendarError, match="no time zone") as info:
        cal.business_seconds(datetime(2026, 3, 9, 9), datetime(2026, 3, 9, 10))
    assert info.value.field == "start"


def test_a_calendar_round_trips_through_its_plain_form():
    data = {
        "timezone": "Europe/Berlin",
        "hours": {"mon": ["08:00-12:00", "13:00-18:00"], "tue": ["22:00-06:00"], "fri": ["09:00-24:00"]},
        "holidays": {"country": "DE", "subdivision": "BY", "dates": ["2026-12-24"]},
        "overrides": {"2026-12-30": [], "2026-12-31": ["08:00-12:00"]},
    }
    cal = BusinessCalendar.from_dict(data)
    assert cal.to_dict() == data
    assert BusinessCalendar.from_dict(cal.to_dict()).spec == cal.spec
