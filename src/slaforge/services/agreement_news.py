"""What people are told when an agreement version changes: the texts, and who receives them.

The customer contacts a version was sent to (its signature links) hear of decisions on it; the
provider's address (SLAFORGE_NOTIFY_PROVIDER_EMAIL) hears of everything; every configured webhook
receives every event as JSON. Queued in the caller's transaction (see notifications.queue).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import AgreementVersion, SignatureLink
from slaforge.services.notifications import NotifyConfig, Outgoing, queue

_WHAT = {
    "accepted": "was accepted",
    "rejected": "was rejected",
    "countered": "was answered with a counter-offer",
    "expired": "expired without an answer",
    "flagged": "was flagged for review",
    "offered": "was offered",
}


def contacts(session: Session, version_id: int) -> list[str]:
    """Everyone a signature link for this version went to."""
    rows = session.scalars(
        select(SignatureLink.email).where(SignatureLink.version_id == version_id).order_by(SignatureLink.id)
    )
    return list(dict.fromkeys(rows))


def version_event(
    session: Session,
    version: AgreementVersion,
    kind: str,
    *,
    now: datetime,
    config: NotifyConfig | None,
    detail: str = "",
    data: Mapping[str, Any] | None = None,
    customer_too: bool = True,
    extra_emails: Sequence[str] = (),
) -> None:
    """Queue `agreement.<kind>` about `version` for the contacts, the provider and the webhooks."""
    if config is None:
        return
    title = version.agreement.title
    subject = f"{title}, version {version.number} {_WHAT.get(kind, kind)}"
    lines = [f"{subject}.", ""]
    if detail:
        lines += [detail, ""]
    if version.content_hash:
        lines.append(f"Content hash (SHA-256): {version.content_hash}")
    item = Outgoing(
        event=f"agreement.{kind}",
        dedupe=f"version:{version.id}:{kind}:{version.state}",
        subject=subject,
        body="\n".join(lines) + "\n",
        payload={
            "agreement_id": version.agreement_id,
            "version_id": version.id,
            "version": version.number,
            "state": version.state,
            "hash": version.content_hash,
            "at": now.isoformat(),
            **dict(data or {}),
        },
        version_id=version.id,
    )
    emails = [*(contacts(session, version.id) if customer_too else []), *extra_emails]
    if config.provider_email:
        emails.append(config.provider_email)
    queue(session, item, emails=emails, webhooks=config.webhook_urls, now=now)
