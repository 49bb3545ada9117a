"""Repair: recompute a live agreement's open clocks from their tickets' histories after something
they measure by changed (a holiday added to the frozen calendar, a correction), in chunks of one
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
from slaforge.services.agreement.core import require_provider
from slaforge.services.live.clocks import refresh_ticket
from slaforge.services.live.context import context_for
from slaforge.services.unit_of_work import UnitOfWork

CHUNK = 200
Progress = Callable[[int, int], None]  # (clocks done, clocks in all)


@dataclass(frozen=True, slots=True)
class RepairReport:
    agreement_id: int
    clocks: int  # clocks recomputed
    tickets: int
    changed: int  # clocks whose state, elapsed time, deadline or breach changed
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
    text = (reason or "").strip()
    if not text or len(text) > 500:
        raise InvalidInput("say in 1 to 500 characters why the clocks are repaired", field="reason")
    uow = units()
    with uow:
        require_provider(uow)
        if context_for(uow, agreement_id) is None:
            raise NotFound(f"agreement {agreement_id} is not live: it has no clocks to repair")
        tickets = sorted({c.ticket_id for c in uow.live.open_clocks(agreement_id)})
    done = changed = withdrawn = clocks = 0
    for start in range(0, len(tickets), CHUNK):
        uow = units()
        with uow:
            ctx = context_for(uow, agreement_id)
            if ctx is None:
                break
            for ticket_id in tickets[start : start + CHUNK]:
                before = {
                    c.id: _figures(c)
                    for c in uow.live.clocks_of_ticket(ticket_id)
                    if c.agreement_id == agreement_id
                }
                r = refresh_ticket(uow, ticket_id, now, [ctx], reason=text, actor=actor.email)
                after = {
                    c.id: _figures(c)
                    for c in uow.live.clocks_of_ticket(ticket_id)
                    if c.agreement_id == agreement_id
                }
                changed += sum(1 for k, v in after.items() if before.get(k) != v)
                withdrawn += r.withdrawn
                clocks += r.clocks
            uow.commit()
        done = min(start + CHUNK, len(tickets))
        if progress is not None:
            progress(done, len(tickets))
    return RepairReport(agreement_id, clocks, len(tickets), changed, withdrawn)


def _figures(c: LiveClock) -> tuple[object, ...]:
    return (c.state, c.elapsed_seconds, c.due_at, c.breached, c.breached_at)
