"""What a verified payment event does to an order and its agreement version (inside the caller's
transaction; see payments.handle_payment_event for the rules and the idempotency)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slaforge.adapters.agreement.payments.events import PaymentEvent, PaymentKind
from slaforge.adapters.db.models import AgreementVersion, Order
from slaforge.domain.agreement.lifecycle import VersionState
from slaforge.domain.platform.notify import NotifyConfig
from slaforge.services.agreement import core, decisions
from slaforge.services.agreement.core import configure_news
from slaforge.services.unit_of_work import UnitOfWork

_ALREADY_AGREED = {VersionState.ACCEPTED, VersionState.ACTIVE}


@dataclass(frozen=True, slots=True)
class Effect:
    outcome: str
    order_id: int | None = None
    version_id: int | None = None
    accepted: bool = False
    flagged: bool = False


def find_order(uow: UnitOfWork, event: PaymentEvent) -> Order | None:
    """The event's order, locked for the rest of the transaction: parallel payments of one order
    are decided one after the other, as if they had come in sequence."""
    for ref in event.order_refs:
        order = uow.agreement.order_by_external_id(event.provider, ref, lock=True)
        if order is not None:
            return order
    if event.payment_id:
        return uow.agreement.order_by_payment_id(event.provider, event.payment_id, lock=True)
    return None


def _flag(order: Order, reason: str, now: datetime) -> None:
    order.flagged_reason = f"{order.flagged_reason}; {reason}" if order.flagged_reason else reason
    order.flagged_at = now


def _money(amount: int | None, currency: str | None) -> str:
    if amount is None:
        return "an unknown amount"
    return f"{amount / 100:.2f} {(currency or '').upper()}".strip()


def _mismatch(order: Order, event: PaymentEvent) -> str | None:
    if order.amount is not None and event.amount is not None and order.amount != event.amount:
        paid, due = _money(event.amount, event.currency), _money(order.amount, order.currency)
        return f"paid {paid}, the order is for {due}"
    if order.currency and event.currency and order.currency != event.currency:
        return f"paid in {event.currency.upper()}, the order is in {order.currency.upper()}"
    return None


def _review(uow: UnitOfWork, version: AgreementVersion, reason: str, actor: str, now: datetime) -> None:
    decisions.flag_for_review(uow=uow.joined(), version_id=version.id, reason=reason, actor=actor, now=now)


def apply_payment(
    uow: UnitOfWork,
    event: PaymentEvent,
    now: datetime,
    *,
    refused: str | None,
    notify: NotifyConfig | None,
    record_only: bool = False,
) -> Effect:
    actor = f"webhook:{event.provider}"
    configure_news(uow, notify)  # the news itself is queued by the agreement audit hook
    order = find_order(uow, event)
    if record_only:
        what = (
            "checkout completed, but the money has not arrived yet: nothing accepted"
            if event.kind is PaymentKind.PENDING
            else f"recorded; slaforge does not act on {event.type}"
        )
        return Effect(what, order.id if order else None)
    if order is None:
        external = event.order_refs[0] if event.order_refs else (event.payment_id or event.event_id)
        order = Order(
            provider=event.provider,
            external_id=external[:200],
            status="paid",
            created_at=now,
            payment_id=event.payment_id,
            amount=event.amount,
            currency=event.currency,
            paid_at=now,
        )
        reason = f"paid, but slaforge knows no order {external}: no SLA attached, nothing accepted"
        _flag(order, reason, now)
        uow.agreement.add_order(order)  # OrderAlreadyStored: a parallel payment stored it first
        return Effect(reason, order.id, flagged=True)
    if order.status == "paid" and order.payment_id in (None, event.payment_id):
        return Effect(
            "this payment was already recorded for the order; nothing more to do", order.id, order.version_id
        )
    if order.status != "open":
        reason = (
            f"order was already {order.status} and was paid again ({event.payment_id}): "
            "check for a double charge"
        )
        _flag(order, reason, now)
        return Effect(reason, order.id, order.version_id, flagged=True)
    order.status, order.paid_at, order.payment_id = "paid", now, event.payment_id
    problem = _mismatch(order, event)
    if order.version_id is None:
        problem = "paid, but no SLA version is attached to this order: nothing accepted"
    if problem is not None:
        _flag(order, problem, now)
        return Effect(problem, order.id, order.version_id, flagged=True)
    version = uow.agreement.version(order.version_id) if order.version_id is not None else None
    assert version is not None  # a foreign key, and attached (checked above)
    state = VersionState(version.state)
    if state in _ALREADY_AGREED or agreements_awaiting(version):
        return Effect(
            f"version {version.number} was already accepted; the payment is recorded against it",
            order.id,
            version.id,
        )
    if state is VersionState.OFFERED and version.expires_at is not None and now >= version.expires_at:
        # Left to the lapse job to change: this transaction only refuses to accept it.
        refused = (
            refused
            or f"the offer of version {version.number} expired at {version.expires_at:%Y-%m-%d %H:%M} UTC"
        )
    if state is not VersionState.OFFERED or refused is not None:
        why = refused or f"the attached version {version.number} is {state.value}"
        reason = f"paid, but {why}: nothing was accepted"
        _flag(order, reason, now)
        _review(uow, version, reason, actor, now)
        return Effect(reason, order.id, version.id, flagged=True)
    evidence = core.AcceptanceEvidence(
        method="payment",
        accepted_hash=version.content_hash or "",
        payment_id=event.payment_id or "",
        webhook_event_id=event.event_id,
        note=f"{event.provider} {event.type}: order {order.external_id}, "
        f"{_money(event.amount, event.currency)}",
    )
    done = decisions.accept_version(
        uow=uow.joined(), version_id=version.id, evidence=evidence, actor=actor, now=now
    )
    if done.awaiting_countersignature:
        what = f"version {version.number} accepted by payment; it awaits the provider's countersignature"
    else:
        what = f"accepted version {version.number} by payment"
    return Effect(what, order.id, version.id, accepted=True)


def agreements_awaiting(version: AgreementVersion) -> bool:
    """Accepted by the customer already, waiting only for the provider's countersignature."""
    return version.state == VersionState.OFFERED and any(a.decision == "accept" for a in version.acceptances)


def apply_reversal(
    uow: UnitOfWork, event: PaymentEvent, now: datetime, *, notify: NotifyConfig | None
) -> Effect:
    configure_news(uow, notify)
    order = find_order(uow, event)
    word = "refunded" if event.kind is PaymentKind.REFUNDED else "disputed"
    if order is None:
        return Effect(f"a payment slaforge does not know ({event.payment_id}) was {word}; recorded")
    order.status = word
    reason = f"payment {event.payment_id} was {word} ({event.type})"
    _flag(order, reason, now)
    version = uow.agreement.version(order.version_id) if order.version_id else None
    if version is not None:
        _review(uow, version, f"{reason}: review the agreement", f"webhook:{event.provider}", now)
    return Effect(reason, order.id, order.version_id, flagged=True)
