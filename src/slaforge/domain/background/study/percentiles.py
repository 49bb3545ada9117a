"""How a study reads a percentile off the completed clocks.

`inverted_cdf` (the default) is the smallest observed time with at least p % of the clocks at or
below it: always a time some ticket actually took, and the reading a target's attainment agrees
with (p % of tickets met it). `linear` interpolates between the two observed times around rank
(n - 1)·p, as spreadsheets' PERCENTILE and PERCENTILE.INC do, for comparison with them.
"""

from __future__ import annotations

from typing import Literal, get_args

PercentileMethod = Literal["inverted_cdf", "linear"]
METHODS: tuple[str, ...] = get_args(PercentileMethod)
DESCRIPTIONS = {
    "inverted_cdf": (
        "inverted_cdf (NumPy): the smallest observed time with at least p % of completed clocks at or "
        "below it, so every percentile is a time some ticket actually took"
    ),
    "linear": (
        "linear (NumPy; spreadsheets' PERCENTILE.INC): interpolated between the two observed times "
        "around rank (n - 1)·p, so a percentile may be a time no ticket took"
    ),
}
