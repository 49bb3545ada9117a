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

The configuration travels in `Session.info` (put there by the composition root's session
factory, see bootstrap.py), never in a global: sessions without it queue nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import Acceptance, AgreementVersion, SignatureLink, User
from slaforge.domain.platform.accounts import Role
from slaforge.services.platform.notifications import NotifyConfig, Outgoing, queue

CONFIG_KEY = "slaforge.notify_config"
_PENDING_KEY = "slaforge.agreement_news"

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


def carrying(factory: sessionmaker[Session], config: NotifyConfig) -> sessionmaker[Session]:
    """A session factory like `factory` whose sessions carry `config` and so queue agreement news.

    The caller's factory is left as it was (a test's own factory keeps queuing nothing)."""
    install()
    info = {**factory.kw.get("info", {}), CONFIG_KEY: config}
    return sessionmaker(class_=factory.class_, **{**factory.kw, "info": info})


def configure(session: Session, config: NotifyConfig | None) -> None:
    """Give one session's transaction a configuration (for callers without a carrying factory)."""
    if config is not None:
        install()
        session.info[CONFIG_KEY] = config


def config_of(session: Session) -> NotifyConfig | None:
    config = session.info.get(CONFIG_KEY)
    return config if isinstance(config, NotifyConfig) else None


def install() -> None:
    """Register the commit and rollback hooks on every Session (idempotent; on first use, never at
    import). They act only on sessions that carry a configuration."""
    if not event.contains(Session, "before_commit", _before_commit):
        event.listen(Session, "before_commit", _before_commit)
    if not event.contains(Session, "after_rollback", _after_rollback):
        event.listen(Session, "after_rollback", _after_rollback)


def note(
    session: Session,
    version: AgreementVersion,
    action: str,
    *,
    actor: str,
    at: datetime,
    data: Mapping[str, Any],
) -> None:
    """Remember that `version` changed (`action` as audited); queued when the transaction commits."""
    kind = KIND_OF_ACTION.get(action)
    if kind is None or config_of(session) is None:
        return
    pending: list[_Pending] = session.info.setdefault(_PENDING_KEY, [])
    pending.append(_Pending(version, kind, version.state, at, actor, dict(data)))


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


def _before_commit(session: Session) -> None:
    pending: list[_Pending] = session.info.pop(_PENDING_KEY, [])
    config = config_of(session)
    if not pending or config is None:
        return
    # A countersignature also records the acceptance it completes: one message says both.
    countersigned = {p.version.id for p in pending if p.kind == "countersigned"}
    for p in pending:
        if p.kind == "accepted" and p.version.id in countersigned:
            continue
        version_event(
            session,
            p.version,
            p.kind,
            now=p.at,
            config=config,
            state=p.state,
            detail=_detail(session, p),
            data={"actor": p.actor},
        )


def _who(actor: str) -> str:
    return actor.removeprefix("customer:")


def _accepted_detail(session: Session, version: AgreementVersion) -> str:
    row = session.scalars(
        select(Acceptance)
        .where(Acceptance.version_id == version.id, Acceptance.decision == "accept")
        .order_by(Acceptance.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return ""
    if row.method == "payment":
        return f"Accepted by payment: {row.note}." if row.note else "Accepted by payment."
    person = ", ".join(x for x in (row.title, row.email) if x)
    who = f"{row.name} ({person})" if row.name and person else (row.name or person or _who(row.actor))
    verb = "Signed" if row.method == "signature" else "Acceptance recorded"
    return f"{verb} by {who}."


def _detail(session: Session, p: _Pending) -> str:
    d = p.data
    if p.kind in ("accepted", "accepted_by_customer"):
        return _accepted_detail(session, p.version)
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


def contacts(session: Session, version_id: int) -> list[str]:
    """Everyone a signature link for this version went to."""
    rows = session.scalars(
        select(SignatureLink.email).where(SignatureLink.version_id == version_id).order_by(SignatureLink.id)
    )
    return list(dict.fromkeys(rows))


def customer_admins(session: Session, customer_id: int) -> list[str]:
    rows = session.scalars(
        select(User.email)
        .where(
            User.customer_id == customer_id,
            User.role == Role.CUSTOMER_ADMIN.value,
            User.is_active.is_(True),
        )
        .order_by(User.id)
    )
    return list(rows)


def customer_recipients(session: Session, version: AgreementVersion, kind: str) -> list[str]:
    """The customer side: link recipients; for a version offered without links, its customer-admins.

    An offer with links is told by the link e-mails themselves; a draft never offered (a
    withdrawn draft) is nothing the customer has seen."""
    if kind in _PROVIDER_ONLY or kind in _WEBHOOK_ONLY:
        return []
    linked = contacts(session, version.id)
    if linked:
        return [] if kind == "offered" else linked
    if version.offered_at is None:
        return []
    return customer_admins(session, version.agreement.customer_id)


def version_event(
    session: Session,
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
    emails = [*(customer_recipients(session, version, kind) if customer_too else []), *extra_emails]
    if config.provider_email and kind not in _WEBHOOK_ONLY:
        emails.append(config.provider_email)
    queue(session, item, emails=emails, webhooks=config.webhook_urls, now=now)
