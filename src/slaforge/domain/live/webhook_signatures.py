"""How each tracking system signs its webhooks, checked against the signing secret the provider
copied into slaforge (per ingestion token):

- Zendesk: `X-Zendesk-Webhook-Signature` is base64(HMAC-SHA256(secret, timestamp + body)) with
  the timestamp in `X-Zendesk-Webhook-Signature-Timestamp`; older than five minutes is a replay.
- Jira Service Management (Jira webhooks with a secret): `X-Hub-Signature: sha256=<hex HMAC-SHA256
  of the body>`.
- ServiceNow has no signing of its own; the outbound REST message (or business rule) sends
  `X-Slaforge-Signature: sha256=<hex HMAC-SHA256 of the body>` computed with GlideDigest, or, as the
  plainer shared-secret scheme, the secret itself in `X-Slaforge-Secret`.

Every comparison is constant-time. Pure: the caller hands over the headers (lower-case names), the
raw body and the time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime

from slaforge.domain.platform.accounts import NotAuthenticated

ZENDESK_TOLERANCE_SECONDS = 300


class BadSignature(NotAuthenticated):
    """The delivery is not signed by the holder of the token's signing secret (or is a replay)."""


def _hex_hmac(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _prefixed(headers: Mapping[str, str], name: str, secret: str, body: bytes) -> bool:
    given = headers.get(name, "")
    scheme, _, value = given.partition("=")
    return scheme.strip().lower() == "sha256" and _same(value.strip().lower(), _hex_hmac(secret, body))


def verify(system: str, secret: str, headers: Mapping[str, str], body: bytes, now: datetime) -> None:
    """Raise BadSignature unless `body` carries `system`'s valid signature under `secret`."""
    if system == "zendesk":
        signature = headers.get("x-zendesk-webhook-signature", "")
        stamp = headers.get("x-zendesk-webhook-signature-timestamp", "")
        if not signature or not stamp:
            raise BadSignature("a Zendesk webhook must carry X-Zendesk-Webhook-Signature and its timestamp")
        try:
            at = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            raise BadSignature("X-Zendesk-Webhook-Signature-Timestamp is not an ISO 8601 instant") from None
        if at.tzinfo is None or abs((now - at).total_seconds()) > ZENDESK_TOLERANCE_SECONDS:
            raise BadSignature("the Zendesk signature's timestamp is more than five minutes off: a replay?")
        digest = hmac.new(secret.encode("utf-8"), stamp.encode("utf-8") + body, hashlib.sha256).digest()
        if not _same(signature.strip(), base64.b64encode(digest).decode("ascii")):
            raise BadSignature("the Zendesk webhook signature does not match the token's signing secret")
        return
    if system == "jsm":
        if not _prefixed(headers, "x-hub-signature", secret, body):
            raise BadSignature("the Jira webhook's X-Hub-Signature does not match the token's signing secret")
        return
    if system == "servicenow":
        shared = headers.get("x-slaforge-secret")
        if shared is not None:
            if not _same(shared, secret):
                raise BadSignature("X-Slaforge-Secret is not the token's signing secret")
            return
        if not _prefixed(headers, "x-slaforge-signature", secret, body):
            raise BadSignature(
                "a ServiceNow webhook must carry X-Slaforge-Signature (sha256=HMAC of the body) or "
                "X-Slaforge-Secret matching the token's signing secret"
            )
        return
    raise BadSignature(f"no signature scheme is known for '{system}'")
