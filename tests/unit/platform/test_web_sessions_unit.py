"""Server-side web sessions against the in-memory platform repository: expiry, last-seen, pruning,
and which changes to a user end its sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slaforge.adapters.db.models import User, WebSession
from slaforge.domain.platform.accounts import Principal, Role
from slaforge.services.platform import accounts, sessions
from tests.fakes import FakeUnitOfWork
from tests.unit.platform.fakes import FakePlatformRepository

NOW = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
HOURS_8 = timedelta(hours=8)
ADMIN = Principal(99, "admin@provider.test", Role.ADMIN)


def _setup() -> tuple[FakePlatformRepository, FakeUnitOfWork, User]:
    repo = FakePlatformRepository()
    uow = FakeUnitOfWork(platform=repo)
    user = accounts.create_user(
        uow=uow, actor=None, email="m@provider.test", password="correct horse battery", role="manager"
    )
    return repo, uow, user


def test_a_session_signs_in_until_it_expires_and_is_seen_at_most_once_a_minute() -> None:
    repo, uow, user = _setup()
    who = accounts.principal_of(user)
    sid = sessions.open_session(uow=uow, principal=who, now=NOW, lifetime=HOURS_8)
    assert sessions.principal_for_session(uow=uow, session_id=sid, now=NOW + timedelta(seconds=30)) == who
    assert repo.of(WebSession)[0].last_seen_at == NOW
    assert sessions.principal_for_session(uow=uow, session_id=sid, now=NOW + timedelta(minutes=5)) == who
    assert repo.of(WebSession)[0].last_seen_at == NOW + timedelta(minutes=5)
    assert sessions.principal_for_session(uow=uow, session_id=sid, now=NOW + HOURS_8) is None
    assert sessions.principal_for_session(uow=uow, session_id="made-up", now=NOW) is None


def test_a_new_sign_in_prunes_the_users_expired_sessions_only() -> None:
    repo, uow, user = _setup()
    who = accounts.principal_of(user)
    old = sessions.open_session(uow=uow, principal=who, now=NOW, lifetime=HOURS_8)
    recent = sessions.open_session(uow=uow, principal=who, now=NOW + timedelta(hours=7), lifetime=HOURS_8)
    sessions.open_session(uow=uow, principal=who, now=NOW + timedelta(hours=9), lifetime=HOURS_8)
    assert len(repo.of(WebSession)) == 2
    later = NOW + timedelta(hours=9, minutes=1)
    assert sessions.principal_for_session(uow=uow, session_id=old, now=later) is None
    assert sessions.principal_for_session(uow=uow, session_id=recent, now=later) == who


def test_a_password_change_or_deactivation_ends_the_users_sessions_a_rename_does_not() -> None:
    _repo, uow, user = _setup()
    who = accounts.principal_of(user)

    def signed_in_after(changes: accounts.UserChanges) -> bool:
        sid = sessions.open_session(uow=uow, principal=who, now=NOW, lifetime=HOURS_8)
        accounts.update_user(uow=uow, actor=ADMIN, user_id=user.id, changes=changes)
        accounts.update_user(
            uow=uow, actor=ADMIN, user_id=user.id, changes=accounts.UserChanges(is_active=True)
        )
        return sessions.principal_for_session(uow=uow, session_id=sid, now=NOW) is not None

    assert signed_in_after(accounts.UserChanges(display_name="Renamed"))
    assert signed_in_after(accounts.UserChanges(role="agent"))
    assert not signed_in_after(accounts.UserChanges(password="another long passphrase"))
    assert not signed_in_after(accounts.UserChanges(is_active=False))
