"""Drafting an agreement from a capability study: objectives at the study's recommended targets,
the study's calendar as the coverage hours (the study is read through `studies`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.domain.agreement.drafting import STUDY_METRICS, default_remedy, objectives_from_study
from slaforge.domain.errors import InvalidInput
from slaforge.services.agreement.core import VersionRef, load_customer, require_provider
from slaforge.services.agreement.drafts import draft_agreement
from slaforge.services.agreement.studies import calendar_terms, study_figures
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class DraftResult:
    version: VersionRef
    objectives: int
    warnings: tuple[str, ...]


def draft_from_study(
    *,
    uow: UnitOfWork,
    customer_id: int,
    study_id: int,
    title: str,
    actor: str,
    now: datetime,
    level: float | None = None,
    priorities: Sequence[str] | None = None,
    metrics: Sequence[str] = STUDY_METRICS,
    remedy: Sequence[Mapping[str, float]] | None = None,
    service: str | None = None,
    provider: str | None = None,
    template_keys: list[str] | None = None,
    requires_countersignature: bool = False,
) -> DraftResult:
    """Objectives at the study's recommended targets per priority, the study's calendar as the
    coverage hours, then `draft_agreement`; warnings list what could not be drafted or checked.
    `service` and `provider` name the service and the provider party in the document."""
    if level is not None and not 0 < level <= 1:
        raise InvalidInput("must be a share above 0 and at most 1 (0.9 = 90 %)", field="level", value=level)
    unknown = [m for m in metrics if m not in STUDY_METRICS]
    if unknown or not metrics:
        raise InvalidInput(f"metrics from {', '.join(STUDY_METRICS)}", field="metrics", value=unknown)
    with uow:
        load_customer(uow, customer_id)
        require_provider(uow)
        study = study_figures(uow, study_id)
    want = level if level is not None else study.level
    drafted = objectives_from_study(
        study,
        level=level,
        priorities=priorities,
        metrics=metrics,
        remedy=remedy if remedy is not None else default_remedy(want),
    )
    if not drafted.objectives:
        raise InvalidInput(
            "the study supports no objective for these priorities: " + "; ".join(drafted.warnings),
            field="study_id",
            value=study_id,
        )
    terms: dict[str, Any] = {
        "calendar": calendar_terms(study.calendar, default_day_seconds=8 * 3600),
        "objectives": drafted.objectives,
    }
    if service:
        terms["service"] = {"name": service, "description": ""}
    if provider:  # else the configured provider name (SLAFORGE_PROVIDER_NAME) fills the party in
        terms["parties"] = {"provider": provider}
    ref = draft_agreement(
        uow=uow,
        customer_id=customer_id,
        title=title,
        terms=terms,
        template_keys=template_keys,
        actor=actor,
        now=now,
        requires_countersignature=requires_countersignature,
        source={"study_id": study_id, "level": want},
        warnings=list(drafted.warnings),
    )
    return DraftResult(version=ref, objectives=len(drafted.objectives), warnings=ref.warnings)
