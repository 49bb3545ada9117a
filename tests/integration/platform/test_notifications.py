"""The outbox: offer e-mails reach a real SMTP server; webhooks are signed and retried with backoff."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from slaforge.adapters.db.models import Notification
from slaforge.adapters.platform import signature
from slaforge.adapters.platform.notifiers import ByChannel
from slaforge.adapters.platform.notifiers.fake import FakeNotifier
from slaforge.adapters.platform.notifiers.smtp import SmtpConfig, SmtpNotifier
from slaforge.adapters.platform.notifiers.webhook import WebhookNotifier
from slaforge.domain.platform.notify import NotifyConfig
from slaforge.services.agreement import link_offers as acceptance
from slaforge.services.platform import notifications
from slaforge.services.platform.notifications import Outgoing, backoff, deliver_due, queue
from tests.agreement_setup import MANAGER, NOW, draft
from tests.notify_receivers import http_receiver, smtp_server

SECRET = "notification-signing-secret"


def _offer(uow, notify=None):
    d = draft(uow)
    sent = acceptance.offer_and_send(
        uow=uow,
        version_id=d.version_id,
        recipients=["buyer@customer.test"],
        actor=MANAGER.email,
        now=NOW,
        expires_at=NOW + timedelta(days=14),
        base_url="https://sla.provider.test",
        notify=notify,
    )
    return d, sent


def test_the_offer_email_with_its_link_reaches_a_real_smtp_server(uow):
    _d, sent = _offer(uow)
    [link] = sent.links
    with smtp_server() as sink:
        notifier = SmtpNotifier(SmtpConfig(host=sink.host, port=sink.port, sender="sla@provider.test"))
        report = deliver_due(uow=uow, notifier=ByChannel(email=notifier), now=NOW)
    assert report.sent == 1
    [mail] = sink.messages
    assert mail["To"] == "buyer@customer.test"
    assert link.url.startswith("https://sla.provider.test/agree/")
    text = mail.get_payload(decode=True).decode()
    assert link.url in text
    assert sent.version.content_hash in text
    # Once delivered, the stored copy no longer holds a usable link.
    with uow:
        row = uow.session.scalars(select(Notification)).one()
        assert row.status == "sent"
        assert link.url not in row.body


def test_webhooks_are_signed_and_retried_with_exponential_backoff_until_delivered(uow):
    with http_receiver([500, 500, 200]) as receiver:
        _offer(uow, NotifyConfig(webhook_urls=(receiver.url,)))
        hooks = WebhookNotifier(secret=SECRET, clock=lambda: NOW.timestamp())
        notifier = ByChannel(webhook=hooks, email=FakeNotifier())
        first = deliver_due(uow=uow, notifier=notifier, now=NOW, backoff_seconds=60)
        assert (first.sent, first.retrying) == (1, 1)  # the e-mail went; the webhook got a 500
        # Not due again before its backoff has passed: nothing is attempted.
        early = deliver_due(uow=uow, notifier=notifier, now=NOW + timedelta(seconds=59), backoff_seconds=60)
        assert early == notifications.DeliveryReport()
        second = deliver_due(uow=uow, notifier=notifier, now=NOW + timedelta(seconds=60), backoff_seconds=60)
        assert second.retrying == 1
        with uow:
            row = uow.session.scalars(select(Notification).where(Notification.channel == "webhook")).one()
            assert row.attempts == 2
            assert row.next_attempt_at == NOW + timedelta(seconds=60) + timedelta(seconds=120)  # doubled
            assert "HTTP 500" in (row.last_error or "")
        third = deliver_due(uow=uow, notifier=notifier, now=NOW + timedelta(seconds=180), backoff_seconds=60)
        assert third.sent == 1
        hooks.close()
    assert len(receiver.requests) == 3
    for request in receiver.requests:
        signature.verify(request.body, request.headers[signature.HEADER], SECRET, now=NOW.timestamp())
        assert json.loads(request.body)["event"] == "agreement.offered"
    # The same delivery id on every attempt lets the receiver drop copies.
    assert len({r.headers["X-Slaforge-Delivery"] for r in receiver.requests}) == 1


def test_a_notification_is_marked_failed_after_the_last_attempt(uow):
    with uow:
        queue(
            uow,
            Outgoing(event="agreement.expired", dedupe="x", subject="s", body="b"),
            emails=["a@b.test"],
            webhooks=[],
            now=NOW,
        )
        uow.commit()
    fake = FakeNotifier(failures=10)
    at = NOW
    for attempt in range(1, 4):
        report = deliver_due(uow=uow, notifier=fake, now=at, max_attempts=3, backoff_seconds=10)
        at += backoff(attempt, 10)
    assert report.failed == 1
    assert len(fake.attempts) == 3
    with uow:
        row = uow.session.scalars(select(Notification)).one()
        assert (row.status, row.attempts) == ("failed", 3)
    assert deliver_due(uow=uow, notifier=fake, now=at + timedelta(days=1)) == notifications.DeliveryReport()


def test_queuing_the_same_event_twice_adds_nothing(uow):
    item = Outgoing(event="agreement.accepted", dedupe="version:1:accepted", subject="s", body="b")
    for _ in range(2):
        with uow:
            queue(uow, item, emails=["a@b.test"], webhooks=["http://x.test"], now=NOW)
            uow.commit()
    assert len(notifications.list_notifications(uow=uow)) == 2


def test_backoff_doubles_and_is_capped():
    assert [backoff(n, 60).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(30, 60) == timedelta(hours=6)


def test_a_lapsed_offer_is_told_to_its_contacts_and_the_provider(uow):
    _offer(uow, NotifyConfig(provider_email="sla@provider.test"))
    notify = NotifyConfig(provider_email="sla@provider.test")
    assert acceptance.lapse_offers(uow=uow, now=NOW + timedelta(days=15), notify=notify) == 1
    with uow:
        expired = uow.session.scalars(
            select(Notification).where(Notification.event == "agreement.expired")
        ).all()
        assert {n.recipient for n in expired} == {"buyer@customer.test", "sla@provider.test"}
    assert acceptance.lapse_offers(uow=uow, now=NOW + timedelta(days=16), notify=notify) == 0
