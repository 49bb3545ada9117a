"""/api/v1/webhooks: payment systems tell slaforge about payments. No sign-in: every request must
carry a valid signature over its raw body instead (Stripe's, or slaforge's HMAC scheme)."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import Header, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from slaforge.adapters.agreement.payments import generic, stripe_webhooks
from slaforge.adapters.agreement.payments.events import PaymentEvent
from slaforge.domain.platform.notify import NotifyConfig
from slaforge.entrypoints.api.routing import api_router
from slaforge.entrypoints.deps import ContainerDep
from slaforge.services.agreement import payments

router = api_router(prefix="/webhooks", tags=["webhooks"])


class WebhookAck(BaseModel):
    """What slaforge did with the event; a duplicate answers 200 too, so the sender stops retrying."""

    received: bool = True
    duplicate: bool
    outcome: str
    order_id: int | None = None
    version_id: int | None = None
    accepted: bool = False
    flagged: bool = False


async def _handle(container: ContainerDep, event: PaymentEvent) -> WebhookAck:
    # The database work is synchronous: run it off the event loop.
    result = await run_in_threadpool(
        payments.handle_payment_event,
        uow=container.system_uow(),
        event=event,
        now=container.clock(),
        notify=NotifyConfig.from_settings(container.settings),
    )
    return WebhookAck(
        duplicate=result.duplicate,
        outcome=result.outcome,
        order_id=result.order_id,
        version_id=result.version_id,
        accepted=result.accepted,
        flagged=result.flagged,
    )


@router.post("/stripe", response_model=WebhookAck)
async def stripe_webhook(
    request: Request,
    container: ContainerDep,
    stripe_signature: Annotated[str | None, Header(alias="Stripe-Signature", max_length=2000)] = None,
) -> WebhookAck:
    """A Stripe event (checkout.session.completed, payment_intent.succeeded, invoice.paid,
    charge.refunded, charge.dispute.created; others are recorded only). A bad signature or a
    timestamp outside the tolerance answers 400; an event seen before answers "duplicate, ignored"."""
    settings = container.settings
    event = stripe_webhooks.verify_and_parse(
        await request.body(),
        stripe_signature,
        settings.stripe_webhook_secret,
        tolerance=settings.webhook_tolerance,
    )
    return await _handle(container, event)


@router.post("/payments", response_model=WebhookAck)
async def payment_webhook(
    request: Request,
    container: ContainerDep,
    signature: Annotated[str | None, Header(alias="X-Slaforge-Signature", max_length=2000)] = None,
) -> WebhookAck:
    """A generic payment event, signed `X-Slaforge-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`.

    Body: `{"id", "type": "payment.succeeded|payment.pending|payment.refunded|payment.disputed",
    "order_id", "payment_id", "amount" (minor units), "currency", "customer", "created"}`."""
    settings = container.settings
    event = generic.verify_and_parse(
        await request.body(),
        signature,
        settings.payment_webhook_secret,
        now=time.time(),  # wall-clock age, as Stripe's library checks it: not the business clock
        tolerance=settings.webhook_tolerance,
    )
    return await _handle(container, event)
