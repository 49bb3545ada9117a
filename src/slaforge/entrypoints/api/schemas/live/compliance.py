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


class ClaimIn(BaseModel):
    objective_index: int = Field(ge=0, le=99)
    period: str = Field(pattern=r"^\d{4}-(\d{2}|Q[1-4])$", description="2026-11 or 2026-Q4")
    note: str = Field("", max_length=2000)


class DecisionIn(BaseModel):
    approve: bool
    reason: str = Field("", max_length=2000, description="required to reject")


class ClaimPublic(BaseModel):
    id: int
    agreement_id: int
    objective_index: int
    objective: str
    period: str
    credit: float
    note: str
    filed_by: str
    filed_at: datetime
    state: str = Field(description="filed, approved or rejected")
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None


class ClaimListPublic(BaseModel):
    data: list[ClaimPublic]
    count: int


class SignalPublic(BaseModel):
    objective_index: int
    objective: str
    kind: str | None = Field(
        description="tighten (sustained over-performance), loosen (under-performance), or null"
    )
    reason: str
    attainments: list[float | None] = Field(description="the closed periods judged, oldest first")
    threshold: float
    recommended: str | None = Field(description="the newest capability study's recommended target")


class SignalListPublic(BaseModel):
    data: list[SignalPublic]


class WatermelonPublic(BaseModel):
    objective_index: int
    objective: str
    flagged: bool
    reason: str
    periods: list[dict[str, Any]] = Field(description="period, complies, satisfaction (share), answers")


class WatermelonListPublic(BaseModel):
    data: list[WatermelonPublic]


class ChangePublic(BaseModel):
    objective_index: int
    objective: str
    field: str = Field(description="target_seconds, attainment or target_percent; empty when nothing moved")
    before: float | None
    after: float | None
    why: str


class AmendmentPublic(BaseModel):
    agreement_id: int
    version_id: int = Field(description="the new draft version")
    number: int
    changes: list[ChangePublic]
