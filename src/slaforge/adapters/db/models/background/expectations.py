"""What customers say they need (expectations), and the invitations that let them say it.

An expectation is keyed by (customer, metric, priority): stating it again replaces it. The
service keeps that rule, not a unique constraint, because availability has no priority and
SQL does not treat two NULLs as equal.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime


class Expectation(Base):
    __tablename__ = "expectations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    metric: Mapped[str] = mapped_column(String(30))  # a value of domain ExpectedMetric
    priority: Mapped[str | None] = mapped_column(String(50), default=None)  # None for availability
    target_seconds: Mapped[float | None] = mapped_column(Float, default=None)  # business time
    target_percent: Mapped[float | None] = mapped_column(Float, default=None)  # availability, e.g. 99.9
    importance: Mapped[str] = mapped_column(String(20))  # must-have, important, nice-to-have
    comment: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20))  # questionnaire, api, csv, console
    recorded_by: Mapped[str] = mapped_column(String(254))  # a user's e-mail, or the invited address
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ExpectationInvite(Base):
    """A signed, expiring, single-use link to the questionnaire; only the token's SHA-256 is kept."""

    __tablename__ = "expectation_invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
