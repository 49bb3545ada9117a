"""Notifiers against real local receivers: an SMTP server and an HTTP endpoint."""

from __future__ import annotations

import json

import httpx
import pytest

from slaforge.adapters.platform import signature
from slaforge.adapters.platform.notifiers import ByChannel, DeliveryFailed, Message
from slaforge.adapters.platform.notifiers.fake import FakeNotifier
from slaforge.adapters.platform.notifiers.smtp import SmtpConfig, SmtpNotifier
from slaforge.adapters.platform.notifiers.webhook import WebhookNotifier
from slaforge.entrypoints.cli.platform.serve import free_port
from tests.notify_receivers import http_receiver, smtp_server

SECRET = "outgoing-webhook-secret"
NOW = 1_800_000_000


def _message(channel: str, recipient: str) -> Message:
    return Message(
        delivery_id="n:42",
        channel=channel,
        recipient=recipient,
        event="agreement.offered",
        subject="Your service level agreement is ready",
        body="Open https://example.test/agree/abc to review it.",
        payload={"version_id": 7, "hash": "ab" * 32},
    )


def test_an_email_reaches_a_real_smtp_server():
    with smtp_server() as sink:
        notifier = SmtpNotifier(SmtpConfig(host=sink.host, port=sink.port, sender="sla@provider.test"))
        notifier.send(_message("email", "buyer@customer.test"))
    [mail] = sink.messages
    assert mail["To"] == "buyer@customer.test"
    assert mail["From"] == "sla@provider.test"
    assert mail["Subject"] == "Your service level agreement is ready"
    assert mail["X-Slaforge-Delivery"] == "n:42"
    assert "https://example.test/agree/abc" in mail.get_payload()


def test_an_unreachable_smtp_server_is_a_failed_delivery():
    notifier = SmtpNotifier(SmtpConfig(host="127.0.0.1", port=free_port(), timeout=2))
    with pytest.raises(DeliveryFailed, match=r"SMTP 127\.0\.0\.1"):
        notifier.send(_message("email", "buyer@customer.test"))


def test_a_webhook_is_posted_signed_and_verifiable():
    with http_receiver([204]) as receiver:
        notifier = WebhookNotifier(secret=SECRET, clock=lambda: NOW)
        notifier.send(_message("webhook", receiver.url))
        notifier.close()
    [request] = receiver.requests
    assert request.headers["X-Slaforge-Event"] == "agreement.offered"
    signature.verify(request.body, request.headers[signature.HEADER], SECRET, now=NOW)
    assert json.loads(request.body) == {
        "event": "agreement.offered",
        "delivery": "n:42",
        "data": {"version_id": 7, "hash": "ab" * 32},
    }


def test_a_webhook_answered_with_an_error_status_is_a_failed_delivery():
    with http_receiver([500]) as receiver:
        notifier = WebhookNotifier(secret=SECRET, clock=lambda: NOW)
        with pytest.raises(DeliveryFailed, match="HTTP 500"):
            notifier.send(_message("webhook", receiver.url))
        notifier.close()


def test_a_webhook_that_times_out_is_a_failed_delivery():
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    notifier = WebhookNotifier(secret=SECRET, clock=lambda: NOW, transport=httpx.MockTransport(slow))
    with pytest.raises(DeliveryFailed, match="timed out"):
        notifier.send(_message("webhook", "http://receiver.test/hook"))


def test_messages_are_routed_by_channel_and_an_unconfigured_channel_fails():
    email, hooks = FakeNotifier(), FakeNotifier()
    router = ByChannel(email=email, webhook=hooks)
    router.send(_message("email", "a@b.test"))
    router.send(_message("webhook", "http://x.test"))
    assert [m.channel for m in email.sent] == ["email"]
    assert [m.channel for m in hooks.sent] == ["webhook"]
    with pytest.raises(DeliveryFailed, match="no webhook notifier"):
        ByChannel(email=email).send(_message("webhook", "http://x.test"))


def test_the_fake_fails_as_often_as_told_then_delivers():
    fake = FakeNotifier(failures=2)
    for _ in range(2):
        with pytest.raises(DeliveryFailed):
            fake.send(_message("email", "a@b.test"))
    fake.send(_message("email", "a@b.test"))
    assert len(fake.attempts) == 3
    assert len(fake.sent) == 1
