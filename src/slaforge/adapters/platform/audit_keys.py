"""Loading the audit keys from where they live outside the database: SLAFORGE_AUDIT_KEY (and
SLAFORGE_AUDIT_RETIRED_KEYS), else a key file of ID:SECRET lines, made on first use outside
production so that development, tests and the demo seal their logs too."""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from slaforge.domain.platform.audit_keys import AuditKey, AuditKeyError, AuditKeyRing, parse_key, parse_keys


def load_key_ring(*, key: str, retired: str, key_file: Path, create_file: bool) -> AuditKeyRing:
    """The keys configured: `key` (ID:SECRET) seals when given, else the key file's first line;
    the file's other lines and `retired` only verify. `create_file`: make the file with a fresh
    key when it does not exist (never in production, where a key must be configured)."""
    old = parse_keys(retired, where="SLAFORGE_AUDIT_RETIRED_KEYS")
    if key.strip():
        return AuditKeyRing(parse_key(key, where="SLAFORGE_AUDIT_KEY"), tuple(old))
    if not key_file.exists():
        if not create_file:
            raise AuditKeyError(
                f"the audit key file {key_file} does not exist: set SLAFORGE_AUDIT_KEY (ID:SECRET) "
                "or SLAFORGE_AUDIT_KEY_FILE"
            )
        _create_key_file(key_file)
    keys = _read_key_file(key_file)
    return AuditKeyRing(keys[0], (*keys[1:], *old))


def _read_key_file(path: Path) -> list[AuditKey]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AuditKeyError(f"the audit key file {path} cannot be read: {exc.strerror}") from exc
    keys = [
        parse_key(line, where=f"{path} line {n}")
        for n, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not keys:
        raise AuditKeyError(f"the audit key file {path} holds no key (expected ID:SECRET lines)")
    return keys


def new_key_line(now: datetime | None = None) -> str:
    """A fresh key as an ID:SECRET line; the id says when it was made, for rotation."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d")
    return f"k{stamp}-{secrets.token_hex(3)}:{secrets.token_urlsafe(48)}"


def _create_key_file(path: Path) -> None:
    """Readable by its owner only; made exclusively, so two processes starting at once end up
    with the same key (the loser reads the winner's file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("# slaforge audit keys: the first line seals, the others only verify. Keep a copy.\n")
        out.write(new_key_line() + "\n")
