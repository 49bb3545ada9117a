"""Attainment of a target by a set of clocks, and the distribution of achieved times.

A clock that stopped within the target met it; one that stopped later, or is still running
past the target, missed it. A clock still running within the target is not yet measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from slaforge.domain.background.study.percentiles import PercentileMethod

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
PERCENTILES = (50, 75, 90, 95, 99)


@dataclass(frozen=True)
class Sample:
    """Business seconds elapsed per clock, and whether each clock has stopped.

    The sorted views (`completed`, `running`) are computed once per sample: a study reads them
    for percentiles, curves, histograms and the bootstrap of every segment.
    """

    elapsed: F64
    stopped: Bools

    @classmethod
    def of(cls, elapsed: npt.ArrayLike, stopped: npt.ArrayLike) -> Sample:
        e = np.asarray(elapsed, dtype=np.float64)
        s = np.asarray(stopped, dtype=bool)
        ok = ~np.isnan(e)
        return cls(e[ok], s[ok])

    def subset(self, mask: Bools) -> Sample:
        if mask.dtype == np.bool_ and mask.size == self.elapsed.size and bool(mask.all()):
            return self
        return Sample(self.elapsed[mask], self.stopped[mask])

    @property
    def size(self) -> int:
        return int(self.elapsed.size)

    @cached_property
    def completed(self) -> F64:
        """Elapsed time of the clocks that stopped, sorted (read-only)."""
        out = np.sort(self.elapsed[self.stopped])
        out.flags.writeable = False
        return out

    @cached_property
    def running(self) -> F64:
        """Elapsed time of the clocks still running, sorted (read-only)."""
        out = np.sort(self.elapsed[~self.stopped])
        out.flags.writeable = False
        return out


def attainment_curve(sample: Sample, targets: npt.ArrayLike) -> F64:
    """For each target (seconds), the share of measured clocks that met it; NaN when none measured."""
    tg = np.asarray(targets, dtype=np.float64)
    done = sample.completed
    running = sample.running
    met = np.searchsorted(done, tg, side="right")
    overdue = running.size - np.searchsorted(running, tg, side="right")
    measured = done.size + overdue
    with np.errstate(invalid="ignore", divide="ignore"):
        share = met / measured
    out: F64 = np.where(measured > 0, share, np.nan)
    return out


def attainment(sample: Sample, target: float) -> float:
    return float(attainment_curve(sample, [target])[0])


def percentiles(
    sample: Sample, qs: tuple[int, ...] = PERCENTILES, *, method: PercentileMethod = "inverted_cdf"
) -> dict[int, float]:
    """Percentiles of completed clocks: by default the 'inverted_cdf' definition, always an
    observed value; `linear` interpolates as spreadsheets do (see percentiles.py)."""
    done = sample.completed
    if done.size == 0:
        return {q: float("nan") for q in qs}
    values = np.percentile(done, qs, method=method)
    return {q: float(v) for q, v in zip(qs, values, strict=True)}


def quantile_ci(
    sample: Sample,
    level: float,
    rng: np.random.Generator,
    *,
    replicates: int = 2000,
    confidence: float = 0.95,
) -> tuple[float, float]:
    """Bootstrap confidence interval of the `level` quantile of completed clocks.

    The k-th smallest of n values resampled with replacement is the value at rank ceil(n·U),
    U ~ Beta(k, n-k+1); sampling U directly is the exact bootstrap at O(replicates) cost,
    so it stays fast on millions of tickets.
    """
    done = sample.completed
    n = done.size
    if n == 0:
        return float("nan"), float("nan")
    k = max(int(np.ceil(level * n)), 1)
    u = rng.beta(k, n - k + 1, size=replicates)
    ranks = np.clip(np.ceil(u * n).astype(np.int64), 1, n) - 1
    draws = done[ranks]
    tail = (1 - confidence) / 2 * 100
    lo, hi = np.percentile(draws, [tail, 100 - tail])
    return float(lo), float(hi)


@dataclass(frozen=True, slots=True)
class MonthGroups:
    """Tickets grouped by month, as `np.unique(month, return_inverse=True, return_counts=True)`
    gives them; `starts` is where each month begins when the months came sorted (else None)."""

    months: I64  # distinct months ascending
    inverse: I64  # index into `months` per ticket
    counts: I64  # tickets per month
    starts: I64 | None = None

    def count(self, mask: Bools) -> I64:
        """Tickets per month where `mask` holds."""
        if self.starts is not None:
            out: I64 = np.add.reduceat(mask, self.starts, dtype=np.int64)
            return out
        return np.bincount(self.inverse[mask], minlength=self.months.size)


def month_groups(month: I64) -> MonthGroups:
    """Months grouped in one pass when they come sorted or span few values, else by a sort."""
    m = np.asarray(month)
    if m.size and bool(np.all(m[1:] >= m[:-1])):
        new = np.empty(m.size, dtype=bool)
        new[0] = True
        np.not_equal(m[1:], m[:-1], out=new[1:])
        starts = np.flatnonzero(new)
        inverse: I64 = np.cumsum(new, dtype=np.intp) - 1
        counts: I64 = np.diff(np.append(starts, m.size))
        return MonthGroups(m[starts], inverse, counts, starts)
    if m.size and m.dtype.kind in "iu":
        lo = int(m.min())
        span = int(m.max()) - lo + 1
        if span <= 4 * m.size + 1024:  # YYYYMM over a few years: count instead of sorting
            per = np.bincount(m - lo, minlength=span)
            present = per > 0
            rank = np.cumsum(present, dtype=np.intp) - 1
            return MonthGroups((np.flatnonzero(present) + lo).astype(m.dtype), rank[m - lo], per[present])
    uniq, inv, cnt = np.unique(m, return_inverse=True, return_counts=True)
    return MonthGroups(uniq, inv.reshape(-1), cnt)


def monthly(
    sample: Sample,
    month: npt.NDArray[np.int64],
    target: float,
    *,
    groups: MonthGroups | None = None,
) -> tuple[npt.NDArray[np.int64], F64, npt.NDArray[np.int64]]:
    """(months, attainment per month, volume per month) for one target; months as YYYYMM ints.

    `groups` is `month_groups(month)` when the caller already has it."""
    g = groups if groups is not None else month_groups(month)
    done = sample.stopped
    met = g.count(done & (sample.elapsed <= target))
    measured = g.count(done | (sample.elapsed > target))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(measured > 0, met / measured, np.nan)
    return g.months, share, g.counts
