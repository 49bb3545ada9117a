"""Roles, permissions and the sign-in throttle as pure rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from slaforge.domain.errors import InvalidInput
from slaforge.domain.platform.accounts import (
    Permission,
    PermissionDenied,
    Principal,
    Role,
    ThrottlePolicy,
    ThrottleState,
    TooManyAttempts,
    check_attempt,
    check_can_assign,
    failure_schedule,
    normalise_email,
    record_failure,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _p(role: Role, customer_id: int | None = None) -> Principal:
    return Principal(user_id=1, email="x@example.test", role=role, customer_id=customer_id)


@pytest.mark.parametrize(
    ("role", "permission", "allowed"),
    [
        (Role.ADMIN, Permission.TOKENS_ALL, True),
        (Role.MANAGER, Permission.CATALOG_WRITE, True),
        (Role.MANAGER, Permission.TOKENS_ALL, False),
        (Role.AGENT, Permission.TICKETS_WRITE, True),
        (Role.AGENT, Permission.CATALOG_WRITE, False),
        (Role.CUSTOMER_ADMIN, Permission.USERS_WRITE, True),
        (Role.CUSTOMER_ADMIN, Permission.TICKETS_WRITE, False),
        (Role.VIEWER, Permission.READ, True),
        (Role.VIEWER, Permission.USERS_READ, False),
    ],
)
def test_each_role_has_exactly_its_permissions(role: Role, permission: Permission, allowed: bool) -> None:
    assert _p(role, 1 if role.is_customer_role else None).can(permission) is allowed


@pytest.mark.parametrize(
    ("actor", "role", "customer_id", "error"),
    [
        (_p(Role.ADMIN), Role.ADMIN, None, None),
        (_p(Role.MANAGER), Role.ADMIN, None, PermissionDenied),
        (_p(Role.MANAGER), Role.VIEWER, 5, None),
        (_p(Role.MANAGER), Role.VIEWER, None, InvalidInput),
        (_p(Role.ADMIN), Role.AGENT, 5, InvalidInput),
        (_p(Role.CUSTOMER_ADMIN, 5), Role.VIEWER, 5, None),
        (_p(Role.CUSTOMER_ADMIN, 5), Role.VIEWER, 6, PermissionDenied),
        (_p(Role.CUSTOMER_ADMIN, 5), Role.AGENT, None, PermissionDenied),
        (_p(Role.VIEWER, 5), Role.VIEWER, 5, PermissionDenied),
    ],
)
def test_nobody_hands_out_more_than_they_hold(
    actor: Principal, role: Role, customer_id: int | None, error: type[Exception] | None
) -> None:
    if error is None:
        check_can_assign(actor, role, customer_id)
    else:
        with pytest.raises(error):
            check_can_assign(actor, role, customer_id)


def test_email_addresses_are_compared_in_lower_case_and_must_look_like_one() -> None:
    assert normalise_email("  Ann@Example.TEST ") == "ann@example.test"
    with pytest.raises(InvalidInput, match="email"):
        normalise_email("ann")


def test_the_first_failures_are_free_then_the_wait_doubles_up_to_a_cap() -> None:
    policy = ThrottlePolicy(
        free_failures=3, base_delay=timedelta(seconds=1), max_delay=timedelta(seconds=4), lock_after=100
    )
    state, waits = ThrottleState(), []
    for _ in range(7):
        state = record_failure(state, T0, policy).state
        waits.append((state.next_allowed_at - T0).total_seconds() if state.next_allowed_at else 0)
    assert waits == [0, 0, 1, 2, 4, 4, 4]


def test_a_lock_refuses_even_the_right_password_until_it_runs_out() -> None:
    policy = ThrottlePolicy(lock_after=3, lock_for=timedelta(minutes=15))
    state = ThrottleState()
    outcomes = []
    for _ in range(3):
        outcome = record_failure(state, T0, policy)
        state = outcome.state
        outcomes.append(outcome.locked_now)
    assert outcomes == [False, False, True]
    with pytest.raises(TooManyAttempts) as err:
        check_attempt(state, T0 + timedelta(minutes=14))
    assert err.value.retry_after == 60
    check_attempt(state, T0 + timedelta(minutes=15))
    assert record_failure(state, T0 + timedelta(minutes=16), policy).state.failures == 1


def test_the_failure_schedule_is_the_state_after_each_failure_in_a_row() -> None:
    # What the database writes for the n-th counted failure must be what n failures in sequence give.
    policy = ThrottlePolicy(free_failures=2, max_delay=timedelta(seconds=5), lock_after=6)
    state, in_sequence = ThrottleState(), []
    for _ in range(6):
        state = record_failure(state, T0, policy).state
        in_sequence.append(state)
    assert failure_schedule(T0, policy) == tuple(in_sequence)
    assert failure_schedule(T0, policy)[-1].locked_until == T0 + policy.lock_for
