"""Writing and verifying the audit chain; `record` joins the caller's transaction."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from slaforge.adapters.db.models.platform.audit import AuditEntry, AuditHead
from slaforge.domain.platform.audit import (
    GENESIS,
    ChainEnd,
    ChainProblem,
    entry_hash,
    verify_chain,
    verify_head,
)
from slaforge.services.unit_of_work import UnitOfWork

HEAD_ID = 1


def _head(session: Session) -> AuditHead:
    """The head row, locked until commit (SELECT … FOR UPDATE on PostgreSQL; SQLite's single
    writer lock does the same), so concurrent writers take their places in the chain one by one."""
    head = session.scalars(select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()).one_or_none()
    if head is None:  # a database the migration did not backfill: start from the chain's end
        last = session.execute(
            select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).first()
        count = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        head = AuditHead(
            id=HEAD_ID, last_seq=last[0] if last else 0, last_hash=last[1] if last else GENESIS, entries=count
        )
        session.add(head)
        session.flush()
    return head


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str | int,
    at: datetime,
    data: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction, so the change, its record and the chain's
    head commit together."""
    head = _head(session)
    seq, prev = head.last_seq + 1, head.last_hash
    entry = AuditEntry(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        data=dict(data or {}),
        prev_hash=prev,
        hash="",
    )
    entry.hash = entry_hash(prev, entry.hashed_fields())
    session.add(entry)
    head.last_seq, head.last_hash, head.entries = seq, entry.hash, head.entries + 1
    session.flush()
    return entry


@dataclass(frozen=True, slots=True)
class ChainReport:
    entries: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _rows(session: Session) -> Generator[tuple[int, dict[str, Any], str, str], None, None]:
    stmt = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=2000)
    # Closed even when verification stops at the first bad entry (a server-side cursor on PostgreSQL).
    with session.scalars(stmt) as result:
        for entry in result:
            yield entry.seq, entry.hashed_fields(), entry.prev_hash, entry.hash


def verify(*, uow: UnitOfWork) -> ChainReport:
    """Recompute every hash in order and report the first entry that does not match; then compare
    the chain's end with its head, which names entries removed from the end."""
    with uow:
        s = uow.session
        count = s.scalar(select(func.count()).select_from(AuditEntry)) or 0
        rows = _rows(s)
        try:
            problem = verify_chain(rows)
        finally:
            rows.close()
        if problem is not None:
            return ChainReport(entries=count, problem=problem)
        head = s.get(AuditHead, HEAD_ID)
        if head is None:
            return ChainReport(
                entries=count, problem=None if count == 0 else ChainProblem(0, "the head is missing")
            )
        last = s.execute(
            select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).first()
        found = ChainEnd(last[0], last[1], count) if last else ChainEnd(0, GENESIS, 0)
        recorded = ChainEnd(head.last_seq, head.last_hash, head.entries)
        return ChainReport(entries=count, problem=verify_head(found, recorded))


def entries_for(*, uow: UnitOfWork, subject_type: str, subject_id: str | int) -> list[AuditEntry]:
    with uow:
        stmt = (
            select(AuditEntry)
            .where(AuditEntry.subject_type == subject_type, AuditEntry.subject_id == str(subject_id))
            .order_by(AuditEntry.seq)
        )
        return list(uow.session.scalars(stmt))
