"""Writing and verifying the audit chain; `record` joins the caller's transaction.

Entries are sealed with the unit of work's current audit key; `verify` re-checks every seal with
the configured keys (current and retired), the head row, and the signed checkpoints it is given;
`checkpoint` signs the end of a verified chain for the caller to keep outside the database."""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slaforge.adapters.db.models.platform.audit import AuditEntry, AuditHead
from slaforge.adapters.db.platform.audit import HEAD_ID
from slaforge.domain.errors import Conflict
from slaforge.domain.platform.accounts import Principal
from slaforge.domain.platform.audit import (
    GENESIS,
    ChainEnd,
    ChainProblem,
    ChainRow,
    ChainWalk,
    seal_entry,
    verify_head,
    walk_chain,
)
from slaforge.domain.platform.audit_checkpoint import Checkpoint, check_checkpoint
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


def actor_name(actor: Principal | None) -> str:
    """Who an entry names: the signed-in user, or the operator (the command line, the demo)."""
    return actor.email if actor is not None else "operator"


def record(
    uow: UnitOfWork,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str | int,
    at: datetime | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction, so the change, its record and the chain's
    head commit together. Sealed under the current audit key: without a key nothing is written.
    `at`: the use case's own time, else the unit of work's clock."""
    at = at or uow.now()
    key = uow.audit_keys.current
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
        key_id=key.id,
    )
    entry.hash = seal_entry(key, prev, entry.hashed_fields())
    repo.add(entry)
    head.last_seq, head.last_hash, head.entries = seq, entry.hash, head.entries + 1
    repo.flush()
    return entry


@dataclass(frozen=True, slots=True)
class ChainReport:
    entries: int
    problems: list[ChainProblem] = field(default_factory=list)
    unkeyed: int = 0
    keys_used: dict[str, int] = field(default_factory=dict)
    checkpoints: int = 0  # how many checkpoints were compared
    latest_checkpoint: Checkpoint | None = None

    @property
    def problem(self) -> ChainProblem | None:
        return self.problems[0] if self.problems else None

    @property
    def ok(self) -> bool:
        return not self.problems


def _rows(repo: PlatformRepository) -> Generator[ChainRow, None, None]:
    for entry in repo.audit_entries_in_order():
        yield ChainRow(entry.seq, entry.hashed_fields(), entry.prev_hash, entry.hash, entry.key_id)


def _walk(uow: UnitOfWork, positions: set[int]) -> ChainWalk:
    rows = _rows(uow.platform)
    try:
        return walk_chain(rows, uow.audit_keys, positions=positions)
    finally:
        rows.close()


def verify(*, uow: UnitOfWork, checkpoints: Sequence[tuple[str, Checkpoint]] = ()) -> ChainReport:
    """Re-check every seal in order and report the first entry that does not match; compare the
    chain's end with its head row (entries removed from the end); then compare it with each signed
    checkpoint (named by `where`, e.g. its file and line), which catches what whoever can write
    the database can hide from the first two: a re-sealed, truncated or emptied chain."""
    with uow:
        repo = uow.platform
        walk = _walk(uow, {cp.seq for _, cp in checkpoints})
        problems: list[ChainProblem] = []
        if walk.problem is not None:
            problems.append(walk.problem)
        else:
            head = repo.audit_head()
            if head is None:
                if walk.end.entries:
                    problems.append(ChainProblem(0, "the head is missing"))
            else:
                recorded = ChainEnd(head.last_seq, head.last_hash, head.entries)
                if (mismatch := verify_head(walk.end, recorded)) is not None:
                    problems.append(mismatch)
        for where, cp in checkpoints:
            if (found := check_checkpoint(cp, where, uow.audit_keys, walk)) is not None:
                problems.append(ChainProblem(cp.seq, found))
        latest = max((cp for _, cp in checkpoints), key=lambda cp: (cp.at, cp.seq), default=None)
        return ChainReport(
            entries=walk.end.entries,
            problems=problems,
            unkeyed=walk.unkeyed,
            keys_used=walk.keys_used,
            checkpoints=len(checkpoints),
            latest_checkpoint=latest,
        )


def checkpoint(*, uow: UnitOfWork, now: datetime) -> Checkpoint:
    """A signed checkpoint of the chain's end, for the caller to keep outside the database.
    Refused (Conflict) when the chain does not verify: a checkpoint would vouch for the tampering."""
    report = verify(uow=uow)
    if report.problem is not None:
        raise Conflict(
            f"no checkpoint written: the audit log does not verify (entry {report.problem.seq}: "
            f"{report.problem.reason})"
        )
    with uow:
        last = uow.platform.audit_last_entry()
        end = ChainEnd(last[0], last[1], report.entries) if last else ChainEnd(0, GENESIS, 0)
        return Checkpoint.sign(key=uow.audit_keys.current, end=end, at=now)


def seal_legacy(*, uow: UnitOfWork, actor: str, now: datetime) -> AuditEntry | None:
    """Seal unkeyed entries (written before migration 0010) under the current key by appending a
    keyed entry after them; None when there are none, or a keyed entry already follows them. The operator runs
    it once, having decided to trust the log as it stands: the seal vouches for it from then on."""
    with uow:
        walk = _walk(uow, set())
        if walk.unkeyed == 0 or walk.keys_used:
            return None  # nothing unkeyed, or a keyed entry already follows (and seals) them
        problem = walk.problem
        if problem is not None and "no keyed entry seals them" not in problem.reason:
            raise Conflict(
                f"not sealed: the audit log does not verify (entry {problem.seq}: {problem.reason})"
            )
        entry = record(
            uow,
            actor=actor,
            action="audit.legacy_sealed",
            subject_type="audit",
            subject_id=walk.end.last_seq,
            at=now,
            data={
                "unkeyed_entries": walk.unkeyed,
                "last_seq": walk.end.last_seq,
                "last_hash": walk.end.last_hash,
            },
        )
        uow.commit()
        return entry


def entries_for(*, uow: UnitOfWork, subject_type: str, subject_id: str | int) -> list[AuditEntry]:
    with uow:
        return uow.platform.audit_entries_for(subject_type, str(subject_id))
