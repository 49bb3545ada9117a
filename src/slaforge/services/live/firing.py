"""Warnings, breaches and escalations, each exactly once: the scheduler's part of the live step.

`fire_due` claims the clocks whose `next_fire_at` has come (`FOR UPDATE SKIP LOCKED` on
PostgreSQL: any number of workers, each clock to one of them), recomputes each from its ticket's
history as of now, and for everything that has fallen due — a ladder step, a breach — writes a
firing row (unique per clock, cycle and step) and, in the same transaction, queues the step's
notifications in the outbox (deduplicated by the firing). A worker killed mid-batch commits
nothing; another claims the clocks and does the batch again. The outbox then sends each queued
notification at least once, with a stable delivery id (the `Idempotency-Key` / `X-Slaforge-Delivery`
header, an e-mail's Message-ID) by which receivers drop the copy a crash between sending and
recording may cause (docs/live.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from slaforge.adapters.db.models import LiveClock, Ticket
from slaforge.domain.live.plan import BREACH, Firing, LiveObjective, Step
from slaforge.services.live.clocks import clock_values, fired_of, plans_for, refresh_ticket, went_live_reason
from slaforge.services.live.context import LiveContext, context_for
from slaforge.services.platform import audit, notifications
from slaforge.services.unit_of_work import UnitOfWork

ACTOR = "slaforge scheduler"


@dataclass(frozen=True, slots=True)
class FireReport:
    clocks: int = 0  # clocks looked at
    steps: int = 0  # ladder steps fired
    breaches: int = 0  # breaches recorded
    queued: int = 0  # notifications queued

    def __str__(self) -> str:
        return (
            f"{self.clocks} clock(s) due: {self.breaches} breach(es), {self.steps} ladder step(s), "
            f"{self.queued} notification(s) queued"
        )


def _local(at: datetime, zone: str) -> str:
    return at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def _hours(seconds: float | None) -> str:
    if seconds is None:
        return "no target"
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def _outgoing(
    ctx: LiveContext,
    objective: LiveObjective,
    step: Step,
    firing: Firing,
    firing_id: int,
    clock: LiveClock,
    ticket: Ticket,
) -> notifications.Outgoing:
    zone = ctx.calendar.timezone
    breach = step.at >= 1
    kind = "sla.breach" if breach else "sla.warning"
    what = "breached" if breach else f"at {step.at:.0%} of its target"
    subject = f"[SLA] {ticket.external_id}: {objective.label} {what}"
    due = "—" if clock.due_at is None else _local(clock.due_at, zone)
    body = "\n".join(
        [
            f"Ticket {ticket.external_id} (priority {clock.priority or ticket.priority}), agreement "
            f"{ctx.agreement_id} version {ctx.version_number}.",
            f"{objective.label}: {_hours(clock.elapsed_seconds)} of {_hours(clock.target_seconds)} business "
            f"time used; due {due}.",
            f"Reached {what} at {_local(firing.at, zone)}.",
            f"Action: {step.action} (within {_hours(step.within)}).",
            "",
            f"This is step {firing.step + 1} of the escalation ladder; it is sent once "
            f"(idempotency key live-firing-{firing_id}).",
        ]
    )
    payload = {
        "idempotency_key": f"live-firing-{firing_id}",
        "agreement_id": ctx.agreement_id,
        "version": ctx.version_number,
        "objective_index": objective.index,
        "objective": objective.label,
        "ticket": ticket.external_id,
        "ticket_id": ticket.id,
        "step": firing.step,
        "share": step.at,
        "reached_at": firing.at.isoformat(),
        "due_at": None if clock.due_at is None else clock.due_at.isoformat(),
        "elapsed_seconds": clock.elapsed_seconds,
        "target_seconds": clock.target_seconds,
        "action": step.action,
        "within_seconds": step.within,
    }
    return notifications.Outgoing(
        event=kind, dedupe=f"live-firing:{firing_id}", subject=subject, body=body, payload=payload
    )


def _queue(uow: UnitOfWork, item: notifications.Outgoing, step: Step, now: datetime) -> int:
    target = [step.notify]
    rows = notifications.queue(
        uow,
        item,
        emails=target if step.channel == "email" else [],
        webhooks=target if step.channel == "webhook" else [],
        slack=target if step.channel == "slack" else [],
        now=now,
    )
    return len(rows)


def _fire_clock(uow: UnitOfWork, clock: LiveClock, ctx: LiveContext | None, now: datetime) -> FireReport:
    ticket = uow.live.lock_ticket(clock.ticket_id, skip_locked=True)
    if ticket is None:
        # An event of the ticket is being delivered: its transaction recomputes this clock; the
        # next pass fires what is then due. (Waiting here could deadlock with it: it waits for
        # the clock row this pass holds.)
        return FireReport()
    objective = (
        None if ctx is None else next((o for o in ctx.objectives if o.index == clock.objective_index), None)
    )
    if ctx is not None and ctx.version_id != clock.version_id:
        # A newer version went live: carry the ticket's clocks over to it now (the pass that
        # carries every open clock over may not have reached this one); the next pass fires them.
        refresh_ticket(uow, ticket.id, now, [ctx], reason=went_live_reason(ctx), actor=ACTOR)
        return FireReport(clocks=1)
    if ctx is None or objective is None:
        clock.next_fire_at = None  # the agreement is no longer live: nothing fires
        return FireReport(clocks=1)
    events = uow.live.history(ticket.id)
    found = plans_for(ctx, events, now, [objective])
    if not found:
        clock.next_fire_at = None
        return FireReport(clocks=1)
    _, plan, pauses = found[0]
    fired = fired_of(uow.live.firings([clock.id]), clock)
    steps = breaches = queued = 0
    stored = uow.live.upsert_clock(clock_values(ticket, ctx, objective, plan, fired, pauses, now, clock))
    for f in plan.due(now, fired):
        row = uow.live.add_firing_once(
            {
                "clock_id": stored.id,
                "cycle_started_at": f.cycle_started_at,
                "step": f.step,
                "version_id": ctx.version_id,
                "kind": "breach" if f.step == BREACH else "step",
                "due_at": f.at,
                "fired_at": now,
                "notified": [],
            }
        )
        fired.add(f.key)
        if row is None:
            continue  # another scheduler recorded it
        if f.step == BREACH:
            breaches += 1
            audit.record(
                uow,
                actor=ACTOR,
                action="live.breach",
                subject_type="ticket",
                subject_id=ticket.id,
                at=now,
                data={
                    "agreement_id": ctx.agreement_id,
                    "objective_index": objective.index,
                    "clock_id": stored.id,
                    "breached_at": f.at.isoformat(),
                    "cycle_started_at": f.cycle_started_at.isoformat(),
                },
            )
            continue
        step = objective.ladder[f.step]
        steps += 1
        queued += _queue(uow, _outgoing(ctx, objective, step, f, row.id, stored, ticket), step, now)
        row.notified = [[step.channel, step.notify]]
    # Not yet happened though its instant has come (a deadline projected to exactly now): look
    # again a moment later; the next pass will find it over.
    nxt = plan.next_fire_at(fired)
    stored.next_fire_at = nxt if nxt is None or nxt > now else now + timedelta(microseconds=1)
    return FireReport(1, steps, breaches, queued)


def fire_due(
    *, units: Callable[[], UnitOfWork], now: datetime, batch: int = 50, limit: int = 10_000
) -> FireReport:
    """Fire everything due at `now`: at most `limit` clocks, `batch` per transaction."""
    total = FireReport()
    seen: set[int] = set()
    while total.clocks < limit:
        uow = units()
        with uow:
            claimed = uow.live.claim_due_clocks(now, batch, skip=seen)
            if not claimed:
                break
            contexts: dict[int, LiveContext | None] = {}
            for clock in claimed:
                seen.add(clock.id)
                if clock.agreement_id not in contexts:
                    contexts[clock.agreement_id] = context_for(uow, clock.agreement_id)
                r = _fire_clock(uow, clock, contexts[clock.agreement_id], now)
                total = FireReport(
                    total.clocks + r.clocks,
                    total.steps + r.steps,
                    total.breaches + r.breaches,
                    total.queued + r.queued,
                )
            uow.commit()
    return total
