"""In-memory stand-ins for the unit of work and its repositories, so use cases run without a database.

A service knows only the `UnitOfWork` protocol (slaforge.services.unit_of_work): the fake below
satisfies it with in-memory repositories, one per step, each kept beside that step's unit tests
(`tests/unit/<step>/fakes.py`). Commits are counted, so a test can tell a use case that committed
from one that only read or that failed before committing.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

from slaforge.domain.platform.tenancy import Scope


class FakeUnitOfWork:
    def __init__(
        self,
        *,
        background: Any = None,
        agreement: Any = None,
        platform: Any = None,
        scope: Scope | None = None,
    ) -> None:
        self.background = background
        self.agreement = agreement
        self.platform = platform
        self.scope = scope or Scope.everything()
        self.provider_name = ""
        self.notify = None
        self.events: list[object] = []
        self._hooks: list[Any] = []
        self.commits = 0
        self.rollbacks = 0
        self._outer: FakeUnitOfWork | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    def on_commit(self, hook: Any) -> None:
        target = self._outer or self
        if hook not in target._hooks:
            target._hooks.append(hook)

    def commit(self) -> None:
        if self._outer is not None:
            return  # a joined unit of work leaves the commit to its caller
        for hook in list(self._hooks):
            hook(self)
        self.events.clear()
        self.commits += 1

    def rollback(self) -> None:
        self.events.clear()
        self.rollbacks += 1

    def flush(self) -> None:
        return None

    def joined(self) -> FakeUnitOfWork:
        inner = FakeUnitOfWork(
            background=self.background, agreement=self.agreement, platform=self.platform, scope=self.scope
        )
        inner._outer = self
        inner.provider_name, inner.notify, inner.events = self.provider_name, self.notify, self.events
        return inner
