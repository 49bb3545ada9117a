"""Tickets, their events and outages one by one (as the API enters and edits them), the customers
and services they name, and the source keys history is stored under."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from slaforge.adapters.db.listing import fetch_page
from slaforge.adapters.db.models import Customer, Outage, Service, Ticket, TicketEvent
from slaforge.domain.platform.listing import ListQuery, Page
from slaforge.domain.time.clocks.model import EventKind
from slaforge.domain.time.clocks.model import TicketEvent as DomainEvent


class TicketQueries:
    _session: Session

    # ------------------------------------------------------------------ customers and services
    def customer(self, customer_id: int) -> Customer | None:
        return self._session.get(Customer, customer_id)

    def service(self, service_id: int) -> Service | None:
        return self._session.get(Service, service_id)

    def customer_names(self, customer_ids: Iterable[int]) -> dict[int, str]:
        chosen = select(Customer.id, Customer.name).where(Customer.id.in_(set(customer_ids)))
        return {ident: name for ident, name in self._session.execute(chosen)}  # noqa: C416 (Row objects)

    def customer_services(self, customer_id: int) -> set[str]:
        """The names of the services the customer's tickets are about."""
        stmt = (
            select(Service.name)
            .join(Ticket, Ticket.service_id == Service.id)
            .where(Ticket.customer_id == customer_id)
        )
        return set(self._session.scalars(stmt.distinct()))

    # ------------------------------------------------------------------ sources
    def history_sources(self) -> set[str]:
        """The source keys tickets and outages are stored under."""
        tickets = self._session.scalars(select(Ticket.source).distinct())
        return set(tickets) | set(self._session.scalars(select(Outage.source).distinct()))

    def ticket_priorities(self, limit: int) -> list[str | None]:
        """Distinct priorities of the stored tickets (at most `limit`)."""
        return list(self._session.scalars(select(Ticket.priority).distinct().limit(limit)))

    # ------------------------------------------------------------------ tickets and events
    def ticket(self, ticket_id: int) -> Ticket | None:
        return self._session.get(Ticket, ticket_id)

    def ticket_exists(self, *, source: str, external_id: str) -> bool:
        stmt = select(exists().where(Ticket.source == source, Ticket.external_id == external_id))
        return bool(self._session.scalar(stmt))

    def page_tickets(self, query: ListQuery) -> Page[Ticket]:
        return fetch_page(
            self._session,
            Ticket,
            query,
            sortable={
                "id": Ticket.id,
                "created_at": Ticket.created_at,
                "priority": Ticket.priority,
                "status": Ticket.status,
                "resolved_at": Ticket.resolved_at,
            },
            filterable={
                "customer_id": Ticket.customer_id,
                "service_id": Ticket.service_id,
                "priority": Ticket.priority,
                "status": Ticket.status,
                "category": Ticket.category,
                "source": Ticket.source,
            },
            searchable=(Ticket.external_id, Ticket.category),
            default_sort="-created_at",
        )

    def page_events(self, ticket_id: int, query: ListQuery) -> Page[TicketEvent]:
        return fetch_page(
            self._session,
            TicketEvent,
            query,
            sortable={"id": TicketEvent.id, "at": TicketEvent.at},
            filterable={"kind": TicketEvent.kind},
            where=[TicketEvent.ticket_id == ticket_id],
            default_sort="at",
        )

    def event_by_dedupe_key(self, ticket_id: int, key: str) -> TicketEvent | None:
        stmt = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id, TicketEvent.dedupe_key == key)
        return self._session.scalar(stmt)

    def events_by_ticket(self, ticket_ids: Sequence[int]) -> dict[int, list[DomainEvent]]:
        """Each ticket's events in the order they happened (ties in the order they were stored)."""
        out: dict[int, list[DomainEvent]] = {tid: [] for tid in ticket_ids}
        stmt = (
            select(TicketEvent)
            .where(TicketEvent.ticket_id.in_(ticket_ids))
            .order_by(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.id)
        )
        for e in self._session.scalars(stmt):
            event = DomainEvent(at=e.at, kind=EventKind(e.kind), status=e.status, priority=e.priority)
            out[e.ticket_id].append(event)
        return out

    def first_ticket(
        self,
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
        return self._session.scalars(stmt.order_by(Ticket.external_id).limit(1)).first()

    def latest_event_at(self, *, source: str) -> datetime | None:
        stmt = select(func.max(TicketEvent.at)).join(Ticket).where(Ticket.source == source)
        return self._session.scalar(stmt)

    # ------------------------------------------------------------------ outages
    def outage(self, outage_id: int) -> Outage | None:
        return self._session.get(Outage, outage_id)

    def outage_exists(self, *, source: str, external_id: str) -> bool:
        stmt = select(exists().where(Outage.source == source, Outage.external_id == external_id))
        return bool(self._session.scalar(stmt))

    def page_outages(self, query: ListQuery) -> Page[Outage]:
        return fetch_page(
            self._session,
            Outage,
            query,
            sortable={"id": Outage.id, "started_at": Outage.started_at, "ended_at": Outage.ended_at},
            filterable={"service_id": Outage.service_id, "planned": Outage.planned, "source": Outage.source},
            searchable=(Outage.description,),
            default_sort="-started_at",
        )


def _has_event(condition: Any) -> Any:
    return exists().where(TicketEvent.ticket_id == Ticket.id, condition)
