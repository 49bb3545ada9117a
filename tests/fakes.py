"""In-memory stand-ins for the unit of work and its repositories, so use cases run without a database.

A service knows only the `UnitOfWork` protocol (slaforge.services.unit_of_work): the fake below
satisfies it with in-memory repositories, one per step, each kept beside that step's unit tests
(`tests/unit/<step>/fakes.py`). Commits are counted, so a test can tell a use case that committed
from one that only read or that failed before committing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self, TypeVar

from slaforge.adapters.db.models.platform.audit import AuditEntry, AuditHead
from slaforge.domain.platform.audit_keys import AuditKeyRing, parse_key
from slaforge.domain.platform.tenancy import Scope
from slaforge.domain.relationship.terms import TERM_SECTIONS

# The audit key tests seal with (SLAFORGE_AUDIT_KEY in every test, see conftest.py).
TEST_AUDIT_KEY = "test-k1:" + "audit-test-secret-" * 3
TEST_AUDIT_KEYS = AuditKeyRing(parse_key(TEST_AUDIT_KEY, where="tests"))

T = TypeVar("T")


class FakeRows:
    """The in-memory rows each step's fake repository reads and writes: ids are given on add, as
    the database would at a flush."""

    def __init__(self) -> None:
        self.rows: dict[type, list[Any]] = defaultdict(list)
        self._next_id: dict[type, int] = defaultdict(int)

    def add(self, row: Any) -> None:
        kind = type(row)
        if hasattr(kind, "id") and row.id is None:
            self._next_id[kind] += 1
            row.id = self._next_id[kind]
        if row not in self.rows[kind]:
            self.rows[kind].append(row)

    def delete(self, row: Any) -> None:
        self.rows[type(row)].remove(row)

    def flush(self) -> None:
        return None

    def of(self, model: type[T]) -> list[T]:
        """The stored rows of one model, in the order they were added (for the tests' assertions)."""
        return list(self.rows[model])

    def get(self, model: type[T], ident: int | None) -> T | None:
        return next((r for r in self.rows[model] if r.id == ident), None)


class FakeAuditQueries(FakeRows):
    """The audit chain's queries of the platform repository (`services.platform.audit.record`)."""

    def audit_head_for_update(self) -> AuditHead | None:
        return next(iter(self.rows[AuditHead]), None)

    def audit_last_entry(self) -> tuple[int, str] | None:
        entries = self.rows[AuditEntry]
        return (entries[-1].seq, entries[-1].hash) if entries else None

    def audit_entry_count(self) -> int:
        return len(self.rows[AuditEntry])

    def actions(self) -> list[str]:
        """The audited actions, oldest first (for the tests' assertions)."""
        return [e.action for e in self.rows[AuditEntry]]


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
        # Every use case that changes something records it, so the audit chain is always there.
        self.platform = platform if platform is not None else FakeAuditQueries()
        self.scope = scope or Scope.everything()
        self.provider_name = ""
        self.term_sections = TERM_SECTIONS
        self.notify = None
        self.audit_keys = TEST_AUDIT_KEYS
        self.clock = lambda: datetime(2026, 3, 2, 9, tzinfo=UTC)
        self.events: list[object] = []
        self._hooks: list[Any] = []
        self.commits = 0
        self.rollbacks = 0
        self._outer: FakeUnitOfWork | None = None

    def now(self) -> datetime:
        return self.clock()

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
