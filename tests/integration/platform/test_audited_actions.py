"""Every change to users, tokens, the catalog, calendars, expectations and imports leaves an
entry in the audit chain, naming who did what to which subject (issue 10: they left none)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from slaforge.domain.platform.accounts import Principal, Role
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.services.background import calendars as named_calendars
from slaforge.services.background import expectations
from slaforge.services.background.imports import import_tickets
from slaforge.services.platform import accounts, audit, catalog, tokens
from slaforge.services.unit_of_work import UnitOfWork

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
PASSWORD = "correct horse battery staple 1"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
WEEK = {"timezone": "UTC", "hours": {d: ["09:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}}


class World:
    """An admin, a customer, a user and a token to act on, made before the action under test."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        root = accounts.init_first_admin(uow=uow, email="root@provider.test", password=PASSWORD)
        self.admin = Principal(user_id=root.id, email=root.email, role=Role.ADMIN)
        self.customer = catalog.create_customer(uow=uow, actor=self.admin, name="Acme")
        self.user = accounts.create_user(uow=uow, actor=self.admin, email="ann@acme.test", password=PASSWORD,
                                         role="viewer", customer_id=self.customer.id)  # fmt: skip
        self.token, _ = tokens.create_token(uow=uow, actor=self.admin, name="ci", expires_at=None, now=NOW)
        self.calendar = catalog.create_calendar(uow=uow, actor=self.admin, name="Office", definition=WEEK)
        self.service = catalog.create_service(uow=uow, actor=self.admin, name="Portal", calendar_id=None)


def change_user(**changes: Any) -> Callable[[World], object]:
    return lambda w: accounts.update_user(
        uow=w.uow, actor=w.admin, user_id=w.user.id, changes=accounts.UserChanges(**changes)
    )


def expectation(w: World) -> object:
    return expectations.record_expectation(uow=w.uow, actor=w.admin, customer_id=w.customer.id, now=NOW,
                                           fields={"metric": "first_response", "priority": "P1", "target": "1h"})  # fmt: skip


# fmt: off
CASES: dict[str, tuple[Callable[[World], object], str, str, Callable[[World], object]]] = {
    # name: (action, audited action, subject type, subject id)
    "user created": (
        lambda w: accounts.create_user(uow=w.uow, actor=w.admin, email="bo@acme.test", password=PASSWORD,
                                       role="viewer", customer_id=w.customer.id),
        "user.created", "user", lambda w: accounts.principal_for_email(uow=w.uow, email="bo@acme.test").user_id,
    ),
    "role changed": (change_user(role="customer-admin"), "user.role_changed", "user", lambda w: w.user.id),
    "user deactivated": (change_user(is_active=False), "user.deactivated", "user", lambda w: w.user.id),
    "password changed": (change_user(password=PASSWORD + "!"), "user.password_changed", "user", lambda w: w.user.id),
    "user deleted": (
        lambda w: accounts.delete_user(uow=w.uow, actor=w.admin, user_id=w.user.id),
        "user.deleted", "user", lambda w: w.user.id,
    ),
    "token created": (
        lambda w: tokens.create_token(uow=w.uow, actor=w.admin, name="cron", expires_at=None, now=NOW)[0].id,
        "token.created", "api_token", lambda w: w.token.id + 1,
    ),
    "token revoked": (
        lambda w: tokens.revoke_token(uow=w.uow, actor=w.admin, token_id=w.token.id, now=NOW + timedelta(hours=1)),
        "token.revoked", "api_token", lambda w: w.token.id,
    ),
    "customer renamed": (
        lambda w: catalog.update_customer(uow=w.uow, actor=w.admin, customer_id=w.customer.id, name="Acme Ltd"),
        "customer.updated", "customer", lambda w: w.customer.id,
    ),
    "calendar changed": (
        lambda w: catalog.update_calendar(uow=w.uow, actor=w.admin, calendar_id=w.calendar.id,
                                          definition={**WEEK, "timezone": "Europe/Berlin"}),
        "calendar.updated", "calendar", lambda w: w.calendar.id,
    ),
    "calendar deleted": (
        lambda w: catalog.delete_calendar(uow=w.uow, actor=w.admin, calendar_id=w.calendar.id),
        "calendar.deleted", "calendar", lambda w: w.calendar.id,
    ),
    "named calendar saved": (
        lambda w: named_calendars.save_calendar(uow=w.uow, name="Support", calendar=BusinessCalendar.from_dict(WEEK)),
        "calendar.saved", "calendar", lambda w: w.calendar.id + 1,
    ),
    "service created": (
        lambda w: catalog.create_service(uow=w.uow, actor=w.admin, name="Mail", calendar_id=w.calendar.id),
        "service.created", "service", lambda w: w.service.id + 1,
    ),
    "service deleted": (
        lambda w: catalog.delete_service(uow=w.uow, actor=w.admin, service_id=w.service.id),
        "service.deleted", "service", lambda w: w.service.id,
    ),
    "expectation recorded": (expectation, "expectation.recorded", "customer", lambda w: w.customer.id),
    "expectations deleted": (
        lambda w: (expectation(w), expectations.delete_expectations(uow=w.uow, actor=w.admin,
                                                                    customer_id=w.customer.id)),
        "expectation.deleted", "customer", lambda w: w.customer.id,
    ),
    "expectations imported": (
        lambda w: expectations.import_expectations_csv(
            uow=w.uow, actor=w.admin, customer_id=w.customer.id, now=NOW, file_name="wishes.csv",
            content="metric,priority,target\nresolution,P1,8h\n"),
        "expectation.imported", "customer", lambda w: w.customer.id,
    ),
    "history imported": (
        lambda w: import_tickets(uow=w.uow, clock=lambda: NOW, path=FIXTURES / "zendesk_tickets.json",
                                 mapping="zendesk", actor=w.admin.email).batch_id,
        "import.tickets", "import_batch", lambda w: 1,
    ),
}
# fmt: on


@pytest.mark.parametrize("case", list(CASES))
def test_each_change_leaves_an_audit_entry(uow: UnitOfWork, case: str) -> None:
    act, action, subject_type, subject_id = CASES[case]
    world = World(uow)
    before = audit.verify(uow=uow).entries
    act(world)
    report = audit.verify(uow=uow)
    assert report.ok, report.problems
    with uow:
        entries = [e for e in uow.platform.audit_entries_in_order() if e.seq > before]
    assert action in [e.action for e in entries]
    entry = next(e for e in entries if e.action == action)
    assert entry.subject_type == subject_type
    assert entry.subject_id == str(subject_id(world))
    expected_actor = "operator" if case == "named calendar saved" else "root@provider.test"
    assert entry.actor == expected_actor
    assert entry.key_id == "test-k1"
    assert "password" not in str(entry.data).replace("password_changed", "")
    assert "secret" not in str(entry.data)


def test_the_world_itself_was_audited(uow: UnitOfWork) -> None:
    World(uow)
    with uow:
        actions = [e.action for e in uow.platform.audit_entries_in_order()]
    assert actions == ["user.created", "customer.created", "user.created", "token.created",
                       "calendar.created", "service.created"]  # fmt: skip
    assert [e.actor for e in audit.entries_for(uow=uow, subject_type="user", subject_id=1)] == ["operator"]


def test_a_customer_users_change_is_recorded_though_that_user_cannot_read_the_log(uow: UnitOfWork, session_factory) -> None:
    # The writer's queries of the chain pass the tenancy filter; the readers' do not (a 500 before:
    # the scoped session did not see the head row and tried to insert a second one).
    from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
    from slaforge.domain.platform.tenancy import Scope
    from tests.fakes import TEST_AUDIT_KEYS

    world = World(uow)
    boss = Principal(user_id=world.user.id, email="ann@acme.test", role=Role.CUSTOMER_ADMIN,
                     customer_id=world.customer.id)  # fmt: skip
    scoped = SqlAlchemyUnitOfWork(session_factory, Scope.of(boss), audit_keys=lambda: TEST_AUDIT_KEYS)
    expectations.record_expectation(uow=scoped, actor=boss, customer_id=world.customer.id, now=NOW,
                                    fields={"metric": "resolution", "priority": "P1", "target": "8h"})  # fmt: skip
    assert audit.verify(uow=uow).ok
    with uow:
        last = list(uow.platform.audit_entries_in_order())[-1]
    assert (last.action, last.actor, last.subject_id) == ("expectation.recorded", "ann@acme.test", str(world.customer.id))
    with scoped:
        assert scoped.platform.audit_entries_for("customer", str(world.customer.id)) == []
        assert scoped.platform.audit_head() is None
