"""A ticket export read through a mapping, in two passes, without a database.

1. `check()` reads the file in chunks, turns each chunk into the normal form, records every
   row's problems, and stages the good rows (staging.py); nothing is mapped yet, so the caller
   can refuse the whole file before anything is written.
2. `chunks()` maps the staged rows, a group of complete tickets at a time, to tickets and
   events. A ticket with any bad row is left out whole (a partial history would give wrong
   clocks); its other rows are rejected with a pointer to the bad one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from slaforge.adapters.background.importers.long_layout import map_long
from slaforge.adapters.background.importers.normalize import (
    PROBLEM_SCHEMA,
    ctx_of,
    normalize_tickets,
    source_columns,
)
from slaforge.adapters.background.importers.rejects import (
    locate,
    values_by_row,
    write_problems,
    write_rejects,
)
from slaforge.adapters.background.importers.sources import REC, SourceFile, open_source, read_batches
from slaforge.adapters.background.importers.spec import TicketMapping
from slaforge.adapters.background.importers.staging import TicketStage
from slaforge.adapters.background.importers.wide_layout import map_wide
from slaforge.domain.errors import InvalidInput, RowProblem

DEFAULT_CHUNK_ROWS = 250_000  # rows mapped at once: ~700 MB at peak on a ServiceNow-like log, any file size


@dataclass(frozen=True, slots=True)
class MappedChunk:
    tickets: pl.DataFrame  # events.TICKET_COLUMNS plus the `@attribute` columns
    events: pl.DataFrame  # events.EVENT_COLUMNS


def check_columns(src: SourceFile, used: set[str], optional: set[str], mapping_name: str) -> None:
    """A CSV or Parquet file must have every column the mapping reads (JSON may omit keys)."""
    if not src.header:
        return
    absent = sorted(c for c in used - optional if c not in src.header)
    if absent:
        raise InvalidInput(
            f"{src.path.name} lacks the column(s) {', '.join(absent)} that the mapping '{mapping_name}' "
            f"reads; found: {', '.join(src.header) or 'none'}",
            field=absent[0],
            value=str(src.path),
        )


class TicketFile:
    """One ticket export and its mapping; use as a context manager (it may stage to disk)."""

    def __init__(
        self,
        path: Path,
        mapping: TicketMapping,
        *,
        timezone: str | None = None,
        chunk_rows: int = DEFAULT_CHUNK_ROWS,
    ) -> None:
        if chunk_rows < 1:
            raise InvalidInput("the chunk size must be at least 1 row", field="chunk_rows", value=chunk_rows)
        self.path, self.mapping, self.chunk_rows = path, mapping, chunk_rows
        self.ctx = ctx_of(mapping, timezone)
        self.src = open_source(path, mapping)
        self.used, optional = source_columns(mapping)
        check_columns(self.src, self.used, optional, mapping.name)
        self.rows_read = 0
        self.tickets_left_out = 0  # valid tickets outside the mapping's population (not rejected)
        self._problems: list[pl.DataFrame] = []
        self._bad: dict[str, int] = {}  # ticket → its first bad record
        self._left_out: list[pl.DataFrame] = []  # good rows of bad tickets (rec, ticket)
        self._lines: dict[int, int] = {}  # record → row number, for the records problems name
        self._stage = TicketStage(chunk_rows=chunk_rows, expected_rows=self._expected_rows())

    def __enter__(self) -> TicketFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stage.__exit__(*exc)

    def _expected_rows(self) -> int:
        # Only sizes the staging partitions; a wrong guess costs a second split, not memory.
        return self.src.rows if self.src.rows is not None else self.src.size // 100

    def check(self) -> int:
        """Read every row: problems recorded, good rows staged. Returns the rows read."""
        for raw in read_batches(self.src, self.mapping, chunk_rows=self.chunk_rows, columns=self.used):
            self.rows_read += raw.height
            normal, problems = normalize_tickets(raw, self.mapping, self.ctx)
            if not problems.is_empty():
                self._problems.append(problems)
                firsts = (
                    problems.filter(pl.col("ticket").is_not_null()).group_by("ticket").agg(pl.col(REC).min())
                )
                for ticket, rec in firsts.iter_rows():
                    self._bad[ticket] = min(rec, self._bad.get(ticket, rec))
                normal = normal.filter(~pl.col(REC).is_in(problems[REC].implode()))
            self._stage.add(normal)
        return self.rows_read

    @property
    def has_problems(self) -> bool:
        return bool(self._problems)

    def chunks(self) -> Iterator[MappedChunk]:
        layout = map_long if self.mapping.layout == "long" else map_wide
        bad = pl.Series("ticket", list(self._bad), dtype=pl.String)
        for group in self._stage.groups():
            if len(bad):
                is_bad = pl.col("ticket").is_in(bad.implode())
                self._left_out.append(group.filter(is_bad).select(REC, "ticket"))
                group = group.filter(~is_bad)
            tickets, events = layout(group, self.mapping)
            self.tickets_left_out += group["ticket"].n_unique() - tickets.height  # the population rule
            if tickets.height:
                yield MappedChunk(tickets, events)

    def problems(self) -> list[RowProblem]:
        """Every problem with its row number; after `chunks()`, also the rows left out with their ticket."""
        own = pl.concat(self._problems) if self._problems else pl.DataFrame(schema=PROBLEM_SCHEMA)
        left = (
            pl.concat(self._left_out)
            if self._left_out
            else pl.DataFrame(schema={REC: pl.Int64, "ticket": pl.String})
        )
        recs = set(own[REC].to_list()) | set(left[REC].to_list()) | set(self._bad.values())
        self._lines, _ = locate(self.src, self.mapping, recs, with_values=False, chunk_rows=self.chunk_rows)
        name, id_column = self.path.name, self.mapping.columns.ticket.column
        out = [RowProblem(self._lines[rec], col, reason, name) for rec, _t, col, reason in own.iter_rows()]
        for rec, ticket in left.iter_rows():
            why = f"ticket {ticket} left out: row {self._lines[self._bad[ticket]]} is invalid"
            out.append(RowProblem(self._lines[rec], id_column, why, name))
        return sorted(out, key=lambda p: (p.row or 0, p.column or ""))

    def rows_rejected(self, problems: list[RowProblem]) -> int:
        return len({p.row for p in problems})

    def _values(self, problems: list[RowProblem]) -> dict[int, dict[str, str]]:
        return values_by_row(self.src, self.mapping, self._lines, problems, chunk_rows=self.chunk_rows)

    def save_rejects(self, problems: list[RowProblem], target: Path) -> Path:
        """`<file>.rejects.csv` (or `target`): each rejected row with its reasons and raw values."""
        return write_rejects(target, problems, self._values(problems), self.src.header)

    def save_problems(self, problems: list[RowProblem], target: Path) -> Path:
        """Every problem with its file, row, column and the cell's raw value (a file refused whole)."""
        return write_problems(target, problems, self._values(problems))


def map_in_memory(
    frame: pl.DataFrame,
    mapping: TicketMapping,
    *,
    timezone: str | None = None,
    row_base: int = 2,
    file: str | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, list[RowProblem]]:
    """Rows already in memory (a preview, a test) → (tickets, events, problems).

    `frame` holds source columns as text and `_rec`; row numbers are `_rec + row_base`.
    """
    used, _optional = source_columns(mapping)
    frame = frame.with_columns(pl.lit(None, pl.String).alias(c) for c in used if c not in frame.columns)
    normal, found = normalize_tickets(frame, mapping, ctx_of(mapping, timezone))
    first_bad = found.filter(pl.col("ticket").is_not_null()).group_by("ticket").agg(pl.col(REC).min())
    bad = dict(first_bad.iter_rows())
    good = normal.filter(~pl.col(REC).is_in(found[REC].implode()) & ~pl.col("ticket").is_in(list(bad)))
    layout = map_long if mapping.layout == "long" else map_wide
    tickets, events = layout(good, mapping)
    problems = [RowProblem(rec + row_base, col, why, file) for rec, _t, col, why in found.iter_rows()]
    left = normal.filter(pl.col("ticket").is_in(list(bad)) & ~pl.col(REC).is_in(found[REC].implode()))
    for rec, ticket in left.select(REC, "ticket").iter_rows():
        why = f"ticket {ticket} left out: row {bad[ticket] + row_base} is invalid"
        problems.append(RowProblem(rec + row_base, mapping.columns.ticket.column, why, file))
    return tickets, events, sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
