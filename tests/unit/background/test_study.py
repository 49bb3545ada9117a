"""Step 1 statistics against naive re-computations."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slaforge.domain.background.study.attainment import (
    Sample,
    attainment_curve,
    month_groups,
    monthly,
    percentiles,
    quantile_ci,
)
from slaforge.domain.background.study.availability import monthly_uptime, recommend_availability
from slaforge.domain.background.study.backtest import Candidate, CreditTier, backtest, credit_for
from slaforge.domain.background.study.hours_discovery import hour_counts, local_weekday_hour, suggest_hours
from slaforge.domain.background.study.targets import recommend, target_ladder

H = 3600.0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 50).map(lambda m: m * 600.0), st.booleans()), max_size=60),
    st.lists(st.integers(0, 50).map(lambda m: m * 600.0), min_size=1, max_size=8),
)
def test_attainment_curve_matches_counting_by_hand(clocks, targets):
    sample = Sample.of([e for e, _ in clocks], [s for _, s in clocks])
    curve = attainment_curve(sample, targets)
    for target, got in zip(targets, curve, strict=True):
        met = sum(1 for e, s in clocks if s and e <= target)
        measured = sum(1 for e, s in clocks if s or e > target)
        if measured == 0:
            assert np.isnan(got)
        else:
            assert got == met / measured


def test_a_running_clock_within_target_is_not_yet_measured_but_one_past_it_missed():
    sample = Sample.of([100, 5000, 200], [True, False, False])
    assert attainment_curve(sample, [1000])[0] == 0.5  # 100 met; 5000 running past 1000 missed; 200 pending


def test_percentiles_are_observed_values_of_completed_clocks():
    sample = Sample.of(np.arange(1, 101, dtype=float), np.ones(100, dtype=bool))
    assert percentiles(sample) == {50: 50.0, 75: 75.0, 90: 90.0, 95: 95.0, 99: 99.0}


def test_beta_bootstrap_matches_resampling_bootstrap():
    rng = np.random.default_rng(7)
    values = rng.lognormal(8, 1, size=400)
    sample = Sample.of(values, np.ones(values.size, dtype=bool))
    lo, hi = quantile_ci(sample, 0.9, np.random.default_rng(1), replicates=20000)
    # The textbook bootstrap: resample, take the 90th percentile (inverted CDF), repeat.
    resampled = np.sort(rng.choice(values, size=(4000, values.size), replace=True), axis=1)
    draws = resampled[:, int(np.ceil(0.9 * values.size)) - 1]
    ref_lo, ref_hi = np.percentile(draws, [2.5, 97.5])
    point = np.percentile(values, 90, method="inverted_cdf")
    assert lo < point < hi
    assert lo == pytest.approx(ref_lo, rel=0.03)
    assert hi == pytest.approx(ref_hi, rel=0.03)


def months_of(n: int, count: int) -> np.ndarray:
    return np.array([202401 + (i % count) for i in range(n)], dtype=np.int64)


def test_recommendation_is_the_shortest_round_target_met_in_enough_months():
    rng = np.random.default_rng(3)
    n = 1200
    elapsed = rng.uniform(0, 3 * H, size=n)  # everything within 3 h: 4 h is the first safe rung
    sample = Sample.of(elapsed, np.ones(n, dtype=bool))
    rec = recommend(
        sample, months_of(n, 6), level=0.95, month_share=1.0, ladder=target_ladder(8 * H), rng=rng
    )
    assert rec.target_label == "4 h"
    assert rec.attainment == 1.0
    assert rec.headroom == pytest.approx(0.05)
    assert rec.ci_low <= rec.quantile_seconds <= rec.ci_high
    two_hours = recommend(
        sample, months_of(n, 6), level=0.6, month_share=1.0, ladder=target_ladder(8 * H), rng=rng
    )
    assert two_hours.target_label == "2 h"


def test_thin_segments_say_so_rather_than_guess():
    rng = np.random.default_rng(0)
    sample = Sample.of([60.0] * 10, [True] * 10)
    rec = recommend(
        sample, months_of(10, 5), level=0.9, month_share=0.8, ladder=target_ladder(8 * H), rng=rng
    )
    assert rec.target_label is None
    assert "too little data: 10 tickets" in rec.reason


def test_the_ladder_switches_to_business_days_at_the_calendar_day():
    labels = [label for label, _ in target_ladder(8 * H)]
    assert labels[:6] == ["15 min", "30 min", "1 h", "2 h", "4 h", "1 business day"]
    assert dict(target_ladder(9 * H))["1 business day"] == 9 * H


def test_monthly_attainment_and_volume():
    sample = Sample.of([10, 20, 30, 40], [True, True, True, False])
    months, share, volume = monthly(sample, np.array([202401, 202401, 202402, 202402]), 25)
    assert months.tolist() == [202401, 202402]
    assert share.tolist() == [1.0, 0.0]
    assert volume.tolist() == [2, 2]


def test_backtest_counts_breaches_and_credits_per_month():
    tiers = (CreditTier(below=0.95, credit=0.10), CreditTier(below=0.90, credit=0.25))
    cand = Candidate("P1 in 1 h", {"P1": H}, threshold=0.95, tiers=tiers, monthly_fee=1000)
    elapsed = np.array([10, 20, 30, 7200, 10, 20], dtype=float)
    sample = Sample.of(elapsed, np.ones(6, dtype=bool))
    prio = np.array(["P1", "P1", "P1", "P1", "P1", "P9"], dtype=object)
    month = np.array([202401, 202401, 202401, 202401, 202402, 202402])
    jan, feb = backtest(cand, sample, prio, month)
    assert (jan.measured, jan.met, jan.breaches, jan.attainment) == (4, 3, 1, 0.75)
    assert (jan.achieved, jan.credit_share, jan.credit_amount) == (False, 0.25, 250)
    assert (feb.tickets, feb.breaches, feb.achieved, feb.credit_share) == (1, 0, True, 0.0)
    assert credit_for(0.93, tiers) == 0.10


def us(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp()) * 1_000_000


def test_monthly_uptime_merges_overlaps_and_excludes_planned_work():
    starts = np.array([us(2024, 2, 1, 10), us(2024, 2, 1, 10, 30), us(2024, 2, 3), us(2024, 2, 29, 23)])
    ends = np.array([us(2024, 2, 1, 11), us(2024, 2, 1, 11, 30), us(2024, 2, 3, 5), us(2024, 3, 1, 1)])
    planned = np.array([False, False, True, False])
    feb, mar = monthly_uptime(
        starts, ends, planned, first=datetime(2024, 2, 1, tzinfo=UTC), last=datetime(2024, 3, 1, tzinfo=UTC)
    )
    assert feb.minutes == 29 * 24 * 60
    assert feb.down_minutes == 90 + 60  # the overlapping pair counts 90 min; planned work none
    assert mar.down_minutes == 60
    assert feb.outages == 3  # unplanned outages that began in February
    assert recommend_availability([feb, mar], 1.0) == 0.995


def test_hours_discovery_finds_weekday_office_hours_in_the_local_zone():
    rng = np.random.default_rng(5)
    days = np.arange(np.datetime64("2024-01-01"), np.datetime64("2024-03-31"))
    weekdays = days[np.is_busday(days)]
    # Activity 08:00-17:00 Europe/Rome (CET, UTC+1 in winter): 07:00-16:00 UTC.
    minutes = rng.integers(7 * 60, 16 * 60, size=(weekdays.size, 30))
    instants = (weekdays[:, None].astype("datetime64[m]") + minutes.astype("timedelta64[m]")).ravel()
    found = suggest_hours(instants, "Europe/Rome")
    assert found.days == ("mon", "tue", "wed", "thu", "fri")
    assert (found.start_hour, found.end_hour) == (8, 17)
    assert found.coverage == 1.0
    assert found.calendar("Europe/Rome")["hours"]["mon"] == ["08:00-17:00"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([202311, 202312, 202401, 202402, 202507]), max_size=40), st.booleans())
def test_month_groups_are_those_of_np_unique_sorted_or_not(months, ordered):
    month = np.array(sorted(months) if ordered else months, dtype=np.int64)
    groups = month_groups(month)
    uniq, inverse, counts = np.unique(month, return_inverse=True, return_counts=True)
    assert groups.months.tolist() == uniq.tolist()
    assert groups.inverse.tolist() == inverse.reshape(-1).tolist()
    assert groups.counts.tolist() == counts.tolist()
    mask = np.arange(month.size) % 3 == 0
    assert groups.count(mask).tolist() == np.bincount(inverse.reshape(-1)[mask], minlength=uniq.size).tolist()
    wide = month * 10_000  # too many possible values to count: falls back to sorting
    assert month_groups(wide).months.tolist() == (uniq * 10_000).tolist()


def test_sample_sorts_once_and_a_full_subset_is_itself():
    sample = Sample.of([30.0, 10.0, 20.0, 5.0], [True, True, False, False])
    assert sample.completed.tolist() == [10.0, 30.0]
    assert sample.completed is sample.completed
    assert sample.running.tolist() == [5.0, 20.0]
    assert not sample.completed.flags.writeable
    assert sample.subset(np.ones(4, dtype=bool)) is sample
    assert sample.subset(np.array([True, False, True, False])).elapsed.tolist() == [30.0, 20.0]


def test_backtest_reads_priorities_as_names_or_as_codes():
    cand = Candidate("P1 in 1 h", {"P1": H, "P2": 4 * H}, threshold=0.9)
    rng = np.random.default_rng(3)
    sample = Sample.of(rng.uniform(0, 6 * H, 500), rng.random(500) < 0.8)
    values = ("P2", "P1", "P7")
    codes = rng.integers(-1, 3, 500).astype(np.int32)
    names = np.array([None if c < 0 else values[c] for c in codes], dtype=object)
    month = rng.choice([202401, 202402, 202403], 500)
    assert backtest(cand, sample, names, month) == backtest(cand, sample, (codes, values), month)


def test_hour_counts_in_chunks_match_counting_each_instant():
    rng = np.random.default_rng(8)
    us = rng.integers(1_700_000_000, 1_760_000_000, 700_000) * 1_000_000 + rng.integers(0, 10**6, 700_000)
    instants = us.astype("datetime64[us]")
    instants[5] = np.datetime64("NaT")
    weekday, hour = local_weekday_hour(instants, "America/New_York")
    expected = np.zeros((7, 24), dtype=np.int64)
    np.add.at(expected, (weekday, hour), 1)
    assert hour_counts(instants, "America/New_York").tolist() == expected.tolist()
    assert expected.sum() == us.size - 1
