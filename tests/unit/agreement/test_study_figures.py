"""The study figures the agreement side reads: typed once from the stored result."""

from __future__ import annotations

import pytest

from slaforge.domain.background.study.figures import StudyFigures
from slaforge.domain.errors import InvalidInput


def test_a_study_without_optional_figures_reads_as_empty() -> None:
    figures = StudyFigures.from_result({"id": 7, "parameters": {}, "results": {}})
    assert (figures.study_id, figures.level, figures.month_share) == (7, 0.95, 0.8)
    assert figures.headline == ()
    assert figures.availability == ()
    assert figures.calendar.day_seconds is None


def test_a_part_of_another_shape_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput) as raised:
        StudyFigures.from_result({"id": 7, "results": {"axes": {"ladder": [["15 min"]]}}})
    assert raised.value.field == "results.axes.ladder[0]"
    with pytest.raises(InvalidInput) as raised:
        StudyFigures.from_result({"id": 7, "results": {"headline": "P1"}})
    assert raised.value.field == "results.headline"


def test_unmeasured_rungs_keep_their_place() -> None:
    figures = StudyFigures.from_result(
        {"results": {"headline": [{"key": {"priority": "P1"}, "resolution": {"ladder": [None, 0.5]}}]}}
    )
    segment = figures.segment("p1")
    assert segment is not None
    assert segment.metrics["resolution"].ladder == (None, 0.5)
