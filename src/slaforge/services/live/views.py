"""What people read of the live clocks: per ticket (each clock's state, time left in business
time, due instant, the warnings already sent and the explanation) and per agreement (a queue of
what breaches next, filters for at-risk and breached). Scoped by the unit of work: a customer's
user sees only its own tickets' clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.adapters.db.models import LiveClock, LiveFiring, Ticket
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.live.plan import BREACH
from slaforge.domain.time.calendar.business import BusinessCalendar
from slaforge.services.agreement.core import load_agreement
from slaforge.services.live.context import context_for
from slaforge.services.unit_of_work import UnitOfWork

FILTERS = ("open", "at_risk", "breached", "all")


@dataclass(frozen=True, slots=True)
class FiringView:
    step: int  # ladder step index, -1 for the breach
    kind: str
    due_at: datetime
    fired_at: datetime
    notified: list[Any]
    withdrawn_at: datetime | None
    withdrawn_reason: str | None
    version_id: int  # the agreement version in force when it was recorded


@dataclass(frozen=True, slots=True)
class ClockView:
    id: int
    ticket_id: int
    external_id: str
    agreement_id: int
    version_id: int
    objective_index: int
    objective: str
    metric: str
    state: str
    breached: bool
    breached_at: datetime | None
    priority: str | None
    target_seconds: float | None
    elapsed_seconds: float
    remaining_seconds: float | None  # business seconds left as of `as_of` (negative: over)
    started_at: datetime | None
    stopped_at: datetime | None
    due_at: datetime | None
    risk_at: datetime | None
    as_of: datetime
    timezone: str
    config_sha256: str
    explanation: dict[str, Any]
    firings: list[FiringView]

    @property
    def at_risk(self) -> bool:
        return (
            self.state == "running"
            and not self.breached
            and self.risk_at is not None
            and self.risk_at <= self.as_of
        )


def _firing(f: LiveFiring) -> FiringView:
    kind = "breach" if f.step == BREACH else "step"
    return FiringView(
        f.step, kind, f.due_at, f.fired_at, list(f.notified), f.withdrawn_at, f.withdrawn_reason, f.version_id
    )


def view_of(
    clock: LiveClock,
    ticket: Ticket,
    firings: list[LiveFiring],
    now: datetime,
    calendar: BusinessCalendar | None,
) -> ClockView:
    """The stored clock read at `now`. A running clock's row is as of its last event or look; until
    the next event nothing but time changes it, so its elapsed time now is that plus the open
    business time since (exactly what a recompute would give)."""
    elapsed, as_of = clock.elapsed_seconds, clock.as_of
    ex = dict(clock.explanation or {})
    if clock.state == "running" and calendar is not None and now > as_of:
        elapsed += calendar.business_seconds(as_of, now)
        if ex.get("cycles"):  # the open time since then counted too: the explanation says so
            last = dict(ex["cycles"][-1])
            since = [[a.isoformat(), b.isoformat()] for a, b in calendar.open_intervals(as_of, now)]
            last["counted"] = [*last.get("counted", []), *since]
            ex["cycles"] = [*ex["cycles"][:-1], last]
        as_of = now
    remaining = None if clock.target_seconds is None else clock.target_seconds - elapsed
    breached, breached_at = clock.breached, clock.breached_at
    if not breached and remaining is not None and remaining < 0:
        breached, breached_at = True, clock.due_at  # over its target; the scheduler records it
    return ClockView(
        id=clock.id,
        ticket_id=ticket.id,
        external_id=ticket.external_id,
        agreement_id=clock.agreement_id,
        version_id=clock.version_id,
        objective_index=clock.objective_index,
        objective=str(ex.get("objective") or clock.metric),
        metric=clock.metric,
        state=clock.state,
        breached=breached,
        breached_at=breached_at,
        priority=clock.priority,
        target_seconds=clock.target_seconds,
        elapsed_seconds=elapsed,
        remaining_seconds=remaining,
        started_at=clock.started_at,
        stopped_at=clock.stopped_at,
        due_at=clock.due_at,
        risk_at=clock.risk_at,
        as_of=as_of,
        timezone=str(ex.get("timezone") or "UTC"),
        config_sha256=clock.config_sha256,
        explanation=ex,
        firings=[_firing(f) for f in firings if f.clock_id == clock.id],
    )


@dataclass(frozen=True, slots=True)
class TicketClocks:
    ticket_id: int
    external_id: str
    source: str
    customer_id: int | None
    priority: str
    status: str
    created_at: datetime
    clocks: list[ClockView]


def _calendars(uow: UnitOfWork, agreement_ids: set[int]) -> dict[int, BusinessCalendar]:
    out = {}
    for agreement_id in agreement_ids:
        ctx = context_for(uow, agreement_id)
        if ctx is not None:
            out[agreement_id] = ctx.calendar
    return out


def ticket_clocks(*, uow: UnitOfWork, ticket_id: int, now: datetime | None = None) -> TicketClocks:
    """The ticket's clocks as of `now` (default: the unit of work's clock); NotFound for a ticket
    the caller may not see."""
    with uow:
        at = now or uow.now()
        ticket = uow.background.ticket(ticket_id)
        if ticket is None:
            raise NotFound(f"no ticket {ticket_id}")
        clocks = uow.live.clocks_of_ticket(ticket.id)
        firings = uow.live.firings([c.id for c in clocks])
        calendars = _calendars(uow, {c.agreement_id for c in clocks})
        views = [view_of(c, ticket, firings, at, calendars.get(c.agreement_id)) for c in clocks]
        return TicketClocks(
            ticket.id,
            ticket.external_id,
            ticket.source,
            ticket.customer_id,
            ticket.priority,
            ticket.status,
            ticket.created_at,
            views,
        )


@dataclass(frozen=True, slots=True)
class ClockPage:
    data: list[ClockView]
    total: int
    which: str
    now: datetime


def agreement_clocks(
    *,
    uow: UnitOfWork,
    agreement_id: int | None,
    which: str = "open",
    now: datetime,
    limit: int = 50,
    offset: int = 0,
) -> ClockPage:
    """The clocks of one agreement (None: every agreement the caller may see), filtered: open
    ones by the instant they breach (the queue), at-risk ones likewise, breached ones newest first."""
    if which not in FILTERS:
        raise InvalidInput(f"must be one of {', '.join(FILTERS)}", field="which", value=which)
    if not 1 <= limit <= 500:
        raise InvalidInput("must be between 1 and 500", field="limit", value=limit)
    with uow:
        if agreement_id is not None:
            load_agreement(uow, agreement_id)  # NotFound across tenancy
        rows, total = uow.live.page_clocks(
            agreement_id=agreement_id, now=now, which=which, limit=limit, offset=offset
        )
        firings = uow.live.firings([c.id for c, _ in rows])
        calendars = _calendars(uow, {c.agreement_id for c, _ in rows})
        data = [view_of(c, t, firings, now, calendars.get(c.agreement_id)) for c, t in rows]
        return ClockPage(data, total, which, now)
