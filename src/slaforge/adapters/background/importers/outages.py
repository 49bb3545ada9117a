"""Outage exports (service, start, end, planned or not) read through a mapping, in chunks.

Each row is one outage, or one per service when the service column lists several (`split`,
e.g. GitHub's "Actions|Pages"): then the outage id is `<id>/<service>`, so each service's share
of an incident is stored, and found again on a re-import, on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from slaforge.adapters.background.importers.normalize import PROBLEM_SCHEMA, ctx_of, problems_of
from slaforge.adapters.background.importers.pipeline import DEFAULT_CHUNK_ROWS, check_columns
from slaforge.adapters.background.importers.rejects import (
    locate,
    values_by_row,
    write_problems,
    write_rejects,
)
from slaforge.adapters.background.importers.sources import REC, open_source, read_batches
from slaforge.adapters.background.importers.spec import OutageMapping
from slaforge.adapters.background.importers.values import Read, clean, instant, text
from slaforge.domain.errors import RowProblem

OUTAGE_COLUMNS = ("external_id", "service", "started_at", "ended_at", "planned", "description", REC)


def outage_columns(mapping: OutageMapping) -> tuple[set[str], set[str]]:
    c = mapping.columns
    specs = [s for s in (c.id, c.service, c.start, c.end, c.description) if s is not None]
    used = {col for s in specs for col in s.columns()}
    if mapping.planned is not None:
        used.add(mapping.planned.column)
    return used, {col for s in specs if s.optional for col in s.columns()}


def normalize_outages(
    frame: pl.DataFrame, mapping: OutageMapping, timezone: str | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(outages with OUTAGE_COLUMNS, problems with PROBLEM_SCHEMA) for one batch."""
    ctx, c = ctx_of(mapping, timezone), mapping.columns
    reads = {
        "id": text(frame, c.id.model_copy(update={"required": True}), ctx, "outage id"),
        "start": instant(frame, c.start.model_copy(update={"required": True}), ctx),
    }
    if c.end is not None:
        reads["end"] = instant(frame, c.end, ctx)
    if c.description is not None:
        reads["description"] = text(frame, c.description, ctx, "description")
    start, end = reads["start"].values, reads["end"].values if "end" in reads else None
    if end is not None:
        backwards = end.is_not_null() & start.is_not_null() & (end < start)
        why = "ends before it starts (" + start.dt.to_string("%Y-%m-%d %H:%M:%S UTC") + ")"
        reads["order"] = Read(
            end, pl.select(pl.when(backwards).then(why)).to_series(), c.end.column if c.end else None
        )
    planned = pl.Series([False] * frame.height)
    if mapping.planned is not None:
        pattern = re.compile(mapping.planned.pattern)
        texts = clean(frame[mapping.planned.column], ctx).fill_null("").to_list()
        planned = pl.Series([bool(pattern.search(t)) for t in texts], dtype=pl.Boolean)
    base = pl.DataFrame(
        {
            REC: frame[REC],
            "external_id": reads["id"].values,
            "started_at": start,
            "ended_at": end if end is not None else pl.Series([None] * frame.height, dtype=start.dtype),
            "planned": planned,
            "description": reads["description"].values.fill_null("") if "description" in reads else "",
        }
    )
    services, service_problems = _services(frame, mapping, ctx)
    problems = problems_of(reads, frame[REC], reads["id"].values)
    problems = pl.concat([problems, service_problems]).sort(REC, "column", maintain_order=True)
    out = base.join(services, on=REC, how="inner", maintain_order="left")
    if mapping.columns.service.split is not None:
        out = out.with_columns((pl.col("external_id") + "/" + pl.col("service")).alias("external_id"))
    out = out.filter(~pl.col(REC).is_in(problems[REC].implode()))
    return out.select(OUTAGE_COLUMNS), problems


def _services(frame: pl.DataFrame, mapping: OutageMapping, ctx: object) -> tuple[pl.DataFrame, pl.DataFrame]:
    spec = mapping.columns.service
    assert spec.column is not None or spec.template is not None
    if spec.split is None or spec.column is None:
        read = text(frame, spec.model_copy(update={"required": True}), ctx_of(mapping), "service")
        names = pl.DataFrame({REC: frame[REC], "service": read.values})
    else:
        parts = clean(frame[spec.column], ctx_of(mapping)).str.split(spec.split)
        exploded = pl.DataFrame({REC: frame[REC], spec.column: parts}).explode(spec.column)
        exploded = exploded.with_columns(pl.col(spec.column).str.strip_chars())
        single = spec.model_copy(update={"split": None, "required": True})
        read = text(exploded, single, ctx_of(mapping), "service")
        names = pl.DataFrame({REC: exploded[REC], "service": read.values}).unique(maintain_order=True)
        frame = exploded
    problems = problems_of({"service": read}, frame[REC], pl.Series([None] * frame.height, dtype=pl.String))
    return names.filter(pl.col("service").is_not_null()), problems.select(list(PROBLEM_SCHEMA))


class OutageFile:
    """One outage export: `check()` finds every problem, `chunks()` yields the good outages."""

    def __init__(
        self,
        path: Path,
        mapping: OutageMapping,
        *,
        timezone: str | None = None,
        chunk_rows: int = DEFAULT_CHUNK_ROWS,
    ) -> None:
        self.path, self.mapping, self.timezone, self.chunk_rows = path, mapping, timezone, chunk_rows
        self.src = open_source(path, mapping)
        self.used, optional = outage_columns(mapping)
        check_columns(self.src, self.used, optional, mapping.name)
        self.rows_read = 0
        self._problems: list[pl.DataFrame] = []
        self._lines: dict[int, int] = {}

    def __enter__(self) -> OutageFile:
        return self  # nothing to clean up; a context manager as TicketFile is, so both read alike

    def __exit__(self, *exc: object) -> None:
        return None

    def _batches(self) -> Iterator[tuple[int, pl.DataFrame, pl.DataFrame]]:
        for raw in read_batches(self.src, self.mapping, chunk_rows=self.chunk_rows, columns=self.used):
            yield raw.height, *normalize_outages(raw, self.mapping, self.timezone)

    def check(self) -> int:
        """Read every row and record its problems; nothing is kept in memory but the problems."""
        self.rows_read = 0
        for height, _outages, problems in self._batches():
            self.rows_read += height
            if not problems.is_empty():
                self._problems.append(problems)
        return self.rows_read

    @property
    def has_problems(self) -> bool:
        return bool(self._problems)

    def chunks(self) -> Iterator[pl.DataFrame]:
        """The good outages, a chunk at a time (the file is read again: nothing was kept)."""
        for _height, outages, _problems in self._batches():
            if outages.height:
                yield outages

    def problems(self) -> list[RowProblem]:
        own = pl.concat(self._problems) if self._problems else pl.DataFrame(schema=PROBLEM_SCHEMA)
        recs = set(own[REC].to_list())
        self._lines, _ = locate(self.src, self.mapping, recs, with_values=False, chunk_rows=self.chunk_rows)
        return [
            RowProblem(self._lines[rec], col, why, self.path.name) for rec, _t, col, why in own.iter_rows()
        ]

    def _values(self, problems: list[RowProblem]) -> dict[int, dict[str, str]]:
        return values_by_row(self.src, self.mapping, self._lines, problems, chunk_rows=self.chunk_rows)

    def save_rejects(self, problems: list[RowProblem], target: Path) -> Path:
        """`<file>.rejects.csv` (or `target`): each rejected row with its reasons and raw values."""
        return write_rejects(target, problems, self._values(problems), self.src.header)

    def save_problems(self, problems: list[RowProblem], target: Path) -> Path:
        """Every problem with its file, row, column and the cell's raw value (a file refused whole)."""
        return write_problems(target, problems, self._values(problems))
