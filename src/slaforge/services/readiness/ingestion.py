"""Ingestion tokens: what a tracking system presents to deliver one agreement's customer's tickets
(`POST /api/v1/ingest/tickets`). A manager makes one per agreement (the secret is shown once and
only its SHA-256 is kept) and may revoke it; both are audited. The customer a ticket belongs to
comes from the token, never from the payload. Each delivery stores the ticket and its event once
(the same delivery twice is one ticket and one event) and notes which token brought it: that note
is what proves a clause's event-API source (services.readiness.proofs)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from slaforge.adapters.db.models import IngestionToken, Ticket
from slaforge.adapters.readiness.webhooks import parse_webhook
from slaforge.domain.errors import Conflict, InvalidInput, NotFound
from slaforge.domain.platform.accounts import NotAuthenticated, Principal
from slaforge.domain.platform.bearer import digest_of
from slaforge.services.agreement.core import require_provider
from slaforge.services.platform import audit
from slaforge.services.readiness.common import readiness_version, require_manager
from slaforge.services.unit_of_work import UnitOfWork

PREFIX = "sfi_"  # an ingestion token, told apart from an API token at a glance
SOURCE = "api"  # tickets delivered through the event API, with or without a token
MAX_LABEL = 200
# Webhook tickets keep their system's ids under its source key, as its imports store them.
MAPPINGS_SOURCE = {"zendesk": "zendesk", "jsm": "jsm", "servicenow": "servicenow"}


@dataclass(frozen=True, slots=True)
class TokenView:
    id: int
    agreement_id: int
    customer_id: int
    label: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    signed: bool = False  # a webhook signing secret is set


# Run with the open unit of work and the delivered ticket's id just before a delivery commits (the
# live step recomputes the ticket's clocks there, so an event and its clocks commit together).
AfterDelivery = Callable[[UnitOfWork, int], None]


@dataclass(frozen=True, slots=True)
class Delivered:
    ticket_id: int
    event_id: int
    new_ticket: bool
    new_event: bool


def _view(row: IngestionToken) -> TokenView:
    return TokenView(row.id, row.agreement_id, row.customer_id, row.label, row.created_at, row.created_by,
                     row.revoked_at, row.signing_secret is not None)  # fmt: skip


def _audit(
    uow: UnitOfWork, actor: Principal, action: str, agreement_id: int, now: datetime, data: dict[str, Any]
) -> None:
    audit.record(
        uow,
        actor=actor.email,
        action=action,
        subject_type="agreement",
        subject_id=agreement_id,
        at=now,
        data=data,
    )


def create_token(
    *, uow: UnitOfWork, agreement_id: int, label: str, actor: Principal, now: datetime
) -> tuple[TokenView, str]:
    """A new token for the agreement's customer; (its view, the secret — shown this once)."""
    text = (label or "").strip()
    if not text or len(text) > MAX_LABEL or "\x00" in text:
        raise InvalidInput(
            f"a label of 1 to {MAX_LABEL} characters says where the token is used", field="label"
        )
    with uow:
        version = readiness_version(uow, agreement_id)
        require_provider(uow)
        require_manager(actor, "make ingestion tokens")
        secret = PREFIX + secrets.token_urlsafe(32)
        row = uow.readiness.add_ingestion_token(
            IngestionToken(
                agreement_id=version.agreement_id,
                customer_id=version.agreement.customer_id,
                label=text,
                digest=digest_of(secret),
                created_at=now,
                created_by=actor.email,
            )
        )
        what = {"token_id": row.id, "label": text}
        _audit(uow, actor, "readiness.ingestion_token_created", version.agreement_id, now, what)
        out = _view(row)
        uow.commit()
        return out, secret


def list_tokens(*, uow: UnitOfWork, agreement_id: int) -> list[TokenView]:
    with uow:
        readiness_version(uow, agreement_id)
        require_provider(uow)
        return [_view(r) for r in uow.readiness.ingestion_tokens(agreement_id)]


def revoke_token(
    *, uow: UnitOfWork, agreement_id: int, token_id: int, actor: Principal, now: datetime
) -> TokenView:
    with uow:
        readiness_version(uow, agreement_id)
        require_provider(uow)
        require_manager(actor, "revoke ingestion tokens")
        row = uow.readiness.ingestion_token(token_id)
        if row is None or row.agreement_id != agreement_id:
            raise NotFound(f"no ingestion token {token_id} of agreement {agreement_id}")
        out = _view(row)
        if uow.readiness.revoke_ingestion_token(token_id, now):  # the first revocation counts
            _audit(uow, actor, "readiness.ingestion_token_revoked", agreement_id, now, {"token_id": token_id})
            out = replace(out, revoked_at=now)
        uow.commit()
        return out


def token_for(uow: UnitOfWork, secret: str | None, token_id: int | None = None) -> IngestionToken:
    """The token presented: by its secret, or (webhooks that cannot send one, e.g. Jira's) by its
    id — then only its signing secret authenticates the delivery, which the caller checks."""
    row = None
    if secret and secret.startswith(PREFIX):
        row = uow.readiness.ingestion_token_by_digest(digest_of(secret))
    elif not secret and token_id is not None:
        row = uow.readiness.ingestion_token(token_id)
    if row is None or row.revoked_at is not None:
        raise NotAuthenticated("an ingestion token that is valid and not revoked is required")
    return row


def _dedupe(fields: Mapping[str, Any]) -> str:
    given = fields.get("dedupe_key")
    if given:
        return str(given)[:64]
    text = "|".join(str(fields.get(k) or "") for k in ("at", "kind", "status", "priority"))
    return hashlib.sha256(text.encode()).hexdigest()


def store_delivery(
    uow: UnitOfWork,
    token: IngestionToken,
    *,
    ticket: Mapping[str, Any],
    event: Mapping[str, Any],
    system: str,
    now: datetime,
    source: str = SOURCE,
) -> Delivered:
    """Store the ticket (once, by its external id) and the event (once, by its dedupe key) for the
    token's customer, and note the arrival, in the open transaction."""
    values = {
        "source": source, "external_id": ticket["external_id"], "customer_id": token.customer_id,
        "priority": ticket["priority"], "status": ticket["status"], "created_at": ticket["created_at"],
        "category": ticket.get("category"), "service_id": ticket.get("service_id"),
    }  # fmt: skip
    stored, new_ticket = uow.readiness.ticket_once(values)
    if stored.customer_id != token.customer_id:
        raise Conflict(f"the external id '{ticket['external_id']}' is taken: give the ticket another one")
    return _store_event(uow, token, stored, event, system, now, new_ticket)


def _store_event(
    uow: UnitOfWork,
    token: IngestionToken,
    ticket: Ticket,
    event: Mapping[str, Any],
    system: str,
    now: datetime,
    new_ticket: bool,
) -> Delivered:
    """The event of a stored ticket, once by its dedupe key, and its arrival by this token."""
    if event["at"] < ticket.created_at:
        raise InvalidInput("an event cannot precede its ticket's creation", field="at")
    row, new_event = uow.readiness.event_once(
        {"ticket_id": ticket.id, **_fields(event), "dedupe_key": _dedupe(event)}
    )
    uow.readiness.arrival_once(
        {"token_id": token.id, "ticket_id": ticket.id, "event_id": row.id, "system": system, "at": now}
    )
    return Delivered(ticket.id, row.id, new_ticket, new_event)


def deliver(
    *,
    uow: UnitOfWork,
    secret: str,
    ticket: Mapping[str, Any],
    event: Mapping[str, Any],
    system: str,
    now: datetime,
    source: str = SOURCE,
    after: AfterDelivery | None = None,
) -> Delivered:
    """Store the ticket and the event for the token's customer (`store_delivery`) and commit.
    `ticket`: external_id, priority, status, created_at, category?, service_id?; `event`: at,
    kind, status?, priority?, dedupe_key?."""
    with uow:
        token = token_for(uow, secret)
        out = store_delivery(uow, token, ticket=ticket, event=event, system=system, now=now, source=source)
        if after is not None and out.new_event:
            after(uow, out.ticket_id)
        uow.commit()
        return out


def deliver_event(
    *,
    uow: UnitOfWork,
    secret: str,
    external_id: str,
    event: Mapping[str, Any],
    system: str,
    now: datetime,
    after: AfterDelivery | None = None,
) -> Delivered:
    """An event of a ticket the token's customer had delivered before (404 for any other)."""
    with uow:
        token = token_for(uow, secret)
        found = uow.readiness.ticket_by_external_id(SOURCE, external_id)
        if found is None or found.customer_id != token.customer_id:
            raise NotFound(f"no ticket '{external_id[:100]}' was delivered for this customer")
        out = _store_event(uow, token, found, event, system, now, False)
        if after is not None and out.new_event:
            after(uow, found.id)
        uow.commit()
        return out


def _fields(event: Mapping[str, Any]) -> dict[str, Any]:
    kind = event["kind"]
    return {
        "at": event["at"],
        "kind": str(getattr(kind, "value", kind)),
        "status": event.get("status"),
        "priority": event.get("priority"),
    }


def webhook_events(system: str, payload: object) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    """A Zendesk, JSM or ServiceNow webhook body read as (the ticket, its events, the source key it
    is stored under: the system's, as its ids are the system's): the `created` event and the
    update the body reports, unless the body is the creation itself."""
    d = parse_webhook(system, payload)
    ticket = {"external_id": d.external_id, "priority": d.priority, "status": d.status,
              "created_at": d.created_at, "category": d.category}  # fmt: skip
    events = [{"at": d.created_at, "kind": "created", "status": d.status, "priority": d.priority,
               "dedupe_key": f"created:{d.external_id}"}]  # fmt: skip
    kind = d.kind(system)
    if d.updated_at > d.created_at or kind != "status_changed":
        events.append({"at": d.updated_at, "kind": kind, "status": d.status, "priority": d.priority,
                       "dedupe_key": d.dedupe_key})  # fmt: skip
    return ticket, events, MAPPINGS_SOURCE[system]


def set_signing_secret(
    *, uow: UnitOfWork, agreement_id: int, token_id: int, secret: str, actor: Principal, now: datetime
) -> TokenView:
    """Store the secret the tracking system signs its webhooks with (Zendesk shows it on the
    webhook; for Jira and ServiceNow choose one): webhooks delivered with this token must carry a
    valid signature under it. Audited (the secret itself is not written to the log)."""
    text = (secret or "").strip()
    if not 16 <= len(text) <= 200 or "\x00" in text:
        raise InvalidInput("a signing secret of 16 to 200 characters", field="secret")
    with uow:
        readiness_version(uow, agreement_id)
        require_provider(uow)
        require_manager(actor, "set webhook signing secrets")
        row = uow.readiness.ingestion_token(token_id)
        if row is None or row.agreement_id != agreement_id:
            raise NotFound(f"no ingestion token {token_id} of agreement {agreement_id}")
        row.signing_secret = text
        what = {"token_id": token_id}
        _audit(uow, actor, "readiness.ingestion_token_signing_secret_set", agreement_id, now, what)
        out = _view(row)
        uow.commit()
        return out
