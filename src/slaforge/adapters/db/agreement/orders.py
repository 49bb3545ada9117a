"""Orders and the payment webhook events received (each stored once per provider and event id)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from slaforge.adapters.db.listing import fetch_page
from slaforge.adapters.db.models import Order, WebhookEvent
from slaforge.domain.errors import Conflict
from slaforge.domain.platform.listing import ListQuery, Page


class EventAlreadyStored(Conflict):
    """The unique key caught a second copy of a webhook event (another delivery stored it first)."""


class OrderAlreadyStored(Conflict):
    """The unique key caught a second order with one (provider, external id): a concurrent
    payment naming the same unknown order stored it first."""


def _locked(stmt: Select[Any]) -> Select[Any]:
    """The order row locked until the transaction ends (SELECT … FOR UPDATE), and read afresh, so
    that decisions about one order (a payment accepting it, a second payment flagged as a double
    charge, a re-attachment) are taken one after the other, each seeing the one before committed.
    PostgreSQL makes a second locker wait and then hands it the row as committed; SQLite has no
    row locks, but the unit of work has already written (and so holds the one write lock) by
    the time it reads the order, which serialises the same way."""
    return stmt.with_for_update().execution_options(populate_existing=True)


class OrderQueries:
    _session: Session

    def order(self, order_id: int) -> Order | None:
        return self._session.get(Order, order_id)

    def order_by_external_id(self, provider: str, external_id: str, *, lock: bool = False) -> Order | None:
        """The provider's order with this id; `lock`: see `_locked`."""
        stmt = select(Order).where(Order.provider == provider, Order.external_id == external_id)
        return self._session.scalar(_locked(stmt) if lock else stmt)

    def order_by_payment_id(self, provider: str, payment_id: str, *, lock: bool = False) -> Order | None:
        """The oldest order of the provider paid with this payment id; `lock`: see `_locked`."""
        stmt = (
            select(Order)
            .where(Order.provider == provider, Order.payment_id == payment_id)
            .order_by(Order.id)
            .limit(1)
        )
        return self._session.scalar(_locked(stmt) if lock else stmt)

    def add_order(self, order: Order) -> Order:
        """Store a new order, flushed; OrderAlreadyStored when a concurrent transaction stored
        one with the same provider and external id first (the transaction is then to be rolled
        back and the decision taken again, finding that order)."""
        self._session.add(order)
        try:
            self._session.flush()
        except IntegrityError as exc:
            raise OrderAlreadyStored(f"order {order.external_id} was stored by another payment") from exc
        return order

    def orders(self, *, flagged_only: bool = False) -> list[Order]:
        stmt = select(Order).order_by(Order.id)
        if flagged_only:
            stmt = stmt.where(Order.flagged_reason.is_not(None))
        return list(self._session.scalars(stmt))

    def page_orders(self, query: ListQuery, *, flagged_only: bool = False) -> Page[Order]:
        return fetch_page(
            self._session,
            Order,
            query,
            sortable={
                "id": Order.id,
                "created_at": Order.created_at,
                "paid_at": Order.paid_at,
                "amount": Order.amount,
                "status": Order.status,
                "external_id": Order.external_id,
            },
            filterable={
                "customer_id": Order.customer_id,
                "version_id": Order.version_id,
                "status": Order.status,
                "provider": Order.provider,
                "currency": Order.currency,
            },
            searchable=(Order.external_id, Order.payment_id),
            default_sort="id",
            where=[Order.flagged_reason.is_not(None)] if flagged_only else [],
        )

    def webhook_event(self, provider: str, event_id: str) -> WebhookEvent | None:
        stmt = select(WebhookEvent).where(
            WebhookEvent.provider == provider, WebhookEvent.event_id == event_id
        )
        return self._session.scalar(stmt)

    def add_webhook_event(self, row: WebhookEvent) -> WebhookEvent:
        """Store a received event; EventAlreadyStored when a concurrent delivery stored it first."""
        self._session.add(row)
        self.flush_unique()
        return row

    def flush_unique(self) -> None:
        """Write what is pending; a unique key violated (a concurrent copy committed first)
        raises EventAlreadyStored, the transaction to be rolled back by the caller."""
        try:
            self._session.flush()
        except IntegrityError as exc:
            raise EventAlreadyStored("this event was stored by another delivery") from exc
