"""Queries of users and the sign-in throttle."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, exists, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from slaforge.adapters.db.listing import fetch_page
from slaforge.adapters.db.models import SignInThrottle, User
from slaforge.adapters.db.models.types import UtcDateTime
from slaforge.domain.platform.accounts import ThrottleState
from slaforge.domain.platform.listing import ListQuery, Page


def _dialect_insert(session: Session, model: type[Any]) -> Any:
    """An INSERT with the dialect's ON CONFLICT clause (SQLite and PostgreSQL spell it alike)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"the sign-in throttle is not written for {dialect}")


class AccountQueries:
    _session: Session

    def user(self, user_id: int) -> User | None:
        return self._session.get(User, user_id)

    def user_by_email(self, address: str) -> User | None:
        """The user with this (already normalised) e-mail address, or None."""
        return self._session.scalar(select(User).where(User.email == address))

    def email_taken(self, address: str) -> bool:
        return bool(self._session.scalar(select(exists().where(User.email == address))))

    def role_exists(self, role: str) -> bool:
        """Whether any user holds the role (e.g. whether an admin exists yet)."""
        return bool(self._session.scalar(select(exists().where(User.role == role))))

    def users_page(self, query: ListQuery) -> Page[User]:
        cols = {
            "id": User.id,
            "email": User.email,
            "display_name": User.display_name,
            "role": User.role,
            "created_at": User.created_at,
        }
        return fetch_page(
            self._session,
            User,
            query,
            sortable=cols,
            filterable={"role": User.role, "customer_id": User.customer_id, "is_active": User.is_active},
            searchable=(User.email, User.display_name),
            default_sort="email",
        )

    def users_of_customer(self, customer_id: int) -> list[User]:
        """The customer's users, by e-mail address."""
        stmt = select(User).where(User.customer_id == customer_id).order_by(User.email)
        return list(self._session.scalars(stmt))

    def sign_in_throttle(self, address: str) -> ThrottleState | None:
        """The address's throttle as it stands (to say how long a refused try must wait)."""
        row = self._session.get(SignInThrottle, address, populate_existing=True)
        if row is None:
            return None
        return ThrottleState(row.failures, row.next_allowed_at, row.locked_until)

    def count_sign_in_failure(
        self, address: str, now: datetime, schedule: Sequence[ThrottleState]
    ) -> int | None:
        """Count a sign-in attempt as a failure before its password is checked, if the throttle
        lets it be tried at `now`; the count it makes (1, 2, …), or None when it must wait.

        One INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING: the database decides whether the
        try is allowed and raises the count in the same statement (holding the row while it
        does), so parallel tries can never all read the same old count. `schedule[n - 1]` is the
        throttle after the n-th failure (its last entry, the lock, also for higher counts); an
        expired lock starts the count afresh. A success clears the row afterwards."""
        table = SignInThrottle.__table__
        at = literal(now, UtcDateTime())
        expired = and_(table.c.locked_until.is_not(None), table.c.locked_until <= at)
        count = case((expired, literal(1)), else_=table.c.failures + 1)

        def by_count(field: str) -> ColumnElement[Any]:
            def value(state: ThrottleState) -> ColumnElement[Any]:
                return literal(getattr(state, field), UtcDateTime())

            whens = [(count == n, value(state)) for n, state in enumerate(schedule, 1)]
            return case(*whens, else_=value(schedule[-1]))

        first = schedule[0]
        stmt = _dialect_insert(self._session, SignInThrottle).values(
            email=address, failures=1, next_allowed_at=first.next_allowed_at, locked_until=first.locked_until
        )
        upsert = stmt.on_conflict_do_update(
            index_elements=[table.c.email],
            set_={
                "failures": count,
                "next_allowed_at": by_count("next_allowed_at"),
                "locked_until": by_count("locked_until"),
            },
            where=and_(
                or_(table.c.locked_until.is_(None), table.c.locked_until <= at),
                or_(table.c.next_allowed_at.is_(None), table.c.next_allowed_at <= at),
            ),
        ).returning(table.c.failures)
        counted = self._session.execute(upsert).scalar_one_or_none()
        return None if counted is None else int(counted)

    def clear_sign_in_throttle(self, address: str) -> None:
        """Forget the address's failures (a success); a row already gone is fine."""
        self._session.execute(delete(SignInThrottle).where(SignInThrottle.email == address))
