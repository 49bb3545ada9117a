"""Recommended targets: the shortest round target the history meets often enough."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from slaforge.domain.background.study.attainment import Sample, attainment, month_groups, monthly, quantile_ci
from slaforge.domain.background.study.percentiles import PercentileMethod

MINUTE, HOUR = 60.0, 3600.0


def target_ladder(day_seconds: float) -> list[tuple[str, float]]:
    """Round targets people promise: minutes and hours below a business day, then business days."""
    ladder = [
        ("15 min", 15 * MINUTE),
        ("30 min", 30 * MINUTE),
        ("1 h", HOUR),
        ("2 h", 2 * HOUR),
        ("4 h", 4 * HOUR),
        ("8 h", 8 * HOUR),
    ]
    ladder = [(label, s) for label, s in ladder if s < day_seconds]
    for days in (1, 2, 3, 5, 10, 20):
        ladder.append((f"{days} business day{'s' if days > 1 else ''}", days * day_seconds))
    return ladder


@dataclass(frozen=True, slots=True)
class Recommendation:
    level: float  # wanted share of tickets within target, e.g. 0.95
    month_share: float  # share of months that must reach the level
    tickets: int
    months: int
    reason: str  # why this target, or why none
    target_label: str | None = None  # None when no ladder step qualifies or data is too thin
    target_seconds: float | None = None
    attainment: float | None = None  # over the whole period, at the target
    months_meeting: int | None = None
    headroom: float | None = None  # attainment minus level
    quantile_seconds: float | None = None  # the level-quantile of completed clocks
    ci_low: float | None = None
    ci_high: float | None = None


def recommend(
    sample: Sample,
    month: npt.NDArray[np.int64],
    *,
    level: float,
    month_share: float,
    ladder: list[tuple[str, float]],
    rng: np.random.Generator,
    min_tickets: int = 30,
    min_months: int = 3,
    method: PercentileMethod = "inverted_cdf",
) -> Recommendation:
    groups = month_groups(month)
    months = groups.months

    def result(reason: str, **found: float | str | int | None) -> Recommendation:
        return Recommendation(level, month_share, sample.size, int(months.size), reason, **found)  # type: ignore[arg-type]

    if sample.size < min_tickets:
        return result(f"too little data: {sample.size} tickets (need {min_tickets})")
    if months.size < min_months:
        return result(f"too little data: {months.size} months (need {min_months})")
    done = sample.completed
    q = float(np.percentile(done, level * 100, method=method)) if done.size else None
    lo, hi = quantile_ci(sample, level, rng)
    needed = int(np.ceil(month_share * months.size))
    for label, secs in ladder:
        _, share, _ = monthly(sample, month, secs, groups=groups)
        meeting = int(np.sum(share >= level))
        if meeting >= needed:
            att = attainment(sample, secs)
            return result(
                f"shortest round target met by at least {level:.0%} of tickets in {meeting} of "
                f"{months.size} months",
                target_label=label,
                target_seconds=secs,
                attainment=att,
                months_meeting=meeting,
                headroom=att - level,
                quantile_seconds=q,
                ci_low=lo,
                ci_high=hi,
            )
    return result(
        f"no target up to {ladder[-1][0]} reaches {level:.0%} in {month_share:.0%} of months",
        quantile_seconds=q,
        ci_low=lo,
        ci_high=hi,
    )
