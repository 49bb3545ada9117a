"""Rejected rows: their true line numbers, their raw values, the `<file>.rejects.csv` that a user
can fix and import again (the mapping ignores the three extra columns), the `<file>.problems.csv`
listing every problem of a file refused whole, and where either may be written. Cells a
spreadsheet would evaluate as a formula are written with a leading apostrophe (csv_cells.py)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from slaforge.adapters.background.importers.csv_reading import text_encoding
from slaforge.adapters.background.importers.sources import SourceFile, open_member, raw_rows
from slaforge.adapters.background.importers.spec import MappingSpec
from slaforge.domain.errors import RowProblem
from slaforge.domain.platform.csv_cells import safe_row

REJECT_COLUMNS = ("row", "column", "reason")
PROBLEM_COLUMNS = ("file", "row", "column", "value", "reason")
REJECTS_SUFFIX = ".rejects.csv"
PROBLEMS_SUFFIX = ".problems.csv"


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
        text = io.TextIOWrapper(fh, encoding=text_encoding(mapping.encoding), newline="")
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


def values_by_row(
    src: SourceFile,
    mapping: MappingSpec,
    lines: dict[int, int],
    problems: Sequence[RowProblem],
    *,
    chunk_rows: int,
) -> dict[int, dict[str, str]]:
    """The raw values of the rows these problems name, by row number (`lines`: record → row)."""
    line_of = {line: rec for rec, line in lines.items()}
    recs = {line_of[p.row] for p in problems if p.row in line_of}
    _lines, values = locate(src, mapping, recs, with_values=True, chunk_rows=chunk_rows)
    return {lines[rec]: v for rec, v in values.items()}


def target_for(path: Path, suffix: str, *, folder: Path | None, fallback: Path, tag: str) -> Path:
    """Where `<input name><suffix>` goes: in `folder` when the caller chose one (an upload's own
    folder), else in `fallback`, slaforge's data folder (named with `tag`, so inputs of the same
    name from different folders do not overwrite each other's). Never beside the input: that is
    the user's folder, which slaforge only reads."""
    name = path.name + suffix
    if folder is not None:
        return folder / name
    return fallback / f"{tag}-{name}"


def write_problems(target: Path, problems: Sequence[RowProblem], values: dict[int, dict[str, str]]) -> Path:
    """Every problem, one a line: file, row, column, the cell's raw value (when known), reason."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(PROBLEM_COLUMNS)
        for p in problems:
            raw = values.get(p.row, {}) if p.row is not None else {}
            cell = raw.get(p.column, "") if p.column else ""
            row = [p.file or "", "" if p.row is None else p.row, p.column or "", cell, p.reason]
            writer.writerow(safe_row(row))
    return target


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
        writer.writerow(safe_row([*REJECT_COLUMNS, *columns]))
        for row, items in sorted(by_row.items(), key=lambda kv: kv[0] or 0):
            raw = values.get(row, {}) if row is not None else {}
            line = [
                row if row is not None else "",
                "; ".join(dict.fromkeys(p.column or "" for p in items)),
                "; ".join(p.reason for p in items),
                *(raw.get(c, "") for c in columns),
            ]
            writer.writerow(safe_row(line))
    return target
