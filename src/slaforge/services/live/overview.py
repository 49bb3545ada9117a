"""The live agreements at a glance, for the provider's dashboard and a customer's portal home:
per live agreement its clocks open, at risk and overdue right now, each objective's attainment
this period against its threshold and over its last closed periods (the trend), the last closed
period's credit, the claims awaiting a decision and the newest report. Read through the caller's
unit of work, so a customer's user sees its own only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slaforge.adapters.db.models import LivePeriod
from slaforge.domain.live import availability as budget
from slaforge.services.agreement.core import load_customer
from slaforge.services.live.compliance import compliance_of, latest_figures
from slaforge.services.live.context import live_contexts
from slaforge.services.unit_of_work import UnitOfWork

TREND = 6  # closed periods drawn per objective


@dataclass(frozen=True, slots=True)
class ObjectiveNow:
    objective: str
    attainment: float | None
    threshold: float
    complies: bool | None
    trend: list[tuple[str, float | None]]  # the last closed periods' attainment, as adjusted, oldest first


@dataclass(frozen=True, slots=True)
class LiveRow:
    agreement_id: int
    customer: str
    version: int
    open: int
    at_risk: int
    overdue: int
    objectives: list[ObjectiveNow]
    last_closed: str | None  # the last closed period's label
    last_credit: float | None  # its credit after the cap
    claims_waiting: int
    reports: int = 0  # kept reports the caller may read
    latest_report: tuple[int, str, str, str] | None = None  # id, name, period, format


def live_overview(*, uow: UnitOfWork, now: datetime) -> list[LiveRow]:
    start, _ = budget.month_of(now)
    with uow:
        counts: dict[int, list[int]] = {}
        for agreement_id, _i, _m, open_, risk, overdue, _s, _b in uow.live.clock_counts(now, start):
            c = counts.setdefault(agreement_id, [0, 0, 0])
            c[0], c[1], c[2] = c[0] + open_, c[1] + risk, c[2] + overdue
        rows = []
        for ctx in live_contexts(uow):
            standing = compliance_of(uow=uow.joined(), agreement_id=ctx.agreement_id, now=now)
            closed = uow.live.periods_of(ctx.agreement_id)
            labels = sorted({p.label for p in closed})
            last = labels[-1] if labels else None
            credit = (
                None
                if last is None
                else compliance_of(
                    uow=uow.joined(), agreement_id=ctx.agreement_id, now=now, period=last
                ).credit
            )
            waiting = sum(1 for c in uow.live.claims_of(ctx.agreement_id) if c.state == "filed")
            kept = uow.live.reports_of(ctx.agreement_id)  # newest period first
            by_objective: dict[int, list[LivePeriod]] = {}
            for p in closed:  # oldest first
                by_objective.setdefault(p.objective_index, []).append(p)
            # Only the periods drawn are read (each may have adjustments).
            trends = {
                i: [(p.label, latest_figures(uow, p).get("attainment")) for p in ps[-TREND:]]
                for i, ps in by_objective.items()
            }
            open_, risk, overdue = counts.get(ctx.agreement_id, [0, 0, 0])
            rows.append(
                LiveRow(
                    ctx.agreement_id,
                    load_customer(uow, ctx.customer_id).name,
                    ctx.version_number,
                    open_,
                    risk,
                    overdue,
                    [
                        ObjectiveNow(
                            o.objective,
                            o.figures.get("attainment"),
                            o.figures["threshold"],
                            o.figures.get("complies"),
                            trends.get(o.objective_index, []),
                        )
                        for o in standing.objectives
                    ],
                    last,
                    credit,
                    waiting,
                    len(kept),
                    (kept[0].id, kept[0].name, kept[0].period, kept[0].format) if kept else None,
                )
            )
        return rows
