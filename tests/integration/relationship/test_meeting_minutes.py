"""Minutes and action items of a held meeting: each action becomes one task however often (and
however concurrently) the minutes are saved; refused for a start that is no occurrence, a
cancelled or a future meeting, naming the field; audited; another customer sees nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import AuditEntry, MeetingAction, MeetingMinutes, Task
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.accounts import PermissionDenied
from slaforge.domain.platform.listing import ListQuery
from slaforge.domain.platform.tenancy import Scope
from slaforge.services.relationship import meetings, minutes
from slaforge.services.unit_of_work import UnitOfWork
from tests.fakes import TEST_AUDIT_KEYS
from tests.integration.agreement.test_agreements_lifecycle import _customer
from tests.integration.relationship.test_meeting_changes import _change, _with_series
from tests.parallel import at_once

AFTER = datetime(2027, 3, 10, 12, tzinfo=UTC)  # after the March review (2 March 10:00 Berlin)
ACTIONS = [
    {
        "title": "Send the incident report",
        "party": "provider",
        "assignee": "ann@provider.test",
        "due": "2027-03-20",
    },
    {"title": "Name a backup contact", "party": "customer", "assignee": "Bob", "due": "2027-03-31"},
]


def _record(
    uow: UnitOfWork, agreement_id: int, actions: list[dict[str, str]], **kw: object
) -> minutes.MinutesView:
    args: dict[str, object] = {
        "series_key": "monthly-review",
        "original_start": "2027-03-02T10:00",
        "text": "Reviewed February. Two actions.",
        "attendance": ["Ann (provider)", "Bob (customer)"],
        "actions": actions,
        "actor": "m",
        "now": AFTER,
    }
    args.update(kw)
    return minutes.record_minutes(uow=uow, agreement_id=agreement_id, **args)  # type: ignore[arg-type]


def _count(uow: UnitOfWork, model: type) -> int:
    with uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_actions_become_tasks_once_and_editing_keeps_them(uow: UnitOfWork) -> None:
    agreement_id = _with_series(uow)
    first = _record(uow, agreement_id, ACTIONS)
    assert first.revision == 1
    assert len(first.created) == 2
    assert {(a.title, a.party, a.due_date) for a in first.actions} == {
        ("Send the incident report", "provider", date(2027, 3, 20)),
        ("Name a backup contact", "customer", date(2027, 3, 31)),
    }
    again = _record(uow, agreement_id, ACTIONS)  # a double submit
    assert again.created == []
    assert again.revision == 2
    edited = _record(
        uow,
        agreement_id,
        [*ACTIONS, {"title": "Book the QBR", "party": "provider", "assignee": "", "due": "2027-04-01"}],
        text="Reviewed February. Three actions.",
    )
    assert len(edited.created) == 1
    assert edited.text == "Reviewed February. Three actions."
    assert _count(uow, Task) == 3
    with uow:
        sources = set(uow.session.scalars(select(Task.source)))
        audited = list(
            uow.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("%minutes%")))
        )
    assert sources == {"meeting:monthly-review/2027-03-02T10:00"}
    assert audited == ["relationship.minutes_recorded"] * 3
    # Dropping an action from the minutes keeps its task.
    _record(uow, agreement_id, ACTIONS[:1])
    assert _count(uow, Task) == 3
    read = minutes.minutes_of(
        uow=uow, agreement_id=agreement_id, series_key="monthly-review", original_start="2027-03-02T10:00"
    )
    assert len(read.actions) == 3
    page = minutes.list_actions(
        uow=uow, agreement_id=agreement_id, query=ListQuery(filters={"party": "customer"}, sort="title")
    )
    assert [a.title for a in page.data] == ["Name a backup contact"]
    assert page.count == 1


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"original_start": "2027-03-03T10:00"}, "original_start"),  # not an occurrence
        ({"original_start": "2027-04-06T10:00"}, "original_start"),  # in the future
        ({"original_start": "yesterday"}, "original_start"),
        ({"text": "  "}, "text"),
        ({"actions": [{"title": "", "party": "provider", "due": "2027-04-01"}]}, "actions[0].title"),
        ({"actions": [{"title": "x", "party": "vendor", "due": "2027-04-01"}]}, "actions[0].party"),
        ({"actions": [{"title": "x", "party": "provider", "due": "soon"}]}, "actions[0].due"),
        (
            {"actions": [{"title": "x", "party": "provider", "due": "2027-04-01", "key": "A B"}]},
            "actions[0].key",
        ),
    ],
)
def test_bad_minutes_are_refused_naming_the_field(uow: UnitOfWork, kw: dict[str, object], field: str) -> None:
    agreement_id = _with_series(uow)
    with pytest.raises(InvalidInput) as err:
        _record(uow, agreement_id, **{"actions": ACTIONS, **kw})  # type: ignore[arg-type]
    assert err.value.field == field
    assert _count(uow, MeetingMinutes) == 0
    assert _count(uow, Task) == 0


def test_a_cancelled_meeting_has_no_minutes_and_a_moved_one_counts_where_it_was_held(uow: UnitOfWork) -> None:
    agreement_id = _with_series(uow)
    _change(uow, agreement_id, "2027-02-02T10:00", None)
    with pytest.raises(InvalidInput, match="cancelled") as err:
        _record(uow, agreement_id, [], original_start="2027-02-02T10:00")
    assert err.value.field == "original_start"
    _change(uow, agreement_id, "2027-03-02T10:00", "2027-03-12T10:00")  # moved after AFTER
    with pytest.raises(InvalidInput, match="minutes come after it"):
        _record(uow, agreement_id, [])
    held = _record(uow, agreement_id, [], now=datetime(2027, 3, 12, 10, tzinfo=UTC))
    assert held.original_start == "2027-03-02T10:00"


def test_another_customer_sees_no_minutes_and_a_customer_records_none(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    agreement_id = _with_series(uow)
    _record(uow, agreement_id, ACTIONS)
    other = SqlAlchemyUnitOfWork(
        session_factory, scope=Scope(_customer(uow, "Other AG")), audit_keys=lambda: TEST_AUDIT_KEYS
    )
    with pytest.raises(NotFound):
        minutes.all_minutes(uow=other, agreement_id=agreement_id)
    with pytest.raises(NotFound):
        _record(other, agreement_id, ACTIONS)
    with uow:
        own_customer = uow.agreement.agreement(agreement_id).customer_id  # type: ignore[union-attr]
    own = SqlAlchemyUnitOfWork(session_factory, scope=Scope(own_customer), audit_keys=lambda: TEST_AUDIT_KEYS)
    assert len(minutes.actions_of(uow=own, agreement_id=agreement_id)) == 2
    with pytest.raises(PermissionDenied):
        _record(own, agreement_id, ACTIONS)


def test_parallel_saves_of_the_same_minutes_make_each_task_once(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    agreement_id = _with_series(uow)

    def save(_: int) -> list[str]:
        own = SqlAlchemyUnitOfWork(session_factory, audit_keys=lambda: TEST_AUDIT_KEYS)
        return _record(own, agreement_id, ACTIONS).created

    created = at_once(save, list(range(25)))
    assert sorted(k for keys in created for k in keys) == sorted(
        a.key for a in minutes.actions_of(uow=uow, agreement_id=agreement_id)
    )
    assert _count(uow, Task) == 2
    assert _count(uow, MeetingAction) == 2
    with uow:
        rows = list(uow.session.scalars(select(MeetingMinutes)))
        tasks_audited = uow.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "task.created")
        )
    assert [r.revision for r in rows] == [25]
    assert tasks_audited == 2
    assert meetings.series_of(uow=uow, agreement_id=agreement_id).reviews  # the series is untouched
