"""Use cases for people: create and edit users, sign in (with the throttle), set up the first admin.

Lookups go through the caller's scoped unit of work first, so a customer user asking
about another organisation's user gets NotFound before any permission check.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from slaforge.adapters.db.models import Customer, User
from slaforge.domain.errors import Conflict, InvalidInput, NotFound
from slaforge.domain.platform.accounts import (
    NotAuthenticated,
    Permission,
    Principal,
    Role,
    ThrottlePolicy,
    ThrottleState,
    TooManyAttempts,
    check_attempt,
    check_can_assign,
    check_password_strength,
    check_role_binding,
    failure_schedule,
    normalise_email,
    parse_role,
)
from slaforge.domain.platform.listing import ListQuery, Page
from slaforge.services.platform import audit
from slaforge.services.platform.catalog import commit_or_conflict, load
from slaforge.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
# argon2id with RFC 9106's low-memory profile (argon2-cffi's default).
_hasher = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)


def set_hashing_parameters(parameters: Parameters) -> None:
    """Change the argon2 cost of new hashes (stored ones are rehashed at their next sign-in).
    Nothing in slaforge lowers it; the test suite does, to argon2's CHEAPEST profile, because it
    hashes thousands of passwords and each costs a sixth of a second at the real one."""
    global _hasher
    _hasher = PasswordHasher.from_parameters(parameters)
    _dummy_hash.cache_clear()


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
        commit_or_conflict(
            uow,
            lambda: audit.record(
                uow, actor=audit.actor_name(actor), action="user.created", subject_type="user",
                subject_id=user.id,
                data={"email": address, "role": parsed.value, "customer_id": customer_id},
            ),
        )  # fmt: skip
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
        before = (user.role, user.is_active, user.display_name)
        own_profile_only = changes.role is None and changes.is_active is None
        if not (user.id == actor.user_id and own_profile_only):
            # Editing someone else (or one's own role) needs the right to assign both roles.
            check_can_assign(actor, Role(user.role), user.customer_id, _action(changes))
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
        _record_user_changes(uow, actor, user, before, password_changed=changes.password is not None)
        if changes.password is not None or changes.is_active is False:
            # A new password or a deactivation ends every web sign-in of the user, so a browser
            # (or a copied cookie) signed in before it is signed out everywhere at once.
            uow.platform.end_web_sessions(user.id)
        uow.commit()
        return user


def _action(changes: UserChanges) -> str:
    """What an edit tries, for a refusal's wording."""
    if changes.is_active is not None and changes.role is None:
        return "activate" if changes.is_active else "deactivate"
    if changes.role is not None:
        return "change the role of"
    return "edit"


def _record_user_changes(
    uow: UnitOfWork, actor: Principal, user: User, before: tuple[str, bool, str], *, password_changed: bool
) -> None:
    """One audit entry per kind of change, so that "who made whom an admin" or "who deactivated
    this user" is one search; a password change is recorded, never the password or its hash."""
    role, active, name = before

    def note(action: str, **data: object) -> None:
        audit.record(uow, actor=actor.email, action=action, subject_type="user", subject_id=user.id,
                     data={"email": user.email, **data})  # fmt: skip

    if user.role != role:
        note("user.role_changed", **{"from": role, "to": user.role})
    if user.is_active != active:
        note("user.reactivated" if user.is_active else "user.deactivated")
    if user.display_name != name:
        note("user.renamed", **{"from": name, "to": user.display_name})
    if password_changed:
        note("user.password_changed", by_self=user.id == actor.user_id)


def delete_user(*, uow: UnitOfWork, actor: Principal, user_id: int) -> None:
    with uow:
        user = load_user(uow, user_id)
        check_can_assign(actor, Role(user.role), user.customer_id, "delete")
        if user.id == actor.user_id:
            raise InvalidInput("you cannot delete yourself", field="user_id", value=user_id)
        audit.record(uow, actor=actor.email, action="user.deleted", subject_type="user", subject_id=user.id,
                     data={"email": user.email, "role": user.role})  # fmt: skip
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
    """Check an e-mail and password; slow down, then lock, an address after repeated failures.

    Each try is counted as a failure first, in one database statement that also refuses it when
    the address must wait, and committed before the password is checked; a success then clears
    the count. So parallel tries queue on that one row and are checked no more often than the
    same tries one after the other, and no read-then-write of the count can go stale."""
    policy = policy or ThrottlePolicy()
    address = email.strip().lower()[:254]
    schedule = failure_schedule(now, policy)
    with uow:
        counted = uow.platform.count_sign_in_failure(address, now, schedule)
        if counted is None:
            check_attempt(uow.platform.sign_in_throttle(address) or ThrottleState(), now)
            # The row changed in between (a success cleared it): still refused, as counted.
            raise TooManyAttempts("too many failed sign-ins; wait 1 seconds", retry_after=1)
        uow.commit()
    with uow:
        user = uow.platform.user_by_email(address)
        ok = _password_matches(user.password_hash if user else _dummy_hash(), password)
        if user is not None and ok and user.is_active:
            uow.platform.clear_sign_in_throttle(address)
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            uow.commit()
            return principal_of(user)
    after = schedule[min(counted, len(schedule)) - 1]
    if after.locked_until is not None:
        log.warning(
            "sign-in locked for %s until %s after %d failed attempts", address, after.locked_until, counted
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
