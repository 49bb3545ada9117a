"""Property tests: slaforge's fast business time equals the minute-by-minute reference."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from slaforge import BusinessCalendar
from tests.unit.business_time_reference import DAYS, Reference

ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",  # 30-minute DST shift
    "Asia/Kolkata",  # half-hour zone
    "Asia/Kathmandu",  # 45-minute zone
    "Pacific/Chatham",  # 45-minute zone with DST
    "Australia/Adelaide",  # southern hemisphere, half-hour zone with DST
    "America/Sao_Paulo",
    "America/St_Johns",
]
# Dates near DST changes in both hemispheres, plus ordinary ones.
ANCHORS = [
    datetime(2024, 3, 10, tzinfo=UTC),
    datetime(2024, 3, 31, tzinfo=UTC),
    datetime(2024, 4, 7, tzinfo=UTC),
    datetime(2024, 10, 6, tzinfo=UTC),
    datetime(2024, 10, 27, tzinfo=UTC),
    datetime(2024, 11, 3, tzinfo=UTC),
    datetime(2026, 4, 5, tzinfo=UTC),
    datetime(2026, 9, 27, tzinfo=UTC),
    datetime(2018, 11, 4, tzinfo=UTC),
    datetime(2025, 12, 24, tzinfo=UTC),
    datetime(2025, 12, 31, tzinfo=UTC),
]


def hhmm(m: int) -> str:
    return f"{m // 60:02d}:{m % 60:02d}"


@st.composite
def intervals(draw):
    start = draw(st.integers(0, 95)) * 15
    length = draw(st.integers(1, 96)) * 15
    end = start + length
    text_end = "24:00" if end == 1440 else hhmm(end % 1440)
    return f"{hhmm(start)}-{text_end}"


@st.composite
def calendars(draw):
    zone = draw(st.sampled_from(ZONES))
    hours = {}
    for day in DAYS:
        ivs = draw(st.lists(intervals(), max_size=3))
        if ivs or draw(st.booleans()):
            hours[day] = ivs
    if not any(hours.values()):
        hours["wed"] = ["09:00-17:00"]
    spec: dict = {"timezone": zone, "hours": hours}
    anchor = draw(st.sampled_from(ANCHORS))
    near = st.integers(-6, 6).map(lambda k: (anchor + timedelta(days=k)).date().isoformat())
    if draw(st.booleans()):
        spec["holidays"] = {"dates": draw(st.lists(near, max_size=3, unique=True))}
        if draw(st.booleans()):
            spec["holidays"]["country"] = draw(st.sampled_from(["DE", "US", "AU", "GB"]))
    if draw(st.booleans()):
        spec["overrides"] = {
            d: draw(st.lists(intervals(), max_size=2)) for d in draw(st.lists(near, max_size=3))
        }
    return spec, anchor


@st.composite
def cases(draw):
    spec, anchor = draw(calendars())
    start = anchor + timedelta(minutes=draw(st.integers(-5 * 1440, 5 * 1440)))
    span = timedelta(minutes=draw(st.integers(0, 4 * 1440)))
    return spec, start, start + span


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(cases())
def test_elapsed_matches_the_minute_by_minute_reference(case):
    spec, start, end = case
    cal = BusinessCalendar.from_dict(spec)
    assert cal.business_seconds(start, end) == Reference(spec).elapsed(start, end)


@SETTINGS
@given(cases(), st.integers(0, 3 * 24 * 60))
def test_deadline_is_the_earliest_instant_with_that_much_open_time(case, minutes):
    spec, start, _ = case
    ref = Reference(spec).add(start, minutes * 60, limit_minutes=30 * 1440)
    assume(ref is not None)
    cal = BusinessCalendar.from_dict(spec)
    assert cal.add_business_seconds(start, minutes * 60) == ref


@SETTINGS
@given(cases(), st.integers(1, 3000))
def test_elapsed_between_start_and_deadline_is_the_duration(case, seconds):
    spec, start, _ = case
    cal = BusinessCalendar.from_dict(spec)
    due = cal.add_business_seconds(start, seconds)
    assert cal.business_seconds(start, due) == seconds
    # ...and nothing earlier has that much: a moment before, less was open.
    assert cal.business_seconds(start, due - timedelta(microseconds=1)) < seconds


@settings(max_examples=40, deadline=None)
@given(calendars(), st.integers(1, 400), st.randoms(use_true_random=False))
def test_vectorised_forms_agree_with_single_queries(cal_case, n, rnd):
    spec, anchor = cal_case
    cal = BusinessCalendar.from_dict(spec)
    base = np.datetime64(anchor.replace(tzinfo=None), "us")
    offs = np.array([rnd.randint(-20 * 86400, 20 * 86400) for _ in range(n)], dtype="timedelta64[s]")
    lens = np.array([rnd.randint(0, 9 * 86400) for _ in range(n)], dtype="timedelta64[s]")
    starts = base + offs
    ends = starts + lens
    many = cal.business_seconds_many(starts, ends)
    secs = np.array([rnd.randint(0, 3 * 86400) for _ in range(n)], dtype=np.float64)
    dues = cal.add_business_seconds_many(starts, secs)
    for i in range(n):
        s = starts[i].astype(datetime).replace(tzinfo=UTC)
        e = ends[i].astype(datetime).replace(tzinfo=UTC)
        assert many[i] == cal.business_seconds(s, e)
        assert dues[i].astype(datetime).replace(tzinfo=UTC) == cal.add_business_seconds(s, secs[i])


def test_vectorised_form_gives_nan_and_nat_for_missing_values():
    cal = BusinessCalendar.from_dict({"timezone": "UTC", "hours": {"mon": ["09:00-17:00"]}})
    starts = np.array(["2026-03-09T08:00", "NaT"], dtype="datetime64[us]")
    ends = np.array(["2026-03-09T10:00", "2026-03-09T10:00"], dtype="datetime64[us]")
    out = cal.business_seconds_many(starts, ends)
    assert out[0] == 3600
    assert np.isnan(out[1])
    dues = cal.add_business_seconds_many(starts, np.array([3600.0, 60.0]))
    assert dues[0] == np.datetime64("2026-03-09T10:00", "us")
    assert np.isnat(dues[1])
