"""Who hears about agreement events besides the customer contacts, and how hard to try: the
notification settings a unit of work carries from the composition root to the use cases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class _NotifySettings(Protocol):
    """The part of slaforge's settings this reads (config.Settings has it)."""

    notify_webhook_urls: str
    notify_provider_email: str
    notify_max_attempts: int
    notify_backoff_seconds: int


@dataclass(frozen=True, slots=True)
class NotifyConfig:
    webhook_urls: tuple[str, ...] = ()
    provider_email: str | None = None
    max_attempts: int = 8
    backoff_seconds: int = 60

    @classmethod
    def from_settings(cls, settings: _NotifySettings) -> NotifyConfig:
        urls = tuple(u.strip() for u in settings.notify_webhook_urls.split(",") if u.strip())
        return cls(
            webhook_urls=urls,
            provider_email=settings.notify_provider_email or None,
            max_attempts=settings.notify_max_attempts,
            backoff_seconds=settings.notify_backoff_seconds,
        )
