"""Outgoing webhooks: JSON POSTed with httpx, signed like incoming ones (see payments/signature.py)."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from slaforge.adapters.platform import signature
from slaforge.adapters.platform.notifiers import DeliveryFailed, Message


class WebhookNotifier:
    """POST `{"event", "delivery", "data"}`; any 2xx is delivered, anything else is retried.

    `clock` gives unix seconds for the signature's timestamp (injected so tests can fix it);
    `transport` lets tests use httpx's MockTransport instead of the network.
    """

    def __init__(
        self,
        *,
        secret: str,
        clock: Callable[[], float],
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not secret:
            raise ValueError("outgoing webhooks need a signing secret (SLAFORGE_NOTIFY_WEBHOOK_SECRET)")
        self._secret = secret
        self._clock = clock
        self._client = httpx.Client(timeout=timeout, transport=transport, follow_redirects=False)

    def close(self) -> None:
        self._client.close()

    def send(self, message: Message) -> None:
        body = json.dumps(
            {"event": message.event, "delivery": message.delivery_id, "data": dict(message.payload)},
            sort_keys=True,
            separators=(",", ":"),
        ).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            signature.HEADER: signature.sign(body, self._secret, int(self._clock())),
            "X-Slaforge-Event": message.event,
            "X-Slaforge-Delivery": message.delivery_id,
            # The same value under the name receivers' frameworks look for: a retry after an
            # unknown outcome carries it again, so the receiver can drop the copy.
            "Idempotency-Key": message.delivery_id,
        }
        try:
            response = self._client.post(message.recipient, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"POST {message.recipient}: {exc}") from exc
        if not response.is_success:
            raise DeliveryFailed(f"POST {message.recipient}: HTTP {response.status_code}")
