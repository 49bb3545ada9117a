"""Events of live tickets, as they arrive: through the event API (one, or a batch of up to 10,000
all-or-nothing), the webhook receivers, or a file (`slaforge events post`). Each delivery is the
readiness step's (ticket, event and arrival once each, the customer the token's) with the ticket's
clocks recomputed in the same transaction, so an event never commits without its clocks.

A ticket of a customer without a live agreement, or outside every live objective's scope, is
stored all the same and listed by `unrouted` — never dropped in silence.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.domain.errors import Conflict, InvalidInput, NotFound, SlaforgeError
from slaforge.domain.live.webhook_signatures import BadSignature, verify
from slaforge.services.live.clocks import refresh_ticket
from slaforge.services.live.context import live_contexts
from slaforge.services.readiness import ingestion
from slaforge.services.readiness.ingestion import AfterDelivery, Delivered
from slaforge.services.unit_of_work import UnitOfWork

MAX_BATCH = 10_000


def refresh_after(now: datetime) -> AfterDelivery:
    def hook(uow: UnitOfWork, ticket_id: int) -> None:
        refresh_ticket(uow, ticket_id, now)

    return hook


def deliver(
    *,
    uow: UnitOfWork,
    secret: str,
    ticket: Mapping[str, Any],
    event: Mapping[str, Any],
    system: str,
    now: datetime,
) -> Delivered:
    return ingestion.deliver(
        uow=uow, secret=secret, ticket=ticket, event=event, system=system, now=now, after=refresh_after(now)
    )


def deliver_event(
    *, uow: UnitOfWork, secret: str, external_id: str, event: Mapping[str, Any], system: str, now: datetime
) -> Delivered:
    return ingestion.deliver_event(
        uow=uow,
        secret=secret,
        external_id=external_id,
        event=event,
        system=system,
        now=now,
        after=refresh_after(now),
    )


def deliver_webhook(
    *,
    uow: UnitOfWork,
    system: str,
    body: bytes,
    headers: Mapping[str, str],
    now: datetime,
    secret: str | None = None,
    token_id: int | None = None,
) -> Delivered:
    """A Zendesk, JSM or ServiceNow webhook as the system sends it: the token (by its secret, or by
    its id for systems that cannot send one), the system's own signature over the raw body under
    the token's signing secret (domain.live.webhook_signatures), then the ticket, its `created`
    event and the update, with the ticket's clocks, in one transaction."""
    with uow:
        token = ingestion.token_for(uow, secret, token_id)
        if token.signing_secret is None:
            raise BadSignature(
                f"ingestion token {token.id} has no webhook signing secret: set the one {system} signs "
                "with (`slaforge readiness token signing-secret`) before its webhooks can deliver"
            )
        verify(system, token.signing_secret, {k.lower(): v for k, v in headers.items()}, body, now)
        try:
            payload = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"the webhook body is not JSON: {exc}", field="body") from None
        ticket, events, source = ingestion.webhook_events(system, payload)
        done = [
            ingestion.store_delivery(
                uow, token, ticket=ticket, event=e, system=system, now=now, source=source
            )
            for e in events
        ]
        if any(d.new_event for d in done):
            refresh_ticket(uow, done[-1].ticket_id, now)
        uow.commit()
    return Delivered(done[-1].ticket_id, done[-1].event_id, done[0].new_ticket, done[-1].new_event)


@dataclass(frozen=True, slots=True)
class BatchResult:
    items: int
    new_tickets: int
    new_events: int  # events stored now (the rest had been delivered before)
    tickets: int  # distinct tickets the batch touched
    clocks: int  # clocks recomputed


def deliver_batch(
    *, uow: UnitOfWork, secret: str, items: Sequence[Mapping[str, Any]], system: str, now: datetime
) -> BatchResult:
    """Each item is {"ticket": {external_id, priority, status, created_at, category?}, "event": {at,
    kind, status?, priority?, dedupe_key?}}; a ticket's `created` event need not be sent (it is
    stored from the ticket). All or nothing: the first bad item rolls the whole batch back and the
    error names it (`items[3].event.at`)."""
    if len(items) > MAX_BATCH:
        raise InvalidInput(f"a batch holds at most {MAX_BATCH} items; it held {len(items)}", field="items")
    new_tickets = new_events = 0
    touched: dict[int, None] = {}
    with uow:
        token = ingestion.token_for(uow, secret)
        for i, item in enumerate(items):
            ticket, event = item["ticket"], item["event"]
            created = {
                "at": ticket["created_at"],
                "kind": "created",
                "status": ticket["status"],
                "priority": ticket["priority"],
                "dedupe_key": f"created:{ticket['external_id']}",
            }
            try:
                first = ingestion.store_delivery(
                    uow, token, ticket=ticket, event=created, system=system, now=now
                )
                done = ingestion.store_delivery(
                    uow, token, ticket=ticket, event=event, system=system, now=now
                )
            except (InvalidInput, Conflict, NotFound) as exc:
                raise _at_item(exc, i) from exc
            new_tickets += first.new_ticket
            new_events += first.new_event + (done.new_event and done.event_id != first.event_id)
            if first.new_event or done.new_event:
                touched[done.ticket_id] = None
        contexts = live_contexts(uow, token.customer_id)
        clocks = sum(refresh_ticket(uow, tid, now, contexts).clocks for tid in touched)
        uow.commit()
    return BatchResult(len(items), new_tickets, new_events, len(touched), clocks)


def _at_item(exc: SlaforgeError, index: int) -> SlaforgeError:
    """The same error, naming the item (`items[3].event.at`)."""
    if isinstance(exc, InvalidInput):
        field = f"items[{index}]" + (f".event.{exc.field}" if exc.field else "")
        return InvalidInput(exc.message.split(": ", 1)[-1], field=field, value=exc.value)
    return type(exc)(f"items[{index}]: {exc.message}")


@dataclass(frozen=True, slots=True)
class Unrouted:
    ticket_id: int
    external_id: str
    source: str
    customer_id: int | None
    priority: str
    created_at: datetime
    reason: str


def unrouted(*, uow: UnitOfWork, limit: int = 200) -> list[Unrouted]:
    """Delivered tickets that no live clock measures, each with the reason (provider only)."""
    with uow:
        if uow.scope.is_limited:  # a list of every customer's tickets: to a customer it does not exist
            raise NotFound("no such list")
        live = {c.customer_id for c in live_contexts(uow)}
        out = []
        for t in uow.live.unrouted_tickets(limit):
            if t.customer_id is None:
                reason = "no customer: the ticket names none"
            elif t.customer_id not in live:
                reason = "the customer has no live agreement"
            else:
                reason = f"outside every live objective's scope (priority '{t.priority}' has no target)"
            out.append(
                Unrouted(t.id, t.external_id, t.source, t.customer_id, t.priority, t.created_at, reason)
            )
        return out
