"""Calendars at go-live: a version whose terms name a calendar that is not stored cannot go live
(no waiver covers it); going live freezes the stored definitions, so editing the stored calendar
later does not move a live agreement; holidays for days to come can be added to a frozen calendar
without a new version — audited, once per day, and used by the calendar the clocks get."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import AuditEntry, ReadinessConfig, ReadinessHoliday
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from slaforge.domain.platform.accounts import PermissionDenied, Principal, Role
from slaforge.domain.platform.tenancy import Scope
from slaforge.domain.time.calendar.business import BusinessCalendar
from slaforge.services.background import calendars as stored
from slaforge.services.readiness import calendars, checks, go_live, waivers
from slaforge.services.unit_of_work import UnitOfWork
from tests.agreement_setup import MANAGER
from tests.fakes import TEST_AUDIT_KEYS
from tests.integration.readiness.test_readiness import LATER, _ready
from tests.parallel import at_once
from tests.readiness_setup import CALENDAR, VIEWER, accepted

LIVE = LATER + timedelta(days=1)  # Tuesday 2026-11-03 10:00 UTC
CHRISTMAS_EVE = date(2026, 12, 24)  # a Thursday: open 08:00–17:00 in the frozen calendar


def _live(uow: UnitOfWork) -> int:
    agreement_id = _ready(uow)
    go_live.go_live(uow=uow, agreement_id=agreement_id, actor=MANAGER, now=LATER)
    return agreement_id


def _frozen(uow: UnitOfWork, agreement_id: int) -> dict[str, object]:
    with uow:
        text = uow.session.scalar(  # type: ignore[attr-defined]
            select(ReadinessConfig.frozen_json).where(ReadinessConfig.agreement_id == agreement_id)
        )
    return dict(json.loads(text))


def _count(uow: UnitOfWork, stmt: object) -> int:
    with uow:
        return int(uow.session.scalar(stmt) or 0)  # type: ignore[attr-defined]


def test_a_calendar_the_terms_name_but_nobody_stored_fails_every_tracking_item_and_blocks_go_live(
    uow: UnitOfWork,
) -> None:
    a = accepted(uow, calendar=False)
    view = checks.check_readiness(uow=uow, agreement_id=a.agreement_id, now=LATER)
    tracking = [i for i in view.items if i.kind == "tracking"]
    assert {i.state.value for i in tracking} == {"failed"}
    assert f"the calendar '{CALENDAR}' the terms measure in is not stored" in tracking[0].reason
    for item in (i.key for i in view.items):  # every item waived: still not ready
        waivers.waive(
            uow=uow, agreement_id=a.agreement_id, item=item, reason="test", actor=MANAGER, now=LATER
        )
    view = checks.check_readiness(uow=uow, agreement_id=a.agreement_id, now=LATER)
    assert not view.ready
    with pytest.raises(IllegalTransition, match="is not stored"):
        go_live.go_live(uow=uow, agreement_id=a.agreement_id, actor=MANAGER, now=LATER)


def test_going_live_freezes_the_stored_calendar_and_a_later_edit_does_not_move_it(uow: UnitOfWork) -> None:
    agreement_id = _live(uow)
    frozen = _frozen(uow, agreement_id)
    assert frozen["calendars"] == {
        CALENDAR: {
            "timezone": "UTC",
            "hours": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
        }
    }
    nights = BusinessCalendar.from_dict({"timezone": "UTC", "hours": {"mon": ["20:00-23:00"]}})
    stored.save_calendar(uow=uow, name=CALENDAR, calendar=nights, actor=MANAGER.email)
    live = calendars.live_calendars(uow=uow, agreement_id=agreement_id)[CALENDAR]
    thursday = datetime(2026, 12, 24, 8, tzinfo=LIVE.tzinfo)
    assert live.business_seconds(thursday, thursday + timedelta(hours=9)) == 9 * 3600


def test_a_holiday_added_after_go_live_is_audited_once_and_closes_the_day(uow: UnitOfWork) -> None:
    agreement_id = _live(uow)
    view = calendars.add_holidays(uow=uow, agreement_id=agreement_id, calendar=CALENDAR,
                                  days=[(CHRISTMAS_EVE, "Christmas Eve")], actor=MANAGER, now=LIVE)  # fmt: skip
    assert view.new == [CHRISTMAS_EVE]
    assert [(h.calendar, h.day, h.label, h.added_by) for h in view.added] == [
        (CALENDAR, CHRISTMAS_EVE, "Christmas Eve", MANAGER.email)
    ]
    again = calendars.add_holidays(uow=uow, agreement_id=agreement_id, calendar=CALENDAR,
                                   days=[(CHRISTMAS_EVE, "again")], actor=MANAGER, now=LIVE)  # fmt: skip
    assert again.new == []
    assert [h.label for h in again.added] == ["Christmas Eve"]
    actions = (
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "readiness.holidays_added")
    )
    assert _count(uow, actions) == 1
    live = calendars.live_calendars(uow=uow, agreement_id=agreement_id)[CALENDAR]
    eve = datetime(2026, 12, 24, 0, tzinfo=LIVE.tzinfo)
    assert live.business_seconds(eve, eve + timedelta(days=1)) == 0
    assert live.business_seconds(eve + timedelta(days=1), eve + timedelta(days=2)) == 9 * 3600  # the 25th
    assert _frozen(uow, agreement_id)["calendars"][CALENDAR].get("holidays") is None  # type: ignore[index]


@pytest.mark.parametrize(
    ("calendar", "day", "field", "message"),
    [
        (CALENDAR, date(2026, 11, 3), "days[0]", "not after today"),  # today, in the calendar's zone
        (CALENDAR, date(2026, 1, 1), "days[0]", "only days to come"),
        ("Elsewhere", date(2027, 1, 1), "calendar", "no frozen calendar 'Elsewhere'"),
    ],
)
def test_a_holiday_that_would_change_measured_time_or_names_no_frozen_calendar_is_refused(
    uow: UnitOfWork, calendar: str, day: date, field: str, message: str
) -> None:
    agreement_id = _live(uow)
    with pytest.raises(InvalidInput, match=message) as caught:
        calendars.add_holidays(uow=uow, agreement_id=agreement_id, calendar=calendar, days=[(day, "")],
                               actor=MANAGER, now=LIVE)  # fmt: skip
    assert caught.value.field == field
    assert _count(uow, select(func.count()).select_from(ReadinessHoliday)) == 0


def test_holidays_wait_for_go_live_and_for_a_manager(
    uow: UnitOfWork, session_factory: sessionmaker[Session]
) -> None:
    a = accepted(uow, "Waiting Ltd")
    with pytest.raises(Conflict, match="is not live"):
        calendars.add_holidays(uow=uow, agreement_id=a.agreement_id, calendar=CALENDAR,
                               days=[(CHRISTMAS_EVE, "")], actor=MANAGER, now=LIVE)  # fmt: skip
    agreement_id = _live(uow)
    with pytest.raises(PermissionDenied):
        calendars.add_holidays(uow=uow, agreement_id=agreement_id, calendar=CALENDAR,
                               days=[(CHRISTMAS_EVE, "")], actor=VIEWER, now=LIVE)  # fmt: skip
    other = accepted(uow, "Other Ltd")
    user = Principal(user_id=5, email="it@other.test", role=Role.VIEWER, customer_id=other.customer_id)
    scoped = SqlAlchemyUnitOfWork(session_factory, Scope.of(user), audit_keys=lambda: TEST_AUDIT_KEYS)
    with pytest.raises(NotFound):
        calendars.added_holidays(uow=scoped, agreement_id=agreement_id)


def test_parallel_additions_of_one_holiday_store_one_row_and_one_audit_entry(
    uow: SqlAlchemyUnitOfWork,
) -> None:
    agreement_id = _live(uow)
    done = at_once(
        lambda n: calendars.add_holidays(
            uow=SqlAlchemyUnitOfWork(uow._factory, audit_keys=uow._audit_keys), agreement_id=agreement_id,
            calendar=CALENDAR, days=[(CHRISTMAS_EVE, f"eve {n}")], actor=MANAGER, now=LIVE),
        list(range(25)),
    )  # fmt: skip
    assert sum(len(v.new) for v in done) == 1
    assert _count(uow, select(func.count()).select_from(ReadinessHoliday)) == 1
    actions = (
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "readiness.holidays_added")
    )
    assert _count(uow, actions) == 1
