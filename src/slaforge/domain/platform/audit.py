"""The tamper-evident audit chain: each entry's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from slaforge.domain.platform.canonical import canonical_json

GENESIS = "0" * 64


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """Hash of one entry's fields (not its own hash) chained to the hash before it."""
    body = canonical_json({"prev": prev_hash, "entry": dict(entry)})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainProblem:
    seq: int
    reason: str


def verify_chain(entries: Iterable[tuple[int, Mapping[str, Any], str, str]]) -> ChainProblem | None:
    """Check (seq, fields, prev_hash, hash) rows in order; the first broken entry, or None."""
    expected_prev = GENESIS
    expected_seq: int | None = None
    for seq, fields, prev, own in entries:
        if expected_seq is not None and seq != expected_seq:
            return ChainProblem(seq, f"entry {expected_seq} is missing")
        if prev != expected_prev:
            return ChainProblem(seq, "its link to the entry before it is broken")
        if entry_hash(prev, fields) != own:
            return ChainProblem(seq, "its content was changed after it was written")
        expected_prev, expected_seq = own, seq + 1
    return None


@dataclass(frozen=True, slots=True)
class ChainEnd:
    """Where a chain ends: its last entry's number and hash, and how many entries it holds."""

    last_seq: int
    last_hash: str
    entries: int


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
