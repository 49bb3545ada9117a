"""The audit keys: the one that seals new entries and checkpoints, and the retired ones that only
verify what was sealed under them. They live outside the database (settings or a key file), so
whoever can write the database alone cannot re-seal a rewritten chain."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from slaforge.domain.errors import SlaforgeError

KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
MIN_SECRET = 32


class AuditKeyError(SlaforgeError):
    """A key that cannot be used (malformed, too short, named twice), or none configured."""


@dataclass(frozen=True, slots=True)
class AuditKey:
    id: str
    secret: bytes

    def seal(self, message: str) -> str:
        """HMAC-SHA-256 of `message` under this key, as 64 hex digits."""
        return hmac.new(self.secret, message.encode("utf-8"), hashlib.sha256).hexdigest()

    def __repr__(self) -> str:  # never print the secret
        return f"AuditKey(id={self.id!r})"


def parse_key(text: str, *, where: str) -> AuditKey:
    """One key written as ID:SECRET; `where` names its source in the error."""
    key_id, sep, secret = text.strip().partition(":")
    if not sep:
        raise AuditKeyError(f"{where}: an audit key is written ID:SECRET (no ':' found)")
    if not KEY_ID.match(key_id):
        raise AuditKeyError(
            f"{where}: the key id {key_id!r} must be 1-40 letters, digits, '.', '_' or '-'"
        )
    if len(secret) < MIN_SECRET:
        raise AuditKeyError(
            f"{where}: the secret of key {key_id!r} has {len(secret)} characters; "
            f"at least {MIN_SECRET} are needed"
        )
    return AuditKey(key_id, secret.encode("utf-8"))


def parse_keys(text: str, *, where: str) -> list[AuditKey]:
    """Comma-separated ID:SECRET keys (empty text: none)."""
    parts = [part for part in text.split(",") if part.strip()]
    return [parse_key(part, where=f"{where} key {i}".strip()) for i, part in enumerate(parts, 1)]


@dataclass(frozen=True, slots=True)
class AuditKeyRing:
    """`current` seals; every key in the ring (current and retired) verifies."""

    current: AuditKey
    retired: tuple[AuditKey, ...] = ()

    def __post_init__(self) -> None:
        ids = [self.current.id, *(k.id for k in self.retired)]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise AuditKeyError(f"audit key id(s) configured more than once: {', '.join(twice)}")

    def get(self, key_id: str) -> AuditKey | None:
        return next((k for k in (self.current, *self.retired) if k.id == key_id), None)

    @property
    def ids(self) -> list[str]:
        return [self.current.id, *(k.id for k in self.retired)]
