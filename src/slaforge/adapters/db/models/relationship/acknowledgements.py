"""Live state beside the terms: a customer's acknowledgement of one of its responsibilities in one
version of an agreement. Not part of the terms (the version stays frozen): who acknowledged, when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime


class ResponsibilityAcknowledgement(Base):
    """Once per activity of a version: the first customer user to acknowledge it is recorded, a
    repeat (or a concurrent request) finds that row (the unique constraint decides, not a lookup)."""

    __tablename__ = "responsibility_acknowledgements"
    __table_args__ = (UniqueConstraint("version_id", "activity_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    # Named here: the conventional name would pass PostgreSQL's 63-character limit.
    version_id: Mapped[int] = mapped_column(
        ForeignKey("agreement_versions.id", name="fk_responsibility_acks_version_id")
    )
    activity_key: Mapped[str] = mapped_column(String(50))
    user: Mapped[str] = mapped_column(String(254))  # the acting user's e-mail, as the audit log names it
    at: Mapped[datetime] = mapped_column(UtcDateTime)
