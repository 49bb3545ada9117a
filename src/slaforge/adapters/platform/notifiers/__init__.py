"""Notifiers send one queued notification (e-mail or signed webhook); the outbox retries them.

Every notifier has the same shape, `send(message)`, and signals a failed delivery with
`DeliveryFailed` (the outbox then retries later); `ByChannel` routes by the message's channel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


class DeliveryFailed(Exception):
    """The receiving side did not take the message; worth retrying later."""


@dataclass(frozen=True, slots=True)
class Message:
    delivery_id: str  # stable across retries, so a receiver can drop a second copy
    channel: str  # "email", "webhook" or "slack"
    recipient: str  # an e-mail address or a URL
    event: str  # e.g. "agreement.offered"
    subject: str
    body: str  # plain text, for e-mail
    payload: Mapping[str, Any] = field(default_factory=dict)  # JSON, for webhooks


class Notifier(Protocol):
    def send(self, message: Message) -> None: ...


class ByChannel:
    """One notifier per channel; a channel nobody configured fails (and so is retried, then failed)."""

    def __init__(self, **by_channel: Notifier | None) -> None:
        self._by_channel = {k: v for k, v in by_channel.items() if v is not None}

    def send(self, message: Message) -> None:
        notifier = self._by_channel.get(message.channel)
        if notifier is None:
            raise DeliveryFailed(f"no {message.channel} notifier is configured")
        notifier.send(message)
