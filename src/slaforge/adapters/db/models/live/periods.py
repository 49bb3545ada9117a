"""Closed compliance periods: each objective's figures for a month or quarter, frozen when the
period ends (with the SHA-256 of their canonical form), and the adjustments late events made to
them afterwards — each with its reason and the figures it leads to, never a silent rewrite."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime


class LivePeriod(Base):
    __tablename__ = "live_periods"
    __table_args__ = (UniqueConstraint("agreement_id", "objective_index", "period_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"))
    objective_index: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(20))  # 2026-11, 2026-Q4
    period_start: Mapped[datetime] = mapped_column(UtcDateTime)
    period_end: Mapped[datetime] = mapped_column(UtcDateTime)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)  # as closed
    sha256: Mapped[str] = mapped_column(String(64))
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LivePeriodAdjustment(Base):
    __tablename__ = "live_period_adjustments"
    __table_args__ = (UniqueConstraint("period_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("live_periods.id", ondelete="CASCADE"), index=True)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)  # the period's figures after it
    sha256: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    made_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LiveClaim(Base):
    """A customer's claim of the credit one objective earned in one closed period (where the
    objective's remedy is applied by claim), and the provider's decision. One per objective and
    period (a unique key): a second filing, or two at once, is refused."""

    __tablename__ = "live_claims"
    __table_args__ = (UniqueConstraint("agreement_id", "objective_index", "period_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    objective_index: Mapped[int] = mapped_column(Integer)
    period_label: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[datetime] = mapped_column(UtcDateTime)
    credit: Mapped[float] = mapped_column(Float)  # the share claimed, as the period's figures gave it
    note: Mapped[str] = mapped_column(Text, default="")
    filed_by: Mapped[str] = mapped_column(String(320))
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(20), default="filed")  # filed, approved, rejected
    decided_by: Mapped[str | None] = mapped_column(String(320), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)


class Satisfaction(Base):
    """A customer's satisfaction answer about one ticket (CSAT 1–5, or NPS 0–10), delivered by the
    tracking system; the same answer delivered twice counts once (its key per ticket)."""

    __tablename__ = "satisfaction_answers"
    __table_args__ = (UniqueConstraint("ticket_id", "dedupe_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    scale: Mapped[str] = mapped_column(String(10))  # csat, nps
    score: Mapped[int] = mapped_column(Integer)
    dedupe_key: Mapped[str] = mapped_column(String(100))
