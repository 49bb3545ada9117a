"""Readiness beside an accepted agreement version (live state, not part of the frozen terms): its
configuration (frozen in canonical JSON with its SHA-256 at go-live), the proofs that a source or a
channel works, and the waivers a manager wrote. One row per (version, item) for proofs and
waivers and one configuration per version, by unique constraints: concurrent writers find the
winner's row instead of adding a second."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime


class ReadinessConfig(Base):
    __tablename__ = "readiness_configs"
    __table_args__ = (UniqueConstraint("version_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"))
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Per objective index (as text): {"signature", "since", "after_ticket_id"} — when its current
    # source was configured, so that only data arriving later proves it.
    sources: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(254))
    went_live_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    went_live_by: Mapped[str | None] = mapped_column(String(254), default=None)
    frozen_json: Mapped[str | None] = mapped_column(Text, default=None)
    frozen_sha256: Mapped[str | None] = mapped_column(String(64), default=None)


class ReadinessProof(Base):
    __tablename__ = "readiness_proofs"
    __table_args__ = (UniqueConstraint("version_id", "item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"))
    item: Mapped[str] = mapped_column(String(80))  # objectives[0].tracking, channels.email
    evidence: Mapped[str] = mapped_column(Text)  # what proved it, in words
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReadinessWaiver(Base):
    __tablename__ = "readiness_waivers"
    __table_args__ = (UniqueConstraint("version_id", "item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"))
    item: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(254))  # the manager's e-mail, as the audit log names it
    at: Mapped[datetime] = mapped_column(UtcDateTime)
