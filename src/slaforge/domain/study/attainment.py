"""Attainment of a target by a set of clocks, and the distribution of achieved times.

A clock that stopped within the target met it; one that stopped later, or is still running
past the target, missed it. A clock still running within the target is not yet measured.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
PERCENTILES = (50, 75, 90, 95, 99)


@dataclass(frozen=True, slots=True)
class Sample:
    """Business seconds elapsed per clock, and whether each clock has stopped."""

    elapsed: F64
    stopped: Bools

    @classmethod
    def of(cls, elapsed: npt.ArrayLike, stopped: npt.ArrayLike) -> Sample:
        e = np.asarray(elapsed, dtype=np.float64)
        s = np.asarray(stopped, dtype=bool)
        ok = ~np.isnan(e)
        return cls(e[ok], s[ok])

    def subset(self, mask: Bools) -> Sample:
        return Sample(self.elapsed[mask], self.stopped[mask])

    @property
    def size(self) -> int:
        return int(self.elapsed.size)

    @property
    def completed(self) -> F64:
        """Elapsed time of the clocks that stopped, sorted."""
        return np.sort(self.elapsed[self.stopped])


def attainment_curve(sample: Sample, targets: npt.ArrayLike) -> F64:
    """For each target (seconds), the share of measured clocks that met it; NaN when none measured."""
    tg = np.asarray(targets, dtype=np.float64)
    done = sample.completed
    running = np.sort(sample.elapsed[~sample.stopped])
    met = np.searchsorted(done, tg, side="right")
    overdue = running.size - np.searchsorted(running, tg, side="right")
    measured = done.size + overdue
    with np.errstate(invalid="ignore", divide="ignore"):
        share = met / measured
    out: F64 = np.where(measured > 0, share, np.nan)
    return out


def attainment(sample: Sample, target: float) -> float:
    return float(attainment_curve(sample, [target])[0])


def percentiles(sample: Sample, qs: tuple[int, ...] = PERCENTILES) -> dict[int, float]:
    """Percentiles of completed clocks (the 'inverted_cdf' definition: always an observed value)."""
    done = sample.completed
    if done.size == 0:
        return {q: float("nan") for q in qs}
    values = np.percentile(done, qs, method="inverted_cdf")
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


def monthly(
    sample: Sample, month: npt.NDArray[np.int64], target: float
) -> tuple[npt.NDArray[np.int64], F64, npt.NDArray[np.int64]]:
    """(months, attainment per month, volume per month) for one target; months as YYYYMM ints."""
    months, inverse = np.unique(month, return_inverse=True)
    done = sample.stopped
    met = np.bincount(
        inverse, weights=(done & (sample.elapsed <= target)).astype(np.float64), minlength=months.size
    )
    measured = np.bincount(
        inverse, weights=(done | (sample.elapsed > target)).astype(np.float64), minlength=months.size
    )
    volume = np.bincount(inverse, minlength=months.size)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(measured > 0, met / measured, np.nan)
    return months, share, volume
