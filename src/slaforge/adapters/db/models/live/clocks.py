"""Live SLA clocks: one row per ticket, live agreement and objective, and the firings (ladder steps
and breaches) each of them has had.

A clock row is a cache of what the clock engine computes from the ticket's full history; it is
rewritten whenever an event of the ticket arrives, a repair runs or the scheduler looks at it.
`due_at` and `next_fire_at` are indexed so that "what breaches next" and "what must fire by T"
are range queries over an index. A firing is written once by its unique key (clock, cycle, step):
however many schedulers see it due at once, one of them records it and queues its notifications.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime


class LiveClock(Base):
    __tablename__ = "live_clocks"
    __table_args__ = (
        UniqueConstraint("ticket_id", "agreement_id", "objective_index"),
        Index("ix_live_clocks_next_fire_at", "next_fire_at"),
        Index("ix_live_clocks_agreement_due", "agreement_id", "due_at"),
        Index("ix_live_clocks_risk_at", "risk_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    objective_index: Mapped[int] = mapped_column(Integer)
    metric: Mapped[str] = mapped_column(String(30))
    # The frozen readiness configuration's SHA-256 the clock runs under (go-live's freeze).
    config_sha256: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(20))  # not_started, running, paused, stopped
    breached: Mapped[bool] = mapped_column(Boolean, default=False)
    breached_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    priority: Mapped[str | None] = mapped_column(String(50), default=None)
    target_seconds: Mapped[float | None] = mapped_column(Float, default=None)
    elapsed_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    stopped_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # When the clock is at risk: three quarters of its target used (None: paused or no target).
    risk_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # The earliest instant at which a ladder step or the breach of this clock has yet to fire;
    # None when nothing can fire until another event arrives (stopped, paused, no target).
    next_fire_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    as_of: Mapped[datetime] = mapped_column(UtcDateTime)  # the instant these figures were computed at
    # The engine's explanation: counted, paused and excused spans, each step's instant.
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class LiveFiring(Base):
    """A ladder step or a breach of one cycle of a clock, recorded once. `step` is the ladder
    step's index, or -1 for the breach itself. A repair that finds a recorded breach no longer
    happened does not delete it: it sets `withdrawn_at` and says why. `version_id`: the agreement
    version in force when it was recorded; a later version's recompute never withdraws it."""

    __tablename__ = "live_firings"
    __table_args__ = (UniqueConstraint("clock_id", "cycle_started_at", "step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clock_id: Mapped[int] = mapped_column(ForeignKey("live_clocks.id", ondelete="CASCADE"), index=True)
    cycle_started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    step: Mapped[int] = mapped_column(Integer)
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"))
    kind: Mapped[str] = mapped_column(String(20))  # step, breach
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the instant it was due
    fired_at: Mapped[datetime] = mapped_column(UtcDateTime)  # when the scheduler recorded it
    notified: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[channel, recipient], …]
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text, default=None)
