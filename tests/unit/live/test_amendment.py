"""An amendment drafted from renegotiation signals moves each signalled promise the signalled way:
to the study's recommended target where it does, else to the threshold the closed periods reached."""

from __future__ import annotations

from typing import Any

from slaforge.domain.live.amendment import Signalled, amend_terms
from slaforge.domain.live.renegotiation import judge

TERMS: dict[str, Any] = {
    "objectives": [
        {"metric": "first_response", "priorities": ["P1"], "target_seconds": 1800, "attainment": 0.95},
        {"metric": "resolution", "priorities": ["P1"], "target_seconds": 14400, "attainment": 0.9},
        {"metric": "availability", "service": "Mail", "target_percent": 99.9},
    ]
}


def _signal(i: int, attainments: list[float | None], threshold: float, rec: float | None = None) -> Signalled:
    return Signalled(i, f"objective {i}", judge(attainments, threshold), rec)


def test_tighten_takes_the_studys_shorter_target_and_leaves_the_terms_given_alone() -> None:
    amended, (change,) = amend_terms(TERMS, [_signal(0, [1.0, 0.995, 1.0], 0.95, rec=900.0)])
    assert (change.field, change.before, change.after) == ("target_seconds", 1800.0, 900.0)
    assert amended["objectives"][0]["target_seconds"] == 900.0
    assert TERMS["objectives"][0]["target_seconds"] == 1800  # a copy was amended


def test_without_a_recommendation_the_threshold_moves_to_what_every_period_reached() -> None:
    _, (tight,) = amend_terms(TERMS, [_signal(0, [1.0, 0.993, 0.999], 0.95)])
    assert (tight.field, tight.after) == ("attainment", 0.98)  # 99.3 % less a point, down to half points
    _, (loose,) = amend_terms(TERMS, [_signal(1, [0.82, 0.87, 0.91], 0.9)])
    assert (loose.field, loose.after) == ("attainment", 0.82)  # each would have complied
    _, (longer,) = amend_terms(TERMS, [_signal(1, [0.82, 0.87, 0.91], 0.9, rec=28800.0)])
    assert (longer.field, longer.after) == ("target_seconds", 28800.0)
    _, (wrong_way,) = amend_terms(TERMS, [_signal(1, [0.82, 0.87, 0.91], 0.9, rec=3600.0)])
    assert wrong_way.field == "attainment"  # a shorter recommended target does not loosen


def test_availability_moves_its_target_percentage() -> None:
    _, (loose,) = amend_terms(TERMS, [_signal(2, [0.9981, 0.9975, 0.9995], 0.999)])
    assert (loose.field, loose.before, loose.after) == ("target_percent", 99.9, 99.75)
    _, (rec,) = amend_terms(TERMS, [_signal(2, [0.9981, 0.9975, 0.9995], 0.999, rec=0.995)])
    assert (rec.field, rec.after) == ("target_percent", 99.5)


def test_no_signal_or_no_movement_changes_nothing() -> None:
    amended, changes = amend_terms(TERMS, [_signal(0, [0.97, 0.975, 0.97], 0.95)])
    assert changes == []  # no signal: not even listed
    assert amended == TERMS
    # Loosen (each passed by under a point), but the lowest, rounded down, is the threshold itself.
    _, (still,) = amend_terms(TERMS, [_signal(0, [0.955, 0.952, 0.958], 0.95)])
    assert still.field == ""
    assert "left as it is" in still.why
