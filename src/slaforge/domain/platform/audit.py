"""The tamper-evident audit chain: each entry's seal covers its content and the seal before it.

Entries are sealed with HMAC-SHA-256 under an audit key held outside the database (see
`audit_keys`), and each names the key it was sealed under, so that keys can be rotated. Entries
written before keys existed (migration 0010) carry no key id and a plain SHA-256 hash: they are
accepted only as the start of the chain and only once a keyed entry follows them, whose seal then
covers their last hash (and so all of them); see docs/security.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from slaforge.domain.platform.audit_keys import AuditKey, AuditKeyRing
from slaforge.domain.platform.canonical import canonical_json

GENESIS = "0" * 64


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """The unkeyed (pre-0010) hash: plain SHA-256 of the entry's fields chained to the hash before
    it. Anyone who can write the database can recompute it; kept only to verify old entries."""
    body = canonical_json({"prev": prev_hash, "entry": dict(entry)})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def seal_entry(key: AuditKey, prev_hash: str, entry: Mapping[str, Any]) -> str:
    """The keyed hash of one entry: HMAC-SHA-256 under `key` of its fields, the key's id and the
    hash before it."""
    return key.seal(canonical_json({"prev": prev_hash, "key": key.id, "entry": dict(entry)}))


@dataclass(frozen=True, slots=True)
class ChainProblem:
    seq: int
    reason: str


@dataclass(frozen=True, slots=True)
class ChainRow:
    seq: int
    fields: Mapping[str, Any]
    prev_hash: str
    hash: str
    key_id: str | None  # None: an unkeyed entry from before migration 0010


@dataclass(frozen=True, slots=True)
class ChainEnd:
    """Where a chain ends: its last entry's number and hash, and how many entries it holds."""

    last_seq: int
    last_hash: str
    entries: int


@dataclass(slots=True)
class ChainWalk:
    """What reading the chain once found: its first problem, its end, how many entries are
    unkeyed, which keys sealed it, and the hash and count at the positions asked for (checkpoints)."""

    problem: ChainProblem | None = None
    end: ChainEnd = field(default_factory=lambda: ChainEnd(0, GENESIS, 0))
    unkeyed: int = 0
    keys_used: dict[str, int] = field(default_factory=dict)
    hashes_at: dict[int, tuple[str, int]] = field(default_factory=dict)


def _row_problem(row: ChainRow, keys: AuditKeyRing, keyed_before: bool) -> str | None:
    if row.key_id is None:
        if keyed_before:
            return (
                "it is unkeyed (plain SHA-256) yet follows keyed entries: "
                "it was rewritten without the audit key"
            )
        if entry_hash(row.prev_hash, row.fields) != row.hash:
            return "its content was changed after it was written"
        return None
    key = keys.get(row.key_id)
    if key is None:
        return (
            f"it was sealed with audit key '{row.key_id}', which is not configured "
            f"(configured: {', '.join(keys.ids)}; add a retired key to SLAFORGE_AUDIT_RETIRED_KEYS)"
        )
    if seal_entry(key, row.prev_hash, row.fields) != row.hash:
        return (
            f"its seal does not match audit key '{key.id}': it was changed after it was written, "
            "or re-sealed without the key"
        )
    return None


def walk_chain(rows: Iterable[ChainRow], keys: AuditKeyRing, *, positions: Iterable[int] = ()) -> ChainWalk:
    """Check rows in order, keeping the first broken entry; reading goes on to the end so that
    the chain's end and the hashes at `positions` are known even after a problem."""
    walk = ChainWalk()
    wanted = set(positions)
    expected_prev, expected_seq, keyed_before = GENESIS, None, False
    for count, row in enumerate(rows, 1):
        problem: str | None = None
        if expected_seq is not None and row.seq != expected_seq:
            problem = f"entry {expected_seq} is missing"
        elif row.prev_hash != expected_prev:
            problem = "its link to the entry before it is broken"
        else:
            problem = _row_problem(row, keys, keyed_before)
        if problem is not None and walk.problem is None:
            walk.problem = ChainProblem(row.seq, problem)
        if row.key_id is None:
            walk.unkeyed += 1
        else:
            keyed_before = True
            walk.keys_used[row.key_id] = walk.keys_used.get(row.key_id, 0) + 1
        if row.seq in wanted:
            walk.hashes_at[row.seq] = (row.hash, count)
        expected_prev, expected_seq = row.hash, row.seq + 1
        walk.end = ChainEnd(row.seq, row.hash, count)
    if walk.problem is None and walk.unkeyed and not keyed_before:
        walk.problem = ChainProblem(
            walk.end.last_seq,
            f"all {walk.unkeyed} entries are unkeyed (plain SHA-256, which anyone who can write the "
            "database can recompute) and no keyed entry seals them; check them, then run "
            "`slaforge audit seal-legacy`",
        )
    return walk


def verify_head(found: ChainEnd, head: ChainEnd) -> ChainProblem | None:
    """Compare the end of an intact chain with the head the writers recorded; None when they agree.
    Catches what the links cannot: entries removed from the end, or the whole log emptied."""
    if found == head:
        return None
    recorded = f"the head records {head.entries} entries ending in #{head.last_seq}"
    if found.last_seq < head.last_seq:
        after = f"entries after #{found.last_seq}" if found.last_seq else "all entries"
        return ChainProblem(found.last_seq, f"{after} were removed: {recorded}")
    if found.last_seq > head.last_seq:
        return ChainProblem(
            found.last_seq, f"entries after #{head.last_seq} were added without the head: {recorded}"
        )
    return ChainProblem(found.last_seq, f"the last entry is not the one written: {recorded}")
