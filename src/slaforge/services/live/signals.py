"""Renegotiation signals per objective of a live agreement (domain/live/renegotiation.py holds the
rule), judged on its closed periods as adjusted, with the newest capability study's recommended
target beside it: what a renegotiated promise would start from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slaforge.domain.background.study.figures import StudyFigures
from slaforge.domain.errors import NotFound
from slaforge.domain.live.renegotiation import Signal, judge
from slaforge.services.agreement.core import load_agreement
from slaforge.services.agreement.studies import study_figures
from slaforge.services.live.compliance import latest_figures
from slaforge.services.live.context import context_for
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class ObjectiveSignal:
    objective_index: int
    objective: str
    signal: Signal
    recommended: str | None  # the newest study's recommended target for it, in words


def signals_of(*, uow: UnitOfWork, agreement_id: int) -> list[ObjectiveSignal]:
    with uow:
        load_agreement(uow, agreement_id)  # another customer's agreement: not found
        ctx = context_for(uow, agreement_id)
        if ctx is None:
            raise NotFound(f"agreement {agreement_id} is not live")
        study_id = uow.background.newest_study_id()
        figures = None if study_id is None else study_figures(uow, study_id)
        out = []
        for i, terms in enumerate(ctx.objective_terms):
            closed = [p for p in uow.live.periods_of(agreement_id) if p.objective_index == i]
            attained = []
            for p in closed:
                attained.append(latest_figures(uow, p).get("attainment"))
            threshold = (
                float(terms["target_percent"]) / 100
                if terms.get("metric") == "availability"
                else float(terms.get("attainment") or 0)
            )
            out.append(
                ObjectiveSignal(
                    i,
                    ctx.label_of(i),
                    judge(attained, threshold),
                    _recommended(figures, terms),
                )
            )
        return out


def _recommended(figures: StudyFigures | None, terms: Mapping[str, Any]) -> str | None:
    if figures is None:
        return None
    if terms.get("metric") == "availability":
        found = [
            s for s in figures.availability if s.service.casefold() == str(terms.get("service")).casefold()
        ]
        best = found[0].recommended if found else None
        return None if best is None else f"{best * 100:g} % availability (study #{figures.study_id})"
    priorities = terms.get("priorities") or []
    segment = figures.segment(str(priorities[0])) if isinstance(priorities, list) and priorities else None
    metric = segment.metrics.get(str(terms.get("metric"))) if segment is not None else None
    label = None if metric is None else metric.recommendation.target_label
    return None if label is None else f"{label} (study #{figures.study_id})"
