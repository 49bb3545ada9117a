"""The study and expectation use cases against in-memory repositories: no database is opened."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from slaforge.adapters.db.models import CapabilityStudy, Customer, Expectation
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.services.background.calendars import load_calendar, save_calendar
from slaforge.services.background.expectations import list_expectations, record_expectation
from slaforge.services.background.study import (
    NoCalendarStored,
    get_study,
    history_sources,
    list_studies,
    run_capability_study,
)
from tests.fakes import FakeUnitOfWork
from tests.unit.background.fakes import FakeBackgroundRepository
from tests.unit.background.test_report_render import CALENDAR, generated

STUDIED_AT = datetime(2024, 7, 2, 8, 0, tzinfo=UTC)
RECORDED_AT = datetime(2024, 7, 3, 9, 30, tzinfo=UTC)


def clock() -> datetime:
    return STUDIED_AT


@pytest.fixture
def repo() -> FakeBackgroundRepository:
    """Six months of 600 tickets in four priorities, and the office-hours calendar."""
    found = FakeBackgroundRepository(history=generated(600, seed=3))
    found.store_calendar("Office", CALENDAR)
    return found


def uow_of(repo: FakeBackgroundRepository) -> FakeUnitOfWork:
    return FakeUnitOfWork(background=repo)


# ------------------------------------------------------------------ running a study


def test_a_study_of_the_stored_history_is_computed_and_stored_once(repo: FakeBackgroundRepository) -> None:
    uow = uow_of(repo)
    summary = run_capability_study(uow=uow, segment_by=["priority"], level=0.9, clock=clock)

    assert uow.commits == 1
    (row,) = repo.of(CapabilityStudy)
    assert summary.study_id == row.id == 1
    assert (summary.calendar_name, summary.tickets, summary.months) == ("Office", 600, 6)
    assert summary.events == repo.history.events.ticket.size  # type: ignore[union-attr]
    assert {h.segment for h in summary.headline} == {"critical", "high", "moderate", "low"}
    assert sum(h.tickets for h in summary.headline) == 600
    assert row.created_at == STUDIED_AT
    assert row.tickets == 600
    # "now" is the history's last event, not the clock: an old export is not counted as still open.
    last = datetime.fromisoformat(row.parameters["now"])
    assert last < STUDIED_AT
    assert last.year == 2024
    assert row.parameters["calendar_name"] == "Office"
    assert row.parameters["level"] == 0.9
    assert row.parameters["sources"] is None
    assert row.provenance == [{"batch_id": 1}]  # every generated ticket came from batch 1
    assert row.results["history"]["tickets"] == 600


def test_the_only_calendar_is_used_and_two_are_a_choice_for_the_caller(
    repo: FakeBackgroundRepository,
) -> None:
    repo.store_calendar("Always", BusinessCalendar.from_dict({"timezone": "UTC", "hours": {
        d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}))  # fmt: skip
    uow = uow_of(repo)
    with pytest.raises(InvalidInput, match="stored calendars: Always, Office") as refused:
        run_capability_study(uow=uow, clock=clock)
    assert refused.value.field == "calendar"
    summary = run_capability_study(uow=uow, calendar_name="Always", clock=clock)
    assert summary.calendar_name == "Always"
    with pytest.raises(NotFound, match="no calendar named 'Nope'"):
        run_capability_study(uow=uow, calendar_name="Nope", clock=clock)
    assert uow.commits == 1


def test_without_a_calendar_the_typed_error_tells_the_entry_point() -> None:
    uow = uow_of(FakeBackgroundRepository(history=generated(50, seed=1)))
    with pytest.raises(NoCalendarStored, match="no calendar is stored yet"):
        run_capability_study(uow=uow, clock=clock)
    assert uow.commits == 0


def test_an_empty_history_or_an_unknown_source_is_refused_before_anything_is_stored() -> None:
    empty = FakeBackgroundRepository()
    empty.store_calendar("Office", CALENDAR)
    with pytest.raises(InvalidInput, match="no tickets in the chosen period: import history first"):
        run_capability_study(uow=uow_of(empty), clock=clock)

    full = FakeBackgroundRepository(history=generated(50, seed=1), sources=["servicenow"])
    full.store_calendar("Office", CALENDAR)
    with pytest.raises(
        InvalidInput, match=r"no history is stored under source 'jira' \(sources: servicenow\)"
    ):
        run_capability_study(uow=uow_of(full), sources=["jira"], clock=clock)
    assert empty.of(CapabilityStudy) == full.of(CapabilityStudy) == []
    assert history_sources(uow=uow_of(full)) == ["servicenow"]


# ------------------------------------------------------------------ reading studies


def test_studies_are_listed_newest_first_and_read_whole(repo: FakeBackgroundRepository) -> None:
    uow = uow_of(repo)
    first = run_capability_study(uow=uow, level=0.95, clock=clock).study_id
    second = run_capability_study(uow=uow, level=0.9, clock=clock).study_id

    listed = list_studies(uow=uow)
    assert [s.study_id for s in listed] == [second, first]
    assert [s.parameters["level"] for s in listed] == [0.9, 0.95]
    assert list_studies(uow=uow, limit=1)[0].study_id == second

    found = get_study(uow=uow, study_id=first)
    assert found["id"] == first
    assert found["tickets"] == 600
    assert found["created_at"] == STUDIED_AT.isoformat()
    assert found["results"]["history"]["tickets"] == 600
    with pytest.raises(NotFound, match="no capability study 99"):
        get_study(uow=uow, study_id=99)


# ------------------------------------------------------------------ calendars and expectations


def test_a_calendar_saved_is_loaded_back_and_replaced_by_name() -> None:
    repo = FakeBackgroundRepository()
    uow = uow_of(repo)
    first = save_calendar(uow=uow, name="  Office ", calendar=CALENDAR)
    assert load_calendar(uow=uow, name="Office").to_dict() == CALENDAR.to_dict()
    always = BusinessCalendar.from_dict({"timezone": "UTC", "hours": {"mon": ["00:00-24:00"]}})
    assert save_calendar(uow=uow, name="Office", calendar=always) == first
    assert load_calendar(uow=uow, name="Office").timezone == "UTC"
    assert uow.commits == 2
    with pytest.raises(InvalidInput, match="1 to 200 characters"):
        save_calendar(uow=uow, name="  ", calendar=CALENDAR)


def test_an_expectation_is_recorded_in_the_studys_business_days_and_replaces_the_earlier_one(
    repo: FakeBackgroundRepository,
) -> None:
    repo.add(Customer(name="Acme", slug="acme"))
    uow = uow_of(repo)
    run_capability_study(uow=uow, clock=clock)  # its calendar says how long "1 business day" is
    fields = {"metric": "resolution", "priority": "P1", "target": "1d", "importance": "must-have"}
    first = record_expectation(uow=uow, actor=None, customer_id=1, fields=fields, now=RECORDED_AT)
    assert first.target_seconds == CALENDAR.typical_day_seconds() == 9 * 3600
    assert (first.recorded_by, first.recorded_at, first.source) == ("command line", RECORDED_AT, "api")

    again = {"metric": "resolution", "priority": "p1", "target": "4h"}
    second = record_expectation(uow=uow, actor=None, customer_id=1, fields=again, now=RECORDED_AT)
    assert repo.of(Expectation) == [second]  # the same metric and priority, whatever its case
    assert (second.target_seconds, second.importance) == (4 * 3600, "important")
    assert list_expectations(uow=uow, actor=None, customer_id=1) == [second]
    assert uow.commits == 3  # the study and both expectations

    with pytest.raises(NotFound, match="no customer 2"):
        record_expectation(uow=uow, actor=None, customer_id=2, fields=fields, now=RECORDED_AT)
    with pytest.raises(InvalidInput):
        record_expectation(
            uow=uow, actor=None, customer_id=1, fields={"metric": "resolution"}, now=RECORDED_AT
        )
    assert uow.commits == 3
