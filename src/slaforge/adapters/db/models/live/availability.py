"""What a live availability objective fired: each ladder step and the breach of one month, once.

The month's figures themselves are not stored: they are computed from the outages whenever they
are read or the scheduler looks (a month holds few outages), so a corrected outage is reflected at
once. A firing is written once by its unique key (agreement, objective, month, step), however many
schedulers see it due at once; a breach the outages no longer show is withdrawn with the reason,
never deleted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime


class AgreementService(Base):
    """A service a live agreement's availability objective names: its customer's users see the
    service and its outages (services are shared; a customer otherwise sees only those its own
    tickets name). Written at go-live and whenever an outage of the service is delivered."""

    __tablename__ = "agreement_services"
    __table_args__ = (UniqueConstraint("agreement_id", "service_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))


class LiveAvailabilityFiring(Base):
    __tablename__ = "live_availability_firings"
    __table_args__ = (UniqueConstraint("agreement_id", "objective_index", "month", "step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    objective_index: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)  # YYYYMM, a UTC calendar month
    step: Mapped[int] = mapped_column(Integer)  # the ladder step's index, or -1 for the breach
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"))
    kind: Mapped[str] = mapped_column(String(20))  # step, breach
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    fired_at: Mapped[datetime] = mapped_column(UtcDateTime)
    notified: Mapped[list[Any]] = mapped_column(JSON, default=list)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text, default=None)


class LiveBurnAlert(Base):
    """A burn-rate alert episode of an availability objective: from the pass that found its
    condition holding to the pass that found it no longer does. At most one open per objective
    and rule (a partial unique index): two schedulers at once open it once."""

    __tablename__ = "live_burn_alerts"
    __table_args__ = (
        UniqueConstraint("agreement_id", "objective_index", "rule", "started_at"),
        Index(
            "uq_live_burn_alerts_open",
            "agreement_id",
            "objective_index",
            "rule",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    objective_index: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(20))  # fast, medium, slow
    severity: Mapped[str] = mapped_column(String(20))  # page, ticket
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    notified: Mapped[list[Any]] = mapped_column(JSON, default=list)
