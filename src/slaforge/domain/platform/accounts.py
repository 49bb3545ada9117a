"""Roles, permissions and the sign-in throttle: who may do what, as pure rules.

A `Principal` is whoever is acting (a signed-in user or the owner of an API
token). Provider roles act across customers; customer roles are bound to one
customer organisation and never see another's data (see domain/tenancy.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from slaforge.domain.errors import InvalidInput, SlaforgeError


class NotAuthenticated(SlaforgeError):
    """No valid credentials were presented."""

    status = 401


class PermissionDenied(SlaforgeError):
    """The caller is known but its role does not allow the action."""

    status = 403


class TooManyAttempts(SlaforgeError):
    """Sign-in is slowed down or locked after repeated failures; retry after `retry_after` s."""

    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    AGENT = "agent"
    CUSTOMER_ADMIN = "customer-admin"
    VIEWER = "viewer"

    @property
    def is_customer_role(self) -> bool:
        return self in CUSTOMER_ROLES

    @property
    def label(self) -> str:
        return _LABELS[self]


PROVIDER_ROLES = frozenset({Role.ADMIN, Role.MANAGER, Role.AGENT})
CUSTOMER_ROLES = frozenset({Role.CUSTOMER_ADMIN, Role.VIEWER})
_LABELS = {
    Role.ADMIN: "Provider admin",
    Role.MANAGER: "Service manager",
    Role.AGENT: "Agent",
    Role.CUSTOMER_ADMIN: "Customer admin",
    Role.VIEWER: "Viewer",
}


class Permission(StrEnum):
    READ = "read"  # read whatever tenancy lets the principal see
    CATALOG_WRITE = "catalog:write"  # customers, services, calendars
    TICKETS_WRITE = "tickets:write"  # tickets, their events, outages
    USERS_READ = "users:read"
    USERS_WRITE = "users:write"
    TOKENS_ALL = "tokens:all"  # see and revoke everyone's tokens, not only one's own
    # Create API tokens for oneself. Not a viewer's: a read-only member of a customer has the
    # portal; a program working for the customer runs as someone who may act (or gets a token
    # from the operator, `slaforge token create`).
    TOKENS_OWN = "tokens:own"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.MANAGER: frozenset(
        {
            Permission.READ,
            Permission.CATALOG_WRITE,
            Permission.TICKETS_WRITE,
            Permission.USERS_READ,
            Permission.USERS_WRITE,
            Permission.TOKENS_OWN,
        }
    ),
    Role.AGENT: frozenset(
        {Permission.READ, Permission.TICKETS_WRITE, Permission.USERS_READ, Permission.TOKENS_OWN}
    ),
    Role.CUSTOMER_ADMIN: frozenset(
        {Permission.READ, Permission.USERS_READ, Permission.USERS_WRITE, Permission.TOKENS_OWN}
    ),
    Role.VIEWER: frozenset({Permission.READ}),
}

# Which roles each role may hand out: nobody creates someone more powerful than itself.
ASSIGNABLE: dict[Role, frozenset[Role]] = {
    Role.ADMIN: frozenset(Role),
    Role.MANAGER: frozenset({Role.AGENT, Role.CUSTOMER_ADMIN, Role.VIEWER}),
    Role.AGENT: frozenset(),
    Role.CUSTOMER_ADMIN: CUSTOMER_ROLES,
    Role.VIEWER: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: int
    email: str
    role: Role
    customer_id: int | None = None
    display_name: str = ""

    @property
    def is_provider(self) -> bool:
        return self.role in PROVIDER_ROLES

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(f"the role '{self.role}' may not do this ({permission})")


def parse_role(value: str, field: str = "role") -> Role:
    try:
        return Role(value)
    except ValueError as exc:
        allowed = ", ".join(r.value for r in Role)
        raise InvalidInput(f"unknown role '{value}' (allowed: {allowed})", field=field, value=value) from exc


def check_role_binding(role: Role, customer_id: int | None) -> None:
    """Customer roles belong to exactly one customer; provider roles to none."""
    if role.is_customer_role and customer_id is None:
        raise InvalidInput(f"the role '{role}' needs a customer", field="customer_id", value=None)
    if not role.is_customer_role and customer_id is not None:
        raise InvalidInput(
            f"the provider role '{role}' cannot be bound to a customer",
            field="customer_id",
            value=customer_id,
        )


def check_can_assign(actor: Principal, role: Role, customer_id: int | None, action: str = "") -> None:
    """May `actor` create or edit a user with this role and customer? `action` words a refusal
    for what was tried on an existing user ("deactivate", "delete"); without it the refusal is
    about handing out the role."""
    actor.require(Permission.USERS_WRITE)
    if role not in ASSIGNABLE[actor.role]:
        if action:
            raise PermissionDenied(f"the role '{actor.role}' may not {action} a user with the role '{role}'")
        raise PermissionDenied(f"the role '{actor.role}' may not assign the role '{role}'")
    check_role_binding(role, customer_id)
    if not actor.is_provider and customer_id != actor.customer_id:
        raise PermissionDenied("customer users may only manage their own organisation")


def assignable_roles(actor: Principal) -> list[Role]:
    """The roles `actor` may give a new user, in the order of Role (none without USERS_WRITE)."""
    if not actor.can(Permission.USERS_WRITE):
        return []
    return [role for role in Role if role in ASSIGNABLE[actor.role]]


def can_manage(actor: Principal, role: Role, customer_id: int | None) -> bool:
    """May `actor` change (activate, deactivate, edit, delete) a user with this role and customer?"""
    if not actor.can(Permission.USERS_WRITE) or role not in ASSIGNABLE[actor.role]:
        return False
    return actor.is_provider or customer_id == actor.customer_id


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10


def normalise_email(value: str, field: str = "email") -> str:
    email = value.strip().lower()
    if not _EMAIL.match(email) or len(email) > 254:
        raise InvalidInput(f"'{value}' is not an e-mail address", field=field, value=value)
    return email


def check_password_strength(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters", field=field, value=None
        )


# ------------------------------------------------------------------ sign-in throttle


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    """After `free_failures` failures each try waits longer (doubling up to `max_delay`);
    after `lock_after` failures the account is locked for `lock_for`. A success resets."""

    free_failures: int = 3
    base_delay: timedelta = timedelta(seconds=1)
    max_delay: timedelta = timedelta(seconds=30)
    lock_after: int = 10
    lock_for: timedelta = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class ThrottleState:
    failures: int = 0
    next_allowed_at: datetime | None = None
    locked_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class FailureOutcome:
    state: ThrottleState
    locked_now: bool  # this failure caused the lock (the caller logs it)


def check_attempt(state: ThrottleState, now: datetime) -> None:
    """Raise TooManyAttempts when a sign-in may not be tried yet."""
    if state.locked_until is not None and now < state.locked_until:
        wait = _ceil_seconds(state.locked_until - now)
        raise TooManyAttempts(
            f"too many failed sign-ins; this account is locked for {wait} more seconds", retry_after=wait
        )
    if state.next_allowed_at is not None and now < state.next_allowed_at:
        wait = _ceil_seconds(state.next_allowed_at - now)
        raise TooManyAttempts(f"too many failed sign-ins; wait {wait} seconds", retry_after=wait)


def record_failure(state: ThrottleState, now: datetime, policy: ThrottlePolicy) -> FailureOutcome:
    # A lock that has run out starts the count afresh, so the next lock needs a full series again.
    if state.locked_until is not None and now >= state.locked_until:
        state = ThrottleState()
    after = state_after_failures(state.failures + 1, now, policy)
    return FailureOutcome(after, locked_now=after.locked_until is not None)


def state_after_failures(failures: int, now: datetime, policy: ThrottlePolicy) -> ThrottleState:
    """The throttle after the `failures`-th failure in a row, that one made at `now`."""
    if failures >= policy.lock_after:
        return ThrottleState(failures=failures, locked_until=now + policy.lock_for)
    next_at = None
    if failures >= policy.free_failures:
        delay = policy.base_delay * (2 ** (failures - policy.free_failures))
        next_at = now + min(delay, policy.max_delay)
    return ThrottleState(failures=failures, next_allowed_at=next_at)


def failure_schedule(now: datetime, policy: ThrottlePolicy) -> tuple[ThrottleState, ...]:
    """`state_after_failures(n, now)` for n = 1 … lock_after: what the database writes, in one
    statement, for whichever count the attempt turns out to be (the last entry, the lock, also
    stands for any higher count)."""
    return tuple(state_after_failures(n, now, policy) for n in range(1, max(policy.lock_after, 1) + 1))


def _ceil_seconds(delta: timedelta) -> int:
    return max(1, int(-(-delta.total_seconds() // 1)))
