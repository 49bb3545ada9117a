"""The live figures a monitoring system scrapes (`GET /metrics`): per live agreement and objective
the clocks open, at risk and overdue, this month's stopped clocks and how many of them breached;
per availability objective this month's downtime against its allowance; the outbox by channel
and state. Read with the system's unit of work: the endpoint is the provider's, behind its token.

For the clocks, "this month" is the calendar month in UTC, so every agreement's figures start at
the same instant; an availability budget is its agreement's own month (its calendar's zone), as
compliance judges it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slaforge.domain.live import availability as budget
from slaforge.services.live.availability import outages_of
from slaforge.services.live.context import live_contexts
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class ObjectiveFigures:
    agreement_id: int
    customer_id: int
    objective: str
    metric: str
    open: int
    at_risk: int
    overdue: int  # open and past its deadline (breached, or about to be recorded so)
    stopped: int  # clocks that stopped this month
    breached: int  # of those, breached

    @property
    def attainment(self) -> float | None:
        """This month's share of stopped clocks within their target (None before any stopped)."""
        return None if self.stopped == 0 else 1.0 - self.breached / self.stopped


@dataclass(frozen=True, slots=True)
class AvailabilityFigures:
    agreement_id: int
    customer_id: int
    objective: str
    service: str
    target_percent: float
    down_seconds: float
    allowed_seconds: float

    @property
    def budget_remaining(self) -> float:
        """The share of the month's allowed downtime left (negative once over; 0 for a 100 % target)."""
        return 0.0 if self.allowed_seconds <= 0 else 1.0 - self.down_seconds / self.allowed_seconds


@dataclass(frozen=True, slots=True)
class LiveMetrics:
    objectives: list[ObjectiveFigures]
    availability: list[AvailabilityFigures]
    notifications: dict[tuple[str, str], int]  # (channel, state) → count


def live_metrics(*, uow: UnitOfWork, now: datetime) -> LiveMetrics:
    start, _ = budget.month_of(now)
    with uow:
        contexts = {c.agreement_id: c for c in live_contexts(uow)}
        objectives = []
        for agreement_id, index, metric, open_, risk, overdue, stopped, breached in uow.live.clock_counts(
            now, start
        ):
            ctx = contexts.get(agreement_id)
            if ctx is None:
                continue  # no longer live: its clocks are history
            label = ctx.label_of(index)
            objectives.append(
                ObjectiveFigures(
                    agreement_id, ctx.customer_id, label, metric, open_, risk, overdue, stopped, breached
                )
            )
        months = []
        for ctx in contexts.values():
            for o in ctx.availability:
                b = budget.month_budget(outages_of(uow, o.service, now, o.zone), o, now=now)
                months.append(
                    AvailabilityFigures(
                        ctx.agreement_id,
                        ctx.customer_id,
                        o.label,
                        o.service,
                        o.target_percent,
                        b.down_seconds,
                        b.allowed_seconds,
                    )
                )
        return LiveMetrics(objectives, months, uow.platform.notification_counts())
