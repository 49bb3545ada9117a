"""The watermelon check — green outside, red inside: an objective that complied in each of the
last closed periods while the customer's satisfaction fell over them by more than a margin.

Satisfaction per period: for CSAT answers (1–5) the share of satisfied answers (4 or 5); for NPS
answers (0–10) promoters' share minus detractors' (9–10 less 0–6). The flag is raised when each of
the last `periods` closed periods complied and the last period's satisfaction is more than
`margin` below the first's (10 points by default). A period without answers is not judged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PERIODS = 3
MARGIN = 0.10


def satisfaction(scale: str, scores: Sequence[int]) -> float | None:
    """The period's satisfaction (None without answers)."""
    if not scores:
        return None
    n = len(scores)
    if scale == "nps":
        return (sum(1 for s in scores if s >= 9) - sum(1 for s in scores if s <= 6)) / n
    return sum(1 for s in scores if s >= 4) / n


@dataclass(frozen=True, slots=True)
class PeriodReading:
    label: str
    complies: bool | None
    satisfaction: float | None
    answers: int


@dataclass(frozen=True, slots=True)
class Watermelon:
    flagged: bool
    reason: str
    periods: tuple[PeriodReading, ...]


def check(readings: Sequence[PeriodReading], *, periods: int = PERIODS, margin: float = MARGIN) -> Watermelon:
    """The flag over the last `periods` readings (oldest first)."""
    last = tuple(readings[-periods:])
    if len(last) < periods or any(r.satisfaction is None or r.complies is None for r in last):
        return Watermelon(False, f"fewer than {periods} closed periods with both outcomes and answers", last)
    first, final = last[0].satisfaction, last[-1].satisfaction
    assert first is not None
    assert final is not None
    shown = ", ".join(f"{r.label} {r.satisfaction * 100:.0f}" for r in last if r.satisfaction is not None)
    if all(r.complies for r in last) and final < first - margin:
        return Watermelon(
            True,
            f"compliant in each of the last {periods} periods while satisfaction fell from {first * 100:.0f} "
            f"to {final * 100:.0f} ({shown}): green outside, red inside",
            last,
        )
    return Watermelon(
        False,
        f"satisfaction {shown}: no fall of more than {margin * 100:g} points behind a compliant record",
        last,
    )
