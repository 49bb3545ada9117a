"""What users change about obligations: the provider adds or removes a definition on a draft, and a
customer records that it fulfilled an obligation on one of its tickets ("information sent").

Fulfilment appends a customer_reply event to the ticket. Its dedupe key names the agreement, the
obligation, the ticket and the instance's start, so a double submit (or 25 racing ones) lands
once: the ticket_events table's (ticket_id, dedupe_key) constraint decides, not a lookup.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.adapters.db.models import TicketEvent
from slaforge.domain.agreement.lifecycle import VersionState
from slaforge.domain.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from slaforge.domain.platform.accounts import Permission, PermissionDenied, Principal, Role
from slaforge.domain.relationship.terms import normalise_relationship
from slaforge.domain.time.clocks.model import EventKind
from slaforge.services.agreement.core import (
    VersionRef,
    load_customer,
    provider_name,
    record,
    ref,
    require_provider,
    terms_for,
)
from slaforge.services.agreement.studies import feasibility_for
from slaforge.services.platform import audit
from slaforge.services.platform.catalog import commit_or_conflict
from slaforge.services.relationship.obligations import customer_calendars, instances_of, load_terms
from slaforge.services.unit_of_work import UnitOfWork

# ------------------------------------------------------------------ definitions on a draft


def _change_draft(
    uow: UnitOfWork,
    agreement_id: int,
    change: Any,
    action: str,
    actor: str,
    now: datetime,
    **data: Any,
) -> VersionRef:
    with uow:
        t = load_terms(uow, agreement_id)
        require_provider(uow)
        version = t.version
        if version.state != VersionState.DRAFT:
            raise IllegalTransition(
                f"version {version.number} is {version.state}: frozen versions never change; "
                "draft a new version (slaforge agreement amend) and change that"
            )
        terms = deepcopy(dict(version.terms))
        section = normalise_relationship(terms.get("relationship"))
        change(section)
        terms["relationship"] = normalise_relationship(section)
        customer = load_customer(uow, version.agreement.customer_id)
        version.terms = terms_for(terms, customer.name, provider_name(uow), sections=uow.term_sections)
        version.warnings = feasibility_for(uow, version.terms, version.source.get("study_id"))
        record(uow, version, action, actor=actor, at=now, **data)
        out = ref(version)
        uow.commit()
        return out


def add_obligation(
    *, uow: UnitOfWork, agreement_id: int, definition: Mapping[str, Any], actor: str, now: datetime
) -> VersionRef:
    """Add one obligation to the agreement's draft (InvalidInput naming the field; a frozen
    latest version raises IllegalTransition)."""
    if not isinstance(definition, Mapping):
        raise InvalidInput("an obligation is an object", field="obligation", value=definition)

    def change(section: dict[str, Any]) -> None:
        section["obligations"] = [*section["obligations"], dict(definition)]

    key = definition.get("key")
    return _change_draft(uow, agreement_id, change, "obligation_added", actor, now, obligation=key)


def remove_obligation(
    *, uow: UnitOfWork, agreement_id: int, key: str, actor: str, now: datetime
) -> VersionRef:
    def change(section: dict[str, Any]) -> None:
        kept = [o for o in section["obligations"] if o["key"] != key]
        if len(kept) == len(section["obligations"]):
            raise NotFound(f"the draft has no obligation '{key}'")
        section["obligations"] = kept

    return _change_draft(uow, agreement_id, change, "obligation_removed", actor, now, obligation=key)


# ------------------------------------------------------------------ fulfilment


@dataclass(frozen=True, slots=True)
class Fulfilment:
    ticket_id: int
    obligation: str
    started_at: datetime
    event_id: int
    at: datetime
    new: bool  # False: this instance's fulfilment was recorded before (a repeated submit)


def fulfilment_key(agreement_id: int, obligation: str, ticket_id: int, started_at: datetime) -> str:
    text = f"obligation-fulfilled|{agreement_id}|{obligation}|{ticket_id}|{started_at.isoformat()}"
    return hashlib.sha256(text.encode()).hexdigest()


def _may_fulfil(actor: Principal) -> None:
    # The customer's administrators answer for it (a viewer only reads); the provider's staff may
    # record an answer that reached them another way.
    if actor.role is not Role.CUSTOMER_ADMIN and not actor.can(Permission.TICKETS_WRITE):
        raise PermissionDenied(f"the role '{actor.role}' may not record a fulfilment")


def record_fulfilment(
    *,
    uow: UnitOfWork,
    actor: Principal,
    agreement_id: int,
    ticket_id: int,
    obligation: str,
    started_at: datetime,
) -> Fulfilment:
    """Record that the instance of `obligation` started at `started_at` on the ticket is fulfilled
    now. Idempotent: a second submit returns the first record (new=False)."""
    key = None
    try:
        with uow:
            t = load_terms(uow, agreement_id)
            ticket = uow.background.ticket(ticket_id)
            if ticket is None or ticket.customer_id != t.agreement.customer_id:
                raise NotFound(f"no ticket {ticket_id} under agreement {agreement_id}")
            _may_fulfil(actor)
            definition = next((o for o in t.obligations if o["key"] == obligation), None)
            if definition is None:
                raise NotFound(f"agreement {agreement_id} has no obligation '{obligation}'")
            key = fulfilment_key(agreement_id, obligation, ticket_id, started_at)
            done = uow.background.event_by_dedupe_key(ticket_id, key)
            if done is not None:
                return Fulfilment(ticket_id, obligation, started_at, done.id, done.at, new=False)
            now = uow.now()
            events = uow.background.events_by_ticket([ticket_id])[ticket_id]
            calendars = customer_calendars(uow, t)
            owed = [
                i
                for i in instances_of(events, [definition], calendars, now)
                if i.open and i.started_at == started_at
            ]
            if not owed:
                raise Conflict(
                    f"obligation '{definition['name']}' started {started_at.isoformat()} is not owed on "
                    f"ticket {ticket.external_id} (fulfilled already, or never started)"
                )
            event = TicketEvent(
                ticket_id=ticket_id, at=now, kind=EventKind.CUSTOMER_REPLY.value, dedupe_key=key
            )
            uow.background.add(event)

            def audited() -> object:
                return audit.record(
                    uow,
                    actor=actor.email,
                    action="obligation.fulfilled",
                    subject_type="agreement",
                    subject_id=agreement_id,
                    at=now,
                    data={
                        "ticket_id": ticket_id,
                        "ticket": ticket.external_id,
                        "obligation": obligation,
                        "started_at": started_at.isoformat(),
                        "due_at": owed[0].due_at.isoformat(),
                        "event_id": event.id,
                    },
                )

            commit_or_conflict(uow, audited)
            return Fulfilment(ticket_id, obligation, started_at, event.id, now, new=True)
    except Conflict:
        if key is None:
            raise
        # A racing submit stored the same event first: that one counts, this one is the repeat.
        with uow:
            done = uow.background.event_by_dedupe_key(ticket_id, key)
            if done is None:
                raise
            return Fulfilment(ticket_id, obligation, started_at, done.id, done.at, new=False)
