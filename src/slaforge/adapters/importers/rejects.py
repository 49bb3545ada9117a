"""Rejected rows: their true line numbers, their raw values, and the `<file>.rejects.csv` beside
the input that a user can fix and import again (the mapping ignores the three extra columns)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from slaforge.adapters.importers.sources import SourceFile, open_member, raw_rows
from slaforge.adapters.importers.spec import MappingSpec
from slaforge.domain.errors import RowProblem

REJECT_COLUMNS = ("row", "column", "reason")


def locate(
    src: SourceFile, mapping: MappingSpec, recs: set[int], *, with_values: bool, chunk_rows: int
) -> tuple[dict[int, int], dict[int, dict[str, str]]]:
    """(row number of each record, its raw values when asked).

    The fast CSV reader counts records, not lines; a quoted value spanning lines (a Jira
    description) would shift every later number, so the CSV is read once more with the standard
    library, which knows physical lines. This only happens when something is rejected.
    """
    if not recs:
        return {}, {}
    values: dict[int, dict[str, str]] = {}
    if src.format != "csv":
        if with_values:
            values = raw_rows(src, mapping, recs, chunk_rows=chunk_rows)
        return {r: r + src.row_base for r in recs}, values
    lines: dict[int, int] = {}
    last = max(recs)
    with open_member(src.path, src.member) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
        reader = csv.reader(text, delimiter=mapping.delimiter)
        next(reader, None)
        end, rec = reader.line_num, -1
        for row in reader:
            if not row:  # a blank line is no record (the fast reader skips it too)
                end = reader.line_num
                continue
            rec += 1
            if rec in recs:
                lines[rec] = end + 1
                if with_values:
                    values[rec] = dict(zip(src.header, row, strict=False))
            end = reader.line_num
            if rec >= last:
                break
    return lines, values


def rejects_path(path: Path) -> Path:
    return path.with_name(path.name + ".rejects.csv")


def write_rejects(
    target: Path, problems: Sequence[RowProblem], values: dict[int, dict[str, str]], header: Sequence[str]
) -> Path:
    """One line per rejected row: where, why, then the row as it was read."""
    by_row: dict[int | None, list[RowProblem]] = defaultdict(list)
    for p in problems:
        by_row[p.row].append(p)
    columns = list(dict.fromkeys([*header, *(k for v in values.values() for k in v)]))
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([*REJECT_COLUMNS, *columns])
        for row, items in sorted(by_row.items(), key=lambda kv: kv[0] or 0):
            raw = values.get(row, {}) if row is not None else {}
            writer.writerow(
                [
                    row if row is not None else "",
                    "; ".join(dict.fromkeys(p.column or "" for p in items)),
                    "; ".join(p.reason for p in items),
                    *(raw.get(c, "") for c in columns),
                ]
            )
    return target
