"""Reading single tickets and their events, for the demo's sample tickets: each ticket's events
in order, a deterministic pick of a ticket that matches, the last event of a source.

The bulk writes that used to live here are in adapters/background/importers/writer.py, reached
through the repository (imports.py), so one module writes history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import Ticket, TicketEvent
from slaforge.domain.time.clocks.model import EventKind
from slaforge.domain.time.clocks.model import TicketEvent as DomainEvent


def events_by_ticket(session: Session, ticket_ids: Sequence[int]) -> dict[int, list[DomainEvent]]:
    """Each ticket's events in the order they happened (ties in the order they were stored)."""
    out: dict[int, list[DomainEvent]] = {tid: [] for tid in ticket_ids}
    stmt = (
        select(TicketEvent)
        .where(TicketEvent.ticket_id.in_(ticket_ids))
        .order_by(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.id)
    )
    for e in session.scalars(stmt):
        event = DomainEvent(at=e.at, kind=EventKind(e.kind), status=e.status, priority=e.priority)
        out[e.ticket_id].append(event)
    return out


def first_ticket(
    session: Session,
    *,
    source: str,
    priority: str | None = None,
    with_status_in: Iterable[str] = (),
    with_kind: EventKind | None = None,
    without_status_in: Iterable[str] = (),
    exclude: Iterable[int] = (),
) -> Ticket | None:
    """The ticket with the lowest external id that matches; a deterministic pick for samples."""
    stmt = select(Ticket).where(Ticket.source == source)
    if priority is not None:
        stmt = stmt.where(Ticket.priority == priority)
    if statuses := list(with_status_in):
        stmt = stmt.where(_has_event(TicketEvent.status.in_(statuses)))
    if without := list(without_status_in):
        stmt = stmt.where(~_has_event(TicketEvent.status.in_(without)))
    if with_kind is not None:
        stmt = stmt.where(_has_event(TicketEvent.kind == with_kind.value))
    if excluded := list(exclude):
        stmt = stmt.where(Ticket.id.not_in(excluded))
    return session.scalars(stmt.order_by(Ticket.external_id).limit(1)).first()


def _has_event(condition: Any) -> Any:
    return exists().where(TicketEvent.ticket_id == Ticket.id, condition)


def latest_event_at(session: Session, *, source: str) -> datetime | None:
    stmt = select(func.max(TicketEvent.at)).join(Ticket).where(Ticket.source == source)
    return session.scalar(stmt)
