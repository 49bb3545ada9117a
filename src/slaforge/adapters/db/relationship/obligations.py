"""The tickets customer obligations are measured on: those with an event that starts one."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import Customer, Service, Ticket, TicketEvent


@dataclass(frozen=True, slots=True)
class ObligationTicket:
    """A ticket as the obligations read it; `service` and `customer` are names (segment values)."""

    id: int
    external_id: str
    source: str
    priority: str
    category: str | None
    service: str | None
    customer: str | None
    customer_id: int | None
    batch_id: int | None
    status: str
    created_at: datetime
    resolved_at: datetime | None


class ObligationQueries:
    _session: Session

    def ticket_by_reference(self, ref: str) -> int | None:
        """The id of the ticket with this id, else with this external id (lowest id if several sources)."""
        ref = ref.strip()
        if ref.isdigit() and self._session.get(Ticket, int(ref)) is not None:
            return int(ref)
        stmt = select(Ticket.id).where(Ticket.external_id == ref).order_by(Ticket.id).limit(1)
        return self._session.scalar(stmt)

    def tickets_starting(
        self,
        *,
        statuses: Collection[str],
        kinds: Collection[str],
        period: tuple[datetime, datetime] | None = None,
        sources: Sequence[str] | None = None,
        customer_id: int | None = None,
        ticket_ids: Collection[int] | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[ObligationTicket]:
        """Tickets with an event that enters one of `statuses` or is of one of `kinds`, oldest
        first (or newest); narrowed to a study's period and sources, one customer, or given tickets."""
        if not statuses and not kinds:
            return []
        starts = or_(TicketEvent.status.in_(sorted(statuses)), TicketEvent.kind.in_(sorted(kinds)))
        has = exists().where(TicketEvent.ticket_id == Ticket.id, starts)
        stmt = (
            select(Ticket, Service.name, Customer.name)
            .outerjoin(Service, Service.id == Ticket.service_id)
            .outerjoin(Customer, Customer.id == Ticket.customer_id)
            .where(has)
        )
        if newest_first:
            stmt = stmt.order_by(Ticket.created_at.desc(), Ticket.id.desc())
        else:
            stmt = stmt.order_by(Ticket.created_at, Ticket.id)
        if sources is not None:
            stmt = stmt.where(Ticket.source.in_(sorted(sources)))
        if period is not None:
            stmt = stmt.where(Ticket.created_at >= period[0], Ticket.created_at < period[1])
        if customer_id is not None:
            stmt = stmt.where(Ticket.customer_id == customer_id)
        if ticket_ids is not None:
            stmt = stmt.where(Ticket.id.in_(sorted(ticket_ids)))
        if limit is not None:
            stmt = stmt.limit(limit)
        return [
            ObligationTicket(
                id=t.id,
                external_id=t.external_id,
                source=t.source,
                priority=t.priority,
                category=t.category,
                service=service,
                customer=customer,
                customer_id=t.customer_id,
                batch_id=t.batch_id,
                status=t.status,
                created_at=t.created_at,
                resolved_at=t.resolved_at,
            )
            for t, service, customer in self._session.execute(stmt)
        ]
