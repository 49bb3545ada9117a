"""Multi-window, multi-burn-rate alerts on an availability objective, as the SRE workbook
recommends for a 30-day budget: the error budget burning 14.4 times too fast over both the last
hour and the last 5 minutes (a page: 2 % of the month's budget in an hour), 6 times over 6 hours
and 30 minutes (a page: 5 % in six hours), once over 3 days and 6 hours (a ticket: 10 % in three
days).

Burn rate over a window W ending at t = (unplanned downtime in [t − W, t) / W) / (1 − target):
1 spends the budget exactly over the month, 14.4 spends a month's budget in about two days. An
alert's condition holds at t when both its windows burn at least its factor; the short window
makes it stop soon after the outage ends. Evaluated when the scheduler looks, as Prometheus
evaluates its rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from slaforge.domain.live.availability import Outage


@dataclass(frozen=True, slots=True)
class BurnRule:
    name: str
    severity: str  # page or ticket
    factor: float
    long: timedelta
    short: timedelta


RULES = (
    BurnRule("fast", "page", 14.4, timedelta(hours=1), timedelta(minutes=5)),
    BurnRule("medium", "page", 6.0, timedelta(hours=6), timedelta(minutes=30)),
    BurnRule("slow", "ticket", 1.0, timedelta(days=3), timedelta(hours=6)),
)


def downtime(outages: Sequence[Outage], start: datetime, end: datetime) -> timedelta:
    """Unplanned downtime in [start, end), overlapping outages counted once (an outage going on
    runs to `end`)."""
    spans = sorted(
        (max(o.started_at, start), end if o.ended_at is None else min(o.ended_at, end))
        for o in outages
        if not o.planned
    )
    total = timedelta(0)
    reach = start
    for a, b in spans:
        a = max(a, reach)
        if b > a:
            total += b - a
            reach = b
    return total


def burn_rate(
    outages: Sequence[Outage], window: timedelta, at: datetime, target_percent: float
) -> float | None:
    """The burn rate over `window` ending at `at` (None for a 100 % target: there is no budget)."""
    allowed = 1 - target_percent / 100
    if allowed <= 0:
        return None
    return downtime(outages, at - window, at) / window / allowed


def holds(outages: Sequence[Outage], rule: BurnRule, at: datetime, target_percent: float) -> bool:
    """Whether the rule's condition holds at `at`: both windows burn at least its factor."""
    long = burn_rate(outages, rule.long, at, target_percent)
    short = burn_rate(outages, rule.short, at, target_percent)
    if long is None or short is None:
        return downtime(outages, at - rule.short, at) > timedelta(0)  # no budget: any downtime burns it
    return long >= rule.factor and short >= rule.factor
