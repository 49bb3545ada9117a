"""Availability's warnings and breach, fired once each: for each live availability objective, this
month and the last (an outage may be delivered after its month ended), the ladder steps and the
breach that have fallen due are recorded once per agreement, objective, month and step (a unique
key), their notifications queued in the same transaction; a breach the corrected outages no longer
show is withdrawn with the reason (domain/live/availability.py holds the rule)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from slaforge.domain.live import availability as budget
from slaforge.domain.live.plan import BREACH, Step
from slaforge.services.live.availability import domain_outages
from slaforge.services.live.context import LiveContext, live_contexts
from slaforge.services.platform import audit, notifications
from slaforge.services.unit_of_work import UnitOfWork

ACTOR = "slaforge scheduler"


@dataclass(frozen=True, slots=True)
class AvailabilityFired:
    steps: int = 0
    breaches: int = 0
    queued: int = 0
    withdrawn: int = 0


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s"


def _outgoing(
    ctx: LiveContext,
    o: budget.AvailabilityObjective,
    b: budget.MonthBudget,
    step: Step,
    s: budget.BudgetStep,
    fid: int,
) -> notifications.Outgoing:
    what = "over its allowed downtime" if step.at >= 1 else f"at {step.at:.0%} of its allowed downtime"
    subject = f"[SLA] {o.service} {b.month_start:%Y-%m}: availability {what}"
    body = "\n".join(
        [
            f"Agreement {ctx.agreement_id} version {ctx.version_number}: {o.label}, "
            f"target {o.target_percent:g} %.",
            f"Downtime this month (UTC, planned maintenance excluded): {_minutes(b.down_seconds)} of "
            f"{_minutes(b.allowed_seconds)} allowed.",
            f"Reached at {s.at:%Y-%m-%d %H:%M:%S} UTC.",
            f"Action: {step.action} (within {_minutes(step.within)}).",
            "",
            f"Step {s.step + 1} of the escalation ladder; sent once "
            f"(idempotency key live-availability-{fid}).",
        ]
    )
    payload = {
        "idempotency_key": f"live-availability-{fid}",
        "agreement_id": ctx.agreement_id,
        "version": ctx.version_number,
        "objective_index": o.index,
        "objective": o.label,
        "service": o.service,
        "month": f"{b.month_start:%Y-%m}",
        "step": s.step,
        "share": step.at,
        "reached_at": s.at.isoformat(),
        "down_seconds": b.down_seconds,
        "allowed_seconds": b.allowed_seconds,
        "action": step.action,
    }
    return notifications.Outgoing(
        event="sla.breach" if step.at >= 1 else "sla.warning",
        dedupe=f"live-availability:{fid}",
        subject=subject,
        body=body,
        payload=payload,
    )


def _fire_month(
    uow: UnitOfWork, ctx: LiveContext, o: budget.AvailabilityObjective, month: datetime, now: datetime
) -> AvailabilityFired:
    start, end = budget.month_of(month, o.zone)
    b = budget.month_budget(
        domain_outages(uow.live.outages_of_service(o.service, start, end)), o, now=now, month=month
    )
    key = budget.month_key(start, o.zone)
    steps = breaches = queued = withdrawn = 0
    for s in b.steps:
        if not s.happened or s.at > now or (s.step != BREACH and end <= now) or s.at < ctx.went_live_at:
            continue  # not yet; a warning of a month gone by (moot); or before the terms were in force
        row = uow.live.add_availability_firing_once(
            {
                "agreement_id": ctx.agreement_id,
                "objective_index": o.index,
                "month": key,
                "step": s.step,
                "version_id": ctx.version_id,
                "kind": "breach" if s.step == BREACH else "step",
                "due_at": s.at,
                "fired_at": now,
                "notified": [],
            }
        )
        if row is None:
            continue  # recorded before, or by another scheduler now
        if s.step == BREACH:
            breaches += 1
            audit.record(
                uow,
                actor=ACTOR,
                action="live.availability_breach",
                subject_type="agreement",
                subject_id=ctx.agreement_id,
                at=now,
                data={
                    "objective_index": o.index,
                    "service": o.service,
                    "month": f"{start:%Y-%m}",
                    "breached_at": s.at.isoformat(),
                    "down_seconds": b.down_seconds,
                    "allowed_seconds": b.allowed_seconds,
                },
            )
            continue
        step = o.ladder[s.step]
        rows = notifications.queue(
            uow,
            _outgoing(ctx, o, b, step, s, row.id),
            emails=[step.notify] if step.channel == "email" else [],
            webhooks=[step.notify] if step.channel == "webhook" else [],
            slack=[step.notify] if step.channel == "slack" else [],
            now=now,
        )
        row.notified = [[step.channel, step.notify]]
        steps, queued = steps + 1, queued + len(rows)
    if not b.breached:
        for f in uow.live.availability_firings(ctx.agreement_id, key):
            if f.objective_index != o.index or f.step != BREACH or f.withdrawn_at is not None:
                continue
            reason = (
                f"the outages recorded for {o.service} no longer exceed the allowance "
                f"({_minutes(b.down_seconds)} of {_minutes(b.allowed_seconds)}): an outage was corrected"
            )
            if uow.live.withdraw_availability_firing(f.id, now, reason):
                audit.record(
                    uow,
                    actor=ACTOR,
                    action="live.availability_breach_withdrawn",
                    subject_type="agreement",
                    subject_id=ctx.agreement_id,
                    at=now,
                    data={
                        "objective_index": o.index,
                        "month": f"{start:%Y-%m}",
                        "reason": reason,
                    },
                )
                withdrawn += 1
    return AvailabilityFired(steps, breaches, queued, withdrawn)


def fire_availability(*, units: Callable[[], UnitOfWork], now: datetime) -> AvailabilityFired:
    """The scheduler's part: for each live availability objective, this month and the last (an
    outage may be delivered after its month ended), fire what has fallen due, once each."""
    total = AvailabilityFired()
    uow = units()
    with uow:
        contexts = [c for c in live_contexts(uow) if c.availability]
    for ctx in contexts:
        zone = ctx.calendar.timezone  # the agreement's months
        this_month, _ = budget.month_of(now, zone)
        months = (this_month - timedelta(days=1), this_month)
        uow = units()
        with uow:
            for o in ctx.availability:
                for month in (m for m in months if budget.month_of(m, zone)[1] > ctx.went_live_at):
                    r = _fire_month(uow, ctx, o, month, now)
                    total = AvailabilityFired(
                        total.steps + r.steps,
                        total.breaches + r.breaches,
                        total.queued + r.queued,
                        total.withdrawn + r.withdrawn,
                    )
            uow.commit()
    return total
