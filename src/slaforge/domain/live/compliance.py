"""Compliance of one objective over one period, and the service credit it earns.

- **Period**: the objective's window (calendar month, or quarter) in the agreement calendar's
  time zone: [first day 00:00, first day of the next period 00:00).
- **Which clocks count**: a clock counts in the period in which its outcome became known — the
  instant it stopped within its target (met), or the instant it breached (breached, whether or not
  it has stopped since). A clock still open and within its target has no outcome yet: it counts in
  a later period. So every clock counts once, in one period, and a closed period's population
  cannot grow except by a late event (an adjustment).
- **Attainment** = met / (met + breached); the period **complies** when attainment reaches the
  objective's threshold; the **margin** is attainment − threshold. A period without outcomes has
  no attainment and earns no credit.
- **Excused**: clocks whose time was reduced by an excusing customer obligation (step 3) are
  counted as the clock says (met or breached after the excusal) and also reported as excused.
- **Credit**: the remedy tier with the largest credit whose `below` the attainment falls under
  (tiers: attainment < below → credit share of the period's charge); a period's credits over all
  objectives are summed and capped at the agreement's `credit_cap`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Outcome:
    """One clock's outcome: met (stopped within target) or breached, and when that became known."""

    ticket: str
    at: datetime
    met: bool
    excused: bool = False


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    start: datetime
    end: datetime
    label: str
    in_scope: int
    met: int
    breached: int
    excused: int
    threshold: float
    breached_tickets: tuple[str, ...]

    @property
    def attainment(self) -> float | None:
        return None if self.in_scope == 0 else self.met / self.in_scope

    @property
    def margin(self) -> float | None:
        a = self.attainment
        return None if a is None else a - self.threshold

    @property
    def complies(self) -> bool | None:
        a = self.attainment
        return None if a is None else a >= self.threshold - 1e-12


def period_of(at: datetime, window: str, zone: str) -> tuple[datetime, datetime, str]:
    """The month or quarter holding `at` in `zone`: (start, end, label such as 2026-11 or 2026-Q4)."""
    local = at.astimezone(ZoneInfo(zone))
    tz = ZoneInfo(zone)
    if window == "quarter":
        first = 3 * ((local.month - 1) // 3) + 1
        start = datetime(local.year, first, 1, tzinfo=tz)
        nxt = first + 3
        end = datetime(local.year + (nxt > 12), (nxt - 1) % 12 + 1, 1, tzinfo=tz)
        return start, end, f"{local.year}-Q{(first - 1) // 3 + 1}"
    start = datetime(local.year, local.month, 1, tzinfo=tz)
    end = datetime(local.year + (local.month == 12), local.month % 12 + 1, 1, tzinfo=tz)
    return start, end, f"{local.year}-{local.month:02d}"


def figures(
    outcomes: Sequence[Outcome], start: datetime, end: datetime, label: str, threshold: float
) -> PeriodFigures:
    """The period's figures from every outcome (those outside [start, end) are left out)."""
    inside = [o for o in outcomes if start <= o.at < end]
    breached = sorted(o.ticket for o in inside if not o.met)
    return PeriodFigures(
        start=start,
        end=end,
        label=label,
        in_scope=len(inside),
        met=sum(1 for o in inside if o.met),
        breached=len(breached),
        excused=sum(1 for o in inside if o.excused),
        threshold=threshold,
        breached_tickets=tuple(breached),
    )


@dataclass(frozen=True, slots=True)
class CreditLine:
    objective: str
    attainment: float | None
    below: float | None  # the tier applied (None: no tier)
    credit: float  # share of the period's charge


def tier_credit(attainment: float | None, tiers: Sequence[Mapping[str, float]]) -> tuple[float | None, float]:
    """(the tier's threshold, its credit) of the largest credit whose threshold the attainment is
    under; (None, 0.0) when none applies or nothing was measured."""
    if attainment is None:
        return None, 0.0
    applicable = [t for t in tiers if attainment < float(t["below"])]
    if not applicable:
        return None, 0.0
    best = max(applicable, key=lambda t: (float(t["credit"]), -float(t["below"])))
    return float(best["below"]), float(best["credit"])


def period_credit(lines: Sequence[CreditLine], cap: float) -> tuple[float, bool]:
    """The period's credit share: the objectives' credits summed, capped; and whether the cap bit."""
    total = sum(line.credit for line in lines)
    return (min(total, cap), total > cap)
