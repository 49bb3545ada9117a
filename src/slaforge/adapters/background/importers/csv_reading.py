"""Reading a CSV export: its header, its encoding, and its rows through pyarrow's streaming reader
on a stream pyarrow reads on its own threads without calling back into Python."""

from __future__ import annotations

import codecs
import csv
import io
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]

ENCODING_HINT = "set `encoding` in the mapping (e.g. latin-1 or cp1252; see docs/mappings.md)"
CSV_BLOCK = 8 << 20  # bytes pyarrow parses at a time; batches are then cut to the chunk size


def is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "utf-8" or encoding.lower().replace("_", "-") == "utf-8-sig"


def text_encoding(encoding: str) -> str:
    """The codec a CSV is decoded with: UTF-8 tolerates a byte-order mark at the start."""
    return "utf-8-sig" if is_utf8(encoding) else encoding


def csv_header(fh: IO[bytes], delimiter: str, encoding: str) -> tuple[str, ...]:
    text = io.TextIOWrapper(fh, encoding=text_encoding(encoding), newline="")
    first = next(csv.reader(text, delimiter=delimiter), [])
    text.detach()
    return unique_names(first)


def unique_names(names: Iterable[str]) -> tuple[str, ...]:
    """Repeated header names (Jira repeats "Labels"; one dataset repeats "Variant") stay apart."""
    out: list[str] = []
    for raw in names:
        name, n = raw.strip(), 1
        while (name if n == 1 else f"{name} ({n})") in out:
            n += 1
        out.append(name if n == 1 else f"{name} ({n})")
    return tuple(out)


def read_csv(
    fh: IO[bytes], where: tuple[Path, str | None], header: tuple[str, ...], delimiter: str, encoding: str,
    wanted: list[str] | None,
) -> Iterator[pl.DataFrame]:  # fmt: skip
    """The CSV's frames (every column text); `where` is (the file, its .zip member or None)."""
    include = [c for c in (wanted or header) if c in header]
    with _native_csv(where, fh, encoding) as stream:
        yield from _csv_frames(stream, header, delimiter, include)


@contextmanager
def _native_csv(where: tuple[Path, str | None], fh: IO[bytes], encoding: str) -> Iterator[Any]:
    """The CSV as a stream pyarrow reads without calling back into Python: its read-ahead runs on
    pyarrow's own threads, and a Python file (a .zip member, a transcoding wrapper) read from
    there aborted the process at exit after a parse error (exit 134) or hung it. A plain UTF-8
    file is read where it lies; a .zip member or another encoding is first spooled, as UTF-8,
    to a temporary file."""
    path, member = where
    if member is None and is_utf8(encoding):
        with pa.OSFile(str(path), "rb") as stream:
            yield stream
        return
    with tempfile.TemporaryDirectory(prefix="slaforge-csv-") as folder:
        spooled = Path(folder) / "utf8.csv"
        with spooled.open("wb") as out:
            if is_utf8(encoding):
                shutil.copyfileobj(fh, out, CSV_BLOCK)
            else:
                text = io.TextIOWrapper(fh, encoding=encoding, newline="")
                while piece := text.read(CSV_BLOCK):
                    out.write(piece.encode("utf-8"))
                text.detach()
        with pa.OSFile(str(spooled), "rb") as stream:
            yield stream


def _csv_frames(
    stream: Any, header: tuple[str, ...], delimiter: str, include: list[str]
) -> Iterator[pl.DataFrame]:
    reader = pacsv.open_csv(
        stream,
        read_options=pacsv.ReadOptions(column_names=list(header), skip_rows=1, block_size=CSV_BLOCK),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in header},
            include_columns=include,
            strings_can_be_null=False,
        ),
    )
    # Closed on every path (a parse error, a caller that stops early): a reader left to the
    # garbage collector at exit races pyarrow's read-ahead threads, which aborted the process
    # ("terminate called without an active exception", exit 134) or hung it.
    try:
        for batch in reader:
            yield arrow_frame(pa.Table.from_batches([batch]))
    finally:
        reader.close()


def arrow_frame(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame
