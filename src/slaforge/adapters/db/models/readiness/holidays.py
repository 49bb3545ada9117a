"""Holidays added to a live agreement's frozen calendars: one row per (configuration, calendar,
day) by unique constraint, so the same day added twice, or by two requests at once, is one row.
The frozen JSON never changes; the calendar the clocks use is the frozen one plus these days."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime


class ReadinessHoliday(Base):
    __tablename__ = "readiness_holidays"
    __table_args__ = (UniqueConstraint("config_id", "calendar", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    config_id: Mapped[int] = mapped_column(ForeignKey("readiness_configs.id"))
    calendar: Mapped[str] = mapped_column(String(200))
    day: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
    added_by: Mapped[str] = mapped_column(String(254))
