"""The figures of one segment and one clock: percentiles, attainment curve, distribution,
month-by-month attainment and volume, and the recommended target.

Everything returned is plain JSON (floats, ints, None for "not measurable"), because studies
are stored as computed and rendered later from what was stored.
"""

from __future__ import annotations

import math
from dataclasses import asdict, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from slaforge.domain.background.study.attainment import (
    PERCENTILES,
    Sample,
    attainment_curve,
    month_groups,
    monthly,
    percentiles,
)
from slaforge.domain.background.study.percentiles import PercentileMethod
from slaforge.domain.background.study.targets import Recommendation, recommend

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
CURVE_POINTS = 72
HISTOGRAM_BINS = 24
MINUTE = 60.0


def num(x: Any) -> float | None:
    """A JSON-safe float: NaN and infinities (not measurable) become None."""
    if x is None:
        return None
    f = float(x)
    return f if math.isfinite(f) else None


def curve_grid(day_seconds: float) -> F64:
    """Targets at which curves are drawn: one minute to twenty business days, evenly on a log scale."""
    return np.geomspace(MINUTE, 20 * day_seconds, CURVE_POINTS)


def histogram_edges(day_seconds: float) -> F64:
    """Bins of achieved time: under a minute, log-even bins up to twenty business days, beyond."""
    inner = np.geomspace(MINUTE, 20 * day_seconds, HISTOGRAM_BINS - 1)
    edges: F64 = np.concatenate([[0.0], inner, [np.inf]])
    return edges


class SegmentMeasures:
    """Per-clock inputs shared by every segment: the ladder, grids, level and month share."""

    def __init__(
        self,
        *,
        ladder: list[tuple[str, float]],
        day_seconds: float,
        level: float,
        month_share: float,
        min_tickets: int,
        min_month_tickets: int,
        seed: int,
        method: PercentileMethod = "inverted_cdf",
    ) -> None:
        self.ladder = ladder
        self.grid = curve_grid(day_seconds)
        self.edges = histogram_edges(day_seconds)
        self.level = level
        self.month_share = month_share
        self.min_tickets = min_tickets
        self.min_month_tickets = min_month_tickets
        self.seed = seed
        self.method = method

    def recommendation(self, sample: Sample, months: I64, stream: tuple[int, ...]) -> Recommendation:
        """The recommended target; months with too few tickets to judge are left out of it.

        A month holding one or two tickets of a segment meets or misses a 95 % level by chance,
        yet counts as much as a full month in the month share; its tickets are left out here
        (they still count in the percentiles, curves and monthly figures).
        """
        # One random stream per (segment, clock): the same study gives the same intervals.
        rng = np.random.default_rng([self.seed, *stream])
        kwargs: dict[str, Any] = {
            "level": self.level,
            "month_share": self.month_share,
            "ladder": self.ladder,
            "rng": rng,
            "min_tickets": self.min_tickets,
            "method": self.method,
        }
        if sample.size < self.min_tickets:  # too thin whatever the months: say so with its true size
            return recommend(sample, months, **kwargs)
        groups = month_groups(months)
        counts = groups.counts
        full = counts[groups.inverse] >= self.min_month_tickets
        thin = int(np.sum(counts < self.min_month_tickets))
        rec = recommend(sample.subset(full), months[full], **kwargs)
        if thin:
            months_word = "months" if thin > 1 else "month"
            note = f"{thin} {months_word} with fewer than {self.min_month_tickets} tickets left out"
            rec = replace(rec, reason=f"{rec.reason}; {note}")
        return rec

    def block(self, sample: Sample, months: I64, stream: tuple[int, ...]) -> dict[str, Any]:
        """All figures of one clock over one segment's tickets (`months` as YYYYMM per ticket)."""
        rec = self.recommendation(sample, months, stream)
        done = sample.completed
        counts = sorted_histogram(done, self.edges)
        # One call for both sets of targets: each call sorts the segment's clocks again.
        both = attainment_curve(sample, np.concatenate([self.grid, [s for _, s in self.ladder]]))
        target = rec.target_seconds
        if target is not None:
            ms, share, volume = monthly(sample, months, target)
        else:
            groups = month_groups(months)
            ms, volume = groups.months, groups.counts
            share = np.full(ms.size, np.nan)
        return {
            "tickets": sample.size,
            "completed": int(done.size),
            "running": int(sample.size - done.size),
            "mean": num(done.mean()) if done.size else None,
            "percentiles": {str(q): num(v) for q, v in percentiles(sample, method=self.method).items()},
            "curve": [num(v) for v in both[: self.grid.size]],
            "ladder": [num(v) for v in both[self.grid.size :]],
            "histogram": [int(c) for c in counts],
            "monthly": {
                "months": [int(m) for m in ms],
                "volume": [int(v) for v in volume],
                "attainment": [num(v) for v in share],
                "target_seconds": target,
            },
            "recommendation": {k: num(v) if isinstance(v, float) else v for k, v in asdict(rec).items()},
        }

    def axes(self) -> dict[str, Any]:
        """The shared x values, stored once per study rather than per segment."""
        return {
            "percentiles": list(PERCENTILES),
            "curve_targets": [float(v) for v in self.grid],
            "histogram_edges": [num(v) for v in self.edges],
            "ladder": [[label, secs] for label, secs in self.ladder],
        }


def sorted_histogram(done: F64, edges: F64) -> I64:
    """`np.histogram(done, bins=edges)[0]` for values already sorted: the same two searches
    NumPy makes after sorting them (bins closed on the left, the last one on both sides)."""
    cum = np.concatenate(
        [np.searchsorted(done, edges[:-1], side="left"), np.searchsorted(done, edges[-1:], side="right")]
    )
    counts: I64 = np.diff(cum)
    return counts


def segment_order(sizes: I64, months: I64, codes: I64) -> tuple[I64, I64]:
    """Ticket order grouped by segment code, months ascending inside each (so the per-month
    counts inside a segment run over sorted values), and where each segment starts."""
    bounds: I64 = np.concatenate([[0], np.cumsum(sizes)])
    order: I64
    if codes.size:
        lo, span = int(months.min()), int(months.max()) - int(months.min()) + 1
        if (int(codes.max()) + 1) * span <= np.iinfo(np.int16).max:
            # One small key: NumPy's stable sort of 16-bit keys is a radix sort, in linear time.
            key = (codes * span + (months - lo)).astype(np.int16)
            order = np.argsort(key, kind="stable")
            return order, bounds
    order = np.lexsort((months, codes))
    return order, bounds
