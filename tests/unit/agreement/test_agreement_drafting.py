"""Objectives drafted from a capability study, and warnings that cite the history's figures."""

from __future__ import annotations

from typing import Any

import pytest

from slaforge.domain.agreement.drafting import (
    describe_calendar,
    feasibility_warnings,
    month_span,
    objectives_from_study,
)
from slaforge.domain.background.study.figures import StudyFigures

LADDER = [["15 min", 900.0], ["30 min", 1800.0], ["1 h", 3600.0], ["2 h", 7200.0], ["4 h", 14400.0]]


def _block(ladder: list[float], target: float | None, label: str | None) -> dict[str, Any]:
    return {
        "tickets": 400,
        "ladder": ladder,
        "curve": [],
        "recommendation": {
            "target_seconds": target,
            "target_label": label,
            "reason": "too little data: 3 months",
        },
    }


STUDY: dict[str, Any] = {
    "id": 3,
    "parameters": {"level": 0.95},
    "results": {
        "calendar": {"day_seconds": 32400.0, "name": "Weekdays", "definition": {"timezone": "UTC"}},
        "history": {"months": [201603, 201604, 201701, 201702]},
        "axes": {"ladder": LADDER, "curve_targets": []},
        "headline": [
            {
                "key": {"priority": "P1"},
                "first_response": _block([0.5, 0.71, 0.9, 0.96, 0.99], 7200.0, "2 h"),
                "resolution": _block([0.1, 0.2, 0.3, 0.5, 0.97], 14400.0, "4 h"),
            },
            {
                "key": {"priority": "P4"},
                "first_response": _block([0.9] * 5, None, None),
                "resolution": _block([0.9] * 5, None, None),
            },
        ],
    },
}


def test_a_stricter_objective_is_warned_about_citing_the_figure() -> None:
    terms = {
        "objectives": [
            {"metric": "first_response", "priorities": ["P1"], "target_seconds": 1800, "attainment": 0.95}
        ]
    }
    assert feasibility_warnings(terms, StudyFigures.from_result(STUDY)) == [
        "P1 first response 30 min: the history met it for 71 % of tickets (study #3, Mar 2016–Feb 2017); "
        "95 % is asked; the study recommends 2 h"
    ]


def test_an_objective_the_history_supports_gives_no_warning() -> None:
    terms = {
        "objectives": [
            {"metric": "first_response", "priorities": ["p1"], "target_seconds": 7200, "attainment": 0.95}
        ]
    }
    assert feasibility_warnings(terms, StudyFigures.from_result(STUDY)) == []


def test_a_target_between_measured_points_is_bracketed_not_guessed() -> None:
    terms = {
        "objectives": [
            {"metric": "first_response", "priorities": ["P1"], "target_seconds": 2700, "attainment": 0.8}
        ]
    }
    (warning,) = feasibility_warnings(terms, StudyFigures.from_result(STUDY))
    assert "met it for 71 %–90 % of tickets" in warning


def test_a_priority_the_study_does_not_know_is_said_to_be_unchecked() -> None:
    terms = {
        "objectives": [
            {"metric": "resolution", "priorities": ["P9"], "target_seconds": 7200, "attainment": 0.9}
        ]
    }
    (warning,) = feasibility_warnings(terms, StudyFigures.from_result(STUDY))
    assert warning.startswith("P9 resolution 2 h: the study has no figures for this priority")


def test_objectives_come_from_the_recommendations_and_gaps_are_warned() -> None:
    drafted = objectives_from_study(
        StudyFigures.from_result(STUDY), level=None, priorities=None, metrics=("first_response",), remedy=[]
    )
    assert drafted.objectives == [
        {
            "metric": "first_response",
            "priorities": ["P1"],
            "target_seconds": 7200.0,
            "attainment": 0.95,
            "window": "month",
            "remedy": [],
        }
    ]
    assert drafted.warnings == ["P4 first response: no objective drafted (too little data: 3 months)"]


def test_at_another_level_the_shortest_round_target_reaching_it_is_taken() -> None:
    drafted = objectives_from_study(
        StudyFigures.from_result(STUDY), level=0.9, priorities=["P1"], metrics=("first_response",), remedy=[]
    )
    assert drafted.objectives[0]["target_seconds"] == 3600.0
    assert "monthly check was made at 95 %" in drafted.warnings[0]


def test_calendars_and_periods_read_as_people_write_them() -> None:
    definition = {
        "timezone": "Europe/Berlin",
        "hours": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
        "holidays": {"country": "DE"},
    }
    assert describe_calendar(definition) == (
        "Monday to Friday 08:00–17:00 (Europe/Berlin), excluding public holidays (DE)"
    )
    assert month_span([201702, 201603]) == "Mar 2016–Feb 2017"


UPTIMES = [1.0] * 4 + [0.9991] * 3 + [0.996] * 3 + [0.9935, 0.992]
AVAILABILITY_STUDY: dict[str, Any] = {
    **STUDY,
    "parameters": {"level": 0.95, "month_share": 0.8},
    "results": {
        **STUDY["results"],
        "availability": {
            "services": [
                {
                    "service": "Managed e-mail",
                    "source": "statuspage",
                    "months": [{"month": f"2019-{m:02d}", "uptime": u} for m, u in enumerate(UPTIMES, 1)],
                    "recommended": 0.995,
                }
            ]
        },
    },
}


def _availability(service: str, target: float) -> dict[str, Any]:
    return {"objectives": [{"metric": "availability", "service": service, "target_percent": target}]}


def test_an_availability_target_above_the_history_is_warned_about_citing_the_months() -> None:
    assert feasibility_warnings(
        _availability("managed e-mail", 99.99), StudyFigures.from_result(AVAILABILITY_STUDY)
    ) == [
        "managed e-mail availability 99.99 %: the history reached it in 4 of 12 months (worst month "
        "99.2 %; study #3, outages from statuspage); the study recommends 99.5 %"
    ]


@pytest.mark.parametrize(
    ("service", "target", "warned"),
    [
        ("Managed e-mail", 99.9, True),  # 7 of 12 months, fewer than the study's 80 %
        ("Managed e-mail", 99.5, False),  # 10 of 12 months: what the study recommends
        ("Managed e-mail", 99.0, False),
        ("Web hosting", 99.999, False),  # no figures for this service: nothing is claimed
    ],
)
def test_availability_is_checked_against_the_share_of_months_the_study_asks(
    service: str, target: float, warned: bool
) -> None:
    assert (
        bool(
            feasibility_warnings(_availability(service, target), StudyFigures.from_result(AVAILABILITY_STUDY))
        )
        is warned
    )


def test_a_study_without_availability_figures_says_nothing_about_availability() -> None:
    assert (
        feasibility_warnings(_availability("Managed e-mail", 99.999), StudyFigures.from_result(STUDY)) == []
    )
