"""What every importer shares: rejected rows, the all-or-nothing error, and file hashing."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from slaforge.domain.errors import InvalidInput

SHOWN_IN_MESSAGE = 20  # enough to see the pattern of a bad export without flooding a terminal


@dataclass(frozen=True, slots=True)
class Rejection:
    """A row an importer cannot use: `row` is the line in the file (the header is line 1)."""

    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row is not None else []
        if self.column:
            where.append(f"column '{self.column}'")
        return (", ".join(where) + ": " if where else "") + self.reason


class ImportRejected(InvalidInput):
    """An import found bad rows and, by default, wrote nothing; every problem is listed."""

    def __init__(self, file_name: str, rejections: Sequence[Rejection], rows_read: int) -> None:
        shown = [f"  {r}" for r in rejections[:SHOWN_IN_MESSAGE]]
        more = len(rejections) - len(shown)
        if more > 0:
            shown.append(f"  … and {more} more")
        super().__init__(
            f"{file_name}: {len(rejections)} of {rows_read} rows rejected, nothing was imported "
            "(fix them; --keep-good stores the valid incidents and records the rest):\n" + "\n".join(shown),
            value=file_name,
        )
        self.rejections = list(rejections)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
