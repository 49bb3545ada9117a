"""Renegotiation signals per objective of a live agreement (domain/live/renegotiation.py holds the
rule), judged on its closed periods as adjusted, with the newest capability study's recommended
target beside it: what a renegotiated promise would start from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.domain.background.study.figures import StudyFigures
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.live.amendment import Change, Signalled, amend_terms
from slaforge.domain.live.renegotiation import PERIODS, Signal, judge
from slaforge.domain.platform.accounts import Permission, Principal
from slaforge.domain.relationship.agenda import AgendaSignal
from slaforge.services.agreement.core import VersionRef, load_agreement
from slaforge.services.agreement.drafts import new_version
from slaforge.services.agreement.studies import study_figures
from slaforge.services.live.compliance import latest_figures
from slaforge.services.live.context import context_for
from slaforge.services.live.satisfaction import watermelon_of
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class ObjectiveSignal:
    objective_index: int
    objective: str
    signal: Signal
    recommended: str | None  # the newest study's recommended target for it, in words
    recommended_value: float | None = None  # the same as a number: target seconds, or availability share


def signals_of(*, uow: UnitOfWork, agreement_id: int) -> list[ObjectiveSignal]:
    with uow:
        load_agreement(uow, agreement_id)  # another customer's agreement: not found
        ctx = context_for(uow, agreement_id)
        if ctx is None:
            raise NotFound(f"agreement {agreement_id} is not live")
        study_id = uow.background.newest_study_id()
        figures = None if study_id is None else study_figures(uow, study_id)
        out = []
        periods = uow.live.periods_of(agreement_id)  # oldest first
        for i, terms in enumerate(ctx.objective_terms):
            # Only the periods judged are read (each may have adjustments).
            closed = [p for p in periods if p.objective_index == i][-PERIODS:]
            attained = [latest_figures(uow, p).get("attainment") for p in closed]
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
                    *_recommended(figures, terms),
                )
            )
        return out


def _recommended(figures: StudyFigures | None, terms: Mapping[str, Any]) -> tuple[str | None, float | None]:
    if figures is None:
        return None, None
    if terms.get("metric") == "availability":
        found = [
            s for s in figures.availability if s.service.casefold() == str(terms.get("service")).casefold()
        ]
        best = found[0].recommended if found else None
        if best is None:
            return None, None
        return f"{best * 100:g} % availability (study #{figures.study_id})", best
    priorities = terms.get("priorities") or []
    segment = figures.segment(str(priorities[0])) if isinstance(priorities, list) and priorities else None
    metric = segment.metrics.get(str(terms.get("metric"))) if segment is not None else None
    label = None if metric is None else metric.recommendation.target_label
    if label is None or metric is None:
        return None, None
    return f"{label} (study #{figures.study_id})", metric.recommendation.target_seconds


@dataclass(frozen=True, slots=True)
class DraftedAmendment:
    version: VersionRef
    changes: list[Change]


def draft_amendment(
    *, uow: UnitOfWork, agreement_id: int, actor: Principal, now: datetime
) -> DraftedAmendment:
    """A new draft version of the agreement whose signalled objectives start from the newest
    figures (domain/live/amendment.py); refused when no signal moves any promise."""
    # Another customer's agreement is not found (404) before a role is refused (403).
    found = [s for s in signals_of(uow=uow, agreement_id=agreement_id) if s.signal.kind]
    actor.require(Permission.CATALOG_WRITE)  # whoever may draft agreements
    if not found:
        raise InvalidInput("no objective signals a renegotiation: nothing to draft from", field="signals")
    with uow:
        ctx = context_for(uow, agreement_id)
        if ctx is None:
            raise NotFound(f"agreement {agreement_id} is not live")
        version = next(v for v in load_agreement(uow, agreement_id).versions if v.id == ctx.version_id)
        terms = dict(version.terms)
    amended, changes = amend_terms(
        terms, [Signalled(s.objective_index, s.objective, s.signal, s.recommended_value) for s in found]
    )
    if not any(c.field for c in changes):
        reasons = "; ".join(f"{c.objective}: {c.why}" for c in changes)
        raise InvalidInput(f"the signals move no promise ({reasons})", field="signals")
    ref = new_version(uow=uow, agreement_id=agreement_id, actor=actor.email, now=now, terms=amended)
    return DraftedAmendment(ref, changes)


def agenda_signals(*, uow: UnitOfWork, agreement_id: int) -> list[AgendaSignal]:
    """The service review's live item: each objective's renegotiation signal and watermelon flag
    (none while the agreement is not live)."""
    try:
        found = signals_of(uow=uow, agreement_id=agreement_id)
        melons = watermelon_of(uow=uow, agreement_id=agreement_id)
    except NotFound:
        return []
    out = [
        AgendaSignal(s.objective, str(s.signal.kind), s.signal.reason, s.recommended)
        for s in found
        if s.signal.kind
    ]
    out += [AgendaSignal(w.objective, "watermelon", w.check.reason) for w in melons if w.check.flagged]
    return out
