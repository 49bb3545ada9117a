"""The SQLAlchemy unit of work: one session per user action, scoped to the caller's tenancy.

Every query a scoped session runs is filtered by `adapters.db.scoping` (a customer's user sees
only its own organisation's rows), so no repository can forget the filter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db import scoping
from slaforge.adapters.db.agreement.repository import AgreementRepository
from slaforge.adapters.db.background.repository import BackgroundRepository
from slaforge.adapters.db.live.clocks import LiveRepository
from slaforge.adapters.db.platform.repository import PlatformRepository
from slaforge.adapters.db.readiness.repository import ReadinessRepository
from slaforge.adapters.db.relationship.repository import RelationshipRepository
from slaforge.adapters.db.relationship.tasks import TaskRepository
from slaforge.domain.agreement.terms import SectionRule
from slaforge.domain.platform.accounts import Principal
from slaforge.domain.platform.audit_keys import AuditKeyError, AuditKeyRing
from slaforge.domain.platform.notify import NotifyConfig
from slaforge.domain.platform.tenancy import Scope
from slaforge.domain.relationship.terms import TERM_SECTIONS

# Run by `commit()` just before the transaction commits, with the unit of work; what they write
# commits with the change or not at all (agreement news is queued this way).
CommitHook = Callable[[Any], None]


Repositories = tuple[BackgroundRepository, AgreementRepository, PlatformRepository, RelationshipRepository]
# Gives the audit keys when first needed (a key file is read, or made, only by units of work that
# write or verify the audit chain).
AuditKeySource = Callable[[], AuditKeyRing]


def _no_audit_keys() -> AuditKeyRing:
    raise AuditKeyError(
        "no audit key was given to this unit of work: it cannot write or verify the audit log "
        "(the container gives one from SLAFORGE_AUDIT_KEY or SLAFORGE_AUDIT_KEY_FILE)"
    )


class _StepRepositories:
    """`uow.background`, `uow.agreement`, `uow.platform`: the step repositories over the open
    transaction's session."""

    def _repositories(self) -> Repositories:
        raise NotImplementedError

    @property
    def background(self) -> BackgroundRepository:
        return self._repositories()[0]

    @property
    def agreement(self) -> AgreementRepository:
        return self._repositories()[1]

    @property
    def platform(self) -> PlatformRepository:
        return self._repositories()[2]

    @property
    def relationship(self) -> RelationshipRepository:
        return self._repositories()[3]

    @property
    def tasks(self) -> TaskRepository:
        """The relationship step's task list (its own repository: built on demand, no state)."""
        return TaskRepository(self._repositories()[3]._session)

    @property
    def readiness(self) -> ReadinessRepository:
        """The readiness step's configuration, proofs and waivers (built on demand, no state)."""
        return ReadinessRepository(self._repositories()[3]._session)

    @property
    def live(self) -> LiveRepository:
        """The live step's clocks and firings (built on demand, no state)."""
        return LiveRepository(self._repositories()[3]._session)


class SqlAlchemyUnitOfWork(_StepRepositories):
    """`with uow: ...; uow.commit()`; rolls back on exit unless committed. A limited `scope` (a
    customer user's) filters every query; `Scope.everything()` (the default) filters nothing.

    What the composition root hands the use cases travels here, explicitly: the provider's name
    for new drafts, the notification settings, the audit keys, and the hooks to run before each
    commit. `events`
    collects what the use cases publish during the transaction for those hooks; it is emptied
    when the transaction ends either way. A unit of work built without them (a test's own)
    notifies nobody, drafts for "the Provider" and cannot write audit entries."""

    # The terms' sections of later steps: every unit of work validates them the same way.
    term_sections: Mapping[str, SectionRule] = TERM_SECTIONS

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        scope: Scope | None = None,
        *,
        provider_name: str = "",
        notify: NotifyConfig | None = None,
        before_commit: Iterable[CommitHook] = (),
        audit_keys: AuditKeySource | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._audit_keys = audit_keys or _no_audit_keys
        self._clock = clock or (lambda: datetime.now(UTC))
        self._factory = session_factory
        self.scope = scope or Scope.everything()
        self.provider_name = provider_name
        self.notify = notify
        self._notify_given = notify  # `notify` may be overridden for one transaction only
        self.events: list[object] = []
        self._hooks: list[CommitHook] = list(before_commit)
        self._session: Session | None = None
        self._repos: Repositories | None = None

    @property
    def audit_keys(self) -> AuditKeyRing:
        return self._audit_keys()

    def now(self) -> datetime:
        return self._clock()

    @classmethod
    def for_principal(cls, session_factory: sessionmaker[Session], principal: Principal | None) -> Self:
        return cls(session_factory, Scope.of(principal))

    def on_commit(self, hook: CommitHook) -> None:
        """Run `hook(self)` before every later commit of this unit of work (once, however often
        it is registered)."""
        if hook not in self._hooks:
            self._hooks.append(hook)

    @property
    def session(self) -> Session:
        """For adapters only (the repositories, bulk writers); services use the repositories."""
        if self._session is None:
            raise RuntimeError("the unit of work is not open; use `with uow:`")
        return self._session

    def _repositories(self) -> Repositories:
        if self._repos is None:
            s = self.session
            self._repos = (
                BackgroundRepository(s),
                AgreementRepository(s),
                PlatformRepository(s),
                RelationshipRepository(s),
            )
        return self._repos

    def __enter__(self) -> Self:
        self._session = self._factory()
        self._repos = None
        self.events.clear()
        scoping.bind(self._session, self.scope)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self._session
        if session is None:
            return
        try:
            # Detach what was loaded first: a rollback would expire it, and callers of read-only
            # use cases keep reading the rows they were given after the unit of work ends.
            session.expunge_all()
            session.rollback()
        finally:
            session.close()
            self._session = None
            self._repos = None
            self.events.clear()
            self.notify = self._notify_given

    def commit(self) -> None:
        for hook in list(self._hooks):
            hook(self)
        self.events.clear()
        self.session.commit()

    def rollback(self) -> None:
        self.events.clear()
        self.session.rollback()

    def flush(self) -> None:
        self.session.flush()

    def joined(self) -> JoinedUnitOfWork:
        return JoinedUnitOfWork(self)


class JoinedUnitOfWork(_StepRepositories):
    """A use case run inside another's transaction: `with` joins it, `commit()` only flushes."""

    def __init__(self, outer: SqlAlchemyUnitOfWork | JoinedUnitOfWork) -> None:
        self._outer = outer
        self.scope: Scope = outer.scope
        self.rolled_back = False

    term_sections: Mapping[str, SectionRule] = TERM_SECTIONS

    # The context and the pending events are the outer transaction's: the caller commits them.
    @property
    def provider_name(self) -> str:
        return self._outer.provider_name

    @property
    def audit_keys(self) -> AuditKeyRing:
        return self._outer.audit_keys

    def now(self) -> datetime:
        return self._outer.now()

    @property
    def notify(self) -> NotifyConfig | None:
        return self._outer.notify

    @notify.setter
    def notify(self, value: NotifyConfig | None) -> None:
        self._outer.notify = value

    @property
    def events(self) -> list[object]:
        return self._outer.events

    def on_commit(self, hook: CommitHook) -> None:
        self._outer.on_commit(hook)

    @property
    def session(self) -> Session:
        return self._outer.session

    def _repositories(self) -> Repositories:
        return self._outer._repositories()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None  # whatever happened is the caller's to commit or roll back

    def commit(self) -> None:
        self._outer.flush()

    def rollback(self) -> None:
        # A joined use case cannot undo only its own part: the caller must roll back all of it.
        self.rolled_back = True
        self._outer.rollback()

    def flush(self) -> None:
        self._outer.flush()

    def joined(self) -> JoinedUnitOfWork:
        return JoinedUnitOfWork(self)
