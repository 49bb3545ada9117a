"""Use cases for people: create and edit users, sign in (with the throttle), set up the first admin.

Lookups go through the caller's scoped unit of work first, so a customer user asking
about another organisation's user gets NotFound before any permission check.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from slaforge.adapters.db.models import Customer, SignInThrottle, User
from slaforge.domain.errors import Conflict, InvalidInput, NotFound
from slaforge.domain.platform.accounts import (
    NotAuthenticated,
    Permission,
    Principal,
    Role,
    ThrottlePolicy,
    ThrottleState,
    check_attempt,
    check_can_assign,
    check_password_strength,
    check_role_binding,
    normalise_email,
    parse_role,
    record_failure,
)
from slaforge.domain.platform.listing import ListQuery, Page
from slaforge.services.platform.catalog import commit_or_conflict, load
from slaforge.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
_hasher = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Verified when the address is unknown, so a miss costs as long as a wrong password.
    return _hasher.hash("not-a-real-password-just-for-timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _password_matches(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def principal_of(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        email=user.email,
        role=Role(user.role),
        customer_id=user.customer_id,
        display_name=user.display_name,
    )


def load_user(uow: UnitOfWork, user_id: int) -> User:
    user = uow.platform.user(user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


@dataclass(frozen=True, slots=True)
class UserChanges:
    """Fields to change; None leaves a field as it is."""

    display_name: str | None = None
    role: str | None = None
    is_active: bool | None = None
    password: str | None = None


def create_user(
    *,
    uow: UnitOfWork,
    actor: Principal | None,
    email: str,
    password: str,
    role: str,
    customer_id: int | None = None,
    display_name: str = "",
) -> User:
    """Create a user; `actor=None` is the CLI or the demo, which may create any role."""
    with uow:
        parsed = parse_role(role)
        if customer_id is not None:
            load(uow, Customer, customer_id, "customer_id")
        if actor is None:
            check_role_binding(parsed, customer_id)
        else:
            check_can_assign(actor, parsed, customer_id)
        address = normalise_email(email)
        check_password_strength(password)
        if uow.platform.email_taken(address):
            raise Conflict(f"a user with the e-mail '{address}' already exists")
        user = User(
            email=address,
            display_name=display_name.strip() or address.split("@")[0],
            password_hash=hash_password(password),
            role=parsed.value,
            customer_id=customer_id,
            is_active=True,
        )
        uow.platform.add(user)
        commit_or_conflict(uow)
        return user


def get_user(*, uow: UnitOfWork, actor: Principal, user_id: int) -> User:
    with uow:
        user = load_user(uow, user_id)
        if user.id != actor.user_id:
            actor.require(Permission.USERS_READ)
        return user


def list_users(*, uow: UnitOfWork, actor: Principal, query: ListQuery) -> Page[User]:
    with uow:
        actor.require(Permission.USERS_READ)
        return uow.platform.users_page(query)


def update_user(*, uow: UnitOfWork, actor: Principal, user_id: int, changes: UserChanges) -> User:
    with uow:
        user = load_user(uow, user_id)
        own_profile_only = changes.role is None and changes.is_active is None
        if not (user.id == actor.user_id and own_profile_only):
            # Editing someone else (or one's own role) needs the right to assign both roles.
            check_can_assign(actor, Role(user.role), user.customer_id)
            if changes.role is not None and changes.role != user.role:
                if user.id == actor.user_id:  # so that the last admin cannot lock everyone out
                    raise InvalidInput("you cannot change your own role", field="role", value=changes.role)
                check_can_assign(actor, parse_role(changes.role), user.customer_id)
                user.role = changes.role
            if changes.is_active is not None:
                if user.id == actor.user_id and not changes.is_active:
                    raise InvalidInput("you cannot deactivate yourself", field="is_active", value=False)
                user.is_active = changes.is_active
        if changes.display_name is not None:
            user.display_name = changes.display_name.strip()
        if changes.password is not None:
            check_password_strength(changes.password)
            user.password_hash = hash_password(changes.password)
        if changes.password is not None or changes.is_active is False:
            # A new password or a deactivation ends every web sign-in of the user, so a browser
            # (or a copied cookie) signed in before it is signed out everywhere at once.
            uow.platform.end_web_sessions(user.id)
        uow.commit()
        return user


def delete_user(*, uow: UnitOfWork, actor: Principal, user_id: int) -> None:
    with uow:
        user = load_user(uow, user_id)
        check_can_assign(actor, Role(user.role), user.customer_id)
        if user.id == actor.user_id:
            raise InvalidInput("you cannot delete yourself", field="user_id", value=user_id)
        uow.platform.delete(user)
        uow.commit()


def principal_for_user(*, uow: UnitOfWork, user_id: int) -> Principal | None:
    """The principal behind a web session, or None when the user is gone or deactivated."""
    with uow:
        user = uow.platform.user(user_id)
        return principal_of(user) if user is not None and user.is_active else None


def principal_for_email(*, uow: UnitOfWork, email: str) -> Principal:
    """The principal of an active user, named by e-mail address (`slaforge --as EMAIL`)."""
    with uow:
        user = uow.platform.user_by_email(normalise_email(email))
        if user is None or not user.is_active:
            raise NotFound(f"no active user {email!r} (--as); list them with `slaforge user list`")
        return principal_of(user)


def sign_in(
    *, uow: UnitOfWork, email: str, password: str, now: datetime, policy: ThrottlePolicy | None = None
) -> Principal:
    """Check an e-mail and password; slow down, then lock, an address after repeated failures."""
    policy = policy or ThrottlePolicy()
    address = email.strip().lower()[:254]
    with uow:
        row = uow.platform.locked_throttle(address)
        state = ThrottleState(
            failures=row.failures if row else 0,
            next_allowed_at=row.next_allowed_at if row else None,
            locked_until=row.locked_until if row else None,
        )
        check_attempt(state, now)
        user = uow.platform.user_by_email(address)
        ok = _password_matches(user.password_hash if user else _dummy_hash(), password)
        if user is not None and ok and user.is_active:
            if row is not None:
                uow.platform.delete(row)
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            uow.commit()
            return principal_of(user)
        outcome = record_failure(state, now, policy)
        if row is None:
            row = SignInThrottle(email=address)
            uow.platform.add(row)
        row.failures = outcome.state.failures
        row.next_allowed_at = outcome.state.next_allowed_at
        row.locked_until = outcome.state.locked_until
        try:
            uow.commit()
        except Exception as exc:
            if uow.platform.conflict_from(exc) is None:
                raise
            uow.rollback()  # a concurrent first failure inserted the row; one count is lost
        if outcome.locked_now:
            log.warning(
                "sign-in locked for %s until %s after %d failed attempts",
                address,
                outcome.state.locked_until,
                outcome.state.failures,
            )
        raise NotAuthenticated("wrong e-mail address or password")


def init_first_admin(*, uow: UnitOfWork, email: str, password: str, display_name: str = "") -> User:
    """`slaforge init`: create the first provider admin; refused once any admin exists."""
    with uow:
        if uow.platform.role_exists(Role.ADMIN.value):
            raise Conflict("an admin already exists; use `slaforge user create` to add users")
    return create_user(
        uow=uow, actor=None, email=email, password=password, role=Role.ADMIN.value, display_name=display_name
    )
