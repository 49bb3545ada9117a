"""Keeping a ticket's live clocks: after any event of the ticket arrives (or a repair), each clock
is recomputed from the ticket's full, time-ordered history by the one clock engine and written
over the stored row. Arrival order never matters: a late or out-of-order event lands in the
history, and the history decides.

Called inside the caller's transaction (the event and its clocks commit together). The ticket row
is locked first, so two events of one ticket arriving at once are folded in one after the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from slaforge.adapters.db.models import LiveClock, LiveFiring, Ticket
from slaforge.domain.live.plan import BREACH, ClockPlan, LiveObjective, plan_clock
from slaforge.domain.time.clocks.evaluate import target_for
from slaforge.domain.time.clocks.model import ClockResult, EventKind, TicketEvent
from slaforge.services.live.context import LiveContext, live_contexts
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Refreshed:
    ticket_id: int
    clocks: int  # clocks written
    withdrawn: int = 0  # recorded breaches the history no longer holds


def in_scope(objective: LiveObjective, events: Sequence[TicketEvent]) -> bool:
    """A ticket is in an objective's scope when a priority it had has a target there."""
    priorities: set[str | None] = {e.priority for e in events if e.priority is not None}
    return any(target_for(objective.clock, p) is not None for p in priorities or {None})


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def explanation_of(
    plan: ClockPlan, ctx: LiveContext, objective: LiveObjective, pauses: frozenset[str]
) -> dict[str, Any]:
    """What the clock's figures rest on, stored with it (all instants ISO 8601, UTC)."""
    r = plan.result

    def spans(result: ClockResult) -> dict[str, Any]:
        return {
            "started_at": _iso(result.started_at),
            "stopped_at": _iso(result.stopped_at),
            "elapsed_seconds": result.elapsed_seconds,
            "breached_at": _iso(result.breached_at),
            "counted": [[_iso(a), _iso(b)] for a, b in result.counted],
            "paused": [[_iso(a), _iso(b)] for a, b in result.paused],
            "excused": [[label, _iso(a), _iso(b), secs] for label, a, b, secs in result.excused],
        }

    return {
        "objective": objective.label,
        "version": ctx.version_number,
        "calendar": ctx.calendar_name,
        "timezone": ctx.calendar.timezone,
        "pauses": ctx.pause_rule(),
        "pause_statuses": sorted(pauses),
        "priority": r.priority,
        "cycles": [spans(c) for c in plan.cycles],
        "steps": [
            {
                "step": f.step,
                "cycle_started_at": _iso(f.cycle_started_at),
                "at": _iso(f.at),
                "happened": f.happened,
            }
            for f in plan.firings
        ],
        "risk_at": _iso(plan.risk_at),
    }


def clock_values(
    ticket: Ticket,
    ctx: LiveContext,
    objective: LiveObjective,
    plan: ClockPlan,
    fired: set[tuple[datetime, int]],
    pauses: frozenset[str],
    now: datetime,
    before: LiveClock | None = None,
) -> dict[str, Any]:
    """The clock's row as of `now`; what `before` (the stored row) says of its past versions
    (carried over, which firings count) is kept."""
    r = plan.result
    explanation = explanation_of(plan, ctx, objective, pauses)
    for key in KEPT:
        if before is not None and key in (before.explanation or {}):
            explanation[key] = before.explanation[key]
    return {
        "ticket_id": ticket.id,
        "agreement_id": ctx.agreement_id,
        "version_id": ctx.version_id,
        "customer_id": ctx.customer_id,
        "objective_index": objective.index,
        "metric": objective.clock.metric.value,
        "config_sha256": ctx.config_sha256,
        "state": r.state.value,
        "breached": r.breached,
        "breached_at": r.breached_at,
        "priority": r.priority,
        "target_seconds": r.target_seconds,
        "elapsed_seconds": r.elapsed_seconds,
        "started_at": r.started_at,
        "stopped_at": r.stopped_at,
        "due_at": r.due_at,
        "risk_at": plan.risk_at,
        "next_fire_at": plan.next_fire_at(fired),
        "as_of": now,
        "explanation": explanation,
    }


# What a clock's explanation carries from one computation to the next.
KEPT = ("carried_over", "fired_from_version_id")


def keys_of(firings: Sequence[LiveFiring]) -> set[tuple[datetime, int]]:
    """What a clock has fired, as the plan names it: (cycle start, step)."""
    return {(f.cycle_started_at, f.step) for f in firings}


def plans_for(
    ctx: LiveContext,
    events: Sequence[TicketEvent],
    now: datetime,
    objectives: Sequence[LiveObjective] | None = None,
) -> list[tuple[LiveObjective, ClockPlan, frozenset[str]]]:
    """The clock of each objective (of `objectives`, default all) whose scope holds the ticket."""
    pauses = ctx.pauses_for(events)
    excused = ctx.excused(events, now)
    out = []
    for objective in ctx.objectives if objectives is None else objectives:
        if not in_scope(objective, events):
            continue
        live = replace(objective, clock=replace(objective.clock, pause_statuses=pauses))
        # A later version does not re-judge cycles that ended before it went live (they were judged
        # by the terms then in force); the first version judges the ticket's history as it stands.
        since = ctx.went_live_at if ctx.version_number > 1 else None
        plan = plan_clock(events, live, ctx.calendar, now=now, excused=excused, since=since)
        if plan is not None:
            out.append((objective, plan, pauses))
    return out


LATE = "an event that arrived late changed the ticket's history"


def refresh_ticket(
    uow: UnitOfWork,
    ticket_id: int,
    now: datetime,
    contexts: Sequence[LiveContext] | None = None,
    *,
    reason: str = LATE,
    actor: str = "slaforge",
) -> Refreshed:
    """Recompute and store every live clock of the ticket as of `now` (in the open transaction);
    a recorded breach the history no longer holds is withdrawn with `reason`."""
    ticket = uow.live.lock_ticket(ticket_id)
    if ticket is None or ticket.customer_id is None:
        return Refreshed(ticket_id, 0)
    ctxs = (
        live_contexts(uow, ticket.customer_id)
        if contexts is None
        else [c for c in contexts if c.customer_id == ticket.customer_id]
    )
    events = uow.live.history(ticket.id)
    # Read once: each objective's stored clock, and what a version change may have to end.
    stored_clocks = {(c.agreement_id, c.objective_index): c for c in uow.live.clocks_of_ticket(ticket.id)}
    written = withdrawn = 0
    for ctx in ctxs:
        if ticket.created_at < ctx.went_live_at and _closed_before(events, ctx.went_live_at):
            continue  # history from before the agreement was live
        kept: set[int] = set()
        for objective, plan, pauses in plans_for(ctx, events, now):
            existing = stored_clocks.get((ctx.agreement_id, objective.index))
            kept.add(objective.index)
            carried = existing is not None and existing.version_id != ctx.version_id
            if existing is not None and carried and _ended_before(existing, plan, ctx):
                continue  # it stopped under the earlier version's terms: its record stands as it is
            since = _fired_from(existing, objective, ctx)
            firings = [] if existing is None else uow.live.firings([existing.id])
            counted = [f for f in firings if since is None or f.version_id >= since]
            values = clock_values(ticket, ctx, objective, plan, keys_of(counted), pauses, now, existing)
            if since is not None:
                values["explanation"]["fired_from_version_id"] = since
            if existing is not None and carried:
                values["explanation"]["carried_over"] = _carried(existing, ctx, now)
            stored = uow.live.upsert_clock(values)
            written += 1
            withdrawn += _withdraw(uow, stored, plan, counted, ctx.version_id, reason, actor, now)
        _end_dropped(stored_clocks.values(), ctx, kept, now)
    return Refreshed(ticket.id, written, withdrawn)


def went_live_reason(ctx: LiveContext) -> str:
    return f"version {ctx.version_number} went live on {ctx.went_live_at:%Y-%m-%d %H:%M} UTC"


def _ended_before(existing: LiveClock, plan: ClockPlan, ctx: LiveContext) -> bool:
    """A clock of an earlier version that had stopped, and is still stopped at the same instant
    before the new version went live (no reopen since): the new terms do not re-judge it."""
    r = plan.result
    return (
        existing.state == "stopped"
        and r.stopped_at is not None
        and r.stopped_at == existing.stopped_at
        and r.stopped_at < ctx.went_live_at
    )


def fired_of(firings: Sequence[LiveFiring], clock: LiveClock | None) -> set[tuple[datetime, int]]:
    """What the clock has fired: its firings since the version its objective took this place (a
    step already sent under an earlier version of the same objective is not sent again after the
    clock is carried over; a different objective now in that place starts with nothing fired)."""
    since = None if clock is None else (clock.explanation or {}).get("fired_from_version_id")
    return keys_of([f for f in firings if since is None or f.version_id >= int(since)])


def _fired_from(existing: LiveClock | None, objective: LiveObjective, ctx: LiveContext) -> int | None:
    """The version from which the clock's firings count (None: all of them); version ids only grow."""
    if existing is None:
        return None
    if existing.version_id != ctx.version_id and existing.metric != objective.clock.metric.value:
        return ctx.version_id
    since = (existing.explanation or {}).get("fired_from_version_id")
    return None if since is None else int(since)


def _carried(existing: LiveClock, ctx: LiveContext, now: datetime) -> dict[str, Any]:
    before = dict(existing.explanation or {})
    return {
        "from_version": before.get("version"),
        "to_version": ctx.version_number,
        "at": now.isoformat(),
        "reason": went_live_reason(ctx)
        + ": its targets apply to this clock from the clock's own start, as a priority change does",
        "before": {
            "state": existing.state,
            "target_seconds": existing.target_seconds,
            "due_at": _iso(existing.due_at),
            "breached": existing.breached,
        },
    }


def _end_dropped(clocks: Iterable[LiveClock], ctx: LiveContext, kept: set[int], now: datetime) -> None:
    """Open clocks of an earlier version whose objective the live version no longer has (or no
    longer holds this ticket in scope) end: nothing more fires, and the page says why."""
    for c in clocks:
        if (
            c.agreement_id != ctx.agreement_id
            or c.version_id == ctx.version_id
            or c.objective_index in kept
            or c.state not in ("running", "paused", "not_started")
        ):
            continue
        c.state, c.next_fire_at, c.as_of = "ended", None, now
        c.explanation = {
            **dict(c.explanation or {}),
            "ended": f"{went_live_reason(ctx)} without this objective for this ticket: the clock ended",
        }


def _withdraw(
    uow: UnitOfWork,
    clock: LiveClock,
    plan: ClockPlan,
    firings: Sequence[LiveFiring],
    version_id: int,
    reason: str,
    actor: str,
    now: datetime,
) -> int:
    """Mark each recorded breach of the clock that the recomputed cycles no longer hold as withdrawn,
    saying why, in the audit log too; never delete it. A breach recorded under an earlier version
    was a breach of the terms then in force: a later version's figures never withdraw it."""
    breached = {c.started_at for c in plan.cycles if c.breached}
    count = 0
    for f in firings:
        if f.step != BREACH or f.withdrawn_at is not None or f.cycle_started_at in breached:
            continue
        if f.version_id != version_id:
            continue
        f.withdrawn_at, f.withdrawn_reason = now, reason
        audit.record(
            uow,
            actor=actor,
            action="live.breach_withdrawn",
            subject_type="ticket",
            subject_id=clock.ticket_id,
            at=now,
            data={
                "agreement_id": clock.agreement_id,
                "objective_index": clock.objective_index,
                "clock_id": clock.id,
                "breached_at": f.due_at.isoformat(),
                "reason": reason,
            },
        )
        count += 1
    return count


def _closed_before(events: Sequence[TicketEvent], moment: datetime) -> bool:
    """Whether the ticket's last event (the history is in time order) is a resolution or closure
    before `moment`."""
    return (
        bool(events) and events[-1].at < moment and events[-1].kind in (EventKind.RESOLVED, EventKind.CLOSED)
    )
