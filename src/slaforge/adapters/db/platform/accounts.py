"""Queries of users and the sign-in throttle."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from slaforge.adapters.db.listing import fetch_page
from slaforge.adapters.db.models import SignInThrottle, User
from slaforge.domain.platform.listing import ListQuery, Page


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

    def locked_throttle(self, address: str) -> SignInThrottle | None:
        """The address's sign-in throttle row, locked (SELECT ... FOR UPDATE) until the commit, so
        concurrent attempts on one address count one after the other."""
        return self._session.get(SignInThrottle, address, with_for_update=True)
