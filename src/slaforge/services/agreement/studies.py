"""What the agreement side reads from a capability study: its stored result, the warnings where
terms ask more than the study's history gave, and its calendar as the terms' coverage hours.

Studies are read through the background step's repository in the caller's transaction; a study
of an unexpected shape yields warnings, not errors (domain/agreement/drafting).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slaforge.domain.agreement.drafting import describe_calendar, feasibility_warnings
from slaforge.domain.errors import NotFound
from slaforge.services.unit_of_work import UnitOfWork


def study_data(uow: UnitOfWork, study_id: int) -> dict[str, Any]:
    row = uow.background.capability_study(study_id)
    if row is None:
        raise NotFound(f"no capability study {study_id} (study_id)")
    return {"id": row.id, "parameters": row.parameters, "results": row.results}


def feasibility_for(uow: UnitOfWork, terms: Mapping[str, Any], study_id: int | None) -> list[str]:
    """Warnings against the named study, else against the newest one; none when there is none."""
    if study_id is None:
        study_id = uow.background.newest_study_id()
        if study_id is None:
            return []
    try:
        return feasibility_warnings(terms, study_data(uow, study_id))
    except (KeyError, TypeError, ValueError) as exc:  # a study of another shape: say so, do not fail
        return [f"could not check the objectives against study #{study_id}: {exc}"]


def calendar_terms(name: str, definition: Mapping[str, Any], day_seconds: float) -> dict[str, Any]:
    """The terms' coverage hours from a stored calendar, described from its hours."""
    return {
        "name": name,
        "timezone": str(definition.get("timezone", "UTC")),
        "description": describe_calendar(definition) if definition else "",
        "day_seconds": float(day_seconds),
    }
