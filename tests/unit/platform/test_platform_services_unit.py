"""The catalog, account and token use cases against the in-memory platform repository: no
database is opened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from slaforge.adapters.db.models import ApiToken, Customer, Service, SignInThrottle, Ticket, User
from slaforge.domain.errors import Conflict, InvalidInput, NotFound
from slaforge.domain.platform.accounts import (
    NotAuthenticated,
    PermissionDenied,
    Principal,
    Role,
    ThrottlePolicy,
    TooManyAttempts,
)
from slaforge.domain.platform.listing import ListQuery
from slaforge.services.demo.people import create_demo_accounts
from slaforge.services.platform import accounts, catalog, tokens
from tests.fakes import FakeUnitOfWork
from tests.unit.platform.fakes import FakePlatformRepository

NOW = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
ADMIN = Principal(99, "admin@provider.test", Role.ADMIN)
AGENT = Principal(98, "agent@provider.test", Role.AGENT)
PASSWORD = "correct horse battery"


@pytest.fixture
def repo() -> FakePlatformRepository:
    return FakePlatformRepository()


@pytest.fixture
def uow(repo: FakePlatformRepository) -> FakeUnitOfWork:
    return FakeUnitOfWork(platform=repo)


def _user(uow: FakeUnitOfWork, email: str, role: Role = Role.ADMIN, customer_id: int | None = None) -> User:
    return accounts.create_user(
        uow=uow, actor=None, email=email, password=PASSWORD, role=role.value, customer_id=customer_id
    )


# ------------------------------------------------------------------ catalog


def test_customers_are_created_listed_and_a_duplicate_is_refused(
    uow: FakeUnitOfWork, repo: FakePlatformRepository
) -> None:
    acme = catalog.create_customer(uow=uow, actor=ADMIN, name="  Acme Logistics ")
    globex = catalog.create_customer(uow=uow, actor=ADMIN, name="Globex", slug="Globex Retail!")
    assert (acme.id, acme.name, acme.slug) == (1, "Acme Logistics", "acme-logistics")
    assert globex.slug == "globex-retail"
    with pytest.raises(Conflict, match=r"'Acme Logistics' is already taken \(name\)"):
        catalog.create_customer(uow=uow, actor=ADMIN, name="Acme Logistics")
    with pytest.raises(Conflict, match=r"'globex-retail' is already taken \(slug\)"):
        catalog.create_customer(uow=uow, actor=ADMIN, name="Other", slug="globex retail")
    with pytest.raises(PermissionDenied):
        catalog.create_customer(uow=uow, actor=AGENT, name="Initech")
    assert uow.commits == 2
    assert repo.of(Customer) == [acme, globex]

    page = catalog.list_customers(uow=uow, actor=AGENT, query=ListQuery(sort="-name"))
    assert (page.data, page.count) == ([globex, acme], 2)
    found = catalog.list_customers(uow=uow, actor=AGENT, query=ListQuery(search="LOGIST"))
    assert (found.data, found.count) == ([acme], 1)
    assert catalog.find_customer(uow=uow, ref="2") is globex
    assert catalog.find_customer(uow=uow, ref="Globex Retail") is globex
    with pytest.raises(NotFound, match="no customer 'nobody'"):
        catalog.find_customer(uow=uow, ref="nobody")


def test_a_customer_is_renamed_unless_taken_and_kept_while_it_has_users(
    uow: FakeUnitOfWork, repo: FakePlatformRepository
) -> None:
    acme = catalog.create_customer(uow=uow, actor=ADMIN, name="Acme")
    catalog.create_customer(uow=uow, actor=ADMIN, name="Globex")
    # Its own name again is not a clash; another customer's is.
    assert catalog.update_customer(uow=uow, actor=ADMIN, customer_id=acme.id, name="Acme").name == "Acme"
    with pytest.raises(Conflict, match="'Globex' is already taken"):
        catalog.update_customer(uow=uow, actor=ADMIN, customer_id=acme.id, name="Globex")
    _user(uow, "viewer@acme.test", Role.VIEWER, customer_id=acme.id)
    with pytest.raises(Conflict, match="customer 1 still has users; remove them first"):
        catalog.delete_customer(uow=uow, actor=ADMIN, customer_id=acme.id)
    with pytest.raises(NotFound, match="no customer 7"):
        catalog.delete_customer(uow=uow, actor=ADMIN, customer_id=7)
    catalog.delete_customer(uow=uow, actor=ADMIN, customer_id=2)
    assert [c.name for c in repo.of(Customer)] == ["Acme"]


def test_services_name_their_calendar_and_one_with_tickets_stays(
    uow: FakeUnitOfWork, repo: FakePlatformRepository
) -> None:
    with pytest.raises(NotFound, match=r"no calendar 5 \(calendar_id\)"):
        catalog.create_service(uow=uow, actor=ADMIN, name="Mail", calendar_id=5)
    calendar = catalog.create_calendar(uow=uow, actor=ADMIN, name="Office", definition={"timezone": "UTC"})
    mail = catalog.create_service(uow=uow, actor=ADMIN, name="Mail", calendar_id=calendar.id)
    web = catalog.create_service(uow=uow, actor=ADMIN, name="Web", calendar_id=None)
    assert mail.calendar_id == calendar.id
    cleared = catalog.update_service(uow=uow, actor=ADMIN, service_id=mail.id, changes={"calendar_id": None})
    assert cleared.calendar_id is None
    page = catalog.list_services(uow=uow, actor=AGENT, query=ListQuery(filters={"calendar_id": None}))
    assert page.data == [mail, web]
    with pytest.raises(InvalidInput, match="cannot filter by 'colour'"):
        catalog.list_services(uow=uow, actor=AGENT, query=ListQuery(filters={"colour": "red"}))

    acme = catalog.create_customer(uow=uow, actor=ADMIN, name="Acme")
    repo.add(Ticket(customer_id=acme.id, service_id=web.id, resolved_at=None))
    repo.add(Ticket(customer_id=acme.id, service_id=web.id, resolved_at=NOW))
    with pytest.raises(Conflict, match="service 2 still has tickets"):
        catalog.delete_service(uow=uow, actor=ADMIN, service_id=web.id)
    catalog.delete_service(uow=uow, actor=ADMIN, service_id=mail.id)
    assert repo.of(Service) == [web]

    summary = catalog.customer_summary(uow=uow, actor=ADMIN, customer_id=acme.id)
    assert (summary.services, summary.tickets, summary.open_tickets) == ([web], 2, 1)
    assert catalog.overview(uow=uow, actor=ADMIN) == {
        "customers": 1,
        "services": 1,
        "calendars": 1,
        "users": 0,
        "tickets": 2,
    }


# ------------------------------------------------------------------ accounts


def test_a_user_is_created_once_per_address_and_bound_to_a_known_customer(
    uow: FakeUnitOfWork, repo: FakePlatformRepository
) -> None:
    admin = _user(uow, " Admin@Provider.TEST ")
    assert (admin.id, admin.email, admin.display_name) == (1, "admin@provider.test", "admin")
    assert admin.is_active
    assert admin.password_hash != PASSWORD
    with pytest.raises(Conflict, match=r"a user with the e-mail 'admin@provider\.test' already exists"):
        _user(uow, "admin@provider.test", Role.MANAGER)
    with pytest.raises(NotFound, match=r"no customer 3 \(customer_id\)"):
        _user(uow, "viewer@acme.test", Role.VIEWER, customer_id=3)
    with pytest.raises(Conflict, match="an admin already exists"):
        accounts.init_first_admin(uow=uow, email="second@provider.test", password=PASSWORD)
    assert repo.of(User) == [admin]
    assert uow.commits == 1

    with pytest.raises(InvalidInput, match="you cannot delete yourself"):
        accounts.delete_user(uow=uow, actor=accounts.principal_of(admin), user_id=admin.id)
    assert accounts.list_users(uow=uow, actor=ADMIN, query=ListQuery()).data == [admin]


def test_failed_sign_ins_are_counted_then_lock_and_a_success_clears_them(
    uow: FakeUnitOfWork, repo: FakePlatformRepository
) -> None:
    user = _user(uow, "manager@provider.test", Role.MANAGER)
    policy = ThrottlePolicy(free_failures=5, lock_after=3, lock_for=timedelta(minutes=15))
    for minute in range(3):
        with pytest.raises(NotAuthenticated, match="wrong e-mail address or password"):
            accounts.sign_in(
                uow=uow, email="Manager@provider.test", password="wrong password",
                now=NOW + timedelta(minutes=minute), policy=policy,
            )  # fmt: skip
        assert repo.of(SignInThrottle)[0].failures == minute + 1
    (throttle,) = repo.of(SignInThrottle)
    assert (throttle.email, throttle.locked_until) == ("manager@provider.test", NOW + timedelta(minutes=17))
    # Locked: even the right password is refused until the lock runs out.
    with pytest.raises(TooManyAttempts):
        accounts.sign_in(uow=uow, email=user.email, password=PASSWORD, now=NOW + timedelta(minutes=5))
    # An unknown address is counted alike (the answer reveals nothing).
    with pytest.raises(NotAuthenticated):
        accounts.sign_in(uow=uow, email="nobody@provider.test", password=PASSWORD, now=NOW)
    assert [t.email for t in repo.of(SignInThrottle)][-1] == "nobody@provider.test"

    later = NOW + timedelta(minutes=30)
    principal = accounts.sign_in(uow=uow, email=user.email, password=PASSWORD, now=later)
    assert (principal.user_id, principal.role) == (user.id, Role.MANAGER)
    assert [t.email for t in repo.of(SignInThrottle)] == ["nobody@provider.test"]
    assert accounts.principal_for_user(uow=uow, user_id=user.id) == principal
    accounts.update_user(uow=uow, actor=ADMIN, user_id=user.id, changes=accounts.UserChanges(is_active=False))
    assert accounts.principal_for_user(uow=uow, user_id=user.id) is None
    with pytest.raises(NotAuthenticated):
        accounts.sign_in(uow=uow, email=user.email, password=PASSWORD, now=later)


# ------------------------------------------------------------------ tokens


def test_a_token_acts_as_its_user_until_revoked_or_expired(
    uow: FakeUnitOfWork, repo: FakePlatformRepository
) -> None:
    admin = accounts.principal_of(_user(uow, "admin@provider.test"))
    agent = accounts.principal_of(_user(uow, "agent@provider.test", Role.AGENT))
    row, secret = tokens.create_token(uow=uow, actor=agent, name=" ci ", expires_at=None, now=NOW)
    assert secret.startswith(tokens.TOKEN_PREFIX)
    assert row.prefix == secret[:10]
    assert (row.user_id, row.name, row.expires_at) == (agent.user_id, "ci", NOW + timedelta(days=90))
    assert row.secret_hash != secret
    assert repo.of(ApiToken) == [row]

    assert tokens.principal_for_token(uow=uow, secret=secret, now=NOW + timedelta(hours=1)) == agent
    assert row.last_used_at == NOW + timedelta(hours=1)
    with pytest.raises(NotAuthenticated, match="not a slaforge API token"):
        tokens.principal_for_token(uow=uow, secret="ghp_" + secret, now=NOW)
    with pytest.raises(NotAuthenticated, match="unknown, revoked or expired"):
        tokens.principal_for_token(uow=uow, secret=secret, now=NOW + timedelta(days=91))

    other, _ = tokens.create_token_for_email(
        uow=uow, email="ADMIN@provider.test", name="ops", days=7, now=NOW
    )
    # Without TOKENS_ALL another user's token is absent; the admin sees both.
    with pytest.raises(NotFound, match=f"no API token {other.id}"):
        tokens.revoke_token(uow=uow, actor=agent, token_id=other.id, now=NOW)
    assert tokens.list_tokens(uow=uow, actor=agent, query=ListQuery()).data == [row]
    assert tokens.list_tokens(uow=uow, actor=admin, query=ListQuery(sort="name")).data == [row, other]

    revoked = tokens.revoke_token(uow=uow, actor=admin, token_id=row.id, now=NOW + timedelta(hours=2))
    assert revoked.revoked_at == NOW + timedelta(hours=2)
    with pytest.raises(NotAuthenticated, match="unknown, revoked or expired"):
        tokens.principal_for_token(uow=uow, secret=secret, now=NOW + timedelta(hours=3))
    with pytest.raises(InvalidInput, match="must be in the future"):
        tokens.create_token(uow=uow, actor=agent, name="old", expires_at=NOW, now=NOW)


# ------------------------------------------------------------------ demo


def test_the_demo_people_are_created_then_reset(uow: FakeUnitOfWork, repo: FakePlatformRepository) -> None:
    made = create_demo_accounts(uow=uow, domain="demo.test")
    assert [c.slug for c in repo.of(Customer)] == ["acme-logistics", "globex-retail"]
    viewers = ["viewer@acme-logistics.demo.test", "viewer@globex-retail.demo.test"]
    assert [a.email for a in made][2:] == viewers
    viewer = repo.of(User)[2]
    viewer.is_active = False
    create_demo_accounts(uow=uow, domain="demo.test")
    assert (len(repo.of(User)), len(repo.of(Customer))) == (4, 2)
    assert (viewer.is_active, viewer.role, viewer.customer_id) == (True, "viewer", 1)
    assert uow.commits == 2
