"""Writing and verifying the audit chain; `record` joins the caller's transaction."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from slaforge.adapters.db.models.audit import AuditEntry
from slaforge.domain.audit import GENESIS, ChainProblem, entry_hash, verify_chain
from slaforge.services.unit_of_work import UnitOfWork

# Any constant works: it only has to be the same for every writer of the chain.
_CHAIN_LOCK = 0x51AF0A0D17


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
    """Append one entry in the caller's transaction, so the change and its record commit together."""
    if session.get_bind().dialect.name == "postgresql":
        # Serialise writers until commit; on SQLite the single writer lock does this.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK})
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
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
    """Recompute every hash in order; report the first entry that does not match."""
    with uow:
        count = uow.session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        rows = _rows(uow.session)
        try:
            return ChainReport(entries=count, problem=verify_chain(rows))
        finally:
            rows.close()


def entries_for(*, uow: UnitOfWork, subject_type: str, subject_id: str | int) -> list[AuditEntry]:
    with uow:
        stmt = (
            select(AuditEntry)
            .where(AuditEntry.subject_type == subject_type, AuditEntry.subject_id == str(subject_id))
            .order_by(AuditEntry.seq)
        )
        return list(uow.session.scalars(stmt))
