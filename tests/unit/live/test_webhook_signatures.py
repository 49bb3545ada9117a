"""Attack tests of the webhook receivers' signature check: each system's genuine signature passes;
no signature, another secret, a changed body, a signature in another system's scheme, and a
replayed Zendesk delivery are refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from slaforge.domain.live.webhook_signatures import BadSignature, verify

SECRET = "dGhpcyBpcyBhIHNlY3JldA=="
BODY = b'{"ticket": {"id": 35436, "status": "open"}}'
NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def _hex(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _zendesk(body: bytes, at: datetime = NOW, secret: str = SECRET) -> dict[str, str]:
    stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = hmac.new(secret.encode(), stamp.encode() + body, hashlib.sha256).digest()
    return {
        "x-zendesk-webhook-signature": base64.b64encode(digest).decode(),
        "x-zendesk-webhook-signature-timestamp": stamp,
    }


def test_each_systems_genuine_signature_passes() -> None:
    verify("zendesk", SECRET, _zendesk(BODY), BODY, NOW + timedelta(seconds=30))
    verify("jsm", SECRET, {"x-hub-signature": _hex(BODY)}, BODY, NOW)
    verify("servicenow", SECRET, {"x-slaforge-signature": _hex(BODY)}, BODY, NOW)
    verify("servicenow", SECRET, {"x-slaforge-secret": SECRET}, BODY, NOW)


@pytest.mark.parametrize(
    ("system", "headers"),
    [
        ("zendesk", {}),
        ("zendesk", _zendesk(BODY, secret="another secret")),
        ("zendesk", _zendesk(BODY + b" ")),  # signed another body
        ("zendesk", _zendesk(BODY, at=NOW - timedelta(minutes=6))),  # a replay
        ("zendesk", {**_zendesk(BODY), "x-zendesk-webhook-signature-timestamp": "yesterday"}),
        ("jsm", {}),
        ("jsm", {"x-hub-signature": _hex(BODY, "another secret")}),
        ("jsm", {"x-hub-signature": _hex(BODY).removeprefix("sha256=")}),  # no scheme
        ("jsm", {"x-hub-signature": "sha1=" + hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest()}),
        ("jsm", _zendesk(BODY)),  # another system's scheme
        ("servicenow", {}),
        ("servicenow", {"x-slaforge-secret": SECRET[:-1]}),
        ("servicenow", {"x-slaforge-signature": _hex(b"{}")}),
        ("freshdesk", {"x-hub-signature": _hex(BODY)}),
    ],
)
def test_a_forged_or_replayed_delivery_is_refused(system: str, headers: dict[str, str]) -> None:
    with pytest.raises(BadSignature):
        verify(system, SECRET, headers, BODY, NOW)
