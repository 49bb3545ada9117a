"""Schemas of live reports: each kept report's entry (what, which period, when due and made,
its SHA-256 and headline figures); the file itself is served as it was generated."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class ReportPublic(BaseModel):
    id: int
    name: str
    audience: str = Field(description="customer or provider")
    period: str = Field(description="2026-11 or 2026-Q4")
    format: str = Field(description="html, pdf or csv")
    due_at: datetime = Field(description="the delivery instant its rule gave")
    generated_at: datetime
    on_time: bool = Field(description="generated at or after its due instant, in the pass that found it due")
    sha256: str = Field(description="of the file as generated and kept")
    summary: dict[str, Any] = Field(
        description="per objective: attainment, threshold, complies; breaches; credit"
    )
    recipients: list[str]


class ReportListPublic(BaseModel):
    data: list[ReportPublic]
    count: int
