"""The notification outbox: queue in the transaction of the change, deliver later, retry with backoff.

Queuing writes rows only (never talks to a server), so a change and the news of it commit
together. `deliver_due` claims one due row at a time (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so
several workers never send the same row), sends it, and records the outcome in the same
transaction. Delivery is at least once: a crash after sending and before the commit resends, and
every message carries a stable delivery id for the receiver to drop the copy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from slaforge.adapters.db.models.agreement.acceptance import Notification
from slaforge.adapters.platform.notifiers import DeliveryFailed, Message, Notifier
from slaforge.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    pass

MAX_BACKOFF = timedelta(hours=6)
SCRUBBED = "[delivered; the signature link in this message is not kept]"


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One event to tell people about; `dedupe` makes queuing the same event twice harmless."""

    event: str
    dedupe: str
    subject: str
    body: str
    payload: Mapping[str, Any] = field(default_factory=dict)
    version_id: int | None = None


def queue(
    uow: UnitOfWork,
    item: Outgoing,
    *,
    emails: Sequence[str],
    webhooks: Sequence[str],
    now: datetime,
    slack: Sequence[str] = (),
) -> list[Notification]:
    """Add one row per recipient (e-mail) and per URL (signed webhook, Slack-compatible incoming
    webhook), skipping any already queued."""
    targets = (
        [("email", e) for e in dict.fromkeys(emails) if e]
        + [("webhook", u) for u in dict.fromkeys(webhooks) if u]
        + [("slack", u) for u in dict.fromkeys(slack) if u]
    )
    repo = uow.platform
    added = []
    for channel, recipient in targets:
        key = f"{item.dedupe}:{channel}:{recipient}"[:300]
        row = Notification(
            dedupe_key=key,
            channel=channel,
            recipient=recipient,
            event=item.event,
            subject=item.subject,
            body=item.body,
            payload={"event": item.event, **dict(item.payload)},
            version_id=item.version_id,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            last_error=None,
            sent_at=None,
        )
        stored = repo.add_notification_once(row)  # the unique dedupe key decides between racers
        if stored is not None:
            added.append(stored)
    repo.flush()
    return added


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retrying} to retry, {self.failed} failed for good"


def backoff(attempts: int, base_seconds: int) -> timedelta:
    """Wait after the `attempts`-th failure: base, 2×base, 4×base, … capped at six hours."""
    return min(timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _message(row: Notification) -> Message:
    return Message(
        delivery_id=f"slaforge-notification-{row.id}",
        channel=row.channel,
        recipient=row.recipient,
        event=row.event,
        subject=row.subject,
        body=row.body,
        payload=row.payload,
    )


def deliver_due(
    *,
    uow: UnitOfWork,
    notifier: Notifier,
    now: datetime,
    max_attempts: int = 8,
    backoff_seconds: int = 60,
    limit: int = 500,
) -> DeliveryReport:
    """Send every notification that is due at `now` (at most `limit`), one transaction each."""
    sent = retrying = failed = 0
    seen: set[int] = set()
    for _ in range(limit):
        with uow:
            row = uow.platform.claim_due_notification(now, seen)
            if row is None:
                break
            seen.add(row.id)
            row.attempts += 1
            try:
                notifier.send(_message(row))
            except DeliveryFailed as exc:
                row.last_error = str(exc)[:2000]
                if row.attempts >= max_attempts:
                    row.status = "failed"
                    failed += 1
                else:
                    row.next_attempt_at = now + backoff(row.attempts, backoff_seconds)
                    retrying += 1
            else:
                row.status, row.sent_at, row.last_error = "sent", now, None
                if row.payload.get("scrub_after_send"):
                    # The body carried a signature link: once delivered, no stored copy of it remains.
                    row.body = SCRUBBED
                if row.payload.get("attachments"):
                    # Files sent are kept where they belong (a live report's row), not once per e-mail.
                    kept = [
                        {k: v for k, v in a.items() if k != "content_base64"}
                        for a in row.payload["attachments"]
                    ]
                    row.payload = {**row.payload, "attachments": kept}
                sent += 1
            uow.commit()
    return DeliveryReport(sent=sent, retrying=retrying, failed=failed)


@dataclass(frozen=True, slots=True)
class NotificationView:
    id: int
    channel: str
    recipient: str
    event: str
    subject: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None


def list_notifications(
    *, uow: UnitOfWork, version_id: int | None = None, status: str | None = None
) -> list[NotificationView]:
    with uow:
        return [
            NotificationView(
                r.id,
                r.channel,
                r.recipient,
                r.event,
                r.subject,
                r.status,
                r.attempts,
                r.next_attempt_at,
                r.last_error,
            )
            for r in uow.platform.notifications(version_id=version_id, status=status)
        ]
