"""Moved and cancelled occurrences: stored once per occurrence (even from 25 parallel requests),
applied in the .ics (RECURRENCE-ID, EXDATE) and counted in its SEQUENCE; audited; tenancy."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import AuditEntry, MeetingException
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.tenancy import Scope
from slaforge.services.relationship import meetings
from slaforge.services.unit_of_work import UnitOfWork
from tests.fakes import TEST_AUDIT_KEYS
from tests.integration.agreement.test_agreements_lifecycle import T0, _customer
from tests.integration.relationship.test_meetings_series import _draft
from tests.parallel import at_once

BERLIN = ZoneInfo("Europe/Berlin")


def _with_series(uow: UnitOfWork) -> int:
    agreement_id = _draft(uow)
    meetings.put_series(
        uow=uow,
        agreement_id=agreement_id,
        series={**meetings.DEMO_SERIES, "start": "2027-01-05T10:00"},
        actor="m",
        now=T0,
    )
    return agreement_id


def _change(uow: UnitOfWork, agreement_id: int, original: str, new: str | None) -> None:
    meetings.change_occurrence(
        uow=uow,
        agreement_id=agreement_id,
        series_key="monthly-review",
        original_start=original,
        new_start=new,
        cancelled=new is None,
        reason="holiday",
        actor="m",
        now=T0,
    )


def test_moves_and_cancellations_reach_the_ics(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    agreement_id = _with_series(uow)
    _change(uow, agreement_id, "2027-03-02T10:00", "2027-03-04T14:00")
    _change(uow, agreement_id, "2027-11-02T10:00", None)
    with pytest.raises(InvalidInput):
        _change(uow, agreement_id, "2027-03-03T10:00", None)  # not an occurrence
    raw = meetings.agreement_ics(uow=uow, agreement_id=agreement_id)
    master = next(e for e in icalendar.Calendar.from_ical(raw).walk("VEVENT") if "RECURRENCE-ID" not in e)
    assert int(master["SEQUENCE"]) == 1 + 2  # version 1, two changes
    events = vobject.readOne(raw.decode()).contents["vevent"]
    base = next(e for e in events if not hasattr(e, "recurrence_id"))
    moved = {e.recurrence_id.value: e.dtstart.value for e in events if hasattr(e, "recurrence_id")}
    window = (datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
    starts = [moved.get(s, s).astimezone(BERLIN) for s in base.getrruleset(addRDate=True).between(*window)]
    assert len(starts) == 11
    assert (starts[2].day, starts[2].hour) == (4, 14)
    assert {(s.hour) for i, s in enumerate(starts) if i != 2} == {10}
    assert not any(s.month == 11 for s in starts)
    with uow:
        actions = uow.session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("relationship.%"))
        )
        assert sorted(actions) == ["relationship.meeting_cancelled", "relationship.meeting_moved"]
    other = SqlAlchemyUnitOfWork(
        session_factory, scope=Scope(_customer(uow, "Other AG")), audit_keys=lambda: TEST_AUDIT_KEYS
    )
    with pytest.raises(NotFound):
        _change(other, agreement_id, "2027-04-06T10:00", None)
    with pytest.raises(NotFound):
        meetings.changes_of(uow=other, agreement_id=agreement_id)


def test_parallel_moves_of_one_occurrence_leave_one_row(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    agreement_id = _with_series(uow)
    targets = [f"2027-03-{day:02d}T09:00" for day in range(3, 28)]  # 25 different new starts

    def move(new: str) -> None:
        own = SqlAlchemyUnitOfWork(session_factory, audit_keys=lambda: TEST_AUDIT_KEYS)
        _change(own, agreement_id, "2027-03-02T10:00", new)

    at_once(move, targets)
    with uow:
        rows = list(uow.session.scalars(select(MeetingException)))
        audited = uow.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "relationship.meeting_moved")
        )
    assert len(rows) == 1
    assert rows[0].sequence == 25
    assert rows[0].new_start in targets
    assert audited == 25
    raw = meetings.agreement_ics(uow=uow, agreement_id=agreement_id)
    events = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert {int(e["SEQUENCE"]) for e in events} == {1 + 25}
    assert len(events) == 2
