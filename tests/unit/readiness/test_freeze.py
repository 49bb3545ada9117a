"""What going live freezes, and the holidays a live calendar may still take (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from slaforge.domain.errors import InvalidInput
from slaforge.domain.readiness.freeze import check_new_holidays, frozen_form, with_holidays
from slaforge.domain.time.calendar.spec import CalendarSpec

OFFICE = {
    "timezone": "Europe/Berlin",
    "hours": {"mon": ["09:00-17:00"]},
    "holidays": {"country": "DE", "dates": ["2027-01-04"]},
}
TODAY = date(2026, 12, 5)


def test_the_frozen_form_binds_configuration_calendars_and_version_hash() -> None:
    text, sha = frozen_form(config={"objectives": []}, version_hash="abc", calendars={"Office": OFFICE})
    assert '"calendars":{"Office":{' in text
    other, other_sha = frozen_form(
        config={"objectives": []}, version_hash="abc", calendars={"Office": {**OFFICE, "timezone": "UTC"}}
    )
    assert (other != text, other_sha != sha) == (True, True)
    assert frozen_form(config={"objectives": []}, version_hash="abc", calendars={"Office": OFFICE})[1] == sha


def test_new_holidays_are_sorted_deduplicated_and_keep_the_first_name() -> None:
    days = [
        (date(2027, 12, 31), "New Year's Eve"),
        (date(2027, 12, 24), " Eve "),
        (date(2027, 12, 31), "again"),
    ]
    assert check_new_holidays(calendar=OFFICE, days=days, today=TODAY) == [
        (date(2027, 12, 24), "Eve"),
        (date(2027, 12, 31), "New Year's Eve"),
    ]


@pytest.mark.parametrize(
    ("days", "field"),
    [
        ([(TODAY, "")], "days[0]"),  # today is being measured already
        ([(date(2027, 1, 1), ""), (date(2020, 1, 1), "")], "days[1]"),
        ([(date(2027, 1, 1), "x" * 201)], "days[0].name"),
        ([], "days"),
    ],
)
def test_a_day_that_would_change_measured_time_or_a_bad_name_is_refused_by_field(
    days: list[tuple[date, str]], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_new_holidays(calendar=OFFICE, days=days, today=TODAY)
    assert caught.value.field == field


def test_with_holidays_adds_dates_and_keeps_the_country_and_the_rest() -> None:
    out = with_holidays(OFFICE, [date(2027, 12, 24), date(2027, 1, 4)])
    spec = CalendarSpec.from_dict(out)
    assert spec.holiday_country == "DE"
    assert spec.holiday_dates == frozenset({date(2027, 1, 4), date(2027, 12, 24)})
    assert OFFICE["holidays"] == {"country": "DE", "dates": ["2027-01-04"]}  # the frozen one is untouched
