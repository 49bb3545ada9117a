"""Schemas of compliance: each objective's figures for a period, closed or open, its adjustments
and credit line, and the period's credit after the cap."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class CreditLinePublic(BaseModel):
    attainment: float | None
    below: float | None = Field(description="the remedy tier applied (its threshold); null: none")
    credit: float = Field(description="share of the period's charge")


class ObjectivePeriodPublic(BaseModel):
    objective_index: int
    objective: str
    metric: str
    closed: bool
    closed_at: datetime | None
    figures: dict[str, Any] = Field(
        description="label, start, end, threshold, attainment, margin, complies; for ticket objectives "
        "in_scope, met, breached, excused, breached_tickets; for availability down_seconds, allowed_seconds"
    )
    adjustments: list[dict[str, Any]]
    credit: CreditLinePublic | None


class CompliancePublic(BaseModel):
    agreement_id: int
    version: int
    period: str
    objectives: list[ObjectivePeriodPublic]
    credit: float = Field(description="the period's credit share after the cap")
    capped: bool
    credit_cap: float
    rule: str
