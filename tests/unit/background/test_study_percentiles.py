"""The study's percentiles against an independent reading: sort the completed clocks and index
them by the definition, in exact fractions (no NumPy percentile)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slaforge.domain.background.study.attainment import PERCENTILES, Sample, percentiles
from slaforge.domain.background.study.compute import StudyParameters
from slaforge.domain.errors import InvalidInput

CLOCKS = st.lists(
    st.tuples(st.floats(min_value=0, max_value=1e8, allow_nan=False), st.booleans()), min_size=1, max_size=60
)


def observed(values: list[float], q: int) -> float:
    """The smallest observed value with at least q % of the values at or below it."""
    xs = sorted(values)
    k = max(math.ceil(Fraction(q, 100) * len(xs)), 1)
    return xs[k - 1]


def interpolated(values: list[float], q: int) -> float:
    """Spreadsheets' PERCENTILE.INC: between the values around rank (n - 1)·q/100 (from 0)."""
    xs = sorted(values)
    h = Fraction(q, 100) * (len(xs) - 1)
    lo = math.floor(h)
    if lo + 1 >= len(xs):
        return xs[lo]
    return xs[lo] + float(h - lo) * (xs[lo + 1] - xs[lo])


@settings(max_examples=300, deadline=None)
@given(CLOCKS)
def test_inverted_cdf_percentiles_are_the_observed_values_sort_and_index_gives(
    clocks: list[tuple[float, bool]],
) -> None:
    sample = Sample.of([e for e, _ in clocks], [s for _, s in clocks])
    done = [e for e, s in clocks if s]
    got = percentiles(sample)
    if not done:
        assert all(math.isnan(v) for v in got.values())
        return
    assert got == {q: observed(done, q) for q in PERCENTILES}  # exactly, and each one a ticket's time
    assert all(v in done for v in got.values())


@settings(max_examples=300, deadline=None)
@given(CLOCKS)
def test_linear_percentiles_interpolate_as_spreadsheets_do(clocks: list[tuple[float, bool]]) -> None:
    sample = Sample.of([e for e, _ in clocks], [s for _, s in clocks])
    done = [e for e, s in clocks if s]
    got = percentiles(sample, method="linear")
    if not done:
        assert all(math.isnan(v) for v in got.values())
        return
    for q in PERCENTILES:
        assert math.isclose(got[q], interpolated(done, q), rel_tol=1e-12, abs_tol=1e-6), q


def test_the_two_methods_differ_where_no_ticket_took_the_interpolated_time() -> None:
    sample = Sample.of(np.array([60.0, 120.0, 180.0, 240.0]), np.ones(4, dtype=bool))
    assert percentiles(sample, (50,)) == {50: 120.0}
    assert percentiles(sample, (50,), method="linear") == {50: 150.0}


def test_an_unknown_percentile_method_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput) as caught:
        StudyParameters("cal", percentile_method="nearest")  # type: ignore[arg-type]
    assert caught.value.field == "percentile_method"
