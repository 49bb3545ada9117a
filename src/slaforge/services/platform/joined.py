"""Running one use case inside another's transaction, so that both commit or neither does.

A payment that accepts a version, or a link that accepts one, must record the webhook event (or
use up the link), change the version, write the audit entries and queue the notifications in
one transaction. The agreement use cases open and commit their own unit of work; handing them a
`JoinedUnitOfWork` makes their `with uow:` join the caller's open session and their `commit()`
only flush, leaving the one commit (or rollback) to the caller.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from sqlalchemy.orm import Session

from slaforge.services.platform.unit_of_work import UnitOfWork


class JoinedUnitOfWork(UnitOfWork):
    def __init__(self, outer: UnitOfWork) -> None:
        self._outer = outer
        # The agreement use cases read the caller's tenancy scope from here.
        self.scope: Any = getattr(outer, "scope", None)
        self.rolled_back = False

    @property
    def session(self) -> Session:
        return self._outer.session

    def __enter__(self) -> JoinedUnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Whatever happened is the caller's to commit or roll back.
        return None

    def commit(self) -> None:
        self._outer.session.flush()

    def rollback(self) -> None:
        # A joined use case cannot undo only its own part: the caller must roll back all of it.
        self.rolled_back = True
        self._outer.session.rollback()
