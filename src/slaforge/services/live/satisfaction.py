"""Satisfaction answers (CSAT 1–5, NPS 0–10) about delivered tickets, and the watermelon check
(domain/live/watermelon.py) per objective of a live agreement: its last closed periods'
compliance beside the customer's satisfaction in the same periods."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.live.watermelon import PeriodReading, Watermelon, check, satisfaction
from slaforge.services.agreement.core import load_agreement
from slaforge.services.live.compliance import latest_figures
from slaforge.services.live.context import context_for
from slaforge.services.readiness import ingestion
from slaforge.services.readiness.ingestion import SOURCE
from slaforge.services.unit_of_work import UnitOfWork

SCALES = {"csat": (1, 5), "nps": (0, 10)}


@dataclass(frozen=True, slots=True)
class Answered:
    ticket_id: int
    new: bool


def deliver_answer(*, uow: UnitOfWork, secret: str, answer: Mapping[str, Any], now: datetime) -> Answered:
    """One answer about a ticket the token's customer delivered (404 for any other); the same answer
    (its `dedupe_key`, default its instant) twice counts once."""
    scale = str(answer.get("scale") or "csat").lower()
    if scale not in SCALES:
        raise InvalidInput("csat (1 to 5) or nps (0 to 10)", field="scale", value=scale)
    low, high = SCALES[scale]
    score = answer.get("score")
    if not isinstance(score, int) or isinstance(score, bool) or not low <= score <= high:
        raise InvalidInput(f"a whole number from {low} to {high}", field="score", value=score)
    at = answer.get("at")
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise InvalidInput("an instant with its offset", field="at", value=str(at))
    with uow:
        token = ingestion.token_for(uow, secret)
        ref = str(answer.get("external_id") or "")
        ticket = uow.readiness.ticket_by_external_id(SOURCE, ref)
        if ticket is None or ticket.customer_id != token.customer_id:
            raise NotFound(f"no ticket '{ref[:100]}' was delivered for this customer")
        key = str(answer.get("dedupe_key") or f"{scale}:{at.isoformat()}")[:100]
        new = uow.live.add_satisfaction_once(
            {
                "ticket_id": ticket.id,
                "customer_id": token.customer_id,
                "at": at,
                "scale": scale,
                "score": score,
                "dedupe_key": key,
            }
        )
        uow.commit()
        return Answered(ticket.id, new)


@dataclass(frozen=True, slots=True)
class ObjectiveWatermelon:
    objective_index: int
    objective: str
    check: Watermelon


def watermelon_of(*, uow: UnitOfWork, agreement_id: int) -> list[ObjectiveWatermelon]:
    with uow:
        load_agreement(uow, agreement_id)  # another customer's agreement: not found
        ctx = context_for(uow, agreement_id)
        if ctx is None:
            raise NotFound(f"agreement {agreement_id} is not live")
        out = []
        for i in range(len(ctx.objective_terms)):
            readings = []
            for p in (p for p in uow.live.periods_of(agreement_id) if p.objective_index == i):
                figures = latest_figures(uow, p)
                answers = uow.live.satisfaction_between(ctx.customer_id, p.period_start, p.period_end)
                scale = "nps" if answers and all(a.scale == "nps" for a in answers) else "csat"
                scores = [a.score for a in answers if a.scale == scale]
                readings.append(
                    PeriodReading(p.label, figures.get("complies"), satisfaction(scale, scores), len(scores))
                )
            out.append(ObjectiveWatermelon(i, ctx.label_of(i), check(readings)))
        return out
