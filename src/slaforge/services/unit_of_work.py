"""What every use case speaks to: one transaction per user action, and the repositories of each step.

`with uow: ...; uow.commit()` — anything else rolls back. The concrete unit of work lives in
`adapters.db.unit_of_work` (SQLAlchemy) and, for unit tests, in `tests/fakes.py`
(in memory); the services know only this protocol, so none of them builds SQL or imports
SQLAlchemy, and the import-linter contracts in pyproject.toml keep it so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self

from slaforge.domain.agreement.terms import SectionRule
from slaforge.domain.platform.audit_keys import AuditKeyRing
from slaforge.domain.platform.notify import NotifyConfig
from slaforge.domain.platform.tenancy import Scope

if TYPE_CHECKING:
    from slaforge.adapters.db.agreement.repository import AgreementRepository
    from slaforge.adapters.db.background.repository import BackgroundRepository
    from slaforge.adapters.db.live.clocks import LiveRepository
    from slaforge.adapters.db.platform.repository import PlatformRepository
    from slaforge.adapters.db.readiness.repository import ReadinessRepository
    from slaforge.adapters.db.relationship.repository import RelationshipRepository
    from slaforge.adapters.db.relationship.tasks import TaskRepository


class UnitOfWork(Protocol):
    """One open transaction, its tenancy scope and the repositories that read and write through it."""

    scope: Scope

    @property
    def audit_keys(self) -> AuditKeyRing:
        """The keys that seal and verify the audit chain (held outside the database); raises
        AuditKeyError when none were given to this unit of work."""
        ...

    def now(self) -> datetime:
        """The time by the composition root's clock: when a use case given no `now` records an
        audit entry."""
        ...

    @property
    def provider_name(self) -> str:
        """The provider's name for new drafts (SLAFORGE_PROVIDER_NAME), or "" when none is set."""
        ...

    @property
    def term_sections(self) -> Mapping[str, SectionRule]:
        """The rules of the terms' sections later steps add (the relationship step's), by name:
        what the agreement step's normaliser is given, as it cannot import those steps."""
        ...

    @property
    def notify(self) -> NotifyConfig | None:
        """Whom agreement news goes to besides the customer's contacts; None: nobody is told."""
        ...

    @notify.setter
    def notify(self, value: NotifyConfig | None) -> None: ...

    @property
    def events(self) -> list[object]:
        """What the use cases published in this transaction, for the commit hooks."""
        ...

    def on_commit(self, hook: Callable[[Any], None]) -> None:
        """Run `hook(uow)` before each later commit (once, however often registered)."""
        ...

    @property
    def background(self) -> BackgroundRepository: ...

    @property
    def agreement(self) -> AgreementRepository: ...

    @property
    def platform(self) -> PlatformRepository: ...

    @property
    def relationship(self) -> RelationshipRepository: ...

    @property
    def tasks(self) -> TaskRepository: ...

    @property
    def readiness(self) -> ReadinessRepository: ...

    @property
    def live(self) -> LiveRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def flush(self) -> None:
        """Write what is pending without committing (database defaults and ids become known)."""
        ...

    def joined(self) -> UnitOfWork:
        """A unit of work that runs inside this one's transaction: its `with` joins the open
        transaction and its `commit()` only flushes, leaving the one commit (or rollback) to the
        caller — so that a payment, the acceptance it causes, the audit entries and the
        notifications commit together or not at all."""
        ...
