"""The provider's answer to a customer's counter-offer (the draft `counter_version` made).

Three answers: amend it (edit the draft, then offer it as usual), decline it (`decline_counter`:
the draft is withdrawn and the customer is told why), or accept it as proposed
(`accept_counter`): the draft is offered unchanged and a new signature link goes to the contact
who proposed it, so the customer signs exactly what it asked for. Accepting is refused once the
draft was edited: the customer would be signing something other than its proposal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slaforge.adapters.db.models import AgreementVersion
from slaforge.domain.agreement.lifecycle import Action, VersionState
from slaforge.domain.errors import Conflict, IllegalTransition, InvalidInput
from slaforge.domain.platform.notify import NotifyConfig
from slaforge.services.agreement import link_offers as acceptance
from slaforge.services.agreement.core import VersionRef, load_version, record, ref, require_provider, step
from slaforge.services.agreement.decisions import proposal_digest
from slaforge.services.unit_of_work import UnitOfWork


def _countered(draft: AgreementVersion) -> AgreementVersion:
    """The countered version `draft` carries the customer's proposal for, else IllegalTransition."""
    parent = next((v for v in draft.agreement.versions if v.id == draft.parent_id), None)
    if parent is None or parent.state != VersionState.COUNTERED or "proposal" not in draft.source:
        raise IllegalTransition(f"version {draft.number} is not a customer's counter-offer")
    if draft.state != VersionState.DRAFT:
        raise IllegalTransition(
            f"the counter-offer in version {draft.number} was already answered (it is {draft.state})"
        )
    return parent


def proposer(uow: UnitOfWork, draft: AgreementVersion, parent: AgreementVersion) -> str | None:
    """The contact who proposed the counter-offer: the one whose link was used for it."""
    email = uow.agreement.last_link_email_used_for(parent.id, "counter")
    if email is None and draft.created_by.startswith("customer:"):
        email = draft.created_by.removeprefix("customer:")
    return email


def accept_counter(
    *,
    uow: UnitOfWork,
    version_id: int,
    actor: str,
    now: datetime,
    base_url: str,
    link_days: int = 14,
    expires_at: datetime | None = None,
    recipients: Sequence[str] | None = None,
    notify: NotifyConfig | None = None,
) -> acceptance.OfferSent:
    """Offer the customer's counter-offer unchanged and send a signature link to its proposer
    (or to `recipients`), all in one transaction."""
    with uow:
        draft = load_version(uow, version_id)
        require_provider(uow)
        parent = _countered(draft)
        if proposal_digest(draft.terms) != draft.source.get("proposal"):
            raise Conflict(
                f"version {draft.number} was edited after the customer proposed it: it is no longer "
                "their proposal; offer it as an amended draft instead"
            )
        who = proposer(uow, draft, parent)
        emails = [r for r in (recipients or []) if r.strip()] or ([who] if who else [])
        if not emails:
            raise InvalidInput(
                "the counter-offer was not made through a signature link: name the contact to send "
                "the link to",
                field="recipients",
            )
        sent = acceptance.offer_and_send(
            uow=uow.joined(),
            version_id=draft.id,
            recipients=emails,
            actor=actor,
            now=now,
            expires_at=expires_at,
            base_url=base_url,
            link_days=link_days,
            notify=notify,
        )
        record(
            uow,
            draft,
            "counter_accepted",
            actor=actor,
            at=now,
            counter_to_version=parent.number,
            proposed_by=who,
            sent_to=[link.email for link in sent.links],
        )
        uow.commit()
        return sent


def decline_counter(
    *, uow: UnitOfWork, version_id: int, actor: str, now: datetime, reason: str = ""
) -> VersionRef:
    """Withdraw the draft carrying the customer's counter-offer; the audit entry (and so the
    customer's notification) says it was their proposal that was declined, and why."""
    with uow:
        draft = load_version(uow, version_id)
        require_provider(uow)
        parent = _countered(draft)
        text = reason.strip()
        if len(text) > 10_000 or "\x00" in text:
            raise InvalidInput("at most 10000 characters", field="reason", value=text[:50])
        step(draft, Action.WITHDRAW)
        draft.decided_at = now
        record(
            uow,
            draft,
            "withdrawn",
            actor=actor,
            at=now,
            reason=text,
            counter_declined=True,
            counter_to_version=parent.number,
            proposed_by=proposer(uow, draft, parent),
        )
        out = ref(draft)
        uow.commit()
        return out
