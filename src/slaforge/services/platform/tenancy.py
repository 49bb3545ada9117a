"""A unit of work that carries the caller's tenancy scope into every query it runs."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db import scoping
from slaforge.domain.platform.accounts import Principal
from slaforge.domain.platform.tenancy import Scope
from slaforge.services.platform.unit_of_work import UnitOfWork


class TenantUnitOfWork(UnitOfWork):
    """Like UnitOfWork, but its session only ever sees what `scope` allows.

    The web and API entry points open every request's work through one of these,
    built from the signed-in principal, so no service can forget the filter.
    """

    def __init__(self, session_factory: sessionmaker[Session], scope: Scope) -> None:
        super().__init__(session_factory)
        self.scope = scope

    @classmethod
    def for_principal(
        cls, session_factory: sessionmaker[Session], principal: Principal | None
    ) -> TenantUnitOfWork:
        return cls(session_factory, Scope.of(principal))

    def __enter__(self) -> TenantUnitOfWork:
        super().__enter__()
        scoping.bind(self.session, self.scope)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # The closing rollback would expire every loaded row, and a read-only use case hands its
        # rows to the page or response after the unit of work ends: detach them, loaded, first.
        if self._session is not None:
            self._session.expunge_all()
        super().__exit__(exc_type, exc, tb)
