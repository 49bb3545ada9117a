"""Compliance per objective and period, closed at period end, and the credits it earns
(domain/live/compliance.py holds the rules).

The scheduler closes each objective's period once it has ended: its figures are frozen with the
SHA-256 of their canonical form (`live.period_closed` in the audit log). A late event that changes
a closed period afterwards does not rewrite it: the scheduler records an adjustment with the
figures it leads to and the reason (`live.period_adjusted`). Reading a period gives the figures
as closed and every adjustment; an open period's figures are computed as of now.

Availability objectives are judged per calendar month in the agreement's zone, as their downtime
is measured (domain/live/availability.py): attainment is the month's uptime against the target.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slaforge.adapters.db.models import LivePeriod
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.live import availability as budget
from slaforge.domain.live.compliance import (
    CreditLine,
    Outcome,
    figures,
    period_credit,
    period_of,
    tier_credit,
)
from slaforge.services.agreement.core import load_agreement
from slaforge.services.live.availability import outages_of
from slaforge.services.live.context import LiveContext, context_for
from slaforge.services.unit_of_work import UnitOfWork

ACTOR = "slaforge scheduler"
LOOK_BACK = 2  # closed periods re-checked for late events: the last two


def window_of(o: Mapping[str, Any]) -> str:
    """An objective's compliance period: its window (month or quarter); availability is monthly."""
    return "month" if o.get("metric") == "availability" else str(o.get("window") or "month")


def bounds(ctx: LiveContext, o: Mapping[str, Any], at: datetime) -> tuple[datetime, datetime, str]:
    return period_of(at, window_of(o), ctx.calendar.timezone)


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def compute(uow: UnitOfWork, ctx: LiveContext, index: int, at: datetime, now: datetime) -> dict[str, Any]:
    """The objective's figures for the period holding `at`, as of `now` (plain JSON)."""
    o = ctx.objective_terms[index]
    start, end, label = bounds(ctx, o, at)
    base: dict[str, Any] = {"label": label, "start": start.isoformat(), "end": end.isoformat()}
    if o.get("metric") == "availability":
        a = next(x for x in ctx.availability if x.index == index)
        b = budget.month_budget(outages_of(uow, a.service, at, a.zone), a, now=min(now, end), month=at)
        threshold = a.target_percent / 100
        return {
            **base,
            "threshold": threshold,
            "attainment": b.uptime,
            "margin": b.uptime - threshold,
            "complies": not b.breached,
            "down_seconds": b.down_seconds,
            "allowed_seconds": b.allowed_seconds,
        }
    outcomes = []
    for clock, ticket in uow.live.outcome_clocks(ctx.agreement_id, index, start, end):
        if clock.breached:
            assert clock.breached_at is not None
            when, met = clock.breached_at, False
        else:
            assert clock.stopped_at is not None
            when, met = clock.stopped_at, True
        excused = any(c.get("excused") for c in (clock.explanation or {}).get("cycles", []))
        outcomes.append(Outcome(ticket, when, met, excused))
    f = figures(outcomes, start, end, label, float(o.get("attainment") or 0.0))
    return {
        **base,
        "threshold": f.threshold,
        "in_scope": f.in_scope,
        "met": f.met,
        "breached": f.breached,
        "excused": f.excused,
        "attainment": f.attainment,
        "margin": f.margin,
        "complies": f.complies,
        "breached_tickets": list(f.breached_tickets),
    }


@dataclass(frozen=True, slots=True)
class ObjectivePeriod:
    objective_index: int
    objective: str
    metric: str
    figures: dict[str, Any]  # the latest: as closed, or as adjusted since, or (open) as of now
    closed: bool
    closed_at: datetime | None = None
    adjustments: list[dict[str, Any]] = field(default_factory=list)
    credit: CreditLine | None = None


@dataclass(frozen=True, slots=True)
class Compliance:
    agreement_id: int
    version: int
    period: str
    objectives: list[ObjectivePeriod]
    credit: float  # the period's credit share of the charge, after the cap
    capped: bool
    credit_cap: float
    rule: str


RULE = (
    "a clock counts in the period in which its outcome became known: when it stopped within its "
    "target (met) or when it breached; attainment = met / (met + breached); availability: the "
    "month's uptime (unplanned outages; months in the agreement's zone); credit: the largest tier "
    "credit whose threshold the attainment is under, summed over objectives and capped"
)


def _instant(period: str | None, ctx: LiveContext, now: datetime) -> datetime:
    if not period:
        return now
    zone = ZoneInfo(ctx.calendar.timezone)
    month = re.fullmatch(r"(\d{4})-(\d{2})", period)
    quarter = re.fullmatch(r"(\d{4})-Q([1-4])", period)
    if month and 1 <= int(month.group(2)) <= 12:
        return datetime(int(month.group(1)), int(month.group(2)), 15, tzinfo=zone)
    if quarter:
        return datetime(int(quarter.group(1)), 3 * int(quarter.group(2)) - 1, 15, tzinfo=zone)
    raise InvalidInput("a month (2026-11) or a quarter (2026-Q4)", field="period", value=period)


def compliance_of(
    *, uow: UnitOfWork, agreement_id: int, now: datetime, period: str | None = None
) -> Compliance:
    """Each objective's figures for the period holding `period` (default: now), with credits."""
    with uow:
        load_agreement(uow, agreement_id)  # another customer's agreement: not found
        ctx = context_for(uow, agreement_id)
        if ctx is None:
            raise NotFound(f"agreement {agreement_id} is not live")
        at = _instant(period, ctx, now)
        out = []
        for i, o in enumerate(ctx.objective_terms):
            start, _, _ = bounds(ctx, o, at)
            row = uow.live.period(agreement_id, i, start)
            adjustments = [] if row is None else uow.live.adjustments(row.id)
            latest = (
                compute(uow, ctx, i, at, now)
                if row is None
                else (adjustments[-1].figures if adjustments else row.figures)
            )
            below, credit = tier_credit(latest.get("attainment"), o.get("remedy") or [])
            label = ctx.label_of(i)
            out.append(
                ObjectivePeriod(
                    i,
                    label,
                    str(o.get("metric")),
                    dict(latest),
                    row is not None,
                    None if row is None else row.closed_at,
                    [
                        {"made_at": a.made_at.isoformat(), "reason": a.reason, "figures": a.figures}
                        for a in adjustments
                    ],
                    CreditLine(label, latest.get("attainment"), below, credit),
                )
            )
        total, capped = period_credit([p.credit for p in out if p.credit is not None], ctx.credit_cap)
        shown = out[0].figures["label"] if out else (period or "")
        return Compliance(agreement_id, ctx.version_number, shown, out, total, capped, ctx.credit_cap, RULE)


def latest_figures(uow: UnitOfWork, period: LivePeriod) -> dict[str, Any]:
    """A closed period's figures as they stand: as closed, or as its last adjustment made them."""
    adjustments = uow.live.adjustments(period.id)
    return dict(adjustments[-1].figures if adjustments else period.figures)
