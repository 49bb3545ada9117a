"""Repair: recompute a live agreement's open clocks from their tickets' histories after something
they measure by changed (a holiday added to the frozen calendar, a new version gone live, a
correction), in chunks of one
transaction each with progress. A breach recorded before is never erased in silence: when the
recomputed history no longer breaches, the firing is marked withdrawn with the reason, and the
audit log records it (`live.breach_withdrawn`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from slaforge.adapters.db.models import LiveClock
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.accounts import Principal
from slaforge.services.agreement.core import load_agreement, require_provider
from slaforge.services.live.clocks import refresh_ticket, went_live_reason
from slaforge.services.live.context import context_for, live_contexts
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork

CHUNK = 200
Progress = Callable[[int, int], None]  # (clocks done, clocks in all)


@dataclass(frozen=True, slots=True)
class RepairReport:
    agreement_id: int
    clocks: int  # clocks recomputed
    tickets: int
    changed: int  # clocks whose state, deadline or breach changed
    withdrawn: int  # breaches withdrawn


def repair(
    *,
    units: Callable[[], UnitOfWork],
    agreement_id: int,
    reason: str,
    actor: Principal,
    now: datetime,
    progress: Progress | None = None,
) -> RepairReport:
    """Recompute the agreement's open clocks (a person asked: `slaforge clocks repair`)."""
    text = (reason or "").strip()
    if not text or len(text) > 500:
        raise InvalidInput("say in 1 to 500 characters why the clocks are repaired", field="reason")
    uow = units()
    with uow:
        load_agreement(uow, agreement_id)  # another customer's agreement: not found, not refused
        require_provider(uow)
        if context_for(uow, agreement_id) is None:
            raise NotFound(f"agreement {agreement_id} is not live: it has no clocks to repair")
        tickets = sorted({c.ticket_id for c in uow.live.open_clocks(agreement_id)})
    return _recompute(units, agreement_id, tickets, text, actor.email, now, progress)


def repair_after_holidays(*, units: Callable[[], UnitOfWork], now: datetime) -> list[RepairReport]:
    """The scheduler's part: the open clocks of each live agreement last computed before a holiday
    was added to its frozen calendar are recomputed, with the holiday as the reason. Holidays
    only ever close time to come, so until then a clock's deadline can only be too early: the
    scheduler looks at it early and finds nothing due, never late."""
    uow = units()
    with uow:
        work = []
        for ctx in live_contexts(uow):
            added = uow.readiness.added_holidays(ctx.config_id)
            if not added:
                continue
            latest = max(added, key=lambda h: h.added_at)
            tickets = sorted(
                {c.ticket_id for c in uow.live.open_clocks(ctx.agreement_id) if c.as_of < latest.added_at}
            )
            if tickets:
                days = ", ".join(sorted(h.day.isoformat() for h in added if h.added_at == latest.added_at))
                why = f"holiday {days} added to the calendar '{latest.calendar}' by {latest.added_by}"
                work.append((ctx.agreement_id, tickets, why, latest.added_by))
    return [_recompute(units, a, t, why, who, now, None) for a, t, why, who in work]


def carry_over_versions(*, units: Callable[[], UnitOfWork], now: datetime) -> list[RepairReport]:
    """The scheduler's part when a new version of a live agreement has gone live: each open clock
    still under an earlier version is recomputed under the new one (its targets apply from the
    clock's own start, as a priority change does), with the version as the reason. Clocks that
    stopped under the earlier version keep their record; an objective the new version dropped
    ends its open clocks, saying so; breaches recorded before stand."""
    uow = units()
    with uow:
        work = []
        for ctx in live_contexts(uow):
            tickets = sorted(
                {
                    c.ticket_id
                    for c in uow.live.open_clocks(ctx.agreement_id)
                    if c.version_id != ctx.version_id
                }
            )
            if tickets:
                work.append((ctx.agreement_id, tickets, went_live_reason(ctx)))
    return [_recompute(units, a, t, why, "slaforge", now, None) for a, t, why in work]


def _recompute(
    units: Callable[[], UnitOfWork],
    agreement_id: int,
    tickets: list[int],
    reason: str,
    actor: str,
    now: datetime,
    progress: Progress | None,
) -> RepairReport:
    """Refresh the tickets' clocks of the agreement in chunks of one transaction each; each chunk
    that changed a clock records which and how in the audit log (`live.clocks_repaired`)."""
    changed = withdrawn = clocks = 0
    for start in range(0, len(tickets), CHUNK):
        uow = units()
        with uow:
            ctx = context_for(uow, agreement_id)
            if ctx is None:
                break
            moved = []
            for ticket_id in tickets[start : start + CHUNK]:
                before = {
                    c.id: _figures(c)
                    for c in uow.live.clocks_of_ticket(ticket_id)
                    if c.agreement_id == agreement_id
                }
                r = refresh_ticket(uow, ticket_id, now, [ctx], reason=reason, actor=actor)
                for c in uow.live.clocks_of_ticket(ticket_id):
                    if c.agreement_id == agreement_id and before.get(c.id) != _figures(c):
                        moved.append(
                            {
                                "clock_id": c.id,
                                "ticket_id": ticket_id,
                                "before": _said(before.get(c.id)),
                                "after": _said(_figures(c)),
                            }
                        )
                withdrawn += r.withdrawn
                clocks += r.clocks
            changed += len(moved)
            if moved:
                audit.record(
                    uow,
                    actor=actor,
                    action="live.clocks_repaired",
                    subject_type="agreement",
                    subject_id=agreement_id,
                    at=now,
                    data={"reason": reason, "changed": moved[:100], "count": len(moved)},
                )
            uow.commit()
        if progress is not None:
            progress(min(start + CHUNK, len(tickets)), len(tickets))
    return RepairReport(agreement_id, clocks, len(tickets), changed, withdrawn)


# What a repair can change (elapsed time grows by itself while a clock runs: not a change).
Figures = tuple[str, datetime | None, bool, datetime | None]


def _figures(c: LiveClock) -> Figures:
    return (c.state, c.due_at, c.breached, c.breached_at)


def _said(f: Figures | None) -> dict[str, object] | None:
    if f is None:
        return None
    state, due, breached, breached_at = f
    return {
        "state": state,
        "due_at": None if due is None else due.isoformat(),
        "breached": breached,
        "breached_at": None if breached_at is None else breached_at.isoformat(),
    }
