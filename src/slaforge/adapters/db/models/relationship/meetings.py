"""Live state of meeting series: one occurrence moved or cancelled (not terms: any version)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime


class MeetingException(Base):
    """One occurrence of a series, keyed by its original local start (the RECURRENCE-ID), moved
    to `new_start` or cancelled. One row per occurrence (a double submit counts once);
    `sequence` counts the changes, for the .ics SEQUENCE."""

    __tablename__ = "meeting_exceptions"
    __table_args__ = (UniqueConstraint("agreement_id", "series_key", "original_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    series_key: Mapped[str] = mapped_column(String(64))
    original_start: Mapped[str] = mapped_column(String(16))  # local 'YYYY-MM-DDTHH:MM'
    new_start: Mapped[str | None] = mapped_column(String(16), nullable=True)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
