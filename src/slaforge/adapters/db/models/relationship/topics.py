"""Topics raised for a coming meeting occurrence by either party's users."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime


class MeetingTopic(Base):
    """One row per (occurrence, text): a double submit, or 25 parallel ones, inserts one row; the
    others find the conflict and do nothing. Withdrawing deletes the row (the audit log keeps it)."""

    __tablename__ = "meeting_topics"
    # Named here: the conventional name would pass PostgreSQL's 63-character limit.
    __table_args__ = (
        UniqueConstraint(
            "agreement_id", "series_key", "original_start", "text", name="uq_meeting_topics_occurrence_text"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    series_key: Mapped[str] = mapped_column(String(64))
    original_start: Mapped[str] = mapped_column(String(16))  # local 'YYYY-MM-DDTHH:MM'
    text: Mapped[str] = mapped_column(String(500))
    party: Mapped[str] = mapped_column(String(16))  # provider | customer
    # The user who raised it (NULL for the operator at the command line, who has no account).
    raised_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    raised_by: Mapped[str] = mapped_column(String(254))
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime)
