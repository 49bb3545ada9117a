"""Which scope a principal works in; the query filter itself is tested through the API."""

from __future__ import annotations

import pytest

from slaforge.domain.platform.accounts import Principal, Role
from slaforge.domain.platform.tenancy import Scope


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        (None, Scope(None)),
        (Principal(1, "a@x.test", Role.ADMIN), Scope(None)),
        (Principal(1, "a@x.test", Role.AGENT), Scope(None)),
        (Principal(1, "a@x.test", Role.VIEWER, customer_id=7), Scope(7)),
        (Principal(1, "a@x.test", Role.CUSTOMER_ADMIN, customer_id=8), Scope(8)),
    ],
)
def test_provider_staff_see_everything_and_customer_users_their_own(
    principal: Principal | None, expected: Scope
) -> None:
    assert Scope.of(principal) == expected


def test_a_customer_user_without_a_customer_is_refused_rather_than_unlimited() -> None:
    with pytest.raises(ValueError, match="no customer"):
        Scope.of(Principal(1, "a@x.test", Role.VIEWER, customer_id=None))


def test_every_table_is_either_scoped_to_a_customer_or_declared_provider_only() -> None:
    from slaforge.adapters.db import models, scoping

    mapped = {mapper.class_ for mapper in models.Base.registry.mappers}
    undecided = mapped - set(scoping.TENANT_RULES) - scoping.PROVIDER_ONLY
    assert not undecided, f"declare how these belong to a customer in scoping.py: {undecided}"
