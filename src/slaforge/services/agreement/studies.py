"""What the agreement side reads from a capability study: its figures (typed once, see
domain/background/study/figures.py), the warnings where terms ask more than the study's history
gave, and its calendar as the terms' coverage hours.

Studies are read through the background step's repository in the caller's transaction; when
checking terms, a study of an unexpected shape yields a warning, not an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slaforge.domain.agreement.drafting import describe_calendar, feasibility_warnings
from slaforge.domain.background.study.figures import StudyCalendar, StudyFigures
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.services.unit_of_work import UnitOfWork


def study_figures(uow: UnitOfWork, study_id: int) -> StudyFigures:
    """The figures of a stored study; NotFound when there is none, InvalidInput naming the part
    of another shape."""
    row = uow.background.capability_study(study_id)
    if row is None:
        raise NotFound(f"no capability study {study_id} (study_id)")
    return StudyFigures.from_result({"id": row.id, "parameters": row.parameters, "results": row.results})


def feasibility_for(uow: UnitOfWork, terms: Mapping[str, Any], study_id: int | None) -> list[str]:
    """Warnings against the named study, else against the newest one; none when there is none."""
    if study_id is None:
        study_id = uow.background.newest_study_id()
        if study_id is None:
            return []
    try:
        figures = study_figures(uow, study_id)
    except InvalidInput as exc:  # a study of another shape: say so, do not fail
        return [f"could not check the objectives against study #{study_id}: {exc.message}"]
    return feasibility_warnings(terms, figures)


def calendar_terms(calendar: StudyCalendar, *, default_day_seconds: float) -> dict[str, Any]:
    """The terms' coverage hours from a study's (or a stored) calendar, described from its hours."""
    definition = calendar.definition
    return {
        "name": calendar.name,
        "timezone": str(definition.get("timezone", "UTC")),
        "description": describe_calendar(definition) if definition else "",
        "day_seconds": float(calendar.day_seconds or default_day_seconds),
    }
