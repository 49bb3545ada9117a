"""The renegotiation signal of one objective: what its last closed periods say about the promise,
beyond whether each period complied.

- **Tighten** (sustained over-performance): each of the last `periods` closed periods reached at
  least `threshold + over` — the promise could be tightened, and sold as such.
- **Loosen** (under-performance): at least two of them missed the threshold, or every one passed by
  less than `thin` — the promise is unrealistic as it stands.
- Otherwise nothing is signalled; fewer closed periods than `periods` signal nothing either.

The figures behind it are returned with it, so the page and the agenda can show them, and the
study's newest recommendation (where the caller has one) is what a new promise would start from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PERIODS = 3
OVER = 0.04  # 4 points above the threshold, every period
THIN = 0.01  # within 1 point above it, every period


@dataclass(frozen=True, slots=True)
class Signal:
    kind: str | None  # tighten, loosen, or None
    reason: str
    attainments: tuple[float | None, ...]  # the periods judged, oldest first
    threshold: float


def _pct(x: float) -> str:
    return f"{x * 100:.1f} %"


def judge(
    attainments: Sequence[float | None],
    threshold: float,
    *,
    periods: int = PERIODS,
    over: float = OVER,
    thin: float = THIN,
) -> Signal:
    """The signal from closed periods' attainments (oldest first; None: nothing measured)."""
    last = tuple(attainments[-periods:])
    measured = [a for a in last if a is not None]
    if len(last) < periods or len(measured) < periods:
        return Signal(
            None, f"fewer than {periods} closed periods with outcomes: nothing to judge yet", last, threshold
        )
    shown = ", ".join(_pct(a) for a in measured)
    if all(a >= threshold + over for a in measured):
        return Signal(
            "tighten",
            f"the last {periods} periods ({shown}) all beat {_pct(threshold)} by at least "
            f"{over * 100:g} points: the promise could be tightened",
            last,
            threshold,
        )
    missed = sum(1 for a in measured if a < threshold)
    if missed >= 2:
        return Signal(
            "loosen",
            f"{missed} of the last {periods} periods ({shown}) missed {_pct(threshold)}: "
            "the promise is not being kept",
            last,
            threshold,
        )
    if all(threshold <= a < threshold + thin for a in measured):
        return Signal(
            "loosen",
            f"the last {periods} periods ({shown}) passed {_pct(threshold)} by less than "
            f"{thin * 100:g} point each: the promise is barely kept",
            last,
            threshold,
        )
    return Signal(
        None, f"the last {periods} periods ({shown}) keep the promise with room to spare", last, threshold
    )
