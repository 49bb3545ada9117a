"""Meeting series on an agreement: edited only on the draft, the .ics of the version in force,
another customer's user cannot see them, and the demo hook."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.agreement.terms import example_terms
from slaforge.domain.errors import IllegalTransition, InvalidInput, NotFound
from slaforge.domain.platform.tenancy import Scope
from slaforge.services.agreement import drafts, versions
from slaforge.services.relationship import meetings
from slaforge.services.unit_of_work import UnitOfWork
from tests.integration.agreement.test_agreements_lifecycle import T0, _customer


def _draft(uow: UnitOfWork) -> int:
    cid = _customer(uow)
    ref = drafts.draft_agreement(
        uow=uow,
        customer_id=cid,
        title="E-mail SLA",
        terms=example_terms(),
        template_keys=None,
        actor="m",
        now=T0,
    )
    return ref.agreement_id


def test_series_edited_on_the_draft_then_frozen_with_the_offer(uow: UnitOfWork, tmp_path: Path) -> None:
    agreement_id = _draft(uow)
    path = meetings.add_demo_review_series(
        uow=uow,
        agreement_id=agreement_id,
        path=tmp_path / "review.ics",
        start="2027-01-05T10:00",
        actor="m",
        now=T0,
    )
    view = meetings.series_of(uow=uow, agreement_id=agreement_id)
    assert [r["key"] for r in view.reviews] == ["monthly-review"]
    assert view.version_state == "draft"
    cal = vobject.readOne(path.read_bytes().decode())
    starts = list(
        cal.vevent.getrruleset(addRDate=True).between(
            datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC)
        )
    )
    berlin = [s.astimezone(ZoneInfo("Europe/Berlin")) for s in starts]
    assert len(berlin) == 12
    assert {(s.hour, s.minute) for s in berlin} == {(10, 0)}
    parsed = icalendar.Calendar.from_ical(path.read_bytes())
    assert str(parsed.walk("VEVENT")[0]["UID"]) == f"{agreement_id}-monthly-review@slaforge"

    with pytest.raises(InvalidInput) as err:
        meetings.put_series(
            uow=uow,
            agreement_id=agreement_id,
            series={**meetings.DEMO_SERIES, "start": "x"},
            actor="m",
            now=T0,
        )
    assert err.value.field == "relationship.reviews[0].start"

    versions.offer_version(uow=uow, version_id=view.version_id or 0, actor="m", now=T0)
    assert meetings.series_of(uow=uow, agreement_id=agreement_id).version_state == "offered"
    with pytest.raises(IllegalTransition):
        meetings.remove_series(uow=uow, agreement_id=agreement_id, key="monthly-review", actor="m", now=T0)


def test_remove_and_unknown_series(uow: UnitOfWork, tmp_path: Path) -> None:
    agreement_id = _draft(uow)
    meetings.put_series(
        uow=uow,
        agreement_id=agreement_id,
        series={**meetings.DEMO_SERIES, "start": "2027-01-05T10:00"},
        actor="m",
        now=T0,
    )
    with pytest.raises(NotFound):
        meetings.remove_series(uow=uow, agreement_id=agreement_id, key="nope", actor="m", now=T0)
    meetings.remove_series(uow=uow, agreement_id=agreement_id, key="monthly-review", actor="m", now=T0)
    assert meetings.series_of(uow=uow, agreement_id=agreement_id).reviews == []
    ics = meetings.agreement_ics(uow=uow, agreement_id=agreement_id)
    assert b"BEGIN:VEVENT" not in ics


def test_another_customers_user_sees_nothing(uow: UnitOfWork, session_factory: sessionmaker[Session]) -> None:
    agreement_id = _draft(uow)
    meetings.put_series(
        uow=uow,
        agreement_id=agreement_id,
        series={**meetings.DEMO_SERIES, "start": "2027-01-05T10:00"},
        actor="m",
        now=T0,
    )
    own = meetings.series_of(uow=uow, agreement_id=agreement_id)
    other_customer = _customer(uow, "Other AG")
    other = SqlAlchemyUnitOfWork(session_factory, scope=Scope(other_customer))
    with pytest.raises(NotFound):
        meetings.series_of(uow=other, agreement_id=agreement_id)
    with pytest.raises(NotFound):
        meetings.agreement_ics(uow=other, agreement_id=agreement_id)
    with pytest.raises(NotFound):
        meetings.put_series(
            uow=other, agreement_id=agreement_id, series=meetings.DEMO_SERIES, actor="x", now=T0
        )
    mine = SqlAlchemyUnitOfWork(session_factory, scope=Scope(own_customer_id(uow, agreement_id)))
    # The customer's own user does not see a draft (its scope hides drafts), but does once offered.
    assert meetings.series_of(uow=mine, agreement_id=agreement_id).reviews == []
    versions.offer_version(uow=uow, version_id=own.version_id or 0, actor="m", now=T0)
    assert meetings.series_of(uow=mine, agreement_id=agreement_id).reviews == own.reviews
    assert b"RRULE:FREQ=MONTHLY;BYDAY=1TU" in meetings.agreement_ics(uow=mine, agreement_id=agreement_id)
    with pytest.raises(NotFound):
        meetings.agreement_ics(uow=other, agreement_id=agreement_id)


def own_customer_id(uow: UnitOfWork, agreement_id: int) -> int:
    with uow:
        agreement = uow.agreement.agreement(agreement_id)
        assert agreement is not None
        return agreement.customer_id
