"""Read a CSV export as dict rows, straight from a .csv file or from inside a .zip archive."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from slaforge.domain.errors import InvalidInput


@contextmanager
def csv_rows(path: Path, *, required: Sequence[str] = ()) -> Iterator[Iterator[dict[str, str]]]:
    """Rows as dicts keyed by the header; a zip must hold exactly one .csv member.

    Streams: the file is never loaded whole, so a large export costs memory only for what the
    caller keeps. Missing `required` columns are reported all at once, before any row is read.
    """
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}", field="file", value=str(path))
    with _open_text(path) as text:
        reader = csv.DictReader(text)
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            raise InvalidInput(
                f"{path.name} lacks the column(s) {', '.join(missing)}; found: {', '.join(header) or 'none'}",
                field=missing[0],
                value=str(path),
            )
        yield ({k: (v if v is not None else "") for k, v in row.items() if k is not None} for row in reader)


@contextmanager
def _open_text(path: Path) -> Iterator[io.TextIOBase]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [n for n in archive.namelist() if n.lower().endswith(".csv") and not n.startswith("__")]
            if len(members) != 1:
                raise InvalidInput(
                    f"{path.name} must hold exactly one .csv file, found {len(members)}",
                    field="file",
                    value=str(path),
                )
            with archive.open(members[0]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        return
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield fh
