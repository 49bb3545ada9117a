"""slaforge's HMAC signature scheme, shared by incoming payment webhooks and outgoing notifications.

Header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>` (the same shape as Stripe's,
so one verifier helps both). Several `v1=` values may be sent while a secret is rotated.
"""

from __future__ import annotations

import hashlib
import hmac

from slaforge.domain.errors import SlaforgeError


class WebhookRefused(SlaforgeError):
    """A webhook whose signature is missing, wrong or too old; nothing of it is used."""

    status = 400


HEADER = "X-Slaforge-Signature"
DEFAULT_TOLERANCE = 300  # seconds; the same window Stripe uses


def compute(body: bytes, secret: str, timestamp: int) -> str:
    signed = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """The header value for `body` sent at `timestamp`."""
    return f"t={timestamp},v1={compute(body, secret, timestamp)}"


def _parse(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError as exc:
                raise WebhookRefused(f"{HEADER}: the timestamp '{value}' is not a number") from exc
        elif key == "v1":
            signatures.append(value)
    if timestamp is None:
        raise WebhookRefused(f"{HEADER}: no timestamp (t=…) in the header")
    if not signatures:
        raise WebhookRefused(f"{HEADER}: no v1 signature in the header")
    return timestamp, signatures


def verify(
    body: bytes, header: str | None, secret: str, *, now: float, tolerance: int = DEFAULT_TOLERANCE
) -> int:
    """Check the signature first, then its age (either way round refuses); returns the timestamp.

    A timestamp in the future beyond the tolerance is refused too: a clock that far off, or a
    payload signed for later replay, is not trusted.
    """
    if not secret:
        raise WebhookRefused("no webhook secret is configured; refusing every webhook")
    if not header:
        raise WebhookRefused(f"the {HEADER} header is missing")
    timestamp, signatures = _parse(header)
    expected = compute(body, secret, timestamp)
    # compare_digest for every candidate: the time taken says nothing about how much matched.
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise WebhookRefused(f"{HEADER}: the signature does not match the body")
    if abs(now - timestamp) > tolerance:
        raise WebhookRefused(
            f"{HEADER}: the timestamp is {int(now - timestamp)} s old, outside the {tolerance} s window "
            "(a stale or replayed delivery)"
        )
    return timestamp
