"""A hand-written fake notifier for tests: records what it was given, fails when told to."""

from __future__ import annotations

from slaforge.adapters.platform.notifiers import DeliveryFailed, Message


class FakeNotifier:
    def __init__(self, *, failures: int = 0) -> None:
        self.sent: list[Message] = []
        self.attempts: list[Message] = []
        self.failures = failures  # the next `failures` sends fail

    def send(self, message: Message) -> None:
        self.attempts.append(message)
        if self.failures > 0:
            self.failures -= 1
            raise DeliveryFailed("the fake notifier was told to fail")
        self.sent.append(message)
