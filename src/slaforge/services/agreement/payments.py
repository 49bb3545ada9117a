"""Orders and payment webhooks: paying an order accepts the version attached to it, and only that.

`handle_payment_event` runs once per (provider, event id): a second delivery answers
"duplicate, ignored" and changes nothing. In one transaction it records the event, updates the
order, accepts the attached version when (and only when) that exact version is still on offer,
writes the audit entries and queues the notifications. A payment for an unknown order, an order
without a version, a version no longer on offer, or an amount that differs from the order's is
recorded and flagged, never used to accept anything. A refund or dispute flags the agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slaforge.adapters.agreement.payments.events import PaymentEvent, PaymentKind
from slaforge.adapters.db.agreement.orders import EventAlreadyStored, OrderAlreadyStored
from slaforge.adapters.db.models import Order, WebhookEvent
from slaforge.domain.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from slaforge.domain.platform.accounts import Permission, Principal
from slaforge.domain.platform.listing import ListQuery, Page
from slaforge.domain.platform.notify import NotifyConfig
from slaforge.services.agreement.payment_effects import apply_payment, apply_reversal
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork

DUPLICATE = "duplicate, ignored"


@dataclass(frozen=True, slots=True)
class EventOutcome:
    duplicate: bool
    outcome: str
    order_id: int | None = None
    version_id: int | None = None
    accepted: bool = False
    flagged: bool = False


@dataclass(frozen=True, slots=True)
class OrderView:
    id: int
    provider: str
    external_id: str
    customer_id: int | None
    version_id: int | None
    amount: int | None
    currency: str | None
    status: str
    payment_id: str | None
    paid_at: datetime | None
    flagged_reason: str | None

    @classmethod
    def of(cls, o: Order) -> OrderView:
        return cls(
            o.id,
            o.provider,
            o.external_id,
            o.customer_id,
            o.version_id,
            o.amount,
            o.currency,
            o.status,
            o.payment_id,
            o.paid_at,
            o.flagged_reason,
        )


def _currency(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().lower()
    if len(code) != 3 or not code.isalpha():
        raise InvalidInput("an ISO 4217 code such as EUR", field="currency", value=value)
    return code


def _versions_of(uow: UnitOfWork, customer_id: int) -> str:
    """The customer's agreement versions an order may name, by id (the number a version shows
    inside its agreement is another figure), so a mistaken id can be put right."""
    found = [
        f"id {v.id} ({a.title}, version {v.number}, {v.state})"
        for a in uow.agreement.agreements_with_versions(customer_id)
        for v in sorted(a.versions, key=lambda v: v.number)
    ]
    if not found:
        return "this customer has no agreement version yet: draft one first"
    shown = "; ".join(found[:10]) + (f"; … {len(found) - 10} more" if len(found) > 10 else "")
    return f"this customer's versions are {shown} (the agreement list shows them all)"


def attach_order(
    *,
    uow: UnitOfWork,
    actor: Principal,
    provider: str,
    external_id: str,
    customer_id: int,
    version_id: int | None,
    amount: int | None,
    currency: str | None,
    now: datetime,
) -> OrderView:
    """Register an order (or re-attach an unpaid one) with the version its payment will accept."""
    with uow:
        provider, external_id = provider.strip().lower(), external_id.strip()
        if not provider or not external_id or len(external_id) > 200:
            raise InvalidInput("give the order's id in the payment system", field="external_id")
        if amount is not None and amount < 0:
            raise InvalidInput("must be a whole number of minor units (cents)", field="amount", value=amount)
        # Loaded through the caller's scope first: another customer's is NotFound, never Forbidden.
        if uow.agreement.customer(customer_id) is None:
            raise NotFound(f"no customer {customer_id} (customer_id)")
        actor.require(Permission.CATALOG_WRITE)
        if version_id is not None:
            version = uow.agreement.version(version_id)
            if version is None:
                known = _versions_of(uow, customer_id)
                raise NotFound(f"no agreement version with id {version_id} (version_id); {known}")
            if version.agreement.customer_id != customer_id:
                raise InvalidInput("the version belongs to another customer", field="version_id")
        order = uow.agreement.order_by_external_id(provider, external_id, lock=True)  # vs. its payment
        if order is None:
            order = Order(provider=provider, external_id=external_id, status="open", created_at=now)
            uow.agreement.add(order)
        elif order.status != "open":
            raise Conflict(f"order {external_id} is already {order.status}; its version cannot change")
        order.customer_id, order.version_id = customer_id, version_id
        order.amount, order.currency = amount, _currency(currency)
        uow.flush()
        audit.record(
            uow,
            actor=actor.email,
            action="order.attached",
            subject_type="order",
            subject_id=order.id,
            at=now,
            data={
                "provider": provider,
                "external_id": external_id,
                "version_id": version_id,
                "amount": amount,
                "currency": order.currency,
            },
        )
        view = OrderView.of(order)
        uow.commit()
        return view


def list_orders(*, uow: UnitOfWork, flagged_only: bool = False) -> list[OrderView]:
    with uow:
        return [OrderView.of(o) for o in uow.agreement.orders(flagged_only=flagged_only)]


def page_orders(*, uow: UnitOfWork, query: ListQuery, flagged_only: bool = False) -> Page[OrderView]:
    """A page of the orders the caller may see. Filters: customer_id, version_id, status, provider,
    currency; search: the external and payment ids."""
    with uow:
        page = uow.agreement.page_orders(query, flagged_only=flagged_only)
        return Page([OrderView.of(o) for o in page.data], page.count)


def get_order(*, uow: UnitOfWork, order_id: int) -> OrderView:
    with uow:
        order = uow.agreement.order(order_id)
        if order is None:
            raise NotFound(f"no order {order_id}")
        return OrderView.of(order)


def _seen(uow: UnitOfWork, event: PaymentEvent) -> WebhookEvent | None:
    return uow.agreement.webhook_event(event.provider, event.event_id)


def _record_event(uow: UnitOfWork, event: PaymentEvent, now: datetime) -> WebhookEvent:
    row = WebhookEvent(
        provider=event.provider,
        event_id=event.event_id,
        type=event.type,
        received_at=now,
        outcome="received",
        payload_sha256=event.payload_sha256,
    )
    return uow.agreement.add_webhook_event(row)


def _process(
    uow: UnitOfWork, event: PaymentEvent, now: datetime, refused: str | None, notify: NotifyConfig | None
) -> EventOutcome:
    with uow:
        earlier = _seen(uow, event)
        if earlier is not None:
            return EventOutcome(True, DUPLICATE, earlier.order_id)
        row = _record_event(uow, event, now)
        if event.kind is PaymentKind.PAID:
            effect = apply_payment(uow, event, now, refused=refused, notify=notify)
        elif event.kind in (PaymentKind.REFUNDED, PaymentKind.DISPUTED):
            effect = apply_reversal(uow, event, now, notify=notify)
        else:
            effect = apply_payment(uow, event, now, refused=refused, notify=notify, record_only=True)
        row.outcome, row.order_id = effect.outcome, effect.order_id
        audit.record(
            uow,
            actor=f"webhook:{event.provider}",
            action=f"payment.{event.kind.value}",
            subject_type="order" if effect.order_id else "webhook_event",
            subject_id=effect.order_id or row.id,
            at=now,
            data={
                "event_id": event.event_id,
                "type": event.type,
                "payment_id": event.payment_id,
                "amount": event.amount,
                "currency": event.currency,
                "payload_sha256": event.payload_sha256,
                "outcome": effect.outcome,
            },
        )
        # Written before the commit so that a unique key a concurrent copy of the event violates
        # is caught here (EventAlreadyStored), not as a database error at the commit.
        uow.agreement.flush_unique()
        uow.commit()
        return EventOutcome(
            False, effect.outcome, effect.order_id, effect.version_id, effect.accepted, effect.flagged
        )


def _decide(uow: UnitOfWork, event: PaymentEvent, now: datetime, notify: NotifyConfig | None) -> EventOutcome:
    try:
        return _process(uow, event, now, None, notify)
    except OrderAlreadyStored:
        # A parallel payment recorded the order this one did not find (it rolled back): decide
        # again, finding that order now, as the later of the two payments in sequence would.
        return _process(uow, event, now, None, notify)


def handle_payment_event(
    *, uow: UnitOfWork, event: PaymentEvent, now: datetime, notify: NotifyConfig | None = None
) -> EventOutcome:
    """Apply one verified payment event exactly once (see the module docstring)."""
    try:
        try:
            return _decide(uow, event, now, notify)
        except EventAlreadyStored:
            raise
        except (IllegalTransition, Conflict) as exc:
            # The acceptance was refused (the version moved on between our check and the change):
            # the whole attempt rolled back; record the payment again, flagged, without accepting.
            return _process(uow, event, now, exc.message, notify)
    except EventAlreadyStored:
        # A concurrent delivery of the same event committed first (the unique key caught it when
        # this one was written): that one counts, this one not. Anything else is a real error.
        with uow:
            if _seen(uow, event) is None:
                raise
        return EventOutcome(True, DUPLICATE)
