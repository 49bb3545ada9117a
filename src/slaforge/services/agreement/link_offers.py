"""Acceptance by signature link, the provider's side: offer and e-mail a single-use, expiring
link, open it for the customer's page, and let lapsed offers expire. What the customer decides
through it (accept, reject, propose changes) is in link_decisions.

The token is 32 random bytes shown once (in the e-mail); only its SHA-256 is stored, so reading
the database does not give anyone a usable link (the queued e-mail's copy is erased once sent).
Every decision through a link runs in one transaction with the agreement use case it calls (see
link_decisions): the link is used up if and only if the decision is recorded.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from slaforge.adapters.db.models import AgreementVersion, SignatureLink
from slaforge.domain.agreement.lifecycle import VersionState
from slaforge.domain.agreement.summary import plain_summary
from slaforge.domain.errors import IllegalTransition, InvalidInput
from slaforge.domain.platform.accounts import normalise_email
from slaforge.domain.platform.notify import NotifyConfig
from slaforge.services.agreement import core, decisions, reading, versions
from slaforge.services.agreement.core import configure_news, load_version, require_provider
from slaforge.services.agreement.core import ref as ref_of
from slaforge.services.agreement.links import check_open, load_link, token_hash
from slaforge.services.platform import audit
from slaforge.services.platform.notifications import Outgoing, queue
from slaforge.services.unit_of_work import UnitOfWork

LINK_PATH = "/agree/"


@dataclass(frozen=True, slots=True)
class IssuedLink:
    link_id: int
    email: str
    url: str  # carries the token: shown once, never stored
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class OfferSent:
    version: core.VersionRef
    links: list[IssuedLink]


def _recipients(recipients: Sequence[str]) -> list[str]:
    emails = [normalise_email(r, "recipients") for r in recipients if r.strip()]
    if not emails:
        raise InvalidInput("name at least one customer contact to send the link to", field="recipients")
    return list(dict.fromkeys(emails))


def _issue(
    uow: UnitOfWork,
    version: AgreementVersion,
    emails: list[str],
    *,
    now: datetime,
    base_url: str,
    link_days: int,
    actor: str,
) -> list[IssuedLink]:
    expires = now + timedelta(days=link_days)
    if version.expires_at is not None:
        expires = min(expires, version.expires_at)  # a link never outlives the offer
    summary = "\n".join(f"- {line}" for line in plain_summary(version.terms))
    issued = []
    for email in emails:
        token = secrets.token_urlsafe(32)
        link = SignatureLink(
            token_hash=token_hash(token),
            version_id=version.id,
            email=email,
            created_at=now,
            expires_at=expires,
        )
        uow.agreement.add(link)
        uow.flush()
        url = f"{base_url.rstrip('/')}{LINK_PATH}{token}"
        body = (
            f"{version.agreement.title}, version {version.number}, is ready for your review.\n\n"
            f"{summary}\n\nRead the full agreement and accept it, reject it or propose changes here:\n"
            f"{url}\n\nThe link works once and until {expires:%Y-%m-%d %H:%M} UTC.\n"
            f"Content hash (SHA-256) of this version: {version.content_hash}\n"
        )
        item = Outgoing(
            event="agreement.offered",
            dedupe=f"link:{link.id}",
            subject=f"For your review: {version.agreement.title}",
            body=body,
            payload={"version_id": version.id, "scrub_after_send": True},
            version_id=version.id,
        )
        queue(uow, item, emails=[email], webhooks=[], now=now)
        audit.record(
            uow,
            actor=actor,
            action="agreement.link_sent",
            subject_type="agreement",
            subject_id=version.agreement_id,
            at=now,
            data={
                "version_id": version.id,
                "link_id": link.id,
                "email": email,
                "expires_at": expires.isoformat(),
            },
        )
        issued.append(IssuedLink(link.id, email, url, expires))
    return issued


def offer_and_send(
    *,
    uow: UnitOfWork,
    version_id: int,
    recipients: Sequence[str],
    actor: str,
    now: datetime,
    expires_at: datetime | None,
    base_url: str,
    link_days: int = 14,
    notify: NotifyConfig | None = None,
) -> OfferSent:
    """Offer a draft (freezing it) and e-mail a signature link to each recipient, all or nothing.

    `notify` overrides the configuration the session carries (see agreement_news)."""
    emails = _recipients(recipients)
    with uow:
        configure_news(uow, notify)
        ref = versions.offer_version(
            uow=uow.joined(), version_id=version_id, actor=actor, now=now, expires_at=expires_at
        )
        version = load_version(uow, version_id)
        links = _issue(
            uow,
            version,
            emails,
            now=now,
            base_url=base_url,
            link_days=link_days,
            actor=actor,
        )
        uow.commit()
        return OfferSent(ref, links)


def send_link(
    *,
    uow: UnitOfWork,
    version_id: int,
    recipients: Sequence[str],
    actor: str,
    now: datetime,
    base_url: str,
    link_days: int = 14,
) -> list[IssuedLink]:
    """Another link for a version already on offer (a new contact, or a lost e-mail)."""
    return _send_for_offer(
        uow=uow,
        version_id=version_id,
        emails=_recipients(recipients),
        actor=actor,
        now=now,
        base_url=base_url,
        link_days=link_days,
    ).links


def _send_for_offer(
    *,
    uow: UnitOfWork,
    version_id: int,
    emails: list[str],
    actor: str,
    now: datetime,
    base_url: str,
    link_days: int,
) -> OfferSent:
    with uow:
        require_provider(uow)
        version = load_version(uow, version_id)
        if version.state != VersionState.OFFERED:
            raise IllegalTransition(
                f"version {version.number} is {version.state}, not on offer: no link to send"
            )
        links = _issue(
            uow,
            version,
            emails,
            now=now,
            base_url=base_url,
            link_days=link_days,
            actor=actor,
        )
        out = OfferSent(ref_of(version), links)
        uow.commit()
        return out


def send_links(
    *,
    uow: UnitOfWork,
    version_id: int,
    recipients: Sequence[str],
    actor: str,
    now: datetime,
    base_url: str,
    link_days: int = 14,
    offer_days: int | None = None,
) -> OfferSent:
    """Signature links for a version: a draft is offered first (lapsing after `offer_days`, if
    given); a version on offer gets more links; anything else is refused."""
    emails = _recipients(recipients)
    if version_state(uow=uow, version_id=version_id) == VersionState.DRAFT:
        return offer_and_send(
            uow=uow,
            version_id=version_id,
            recipients=emails,
            actor=actor,
            now=now,
            expires_at=now + timedelta(days=offer_days) if offer_days else None,
            base_url=base_url,
            link_days=link_days,
        )
    return _send_for_offer(
        uow=uow,
        version_id=version_id,
        emails=emails,
        actor=actor,
        now=now,
        base_url=base_url,
        link_days=link_days,
    )


@dataclass(frozen=True, slots=True)
class LinkPage:
    email: str
    link_expires_at: datetime
    version: reading.VersionView


def open_link(*, uow: UnitOfWork, token: str, now: datetime) -> LinkPage:
    """What the customer's page shows; LinkClosed (410) once the link cannot be used any more."""
    with uow:
        link = load_link(uow, token)
        check_open(link, load_version(uow, link.version_id), now)
        email, expires, version_id = link.email, link.expires_at, link.version_id
    return LinkPage(email, expires, reading.get_version(uow=uow, version_id=version_id))


@dataclass(frozen=True, slots=True)
class LinkReceipt:
    """What happened through a used link, for the confirmation page after a decision."""

    used_for: str | None
    used_at: datetime | None
    title: str
    number: int
    state: str
    content_hash: str | None


def link_receipt(*, uow: UnitOfWork, token: str) -> LinkReceipt:
    with uow:
        link = load_link(uow, token)
        version = load_version(uow, link.version_id)
        return LinkReceipt(
            link.used_for,
            link.used_at,
            version.agreement.title,
            version.number,
            version.state,
            version.content_hash,
        )


def version_state(*, uow: UnitOfWork, version_id: int) -> str:
    with uow:
        return load_version(uow, version_id).state


def lapse_offers(*, uow: UnitOfWork, now: datetime, notify: NotifyConfig | None = None) -> int:
    """Let every offer past its expiry lapse (its news queued by the audit hook), in one transaction.

    Idempotent and safe to run from several processes at once: a lapsed offer is no longer on
    offer, and on PostgreSQL one pass at a time holds a transaction-scoped advisory lock (the
    others skip), so no offer lapses twice and the audit chain gets one entry per lapse. On SQLite
    the database's single writer does the same (a second writer's stale pass fails and rolls back).
    """
    with uow:
        configure_news(uow, notify)
        if not uow.agreement.try_lapse_lock():
            return 0
        lapsed = decisions.lapse_expired_offers(uow=uow.joined(), now=now)
        uow.commit()
        return lapsed
