"""Queries of the audit chain: its entries and the head row that writers lock to take their turn."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from slaforge.adapters.db.models.platform.audit import AuditEntry, AuditHead
from slaforge.adapters.db.scoping import AUDIT_APPEND

HEAD_ID = 1


class AuditQueries:
    _session: Session

    def audit_head_for_update(self) -> AuditHead | None:
        """The head row, locked until commit (SELECT … FOR UPDATE on PostgreSQL; SQLite's single
        writer lock does the same), so concurrent writers take their places in the chain one by one.
        This and the next two queries are the writer's, so they see the chain under any tenancy
        scope (a customer user's action is recorded too); the readers below stay scoped."""
        stmt = select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
        return self._session.scalars(stmt, execution_options={AUDIT_APPEND: True}).one_or_none()

    def audit_head(self) -> AuditHead | None:
        return self._session.get(AuditHead, HEAD_ID)

    def audit_last_entry(self) -> tuple[int, str] | None:
        """The (seq, hash) of the newest entry, or None for an empty log."""
        stmt = select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        last = self._session.execute(stmt, execution_options={AUDIT_APPEND: True}).first()
        return (last[0], last[1]) if last else None

    def audit_entry_count(self) -> int:
        stmt = select(func.count()).select_from(AuditEntry)
        return self._session.scalar(stmt, execution_options={AUDIT_APPEND: True}) or 0

    def audit_entries_in_order(self) -> Iterator[AuditEntry]:
        """Every entry, oldest first, streamed; closed even when the caller stops early (a
        server-side cursor on PostgreSQL)."""
        stmt = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000)
        with self._session.scalars(stmt) as result:
            yield from result

    def audit_entries_for(self, subject_type: str, subject_id: str) -> list[AuditEntry]:
        stmt = (
            select(AuditEntry)
            .where(AuditEntry.subject_type == subject_type, AuditEntry.subject_id == subject_id)
            .order_by(AuditEntry.seq)
        )
        return list(self._session.scalars(stmt))
