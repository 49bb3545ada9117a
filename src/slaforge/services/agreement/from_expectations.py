"""Drafting an agreement from a customer's stated expectations: the customer's own targets where
the gap analysis finds them achievable, the target the history supports where it does not (with
a warning citing the figure), and the coverage hours of the calendar the figures were measured in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slaforge.domain.agreement.drafting import objectives_from_expectations
from slaforge.domain.background.study.figures import StudyCalendar
from slaforge.domain.errors import InvalidInput
from slaforge.services.agreement.core import load_customer, require_provider
from slaforge.services.agreement.drafts import draft_agreement
from slaforge.services.agreement.from_study import DraftResult
from slaforge.services.agreement.studies import calendar_terms, study_figures
from slaforge.services.background.expectations import gap_report
from slaforge.services.background.gaps import load_basis
from slaforge.services.unit_of_work import UnitOfWork


def draft_from_expectations(
    *,
    uow: UnitOfWork,
    customer_id: int,
    actor: str,
    now: datetime,
    study_id: int | None = None,
    title: str | None = None,
    template_keys: list[str] | None = None,
    requires_countersignature: bool = False,
) -> DraftResult:
    """A draft whose objectives are the customer's expectations, judged against the named study
    (default: the newest; without any, the stored history in its only calendar)."""
    with uow:
        customer = load_customer(uow, customer_id)
        require_provider(uow)
        name = customer.name
    report = gap_report(uow=uow, customer_id=customer_id, study_id=study_id, now=now)
    if not report.gaps:
        raise InvalidInput(
            f"{name} has stated no expectations yet: record them first",
            field="customer_id",
            value=customer_id,
        )
    where = f"study #{report.study_id}" if report.study_id is not None else "the stored history"
    drafted = objectives_from_expectations(report.gaps, day_seconds=report.day_seconds, where=where)
    if not drafted.objectives:
        raise InvalidInput(
            "no expectation could be drafted as an objective: " + "; ".join(drafted.warnings),
            field="customer_id",
            value=customer_id,
        )
    with uow:
        calendar = _calendar(uow, report.study_id, report.day_seconds)
    terms: dict[str, Any] = {"calendar": calendar, "objectives": drafted.objectives}
    source: dict[str, Any] = {"expectations": True, "study_id": report.study_id}
    ref = draft_agreement(
        uow=uow,
        customer_id=customer_id,
        title=title or f"Service level agreement with {name}",
        terms=terms,
        template_keys=template_keys,
        actor=actor,
        now=now,
        requires_countersignature=requires_countersignature,
        source=source,
        warnings=list(drafted.warnings),
    )
    return DraftResult(version=ref, objectives=len(drafted.objectives), warnings=ref.warnings)


def _calendar(uow: UnitOfWork, study_id: int | None, day_seconds: float) -> dict[str, Any]:
    """The coverage hours the figures were measured in: the study's calendar, else the stored one."""
    if study_id is not None:
        return calendar_terms(study_figures(uow, study_id).calendar, default_day_seconds=day_seconds)
    name = load_basis(uow.background, None).calendar_name
    row = uow.background.calendar(name)
    definition = row.definition if row is not None else {}
    return calendar_terms(StudyCalendar(name, definition, day_seconds), default_day_seconds=day_seconds)
