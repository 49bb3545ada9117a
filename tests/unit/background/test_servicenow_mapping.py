"""The ServiceNow incident log mapping, on hand-built rows: no file, no database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from slaforge.adapters.background.importers.servicenow import PAUSE_STATUSES, MappedTicket, map_incident_log
from slaforge.domain.errors import InvalidInput
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.domain.time.clocks.evaluate import evaluate_clock
from slaforge.domain.time.clocks.model import ClockObjective, EventKind, Metric


def row(
    number: str,
    mod: int,
    state: str,
    updated: str,
    *,
    opened: str = "29/2/2016 09:00",
    priority: str = "3 - Moderate",
    reopen: int = 0,
    resolved: str = "29/2/2016 15:00",
    closed: str = "5/3/2016 15:00",
    category: str = "Category 7",
) -> dict[str, str]:
    return {
        "number": number,
        "incident_state": state,
        "reopen_count": str(reopen),
        "sys_mod_count": str(mod),
        "opened_at": opened,
        "sys_updated_at": updated,
        "priority": priority,
        "category": category,
        "resolved_at": resolved,
        "closed_at": closed,
        "assigned_to": "?",
    }


def utc(y: int, m: int, d: int, hh: int, mm: int) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


def kinds(ticket: MappedTicket) -> list[tuple[EventKind, datetime, str | None]]:
    return [(e.kind, e.at, e.status or e.priority) for e in ticket.events]


SIMPLE = [
    row("INC1", 0, "New", "29/2/2016 09:05"),
    row("INC1", 1, "Active", "29/2/2016 10:30"),
    row("INC1", 2, "Resolved", "29/2/2016 14:50"),
    row("INC1", 3, "Closed", "5/3/2016 15:00"),
]


def test_a_plain_incident_becomes_one_ticket_with_its_life_as_events() -> None:
    log = map_incident_log(SIMPLE)
    assert (log.rows_read, log.rows_accepted, log.rejections) == (4, 4, [])
    (t,) = log.tickets
    assert (t.external_id, t.priority, t.category, t.status) == ("INC1", "moderate", "Category 7", "Closed")
    assert t.created_at == utc(2016, 2, 29, 9, 0)
    assert t.first_response_at == utc(2016, 2, 29, 10, 30)
    assert t.resolved_at == utc(2016, 2, 29, 15, 0)  # the recorded resolved_at, not the state change
    assert t.closed_at == utc(2016, 3, 5, 15, 0)
    assert kinds(t) == [  # in time order; at the same instant, in the order they happened
        (EventKind.CREATED, utc(2016, 2, 29, 9, 0), "New"),
        (EventKind.AGENT_REPLY, utc(2016, 2, 29, 10, 30), None),
        (EventKind.STATUS_CHANGED, utc(2016, 2, 29, 10, 30), "Active"),
        (EventKind.STATUS_CHANGED, utc(2016, 2, 29, 14, 50), "Resolved"),
        (EventKind.RESOLVED, utc(2016, 2, 29, 15, 0), None),
        (EventKind.STATUS_CHANGED, utc(2016, 3, 5, 15, 0), "Closed"),
        (EventKind.CLOSED, utc(2016, 3, 5, 15, 0), None),
    ]


def test_times_are_day_first_and_read_in_the_given_zone() -> None:
    log = map_incident_log(SIMPLE, timezone="Europe/Paris")
    (t,) = log.tickets
    assert t.created_at == utc(2016, 2, 29, 8, 0)  # 09:00 in Paris in winter
    assert t.closed_at == utc(2016, 3, 5, 14, 0)


def test_rows_are_taken_in_sys_mod_count_order_whatever_the_file_order() -> None:
    shuffled = [SIMPLE[2], SIMPLE[0], SIMPLE[3], SIMPLE[1]]
    assert kinds(map_incident_log(shuffled).tickets[0]) == kinds(map_incident_log(SIMPLE).tickets[0])


def test_an_update_stamped_before_the_opening_happens_at_the_opening() -> None:
    rows = [row("INC2", 0, "Active", "29/2/2016 07:14"), row("INC2", 1, "Closed", "1/3/2016 09:00")]
    (t,) = map_incident_log(rows).tickets
    assert t.first_response_at == utc(2016, 2, 29, 9, 0)
    assert all(e.at >= t.created_at for e in t.events)


def test_the_state_minus_100_is_not_a_state_change() -> None:
    rows = [
        row("INC3", 0, "New", "29/2/2016 09:05"),
        row("INC3", 1, "-100", "29/2/2016 09:30"),
        row("INC3", 2, "Active", "29/2/2016 11:00"),
        row("INC3", 3, "Closed", "5/3/2016 15:00"),
    ]
    (t,) = map_incident_log(rows).tickets
    assert t.first_response_at == utc(2016, 2, 29, 11, 0)
    assert "-100" not in {e.status for e in t.events}


def test_waiting_on_the_user_is_a_status_change_the_clocks_pause_on() -> None:
    rows = [
        row("INC4", 0, "New", "29/2/2016 09:00"),
        row("INC4", 1, "Active", "29/2/2016 09:30"),
        row("INC4", 2, "Awaiting User Info", "29/2/2016 10:00"),
        row("INC4", 3, "Active", "29/2/2016 14:00"),
        row("INC4", 4, "Resolved", "29/2/2016 15:00"),
        row("INC4", 5, "Closed", "5/3/2016 15:00"),
    ]
    (t,) = map_incident_log(rows).tickets
    assert (EventKind.STATUS_CHANGED, utc(2016, 2, 29, 10, 0), "Awaiting User Info") in kinds(t)
    calendar = BusinessCalendar.from_dict({"timezone": "UTC", "hours": {"mon": ["08:00-17:00"]}})
    objective = ClockObjective(Metric.RESOLUTION, {"moderate": 9 * 3600.0}, pause_statuses=PAUSE_STATUSES)
    clock = evaluate_clock([e.to_domain() for e in t.events], objective, calendar, now=utc(2016, 3, 7, 0, 0))
    assert clock.elapsed_seconds == 2 * 3600  # 09:00-10:00 and 14:00-15:00; the wait does not count


def test_a_reopened_incident_is_resolved_reopened_and_resolved_again() -> None:
    rows = [
        row("INC5", 0, "New", "29/2/2016 09:00", resolved="2/3/2016 12:00"),
        row("INC5", 1, "Active", "29/2/2016 10:00", resolved="2/3/2016 12:00"),
        row("INC5", 2, "Resolved", "29/2/2016 12:00", resolved="2/3/2016 12:00"),
        row("INC5", 3, "Active", "1/3/2016 09:00", reopen=1, resolved="2/3/2016 12:00"),
        row("INC5", 4, "Resolved", "2/3/2016 11:58", reopen=1, resolved="2/3/2016 12:00"),
        row("INC5", 5, "Closed", "7/3/2016 12:00", reopen=1, resolved="2/3/2016 12:00"),
    ]
    (t,) = map_incident_log(rows).tickets
    life = [(k, at) for k, at, _ in kinds(t) if k in (EventKind.RESOLVED, EventKind.REOPENED)]
    assert life == [
        (EventKind.RESOLVED, utc(2016, 2, 29, 12, 0)),
        (EventKind.REOPENED, utc(2016, 3, 1, 9, 0)),
        (EventKind.RESOLVED, utc(2016, 3, 2, 12, 0)),
    ]
    assert t.resolved_at == utc(2016, 3, 2, 12, 0)


def test_a_missing_resolved_at_falls_back_to_when_the_state_became_resolved() -> None:
    rows = [
        row("INC6", 0, "New", "29/2/2016 09:00", resolved="?"),
        row("INC6", 1, "Resolved", "29/2/2016 13:07", resolved="?"),
        row("INC6", 2, "Closed", "5/3/2016 15:00", resolved="?"),
    ]
    (t,) = map_incident_log(rows).tickets
    assert t.resolved_at == utc(2016, 2, 29, 13, 7)


def test_a_priority_change_is_an_event_and_the_ticket_keeps_the_last_priority() -> None:
    rows = [
        row("INC7", 0, "New", "29/2/2016 09:00", priority="4 - Low"),
        row("INC7", 1, "Active", "29/2/2016 09:40", priority="1 - Critical"),
        row("INC7", 2, "Closed", "5/3/2016 15:00", priority="1 - Critical"),
    ]
    (t,) = map_incident_log(rows).tickets
    assert t.priority == "critical"
    assert t.events[0].priority == "low"
    assert (EventKind.PRIORITY_CHANGED, utc(2016, 2, 29, 9, 40), "critical") in kinds(t)


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("opened_at", "2016-02-29 09:00", "is not a day-first date-time"),
        ("opened_at", "?", "a date-time is required"),
        ("sys_updated_at", "31/2/2016 09:00", "is not a day-first date-time"),
        ("resolved_at", "29/2/2016", "is not a day-first date-time"),
        ("sys_mod_count", "two", "is not a whole number"),
        ("priority", "urgent", "is not one of"),
        ("number", "?", "the ticket id is missing"),
    ],
)
def test_a_bad_value_is_rejected_naming_the_row_and_column(column: str, value: str, reason: str) -> None:
    bad = {**SIMPLE[1], column: value}
    log = map_incident_log([SIMPLE[0], bad, SIMPLE[2]])
    first = next(r for r in log.rejections if r.row == 3)
    assert (first.column, reason in first.reason) == (column, True)


def test_an_incident_with_a_bad_row_is_left_out_whole_and_the_others_are_kept() -> None:
    other = [row("INC9", 0, "New", "29/2/2016 09:00"), row("INC9", 1, "Closed", "1/3/2016 09:00")]
    rows = [*SIMPLE[:2], {**SIMPLE[2], "sys_updated_at": "soon"}, SIMPLE[3], *other]
    log = map_incident_log(rows)
    assert [t.external_id for t in log.tickets] == ["INC9"]
    assert (log.rows_read, log.rows_accepted) == (6, 2)
    assert [(r.row, r.column) for r in log.rejections] == [
        (2, "number"), (3, "number"), (4, "sys_updated_at"), (5, "number"),
    ]  # fmt: skip
    assert "row 4 is invalid" in log.rejections[0].reason


def test_dedupe_keys_are_stable_and_unique_even_for_a_change_repeated_within_a_minute() -> None:
    rows = [
        row("INC8", 0, "New", "29/2/2016 09:00"),
        row("INC8", 1, "Active", "29/2/2016 09:10"),
        row("INC8", 2, "Awaiting User Info", "29/2/2016 09:10"),
        row("INC8", 3, "Active", "29/2/2016 09:10"),
        row("INC8", 4, "Awaiting User Info", "29/2/2016 09:10"),
        row("INC8", 5, "Closed", "1/3/2016 09:00"),
    ]
    first = [e.dedupe_key for e in map_incident_log(rows).tickets[0].events]
    again = [e.dedupe_key for e in map_incident_log(rows).tickets[0].events]
    assert first == again
    assert len(set(first)) == len(first)


def test_an_unknown_time_zone_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="Mars/Olympus"):
        map_incident_log(SIMPLE, timezone="Mars/Olympus")
