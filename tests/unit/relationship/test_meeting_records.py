"""Pure rules of meeting records: action keys, which occurrences may have minutes, and how the
agenda orders what it gathers and reads the study figures."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from slaforge.domain.background.study.figures import StudyFigures
from slaforge.domain.errors import InvalidInput
from slaforge.domain.relationship.agenda import (
    AgendaAction,
    AgendaTask,
    earlier_open_actions,
    figure_lines,
    order_tasks,
)
from slaforge.domain.relationship.meetings import Change
from slaforge.domain.relationship.minutes import action_key, check_minutes, occurrence_start

SERIES = {
    "key": "monthly-review",
    "name": "Monthly service review",
    "rrule": "FREQ=MONTHLY;BYDAY=1TU",
    "start": "2027-01-05T10:00",
    "timezone": "Europe/Berlin",
    "duration_minutes": 60,
}
# The last Sunday of March 2027 is the 28th: 02:30 does not exist in Berlin that night.
NIGHT = {**SERIES, "key": "night", "rrule": "FREQ=WEEKLY;BYDAY=SU", "start": "2027-03-07T02:30"}


def test_the_same_title_is_the_same_action_and_similar_titles_stay_apart() -> None:
    assert action_key("Send the report") == action_key("send  the REPORT")
    assert action_key("Send the report!") != action_key("Send the report")
    assert action_key("Send the report").startswith("send-the-report-")
    assert len(action_key("x" * 200)) <= 50


def test_minutes_count_from_the_start_as_held_across_a_spring_gap() -> None:
    start, cancelled = occurrence_start(NIGHT, datetime(2027, 3, 28, 2, 30), [])
    assert (start.hour, start.minute, start.utcoffset().total_seconds()) == (3, 30, 7200)  # type: ignore[union-attr]
    assert not cancelled
    with pytest.raises(InvalidInput, match="minutes come after it"):
        check_minutes(NIGHT, "2027-03-28T02:30", [], datetime(2027, 3, 28, 1, 29, tzinfo=UTC), text="x")
    held = check_minutes(NIGHT, "2027-03-28T02:30", [], datetime(2027, 3, 28, 1, 30, tzinfo=UTC), text="x")
    assert held.source == "meeting:night/2027-03-28T02:30"


def test_a_moved_meeting_is_held_at_its_new_start() -> None:
    moved = [Change(datetime(2027, 2, 2, 10), datetime(2027, 2, 9, 15))]
    start, _ = occurrence_start(SERIES, datetime(2027, 2, 2, 10), moved)
    assert (start.day, start.hour) == (9, 15)
    with pytest.raises(InvalidInput) as err:
        check_minutes(SERIES, "2027-02-02T10:00", moved, datetime(2027, 2, 9, 13, tzinfo=UTC), text="x")
    assert err.value.field == "original_start"


def test_two_actions_with_one_key_are_refused_naming_the_second() -> None:
    action = {"title": "Send the report", "party": "provider", "due": "2027-03-01"}
    with pytest.raises(InvalidInput) as err:
        check_minutes(SERIES, "2027-01-05T10:00", [], datetime(2027, 2, 1, tzinfo=UTC), text="x",
                      actions=[action, {**action, "title": " send the  report "}])  # fmt: skip
    assert err.value.field == "actions[1].key"


def test_overdue_tasks_come_first_then_by_due_date() -> None:
    def task(i: int, due: date, overdue: bool) -> AgendaTask:
        return AgendaTask(i, f"t{i}", "provider", "", due, "open", overdue)

    ordered = order_tasks([task(1, date(2027, 5, 1), False), task(2, date(2027, 3, 2), True),
                           task(3, date(2027, 4, 1), False), task(4, date(2027, 3, 1), True)])  # fmt: skip
    assert [t.id for t in ordered] == [4, 2, 3, 1]


def test_only_actions_of_earlier_meetings_are_carried_to_the_agenda() -> None:
    def act(start: str) -> AgendaAction:
        return AgendaAction(f"monthly-review {start}", start, "provider", "", date(2027, 6, 1), "open", 1)

    carried = earlier_open_actions([act("2027-02-02T10:00"), act("2027-03-02T10:00")], "2027-03-02T10:00")
    assert [a.title for a in carried] == ["2027-02-02T10:00"]


def test_study_figures_bracket_a_target_between_two_measured_ones() -> None:
    study = StudyFigures.from_result({
        "id": 3,
        "results": {
            "axes": {"ladder": [["30 min", 1800], ["1 h", 3600]], "curve_targets": []},
            "history": {"months": [202601, 202603]},
            "headline": [{"key": {"priority": "P1"},
                          "first_response": {"tickets": 40, "ladder": [0.9, 0.98],
                                             "recommendation": {"target_label": "1 h"}}}],
        },
    })  # fmt: skip
    terms = {
        "objectives": [
            {
                "metric": "first_response",
                "priorities": ["P1", "P2"],
                "target_seconds": 2700,
                "attainment": 0.95,
            },
            {"metric": "availability", "target_percent": 99.9},
        ]
    }
    lines = figure_lines(terms, study)
    assert [(line.objective, line.met, line.meets) for line in lines] == [
        ("P1 first response 45 min", "90 %–98 %", False),
        ("P2 first response 45 min", "", None),
    ]
    assert lines[0].recommended == "1 h"
    assert lines[0].tickets == 40
