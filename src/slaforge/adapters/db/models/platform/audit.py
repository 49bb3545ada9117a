"""The append-only audit log: each row carries the seal of the one before it and the id of the
audit key it was sealed under."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_subject", "subject_type", "subject_id"),)

    # `seq` is unique and gap-free: two writers racing for the same place cannot both commit.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(100), index=True)
    subject_type: Mapped[str] = mapped_column(String(50))
    subject_id: Mapped[str] = mapped_column(String(100))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The audit key the entry was sealed under (HMAC-SHA-256); None: written before migration
    # 0010, hashed with plain SHA-256 (see domain/platform/audit.py).
    key_id: Mapped[str | None] = mapped_column(String(40), nullable=True, default=None)

    def hashed_fields(self) -> dict[str, Any]:
        """What the hash covers: everything but the hashes themselves."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(timespec="microseconds"),
            "actor": self.actor,
            "action": self.action,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "data": self.data,
        }


class AuditHead(Base):
    """The chain's end as the writers left it (one row, id 1): entries deleted from the end of the
    chain leave no broken link, but they leave the chain shorter than its head says."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer)  # 0: no entry yet
    last_hash: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(Integer)
