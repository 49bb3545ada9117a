"""Live state of held meetings: the minutes of one occurrence, the tasks its action items became,
and each user's secret calendar feed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime


class MeetingMinutes(Base):
    """One row per occurrence (series key, original local start, as meeting_exceptions name it):
    saving again updates the text and counts a revision."""

    __tablename__ = "meeting_minutes"
    __table_args__ = (UniqueConstraint("agreement_id", "series_key", "original_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    series_key: Mapped[str] = mapped_column(String(64))
    original_start: Mapped[str] = mapped_column(String(16))  # local 'YYYY-MM-DDTHH:MM'
    text: Mapped[str] = mapped_column(Text)
    attendance: Mapped[list[str]] = mapped_column(JSON, default=list)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    recorded_by: Mapped[str] = mapped_column(String(254))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class MeetingAction(Base):
    """An action item of an occurrence's minutes and the task it became. The unique key is what
    makes a double submit (or 25 parallel ones) create the task once: the row is claimed before
    the task is made, in the same transaction, and a second claim finds the conflict."""

    __tablename__ = "meeting_actions"
    # Named here: the conventional name would pass PostgreSQL's 63-character limit.
    __table_args__ = (
        UniqueConstraint(
            "agreement_id",
            "series_key",
            "original_start",
            "action_key",
            name="uq_meeting_actions_occurrence_key",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    series_key: Mapped[str] = mapped_column(String(64))
    original_start: Mapped[str] = mapped_column(String(16))
    action_key: Mapped[str] = mapped_column(String(50))
    # NULL only inside the claiming transaction, between the claim and the task's insert.
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), nullable=True, index=True
    )
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CalendarFeed(Base):
    """A user's subscribable calendar: calendar clients send no cookie, so the URL carries a
    random token. Only its SHA-256 is stored; a reset replaces the hash, and the old URL is dead."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
