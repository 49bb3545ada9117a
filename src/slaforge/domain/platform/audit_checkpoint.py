"""Signed checkpoints of the audit chain: its end (sequence, head hash, entry count) at a time,
signed with the audit key and kept outside the database (a file, a webhook receiver). Whoever
rewrites or empties the database cannot make the chain agree with a checkpoint they cannot sign."""

from __future__ import annotations

import dataclasses
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.domain.platform.audit import ChainEnd, ChainWalk
from slaforge.domain.platform.audit_keys import AuditKey, AuditKeyRing
from slaforge.domain.platform.canonical import canonical_json

FIELDS = ("seq", "head_hash", "entries", "at", "key_id", "signature")


@dataclass(frozen=True, slots=True)
class Checkpoint:
    seq: int
    head_hash: str
    entries: int
    at: datetime
    key_id: str
    signature: str

    def _body(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "head_hash": self.head_hash,
            "entries": self.entries,
            "at": self.at.isoformat(timespec="seconds"),
            "key_id": self.key_id,
        }

    @classmethod
    def sign(cls, *, key: AuditKey, end: ChainEnd, at: datetime) -> Checkpoint:
        unsigned = cls(end.last_seq, end.last_hash, end.entries, at.replace(microsecond=0), key.id, "")
        return dataclasses.replace(unsigned, signature=key.seal(canonical_json(unsigned._body())))

    def to_json(self) -> dict[str, Any]:
        return {**self._body(), "signature": self.signature}

    @classmethod
    def from_json(cls, data: Any) -> Checkpoint:
        """Parse one recorded checkpoint; ValueError names the field that is wrong."""
        if not isinstance(data, Mapping):
            raise ValueError("not a JSON object")
        missing = [f for f in FIELDS if f not in data]
        if missing:
            raise ValueError(f"missing field(s): {', '.join(missing)}")
        for name in ("seq", "entries"):
            if not isinstance(data[name], int) or isinstance(data[name], bool) or data[name] < 0:
                raise ValueError(f"'{name}' must be a whole number ≥ 0")
        for name in ("head_hash", "key_id", "signature", "at"):
            if not isinstance(data[name], str):
                raise ValueError(f"'{name}' must be a string")
        try:
            at = datetime.fromisoformat(data["at"])
        except ValueError as exc:
            raise ValueError(f"'at' is not an ISO date and time: {data['at']!r}") from exc
        return cls(data["seq"], data["head_hash"], data["entries"], at, data["key_id"], data["signature"])

    def signed_by(self, key: AuditKey) -> bool:
        return hmac.compare_digest(key.seal(canonical_json(self._body())), self.signature)


def check_checkpoint(cp: Checkpoint, where: str, keys: AuditKeyRing, walk: ChainWalk) -> str | None:
    """What is wrong between one checkpoint and the chain as read, or None when they agree.
    `where` names the checkpoint (its file and line) in the message."""
    key = keys.get(cp.key_id)
    if key is None:
        return (
            f"checkpoint {where} was signed with audit key '{cp.key_id}', which is not configured "
            f"(configured: {', '.join(keys.ids)})"
        )
    if not cp.signed_by(key):
        return f"checkpoint {where} does not match its signature: the checkpoint was edited"
    recorded = f"checkpoint {where} of {cp.at.isoformat()} records {cp.entries} entries ending in #{cp.seq}"
    if cp.seq == 0:
        return None
    if walk.end.last_seq < cp.seq:
        after = f"entries after #{walk.end.last_seq}" if walk.end.entries else "all entries"
        return f"{after} were removed: {recorded}"
    found = walk.hashes_at.get(cp.seq)
    if found is None:
        return f"entry #{cp.seq} is missing: {recorded}"
    if found[0] != cp.head_hash:
        return f"entry #{cp.seq} is not the entry checkpointed, the chain was rewritten: {recorded}"
    if found[1] != cp.entries:
        return f"the chain holds {found[1]} entries up to #{cp.seq}: {recorded}"
    return None
