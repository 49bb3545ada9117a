"""Queries of the provider's catalog: customers, services and calendars as resources."""

from __future__ import annotations

from typing import Literal, TypeVar

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from slaforge.adapters.db.listing import fetch_page
from slaforge.adapters.db.models import Calendar, Customer, Service, Ticket, User
from slaforge.domain.errors import Conflict
from slaforge.domain.platform.listing import ListQuery, Page

T = TypeVar("T")
CLASH = "the change clashes with stored data (a duplicate or a row still in use)"


class CatalogQueries:
    _session: Session

    def get(self, model: type[T], ident: int) -> T | None:
        """One row by primary key (within the session's tenancy), or None."""
        return self._session.get(model, ident)

    def conflict_from(self, error: Exception) -> Conflict | None:
        """The domain's Conflict when `error` (raised by a commit or flush) is a constraint the
        database caught — a race the service's own checks could not see — else None."""
        return Conflict(CLASH) if isinstance(error, IntegrityError) else None

    def taken(
        self,
        model: type[Customer | Service | Calendar],
        attribute: Literal["name", "slug"],
        value: str,
        ignore_id: int | None = None,
    ) -> bool:
        """Whether another row of `model` already holds `value` in its unique column."""
        cond = [getattr(model, attribute) == value]
        if ignore_id is not None:
            cond.append(model.id != ignore_id)
        return bool(self._session.scalar(select(exists().where(*cond))))

    # ------------------------------------------------------------------ customers
    def customers_page(self, query: ListQuery) -> Page[Customer]:
        cols = {
            "id": Customer.id,
            "name": Customer.name,
            "slug": Customer.slug,
            "created_at": Customer.created_at,
        }
        return fetch_page(
            self._session,
            Customer,
            query,
            sortable=cols,
            filterable={"slug": Customer.slug},
            searchable=(Customer.name, Customer.slug),
            default_sort="name",
        )

    def first_customers(self, limit: int) -> list[Customer]:
        """The customers created first (lowest ids)."""
        return list(self._session.scalars(select(Customer).order_by(Customer.id).limit(limit)))

    def customer_named(self, name: str) -> Customer | None:
        return self._session.scalar(select(Customer).where(Customer.name == name))

    def customer_by_ref(self, ref: int | str) -> Customer | None:
        """A customer by id (an int) or by slug (a str)."""
        cond = Customer.id == ref if isinstance(ref, int) else Customer.slug == ref
        return self._session.scalar(select(Customer).where(cond))

    def table_using_customer(self, customer_id: int) -> str | None:
        """The first table (users, then tickets) still holding rows of the customer, or None."""
        for model in (User, Ticket):
            if self._session.scalar(select(exists().where(model.customer_id == customer_id))):
                return model.__tablename__
        return None

    def services_used_by(self, customer_id: int) -> list[Service]:
        """The services the customer's tickets are about, by name."""
        used = select(Ticket.service_id).where(Ticket.customer_id == customer_id)
        return list(self._session.scalars(select(Service).where(Service.id.in_(used)).order_by(Service.name)))

    def ticket_counts(self, customer_id: int) -> tuple[int, int]:
        """(all tickets, tickets still open) of the customer."""
        total = select(func.count(Ticket.id)).where(Ticket.customer_id == customer_id)
        still_open = total.where(Ticket.resolved_at.is_(None))
        return self._session.scalar(total) or 0, self._session.scalar(still_open) or 0

    def counts(self) -> dict[str, int]:
        """How many customers, services, calendars, users and tickets the session can see."""
        models: dict[str, type[Customer | Service | Calendar | User | Ticket]] = {
            "customers": Customer,
            "services": Service,
            "calendars": Calendar,
            "users": User,
            "tickets": Ticket,
        }
        return {
            name: self._session.scalar(select(func.count(model.id))) or 0 for name, model in models.items()
        }

    # ------------------------------------------------------------------ services
    def services_page(self, query: ListQuery) -> Page[Service]:
        return fetch_page(
            self._session,
            Service,
            query,
            sortable={"id": Service.id, "name": Service.name, "created_at": Service.created_at},
            filterable={"calendar_id": Service.calendar_id},
            searchable=(Service.name,),
            default_sort="name",
        )

    def service_has_tickets(self, service_id: int) -> bool:
        return bool(self._session.scalar(select(exists().where(Ticket.service_id == service_id))))

    # ------------------------------------------------------------------ calendars
    def calendars_page(self, query: ListQuery) -> Page[Calendar]:
        cols = {
            "id": Calendar.id,
            "name": Calendar.name,
            "created_at": Calendar.created_at,
            "updated_at": Calendar.updated_at,
        }
        return fetch_page(
            self._session,
            Calendar,
            query,
            sortable=cols,
            filterable={},
            searchable=(Calendar.name,),
            default_sort="name",
        )
