"""Writing and verifying the audit chain; `record` joins the caller's transaction."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slaforge.adapters.db.models.platform.audit import AuditEntry, AuditHead
from slaforge.adapters.db.platform.audit import HEAD_ID
from slaforge.domain.platform.audit import (
    GENESIS,
    ChainEnd,
    ChainProblem,
    entry_hash,
    verify_chain,
    verify_head,
)
from slaforge.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from slaforge.adapters.db.platform.repository import PlatformRepository


def _head(repo: PlatformRepository) -> AuditHead:
    """The head row, locked until commit; a database the migration did not backfill starts it
    from the chain's end."""
    head = repo.audit_head_for_update()
    if head is None:
        last = repo.audit_last_entry()
        head = AuditHead(
            id=HEAD_ID,
            last_seq=last[0] if last else 0,
            last_hash=last[1] if last else GENESIS,
            entries=repo.audit_entry_count(),
        )
        repo.add(head)
        repo.flush()
    return head


def record(
    uow: UnitOfWork,
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
    repo = uow.platform
    head = _head(repo)
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
    repo.add(entry)
    head.last_seq, head.last_hash, head.entries = seq, entry.hash, head.entries + 1
    repo.flush()
    return entry


@dataclass(frozen=True, slots=True)
class ChainReport:
    entries: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _rows(repo: PlatformRepository) -> Generator[tuple[int, dict[str, Any], str, str], None, None]:
    for entry in repo.audit_entries_in_order():
        yield entry.seq, entry.hashed_fields(), entry.prev_hash, entry.hash


def verify(*, uow: UnitOfWork) -> ChainReport:
    """Recompute every hash in order and report the first entry that does not match; then compare
    the chain's end with its head, which names entries removed from the end."""
    with uow:
        repo = uow.platform
        count = repo.audit_entry_count()
        rows = _rows(repo)
        try:
            problem = verify_chain(rows)
        finally:
            rows.close()
        if problem is not None:
            return ChainReport(entries=count, problem=problem)
        head = repo.audit_head()
        if head is None:
            return ChainReport(
                entries=count, problem=None if count == 0 else ChainProblem(0, "the head is missing")
            )
        last = repo.audit_last_entry()
        found = ChainEnd(last[0], last[1], count) if last else ChainEnd(0, GENESIS, 0)
        recorded = ChainEnd(head.last_seq, head.last_hash, head.entries)
        return ChainReport(entries=count, problem=verify_head(found, recorded))


def entries_for(*, uow: UnitOfWork, subject_type: str, subject_id: str | int) -> list[AuditEntry]:
    with uow:
        return uow.platform.audit_entries_for(subject_type, str(subject_id))
