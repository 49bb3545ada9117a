"""The per-user feed's token: parallel resets leave one feed row and exactly one working token (the
outcome of resets one after another); a deactivated user's feed opens nothing; a token is never
stored, only its hash; drafts' series stay out of the feed."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import AuditEntry, CalendarFeed
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.platform.accounts import Principal, Role
from slaforge.domain.platform.tenancy import Scope
from slaforge.services.agreement import versions
from slaforge.services.platform import accounts
from slaforge.services.relationship import feeds, meetings
from slaforge.services.unit_of_work import UnitOfWork
from tests.fakes import TEST_AUDIT_KEYS
from tests.integration.relationship.test_meeting_changes import _with_series
from tests.parallel import at_once

NOW = datetime(2027, 1, 1, tzinfo=UTC)


def _user(uow: UnitOfWork, email: str = "ann@provider.test") -> Principal:
    user = accounts.create_user(
        uow=uow, actor=None, email=email, password="correct horse battery", role=Role.MANAGER
    )
    principal = accounts.principal_for_user(uow=uow, user_id=user.id)
    assert principal is not None
    return principal


def test_parallel_resets_leave_one_working_token(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    principal = _user(uow)

    def reset(_: int) -> str:
        own = SqlAlchemyUnitOfWork(session_factory, audit_keys=lambda: TEST_AUDIT_KEYS)
        return feeds.reset_feed(uow=own, principal=principal, now=NOW)

    tokens = at_once(reset, list(range(25)))
    assert len(set(tokens)) == 25
    working = [t for t in tokens if feeds.feed_owner(uow=uow, token=t) is not None]
    assert len(working) == 1
    with uow:
        rows = list(uow.session.scalars(select(CalendarFeed)))
        resets = list(
            uow.session.scalars(
                select(AuditEntry.action).where(AuditEntry.action == "relationship.feed_reset")
            )
        )
    assert len(rows) == 1
    assert rows[0].token_hash not in tokens
    assert len(resets) == 25


def test_a_deactivated_users_feed_opens_nothing(uow: UnitOfWork) -> None:
    principal = _user(uow)
    token = feeds.reset_feed(uow=uow, principal=principal, now=NOW)
    assert feeds.feed_owner(uow=uow, token=token) == principal
    assert feeds.feed_owner(uow=uow, token="") is None
    assert feeds.feed_owner(uow=uow, token="x" * 500) is None
    with uow:
        user = uow.platform.user(principal.user_id)
        assert user is not None
        user.is_active = False
        uow.commit()
    assert feeds.feed_owner(uow=uow, token=token) is None


def test_a_drafts_series_stay_out_of_the_feed_until_offered(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    agreement_id = _with_series(uow)
    assert icalendar.Calendar.from_ical(feeds.user_feed(uow=uow, name="all")).walk("VEVENT") == []
    view = meetings.series_of(uow=uow, agreement_id=agreement_id)
    versions.offer_version(uow=uow, version_id=view.version_id or 0, actor="m", now=NOW)
    events = icalendar.Calendar.from_ical(feeds.user_feed(uow=uow, name="all")).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"{agreement_id}-monthly-review@slaforge"]
    with uow:
        customer_id = uow.agreement.agreement(agreement_id).customer_id  # type: ignore[union-attr]
    other = SqlAlchemyUnitOfWork(
        session_factory, scope=Scope(customer_id + 1000), audit_keys=lambda: TEST_AUDIT_KEYS
    )
    assert icalendar.Calendar.from_ical(feeds.user_feed(uow=other, name="x")).walk("VEVENT") == []
