"""Expectations as pure rules: validation of what a customer states, CSV rows, and the verdicts."""

from __future__ import annotations

import pytest

from slaforge.domain.background.expectations import (
    ExpectedMetric,
    Importance,
    Verdict,
    judge_availability,
    judge_time,
    parse_rows,
    validate,
)
from slaforge.domain.errors import InvalidInput

DAY = 8 * 3600.0
L, S = 0.95, 0.8


# ------------------------------------------------------------------ verdicts on time targets

TIME_CASES = [
    # name, attainment, month shares, expected verdict
    (
        "well above the level in every month is comfortable",
        0.99,
        [0.97, 0.98, 0.99, 1.0, 0.96],
        Verdict.COMFORTABLE,
    ),
    ("exactly three points above and every month is comfortable", 0.98, [0.95] * 5, Verdict.COMFORTABLE),
    (
        "three points above but one month below the level is only achievable",
        0.99,
        [0.99, 0.99, 0.99, 0.99, 0.90],
        Verdict.ACHIEVABLE,
    ),
    ("just above the level in every month is achievable", 0.96, [0.96] * 5, Verdict.ACHIEVABLE),
    (
        "at the level in four of five months is achievable",
        0.95,
        [0.96, 0.96, 0.96, 0.96, 0.90],
        Verdict.ACHIEVABLE,
    ),
    (
        "above the level on average but in too few months is a stretch",
        0.96,
        [0.99, 0.99, 0.99, 0.90, 0.90],
        Verdict.STRETCH,
    ),
    ("a point below the level is a stretch", 0.94, [0.94] * 5, Verdict.STRETCH),
    ("ten points below the level is still a stretch", 0.85, [0.85] * 5, Verdict.STRETCH),
    ("more than ten points below is not achievable", 0.849, [0.85] * 5, Verdict.NOT_ACHIEVABLE),
    ("half the tickets is not achievable", 0.5, [0.5] * 5, Verdict.NOT_ACHIEVABLE),
    ("no judged months but a high attainment is only a stretch of confidence", 0.99, [], Verdict.STRETCH),
    ("no measured tickets cannot be judged", None, [], Verdict.UNKNOWN),
    ("NaN attainment cannot be judged", float("nan"), [0.9], Verdict.UNKNOWN),
]


@pytest.mark.parametrize(
    ("name", "attainment", "months", "expected"), TIME_CASES, ids=[c[0] for c in TIME_CASES]
)
def test_time_verdicts(name: str, attainment: float | None, months: list[float], expected: Verdict) -> None:
    judged = judge_time(attainment=attainment, month_shares=months, level=L, month_share=S)
    assert judged.verdict is expected, judged.reason


def test_no_judged_months_with_an_attainment_above_the_level_is_not_called_achievable() -> None:
    # Without months to judge, the month-share rule cannot be met: "achievable" would be a guess.
    assert judge_time(attainment=0.97, month_shares=[], level=L, month_share=S).verdict is Verdict.STRETCH


def test_the_reason_says_how_many_months_reached_the_level() -> None:
    judged = judge_time(attainment=0.96, month_shares=[0.99, 0.9, 0.99], level=L, month_share=S)
    assert "2 of 3 months reached 95%" in judged.reason


# ------------------------------------------------------------------ verdicts on availability

AVAILABILITY_CASES = [
    (
        "every month with half the downtime to spare is comfortable",
        99.9,
        [0.99996, 0.99995, 0.99999],
        Verdict.COMFORTABLE,
    ),
    ("every month just at the target is achievable", 99.9, [0.999, 0.9991, 0.9992], Verdict.ACHIEVABLE),
    (
        "four of five months is achievable at an 80 % month share",
        99.9,
        [0.9995, 0.9995, 0.9995, 0.9995, 0.998],
        Verdict.ACHIEVABLE,
    ),
    (
        "met over the period but not in enough months is a stretch",
        99.0,
        [1.0, 1.0, 1.0, 0.985, 0.985],
        Verdict.STRETCH,
    ),
    ("short even over the period is not achievable", 99.99, [0.999, 0.998, 0.9995], Verdict.NOT_ACHIEVABLE),
    ("no months: no outage history", 99.9, [], Verdict.UNKNOWN),
]


@pytest.mark.parametrize(
    ("name", "target", "uptimes", "expected"), AVAILABILITY_CASES, ids=[c[0] for c in AVAILABILITY_CASES]
)
def test_availability_verdicts(name: str, target: float, uptimes: list[float], expected: Verdict) -> None:
    judged = judge_availability(target_percent=target, uptimes=uptimes, month_share=S)
    assert judged.verdict is expected, judged.reason


def test_no_outage_history_says_so() -> None:
    assert judge_availability(target_percent=99.9, uptimes=[], month_share=S).reason == "no outage history"


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("target", "seconds"),
    [
        ("4h", 4 * 3600),
        ("30m", 1800),
        ("1 business day", DAY),
        ("1d 2h", DAY + 7200),
        (900, 900),
        (90.5, 90.5),
    ],
)
def test_time_targets_are_business_durations(target: object, seconds: float) -> None:
    item = validate(metric="resolution", priority="P1", target=target, day_seconds=DAY)
    assert item.target_seconds == seconds
    assert item.importance is Importance.IMPORTANT  # the default


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("First response", ExpectedMetric.FIRST_RESPONSE),
        ("first-response", ExpectedMetric.FIRST_RESPONSE),
        ("PERIODIC_UPDATE", ExpectedMetric.PERIODIC_UPDATE),
    ],
)
def test_metric_names_are_read_forgivingly(text: str, metric: ExpectedMetric) -> None:
    assert validate(metric=text, priority="P2", target="1h", day_seconds=DAY).metric is metric


@pytest.mark.parametrize(
    ("text", "importance"),
    [
        ("Must have", Importance.MUST_HAVE),
        ("nice_to_have", Importance.NICE_TO_HAVE),
        ("IMPORTANT", Importance.IMPORTANT),
    ],
)
def test_importance_is_read_forgivingly(text: str, importance: Importance) -> None:
    assert (
        validate(metric="resolution", priority="P2", target="1h", importance=text, day_seconds=DAY).importance
        is importance
    )


@pytest.mark.parametrize(("target", "percent"), [("99.9", 99.9), ("99,5 %", 99.5), (100, 100.0)])
def test_availability_is_a_percentage_without_priority(target: object, percent: float) -> None:
    item = validate(metric="availability", target=target, day_seconds=DAY)
    assert (item.priority, item.target_seconds, item.target_percent) == (None, None, percent)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"metric": "speed", "priority": "P1", "target": "1h"}, "metric"),
        ({"metric": "resolution", "target": "1h"}, "priority"),
        ({"metric": "resolution", "priority": "P1", "target": "soon"}, "target"),
        ({"metric": "resolution", "priority": "P1", "target": ""}, "target"),
        ({"metric": "resolution", "priority": "P1", "target": 0}, "target"),
        ({"metric": "resolution", "priority": "P1", "target": "2000d"}, "target"),
        ({"metric": "resolution", "priority": "P1", "target": "1h", "importance": "vital"}, "importance"),
        ({"metric": "resolution", "priority": "x" * 51, "target": "1h"}, "priority"),
        ({"metric": "resolution", "priority": "P1", "target": "1h", "comment": "x" * 2001}, "comment"),
        ({"metric": "availability", "priority": "P1", "target": "99.9"}, "priority"),
        ({"metric": "availability", "target": "101"}, "target"),
        ({"metric": "availability", "target": "high"}, "target"),
        ({"metric": "availability", "target": "nan"}, "target"),
    ],
)
def test_bad_input_names_its_field(fields: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate(**fields, day_seconds=DAY)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_csv_rows_report_every_problem_with_row_and_column() -> None:
    rows = [
        (2, {"metric": "resolution", "priority": "P1", "target": "4h", "importance": "must-have"}),
        (3, {"metric": "resolution", "priority": "P2", "target": "tomorrow"}),
        (4, {"metric": "uptime", "priority": "", "target": "99"}),
        (5, {"metric": "resolution", "priority": "p1", "target": "8h"}),
        (6, {"metric": "availability", "priority": "", "target": "99.5"}),
    ]
    good, problems = parse_rows(rows, day_seconds=DAY)
    assert [(g.metric.value, g.priority) for g in good] == [("resolution", "P1"), ("availability", None)]
    assert [(p.row, p.column) for p in problems] == [(3, "target"), (4, "metric"), (5, "priority")]
    assert "repeats the expectation of row 2" in problems[2].reason
    assert str(problems[0]).startswith("row 3, column 'target': 'tomorrow' is not a duration")


def test_a_csv_with_old_mac_line_endings_is_read_not_a_server_error():
    # Found by the API fuzzer on PostgreSQL: a lone carriage return made the csv module raise,
    # which reached the client as a 500.
    from slaforge.services.background.expectations import read_csv

    rows = read_csv("metric,priority,target\rfirst_response,high,4h\r", "cr.csv")
    assert [(line, row["metric"], row["target"]) for line, row in rows] == [(2, "first_response", "4h")]
