"""The audit chain's entries as the agreement pages list them (newest first)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import AuditEntry


class TrailQueries:
    _session: Session

    def audit_entries_newest(self, limit: int, offset: int = 0) -> list[AuditEntry]:
        stmt = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit).offset(offset)
        return list(self._session.scalars(stmt).all())
