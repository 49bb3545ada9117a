"""What every importer shares: rejected rows, the all-or-nothing error, and file hashing."""

from __future__ import annotations

import hashlib
from pathlib import Path

from slaforge.domain.errors import ImportRejected, RowProblem

# A rejected row is a RowProblem; the alias keeps the name the database layer already uses.
Rejection = RowProblem

__all__ = ["ImportRejected", "Rejection", "RowProblem", "file_sha256"]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
