"""Back-test: what candidate objectives would have done, month by month, credits included."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from slaforge.domain.background.study.attainment import Sample, month_groups
from slaforge.domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class CreditTier:
    """When monthly attainment falls below `below` (a share), credit `credit` (a share of the fee)."""

    below: float
    credit: float


def credit_for(attained: float, tiers: tuple[CreditTier, ...]) -> float:
    """The largest credit whose threshold the attainment fell below (tiers need not be sorted)."""
    if np.isnan(attained):
        return 0.0
    owed = [t.credit for t in tiers if attained < t.below]
    return max(owed, default=0.0)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An objective to test: a target (seconds) per priority, the share of tickets to meet it."""

    name: str
    targets: dict[str, float]
    threshold: float
    tiers: tuple[CreditTier, ...] = ()
    monthly_fee: float | None = None

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise InvalidInput(
                "the attainment threshold is a share in (0, 1]", field="threshold", value=self.threshold
            )


@dataclass(frozen=True, slots=True)
class MonthResult:
    month: int  # YYYYMM
    tickets: int
    measured: int
    met: int
    breaches: int
    attainment: float
    achieved: bool
    credit_share: float
    credit_amount: float | None


def backtest(
    candidate: Candidate,
    sample: Sample,
    priority: npt.NDArray[np.object_] | tuple[npt.NDArray[np.integer[Any]], Sequence[str | None]],
    month: npt.NDArray[np.int64],
) -> list[MonthResult]:
    """Month by month: tickets whose priority has a target are measured against it.

    `priority` holds each ticket's priority, or is (codes, values): codes into the values, -1 for
    none, as a loader delivers them."""
    if isinstance(priority, tuple):
        codes, values = np.asarray(priority[0]), list(priority[1])
    else:  # one lookup per distinct priority, then codes: a dict lookup per ticket costs more
        items = priority.tolist()
        values = list(dict.fromkeys(items))
        index = {p: i for i, p in enumerate(values)}
        codes = np.fromiter(map(index.__getitem__, items), dtype=np.intp, count=len(items))
    table = np.array(
        [candidate.targets.get(p, np.nan) if p is not None else np.nan for p in values] + [np.nan],
        dtype=float,
    )
    target = table[codes]  # code -1 reads the trailing NaN: no priority, no target
    scoped = ~np.isnan(target)
    groups = month_groups(month[scoped])
    e, s, tg = sample.elapsed[scoped], sample.stopped[scoped], target[scoped]
    met_n, measured_n = groups.count(s & (e <= tg)), groups.count(s | (e > tg))
    out = []
    for m, n, met, measured in zip(
        groups.months.tolist(), groups.counts.tolist(), met_n.tolist(), measured_n.tolist(), strict=True
    ):
        share = met / measured if measured else float("nan")
        credit = credit_for(share, candidate.tiers)
        out.append(
            MonthResult(
                month=int(m),
                tickets=int(n),
                measured=measured,
                met=met,
                breaches=measured - met,
                attainment=share,
                achieved=bool(measured == 0 or share >= candidate.threshold),
                credit_share=credit,
                credit_amount=None if candidate.monthly_fee is None else credit * candidate.monthly_fee,
            )
        )
    return out
