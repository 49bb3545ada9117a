"""What people are told when an agreement version changes: the texts, and who receives them.

News is queued in ONE place: the agreement audit helper (agreements_core.record) calls `note` for
every state change, and the news is written to the outbox when that transaction commits, so it
commits with the change or not at all (see notifications.queue). Waiting for the commit lets the
recipients be chosen from the finished transaction: an offer sent with signature links is told
to the customer by the link e-mails, which exist only after the offer itself was recorded.

Who hears: the customer contacts (the version's signature-link recipients or, for a version
offered without links, the customer's active customer-admin users) hear of the offer and of the
decisions on it; the provider's address (SLAFORGE_NOTIFY_PROVIDER_EMAIL) hears of everything;
every configured webhook receives every event as JSON.

The configuration travels on the unit of work (`uow.notify`, given by the composition root, see
bootstrap.py), never in a global: a unit of work without it queues nothing. `note` keeps the news
among the transaction's events and registers `queue_pending` to run before its commit: an
explicit hook on that unit of work, not a listener on every database session.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slaforge.adapters.db.models import AgreementVersion
from slaforge.domain.platform.notify import NotifyConfig
from slaforge.services.platform.notifications import Outgoing, queue
from slaforge.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from slaforge.adapters.db.agreement.repository import AgreementRepository

_WHAT = {
    "accepted": "was accepted",
    "accepted_by_customer": "was accepted by the customer and awaits the provider's countersignature",
    "countersigned": "was countersigned by the provider and is accepted",
    "rejected": "was rejected",
    "countered": "was answered with a counter-offer",
    "withdrawn": "was withdrawn by the provider",
    "expired": "expired without an answer",
    "superseded": "was superseded by a newer version",
    "flagged": "was flagged for review",
    "offered": "was offered",
}

# Audit action (agreement.<action>) → news kind; actions not listed (drafts, evidence) are not news.
KIND_OF_ACTION = {
    "offered": "offered",
    "accepted": "accepted",
    "accepted_by_customer": "accepted_by_customer",
    "countersigned": "countersigned",
    "rejected": "rejected",
    "countered": "countered",
    "withdrawn": "withdrawn",
    "expired": "expired",
    "superseded": "superseded",
    "flagged_for_review": "flagged",
}
# Told to the provider and the webhooks only: the customer's side has nothing to do about them.
_PROVIDER_ONLY = frozenset({"flagged"})
# Webhooks only: the acceptance of the newer version already tells every person.
_WEBHOOK_ONLY = frozenset({"superseded"})


@dataclass(slots=True)
class _Pending:
    version: AgreementVersion
    kind: str
    state: str
    at: datetime
    actor: str
    data: dict[str, Any] = field(default_factory=dict)


def configure(uow: UnitOfWork, config: NotifyConfig | None) -> None:
    """Give this transaction a notification configuration (overriding the one it carries)."""
    if config is not None:
        uow.notify = config


def note(
    uow: UnitOfWork,
    version: AgreementVersion,
    action: str,
    *,
    actor: str,
    at: datetime,
    data: Mapping[str, Any],
) -> None:
    """Remember that `version` changed (`action` as audited); queued when the transaction commits."""
    kind = KIND_OF_ACTION.get(action)
    if kind is None or uow.notify is None:
        return
    uow.events.append(_Pending(version, kind, version.state, at, actor, dict(data)))
    uow.on_commit(queue_pending)


def queue_pending(uow: UnitOfWork) -> None:
    """Queue the news noted in this transaction, just before it commits, so that it commits with
    the change or not at all, and its recipients are chosen from the finished transaction."""
    pending = [e for e in uow.events if isinstance(e, _Pending)]
    config = uow.notify
    if not pending or config is None:
        return
    # A countersignature also records the acceptance it completes: one message says both.
    countersigned = {p.version.id for p in pending if p.kind == "countersigned"}
    for p in pending:
        if p.kind == "accepted" and p.version.id in countersigned:
            continue
        version_event(
            uow,
            p.version,
            p.kind,
            now=p.at,
            config=config,
            state=p.state,
            detail=_detail(uow.agreement, p),
            data={"actor": p.actor},
        )


def _who(actor: str) -> str:
    return actor.removeprefix("customer:")


def _accepted_detail(repo: AgreementRepository, version: AgreementVersion) -> str:
    row = repo.last_acceptance(version.id)
    if row is None:
        return ""
    if row.method == "payment":
        return f"Accepted by payment: {row.note}." if row.note else "Accepted by payment."
    person = ", ".join(x for x in (row.title, row.email) if x)
    who = f"{row.name} ({person})" if row.name and person else (row.name or person or _who(row.actor))
    verb = "Signed" if row.method == "signature" else "Acceptance recorded"
    return f"{verb} by {who}."


def _detail(repo: AgreementRepository, p: _Pending) -> str:
    d = p.data
    if p.kind in ("accepted", "accepted_by_customer"):
        return _accepted_detail(repo, p.version)
    if p.kind == "countersigned":
        return f"Countersigned by {d.get('name') or _who(p.actor)}."
    if p.kind in ("rejected", "withdrawn", "flagged") and d.get("reason"):
        return f"Reason given by {_who(p.actor)}: {d['reason']}"
    if p.kind == "countered" and d.get("comment"):
        return f"{_who(p.actor)} proposes: {d['comment']}"
    if p.kind == "expired":
        expiry = f"{p.version.expires_at:%Y-%m-%d %H:%M} UTC" if p.version.expires_at else "its expiry"
        return f"The offer lapsed at {expiry} without a decision."
    if p.kind == "superseded" and d.get("by_version"):
        return f"Version {d['by_version']} replaces it."
    return ""


def customer_recipients(repo: AgreementRepository, version: AgreementVersion, kind: str) -> list[str]:
    """The customer side: link recipients; for a version offered without links, its customer-admins.

    An offer with links is told by the link e-mails themselves; a draft never offered (a
    withdrawn draft) is nothing the customer has seen."""
    if kind in _PROVIDER_ONLY or kind in _WEBHOOK_ONLY:
        return []
    linked = list(dict.fromkeys(repo.link_emails(version.id)))
    if linked:
        return [] if kind == "offered" else linked
    if version.offered_at is None:
        return []
    return repo.customer_admin_emails(version.agreement.customer_id)


def version_event(
    uow: UnitOfWork,
    version: AgreementVersion,
    kind: str,
    *,
    now: datetime,
    config: NotifyConfig | None,
    state: str | None = None,
    detail: str = "",
    data: Mapping[str, Any] | None = None,
    customer_too: bool = True,
    extra_emails: Sequence[str] = (),
) -> None:
    """Queue `agreement.<kind>` about `version` for the contacts, the provider and the webhooks.

    Deduplicated by version, kind and state: queuing the same event twice adds nothing."""
    if config is None:
        return
    state = state or version.state
    title = version.agreement.title
    subject = f"{title}, version {version.number} {_WHAT.get(kind, kind)}"
    lines = [f"{subject}.", ""]
    if detail:
        lines += [detail, ""]
    if version.content_hash:
        lines.append(f"Content hash (SHA-256): {version.content_hash}")
    item = Outgoing(
        event=f"agreement.{kind}",
        dedupe=f"version:{version.id}:{kind}:{state}",
        subject=subject,
        body="\n".join(lines) + "\n",
        payload={
            "agreement_id": version.agreement_id,
            "version_id": version.id,
            "version": version.number,
            "state": state,
            "hash": version.content_hash,
            "at": now.isoformat(),
            **dict(data or {}),
        },
        version_id=version.id,
    )
    emails = [*(customer_recipients(uow.agreement, version, kind) if customer_too else []), *extra_emails]
    if config.provider_email and kind not in _WEBHOOK_ONLY:
        emails.append(config.provider_email)
    queue(uow, item, emails=emails, webhooks=config.webhook_urls, now=now)
