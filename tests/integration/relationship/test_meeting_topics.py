"""Topics raised for a coming meeting: a customer's administrator raises one and the provider finds
it on the agenda; the same text twice (or 25 times at once) is one row audited once; a past,
cancelled or unknown occurrence is refused naming `original_start`; viewers read only; the raiser
or a provider writer withdraws it; another customer's user finds nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import AuditEntry, MeetingTopic
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.accounts import PermissionDenied, Principal, Role
from slaforge.domain.platform.listing import ListQuery
from slaforge.services.platform import accounts
from slaforge.services.relationship import agenda, meetings, topics
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import NOW, draft, offer
from tests.fakes import TEST_AUDIT_KEYS
from tests.integration.relationship.task_setup import customer_uow
from tests.parallel import at_once

SERIES = {**meetings.DEMO_SERIES, "start": "2027-01-05T10:00"}  # first Tuesdays, 10:00 Berlin
BEFORE = datetime(2027, 3, 10, 12, tzinfo=UTC)  # after the March meeting, before April's
COMING = "2027-04-06T10:00"
PAST = "2027-03-02T10:00"
AGENT = Principal(user_id=2, email="agent@provider.test", role=Role.AGENT)


@dataclass(frozen=True)
class World:
    agreement_id: int
    customer_id: int
    admin: Principal  # the customer's administrator
    viewer: Principal
    manager: Principal  # a provider user who may change agreements


def _user(uow: UnitOfWork, customer_id: int | None, email: str, role: Role) -> Principal:
    user = accounts.create_user(
        uow=uow, actor=None, email=email, password="correct horse battery", role=role,
        customer_id=customer_id,
    )  # fmt: skip
    return Principal(user_id=user.id, email=user.email, role=role, customer_id=customer_id)


def _world(uow: UnitOfWork, name: str = "Acme Ltd") -> World:
    d = draft(uow, name)
    meetings.put_series(uow=uow, agreement_id=d.agreement_id, series=SERIES, actor="m", now=NOW)
    offer(uow, d.version_id)
    slug = name.split()[0].lower()
    admin = _user(uow, d.customer_id, f"admin@{slug}.test", Role.CUSTOMER_ADMIN)
    viewer = _user(uow, d.customer_id, f"viewer@{slug}.test", Role.VIEWER)
    manager = _user(uow, None, f"manager-{slug}@provider.test", Role.MANAGER)
    return World(d.agreement_id, d.customer_id, admin, viewer, manager)


def _raise(uow: UnitOfWork, w: World, actor: topics.Actor, **kw: object) -> topics.TopicView:
    args: dict[str, object] = {
        "series_key": "monthly-review",
        "original_start": COMING,
        "text": "The March outage: what changed since?",
        "now": BEFORE,
    }
    args.update(kw)
    return topics.raise_topic(uow=uow, agreement_id=w.agreement_id, actor=actor, **args)  # type: ignore[arg-type]


def _count(uow: UnitOfWork, model: type, **where: object) -> int:
    with uow:
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return int(uow.session.scalar(stmt) or 0)


def test_a_customer_raises_a_topic_and_the_provider_finds_it_on_the_agenda(
    uow: SqlAlchemyUnitOfWork,
) -> None:
    w = _world(uow)
    own = customer_uow(uow, w.customer_id)
    first = _raise(own, w, w.admin)
    assert first.new
    assert (first.party, first.raised_by, first.raised_by_user_id) == (
        "customer",
        w.admin.email,
        w.admin.user_id,
    )
    again = _raise(own, w, w.admin, text="  The March outage:   what changed since? ")  # a double submit
    assert not again.new
    assert again.id == first.id
    provider = _raise(uow, w, w.manager, text="Renewal terms")
    assert provider.party == "provider"
    found = agenda.agenda(
        uow=uow, agreement_id=w.agreement_id, series_key="monthly-review", original_start=COMING, now=BEFORE
    )
    assert [(t.text, t.party, t.raised_by) for t in found.topics] == [
        ("The March outage: what changed since?", "customer", w.admin.email),
        ("Renewal terms", "provider", w.manager.email),
    ]
    # The customer's own agenda shows both parties' topics; a viewer reads them.
    seen = agenda.agenda(
        uow=own, agreement_id=w.agreement_id, series_key="monthly-review", original_start=COMING, now=BEFORE
    )
    assert len(seen.topics) == 2
    page = topics.list_topics(
        uow=own, agreement_id=w.agreement_id, series_key="monthly-review", original_start=COMING,
        query=ListQuery(filters={"party": "provider"}),
    )  # fmt: skip
    assert [t.text for t in page.data] == ["Renewal terms"]
    assert page.count == 1
    assert _count(uow, MeetingTopic) == 2
    assert _count(uow, AuditEntry, action="relationship.topic_raised") == 2
    # Once held, the meeting's page still lists them, beside the minutes form.
    held = agenda.agenda(
        uow=uow, agreement_id=w.agreement_id, series_key="monthly-review", original_start=COMING,
        now=datetime(2027, 4, 6, 12, tzinfo=UTC),
    )  # fmt: skip
    assert [t.text for t in held.topics] == ["The March outage: what changed since?", "Renewal terms"]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"original_start": PAST}, "original_start"),  # started already
        ({"original_start": "2027-04-07T10:00"}, "original_start"),  # not an occurrence
        ({"original_start": "next tuesday"}, "original_start"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 501}, "text"),
    ],
)
def test_bad_topics_are_refused_naming_the_field(
    uow: SqlAlchemyUnitOfWork, kw: dict[str, object], field: str
) -> None:
    w = _world(uow)
    with pytest.raises(InvalidInput) as err:
        _raise(customer_uow(uow, w.customer_id), w, w.admin, **kw)
    assert err.value.field == field
    assert _count(uow, MeetingTopic) == 0


def test_a_cancelled_meeting_takes_no_topics(uow: SqlAlchemyUnitOfWork) -> None:
    w = _world(uow)
    meetings.change_occurrence(
        uow=uow, agreement_id=w.agreement_id, series_key="monthly-review", original_start=COMING,
        new_start=None, cancelled=True, reason="holiday", actor="m", now=NOW,
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="cancelled") as err:
        _raise(customer_uow(uow, w.customer_id), w, w.admin)
    assert err.value.field == "original_start"
    assert _count(uow, MeetingTopic) == 0


def test_viewers_and_agents_read_and_another_customer_finds_nothing(uow: SqlAlchemyUnitOfWork) -> None:
    w = _world(uow)
    other = _world(uow, "Other AG")
    raised = _raise(uow, w, w.manager)
    with pytest.raises(PermissionDenied):
        _raise(customer_uow(uow, w.customer_id), w, w.viewer)
    with pytest.raises(PermissionDenied):
        _raise(uow, w, AGENT)
    stranger = customer_uow(uow, other.customer_id)
    with pytest.raises(NotFound):
        _raise(stranger, w, other.admin)
    with pytest.raises(NotFound):
        topics.topics_of(
            uow=stranger, agreement_id=w.agreement_id, series_key="monthly-review", original_start=COMING
        )
    with pytest.raises(NotFound):
        topics.withdraw_topic(
            uow=stranger, agreement_id=w.agreement_id, series_key="monthly-review", original_start=COMING,
            topic_id=raised.id, actor=other.admin, now=BEFORE,
        )  # fmt: skip
    assert _count(uow, MeetingTopic) == 1


def test_the_raiser_or_a_provider_writer_withdraws_before_the_meeting(uow: SqlAlchemyUnitOfWork) -> None:
    w = _world(uow)
    own = customer_uow(uow, w.customer_id)
    mine = _raise(own, w, w.admin)
    theirs = _raise(uow, w, w.manager, text="Renewal terms")
    where = {"agreement_id": w.agreement_id, "series_key": "monthly-review", "original_start": COMING}
    with pytest.raises(PermissionDenied):  # the provider's topic is not the customer's to withdraw
        topics.withdraw_topic(uow=own, **where, topic_id=theirs.id, actor=w.admin, now=BEFORE)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):  # a colleague who only reads
        topics.withdraw_topic(uow=own, **where, topic_id=mine.id, actor=w.viewer, now=BEFORE)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as err:  # the meeting has started
        topics.withdraw_topic(
            uow=own,
            **where,
            topic_id=mine.id,
            actor=w.admin,
            now=datetime(2027, 4, 6, 9, tzinfo=UTC),  # type: ignore[arg-type]
        )
    assert err.value.field == "original_start"
    topics.withdraw_topic(uow=own, **where, topic_id=mine.id, actor=w.admin, now=BEFORE)  # type: ignore[arg-type]
    topics.withdraw_topic(uow=uow, **where, topic_id=theirs.id, actor="cli:op", now=BEFORE)  # type: ignore[arg-type]
    with pytest.raises(NotFound):  # withdrawn twice: the second finds nothing
        topics.withdraw_topic(uow=own, **where, topic_id=mine.id, actor=w.admin, now=BEFORE)  # type: ignore[arg-type]
    assert _count(uow, MeetingTopic) == 0
    assert _count(uow, AuditEntry, action="relationship.topic_withdrawn") == 2
    # Withdrawn, the same text may be raised again.
    assert _raise(own, w, w.admin).new


def test_parallel_identical_raises_store_one_topic(
    uow: SqlAlchemyUnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    w = _world(uow)

    def raise_once(_: int) -> tuple[int, bool]:
        own = SqlAlchemyUnitOfWork(
            session_factory, scope=customer_uow(uow, w.customer_id).scope, audit_keys=lambda: TEST_AUDIT_KEYS
        )
        view = _raise(own, w, w.admin)
        return view.id, view.new

    results = at_once(raise_once, list(range(25)))
    assert len({topic_id for topic_id, _ in results}) == 1
    assert sum(new for _, new in results) == 1
    assert _count(uow, MeetingTopic) == 1
    assert _count(uow, AuditEntry, action="relationship.topic_raised") == 1


def test_parallel_withdrawals_of_one_topic_delete_it_once(
    uow: SqlAlchemyUnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    w = _world(uow)
    raised = _raise(customer_uow(uow, w.customer_id), w, w.admin)
    kept = _raise(uow, w, w.manager, text="Renewal terms")

    def withdraw(_: int) -> str:
        own = SqlAlchemyUnitOfWork(
            session_factory, scope=customer_uow(uow, w.customer_id).scope, audit_keys=lambda: TEST_AUDIT_KEYS
        )
        try:
            topics.withdraw_topic(
                uow=own, agreement_id=w.agreement_id, series_key="monthly-review", original_start=COMING,
                topic_id=raised.id, actor=w.admin, now=BEFORE,
            )  # fmt: skip
        except NotFound:
            return "gone"
        return "withdrawn"

    outcomes = at_once(withdraw, list(range(25)))
    # As one after another: the first withdraws it, every later one finds it gone.
    assert sorted(outcomes) == ["gone"] * 24 + ["withdrawn"]
    left = topics.topics_of(
        uow=uow, agreement_id=w.agreement_id, series_key="monthly-review", original_start=COMING
    )
    assert [t.id for t in left] == [kept.id]
    assert _count(uow, AuditEntry, action="relationship.topic_withdrawn") == 1
