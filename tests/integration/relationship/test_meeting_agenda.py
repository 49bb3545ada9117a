"""A meeting's agenda, assembled when asked: the study figures of the agreement's own study
(labelled so, live compliance not existing yet), open tasks with the overdue first, overdue
customer obligations and the open actions of earlier meetings; the customer sees its own agenda
without the provider's study figures, another customer none."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.background.importers.servicenow_synthetic import write_synthetic_incident_log
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.bootstrap import system_clock
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.tenancy import Scope
from slaforge.domain.relationship.agenda import FIGURES_LABEL
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.services.agreement import from_study
from slaforge.services.background.calendars import save_calendar
from slaforge.services.background.history import import_servicenow_log
from slaforge.services.background.study import run_capability_study
from slaforge.services.relationship import meetings, minutes, tasks
from slaforge.services.relationship.agenda import NO_STUDY, PROVIDER_FIGURES, agenda
from slaforge.services.unit_of_work import UnitOfWork
from tests import obligation_setup
from tests.agreement_setup import offer
from tests.fakes import TEST_AUDIT_KEYS
from tests.integration.agreement.test_agreements_lifecycle import _customer

CALENDAR = {"timezone": "UTC", "hours": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}}
SERIES = {**meetings.DEMO_SERIES, "start": "2027-01-05T10:00"}
APRIL = datetime(2027, 4, 7, 12, tzinfo=UTC)


def _study(uow: UnitOfWork, tmp_path: Path) -> int:
    log = tmp_path / "incidents.csv"
    write_synthetic_incident_log(log, incidents=400, seed=7, start=datetime(2016, 3, 1, tzinfo=UTC))
    import_servicenow_log(uow=uow, clock=system_clock, path=log, source="servicenow", timezone="UTC")
    save_calendar(uow=uow, name="Weekdays", calendar=BusinessCalendar.from_dict(CALENDAR))
    return run_capability_study(
        uow=uow, clock=system_clock, calendar_name="Weekdays", segment_by=["priority"]
    ).study_id


def _task(uow: UnitOfWork, agreement_id: int, title: str, due: date) -> int:
    return tasks.create_task(
        uow,
        agreement_id,
        title=title,
        party="provider",
        assignee="",
        due=due,
        source="",
        actor="m",
        now=APRIL,
    ).id


def test_the_agenda_gathers_study_figures_tasks_and_earlier_actions(
    uow: UnitOfWork, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    study_id = _study(uow, tmp_path)
    cid = _customer(uow)
    drafted = from_study.draft_from_study(
        uow=uow, customer_id=cid, study_id=study_id, title="From history", actor="m", now=APRIL
    )
    agreement_id = drafted.version.agreement_id
    meetings.put_series(uow=uow, agreement_id=agreement_id, series=SERIES, actor="m", now=APRIL)
    late = _task(uow, agreement_id, "Connect the monitoring", date(2027, 3, 1))
    later = _task(uow, agreement_id, "Train the agents", date(2027, 5, 1))
    minutes.record_minutes(
        uow=uow, agreement_id=agreement_id, series_key="monthly-review", original_start="2027-03-02T10:00",
        text="March review", actions=[{"title": "Send the report", "party": "provider", "due": "2027-03-20"}],
        actor="m", now=APRIL,
    )  # fmt: skip

    april = agenda(
        uow=uow,
        agreement_id=agreement_id,
        series_key="monthly-review",
        original_start="2027-04-06T10:00",
        now=APRIL,
    )
    assert april.figures_label == FIGURES_LABEL == "study figures"
    assert "not this agreement's own results" in april.note
    assert april.signals == []  # not live: nothing signalled
    assert april.figures_basis.startswith(f"study #{study_id}, ")
    assert april.figures
    assert all(f.met for f in april.figures)
    assert {f.meets for f in april.figures} == {True}  # the drafted targets are what history supports
    assert [t.id for t in april.tasks] == [late, later]
    assert april.tasks[0].overdue
    assert not april.tasks[1].overdue
    assert [(a.title, a.meeting) for a in april.actions] == [
        ("Send the report", "monthly-review 2027-03-02T10:00")
    ]
    assert (april.start.hour, str(april.start.tzinfo)) == (10, "Europe/Berlin")
    # The March meeting's own actions are not "from earlier meetings".
    march = agenda(
        uow=uow,
        agreement_id=agreement_id,
        series_key="monthly-review",
        original_start="2027-03-02T10:00",
        now=APRIL,
    )
    assert march.actions == []
    with pytest.raises(InvalidInput) as err:
        agenda(uow=uow, agreement_id=agreement_id, series_key="monthly-review", original_start="2027-04-07T10:00",
               now=APRIL)  # fmt: skip
    assert err.value.field == "original_start"

    offer(uow, drafted.version.version_id)
    own = SqlAlchemyUnitOfWork(session_factory, scope=Scope(cid), audit_keys=lambda: TEST_AUDIT_KEYS)
    seen = agenda(
        uow=own,
        agreement_id=agreement_id,
        series_key="monthly-review",
        original_start="2027-04-06T10:00",
        now=APRIL,
    )
    assert seen.figures == []
    assert seen.figures_basis == PROVIDER_FIGURES
    assert [t.id for t in seen.tasks] == [late, later]
    assert len(seen.actions) == 1
    other = SqlAlchemyUnitOfWork(
        session_factory, scope=Scope(_customer(uow, "Other AG")), audit_keys=lambda: TEST_AUDIT_KEYS
    )
    with pytest.raises(NotFound):
        agenda(uow=other, agreement_id=agreement_id, series_key="monthly-review",
               original_start="2027-04-06T10:00", now=APRIL)  # fmt: skip


def test_the_agenda_lists_the_customers_overdue_obligations(uow: UnitOfWork) -> None:
    setup = obligation_setup.build(uow)
    series = {**SERIES, "start": "2026-03-03T10:00"}
    meetings.put_series(
        uow=uow, agreement_id=setup.a_agreement, series=series, actor="m", now=obligation_setup.NOW
    )
    found = agenda(
        uow=uow, agreement_id=setup.a_agreement, series_key="monthly-review", original_start="2026-04-07T10:00",
        now=obligation_setup.NOW_MARCH,
    )  # fmt: skip
    assert [(o.ticket, o.name) for o in found.obligations] == [
        ("INC-2", "Answer the provider's information request")
    ]
    assert found.figures_basis == NO_STUDY
