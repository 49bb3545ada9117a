"""Bringing every row of a ticket together with bounded memory, whatever the file's order.

A long layout needs all rows of a ticket at once, but an export may list them anywhere. Rows
(already in the small normal form) are kept in memory up to one chunk; past that they are
spilled to Arrow IPC files in a temporary directory, partitioned by a hash of the ticket id,
so each partition holds complete tickets. A partition that came out larger than two chunks is
split again the same way (streamed, with another hash seed), so memory stays near one chunk
however large the file; only a single ticket larger than that would exceed it.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]

MAX_PARTITIONS = 256  # open files at once
MAX_DEPTH = 4


class TicketStage:
    def __init__(self, *, chunk_rows: int, expected_rows: int) -> None:
        self.chunk_rows = chunk_rows
        self.expected_rows = expected_rows
        self._buffer: list[pl.DataFrame] = []
        self._buffered = 0
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._spill: _Partitions | None = None

    def __enter__(self) -> TicketStage:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._spill is not None:
            self._spill.close()
        if self._dir is not None:
            self._dir.cleanup()

    @property
    def spilled(self) -> bool:
        return self._spill is not None

    def add(self, frame: pl.DataFrame) -> None:
        if frame.is_empty():
            return
        if self._spill is not None:
            self._spill.write(frame)
            return
        self._buffer.append(frame)
        self._buffered += frame.height
        if self._buffered > self.chunk_rows:
            self._dir = tempfile.TemporaryDirectory(prefix="slaforge-import-")
            parts = math.ceil(max(self.expected_rows, self._buffered) / self.chunk_rows)
            self._spill = _Partitions(Path(self._dir.name) / "p", max(2, min(parts, MAX_PARTITIONS)), seed=0)
            for f in self._buffer:
                self._spill.write(f)
            self._buffer, self._buffered = [], 0

    def groups(self) -> Iterator[pl.DataFrame]:
        """Frames of complete tickets, each about one chunk (or the one frame, if it never spilled)."""
        if self._spill is None:
            if self._buffer:
                yield pl.concat(self._buffer)
            return
        self._spill.close()
        yield from self._drain(self._spill, depth=1)

    def _drain(self, parts: _Partitions, depth: int) -> Iterator[pl.DataFrame]:
        for i, path in enumerate(parts.paths):
            rows = parts.rows[i]
            if rows == 0:
                continue
            if rows > 2 * self.chunk_rows and depth < MAX_DEPTH:
                count = max(2, min(math.ceil(rows / self.chunk_rows), MAX_PARTITIONS))
                sub = _Partitions(path.with_name(f"{path.name}.{depth}"), count, seed=depth)
                with pa.ipc.open_stream(path) as reader:
                    for batch in reader:
                        sub.write(_frame(pa.Table.from_batches([batch])))
                sub.close()
                path.unlink()
                yield from self._drain(sub, depth + 1)
                continue
            with pa.ipc.open_stream(path) as reader:
                yield _frame(reader.read_all())
            path.unlink()


def _frame(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


class _Partitions:
    """`count` Arrow IPC streams; a row goes to the one its ticket id hashes to."""

    def __init__(self, stem: Path, count: int, *, seed: int) -> None:
        self.paths = [stem.with_name(f"{stem.name}-{i}.arrows") for i in range(count)]
        self.rows = [0] * count
        self.seed = seed
        self._writers: list[pa.ipc.RecordBatchStreamWriter | None] = [None] * count

    def write(self, frame: pl.DataFrame) -> None:
        # The hash only has to agree with itself within this run, so Polars' own is fine here.
        part = (frame["ticket"].hash(seed=self.seed) % len(self.paths)).cast(pl.Int64)
        for (index,), piece in (
            frame.with_columns(part.alias("_part"))
            .partition_by("_part", as_dict=True, include_key=False)
            .items()
        ):
            i = int(str(index))
            table = piece.to_arrow()
            writer = self._writers[i]
            if writer is None:
                writer = self._writers[i] = pa.ipc.new_stream(str(self.paths[i]), table.schema)
            writer.write_table(table)
            self.rows[i] += piece.height

    def close(self) -> None:
        for i, w in enumerate(self._writers):
            if w is not None:
                w.close()
                self._writers[i] = None
        for path, rows in zip(self.paths, self.rows, strict=True):
            if rows == 0 and path.exists():
                path.unlink()
