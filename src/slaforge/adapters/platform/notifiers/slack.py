"""Slack-compatible incoming webhooks: `{"text": …}` POSTed with httpx to the hook's URL.

Slack, Mattermost, Rocket.Chat and Discord (its `/slack` URL) accept this shape. The URL itself
is the secret (whoever holds it may post), so nothing is signed; anything but a 2xx answer is a
failed delivery, which the outbox retries.
"""

from __future__ import annotations

import httpx

from slaforge.adapters.platform.notifiers import DeliveryFailed, Message


def slack_text(message: Message) -> str:
    """The subject in bold over the body, in Slack's markup (`*bold*`)."""
    return f"*{message.subject}*\n{message.body}" if message.body else f"*{message.subject}*"


class SlackNotifier:
    def __init__(self, *, timeout: float = 10.0, transport: httpx.BaseTransport | None = None) -> None:
        self._client = httpx.Client(timeout=timeout, transport=transport, follow_redirects=False)

    def close(self) -> None:
        self._client.close()

    def send(self, message: Message) -> None:
        try:
            response = self._client.post(message.recipient, json={"text": slack_text(message)})
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"POST {message.recipient}: {exc}") from exc
        if not response.is_success:
            raise DeliveryFailed(f"POST {message.recipient}: HTTP {response.status_code}")
