"""The demo's accounts: one per role the demo shows, each able to sign in, stable across runs."""

from __future__ import annotations

from datetime import UTC, datetime

from slaforge.bootstrap import Container
from slaforge.domain.platform.accounts import Role
from slaforge.services.demo.people import create_demo_accounts
from slaforge.services.platform import accounts


def test_demo_accounts_sign_in_and_a_second_run_resets_rather_than_duplicates(container: Container) -> None:
    first = create_demo_accounts(uow=container.system_uow())
    again = create_demo_accounts(uow=container.system_uow())
    assert first == again
    assert [a.role for a in first] == [Role.ADMIN, Role.MANAGER, Role.VIEWER, Role.VIEWER]
    assert len({a.customer for a in first if a.customer}) == 2
    now = datetime(2026, 3, 2, tzinfo=UTC)
    for account in first:
        principal = accounts.sign_in(
            uow=container.system_uow(), email=account.email, password=account.password, now=now
        )
        assert principal.role is account.role
        assert (principal.customer_id is None) == (account.customer is None)
