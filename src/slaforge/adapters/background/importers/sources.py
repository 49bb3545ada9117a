"""Reading an export in batches: CSV, JSON, JSON Lines or Parquet, plain, inside a .zip or gzipped
(.gz), the compressed ones behind the limits of archives.py (no bombs, no archive in an archive).

Every batch is a Polars frame of the wanted columns (text, except Parquet's own date-times)
plus `_rec`, a number from which the row's position in the file follows: `rec + row_base` is
the line (CSV: the header is line 1; JSON Lines: the first line is 1) or, in JSON and Parquet,
the record's number. Every format streams (pyarrow's CSV reader, line chunks, `iter_batches`,
and `ijson` for a JSON document's array of records), so memory follows the batch size, not the
file size; only a JSON document's side-loaded arrays (`join`) are held whole, read in a pass of
their own before the records.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ijson  # type: ignore[import-untyped]
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from slaforge.adapters.background.importers.archives import (
    LIMITS,
    capped,
    check_zip,
    gzip_inner_name,
    open_gzip,
    sniff,
)
from slaforge.adapters.background.importers.csv_reading import (
    ENCODING_HINT,
    arrow_frame,
    csv_header,
    read_csv,
    text_encoding,
    unique_names,
)
from slaforge.adapters.background.importers.spec import MappingSpec
from slaforge.domain.errors import InvalidInput

REC = "_rec"
SUFFIXES = {
    ".csv": "csv",
    ".txt": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
__all__ = ["REC", "SourceFile", "open_member", "open_source", "raw_rows", "read_batches", "unique_names"]


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    format: str
    member: str | None  # the member read inside a .zip, or the name of what a .gz holds
    header: tuple[str, ...]  # columns as the importer names them (repeated names get " (2)")
    row_base: int  # row number = _rec + row_base
    size: int  # bytes to read (uncompressed), for sizing the staging
    rows: int | None  # known up front for Parquet and JSON


def open_source(path: Path, mapping: MappingSpec) -> SourceFile:
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}", field="file", value=str(path))
    # The file's own suffix wins: the same mapping reads a CSV export and its Parquet copy.
    member, size, named = None, path.stat().st_size, path
    kind = "zip" if zipfile.is_zipfile(path) else sniff(path)
    if kind == "zip":
        with zipfile.ZipFile(path) as archive:
            check_zip(path, archive)
            member = _pick_member(path, archive, mapping)
            size = min(archive.getinfo(member).file_size, LIMITS.cap(size))
        named = Path(member)
    elif kind == "gzip":
        named = gzip_inner_name(path)
        member, size = named.name, min(size * 10, LIMITS.cap(size))  # an estimate: gzip does not say
    elif kind is not None:
        raise InvalidInput(
            f"{path.name} is compressed with {kind}, which is not read; upload it as .zip, as .gz "
            "or uncompressed",
            field="file",
            value=path.name,
        )
    fmt = SUFFIXES.get(named.suffix.lower()) or mapping.format
    if fmt is None:
        raise InvalidInput(
            f"cannot tell the format of {path.name}; set `format` in the mapping", field="format"
        )
    rows: int | None = None
    with open_member(path, member) as fh:
        if fmt == "csv":
            try:
                header = csv_header(fh, mapping.delimiter, mapping.encoding)
            except UnicodeDecodeError as exc:
                why = f"{path.name} cannot be read as {mapping.encoding}: {exc}; {ENCODING_HINT}"
                raise InvalidInput(why, field="encoding") from exc
        elif fmt == "parquet":
            meta = pq.ParquetFile(fh)
            header, rows = tuple(meta.schema_arrow.names), meta.metadata.num_rows
        else:
            header = ()  # JSON records need not share keys; absent keys read as missing
    return SourceFile(path, fmt, member, header, 2 if fmt == "csv" else 1, size, rows)


def _pick_member(path: Path, archive: zipfile.ZipFile, mapping: MappingSpec) -> str:
    names = [n for n in archive.namelist() if not n.endswith("/") and not n.startswith("__MACOSX")]
    if mapping.zip_member is not None:
        if mapping.zip_member not in names:
            raise InvalidInput(
                f"{path.name} has no member '{mapping.zip_member}'; it holds: {', '.join(names)}",
                field="zip_member",
            )
        return mapping.zip_member
    fits = [n for n in names if Path(n).suffix.lower() in SUFFIXES]
    if len(fits) != 1:
        raise InvalidInput(
            f"{path.name} must hold exactly one data file, found {len(fits)} ({', '.join(fits) or 'none'}); "
            "name one with `zip_member`",
            field="zip_member",
        )
    return fits[0]


@contextmanager
def open_member(path: Path, member: str | None) -> Iterator[IO[bytes]]:
    if member is None:
        with path.open("rb") as fh:
            yield fh
        return
    if not zipfile.is_zipfile(path):
        with open_gzip(path) as fh:
            yield fh
        return
    with zipfile.ZipFile(path) as archive, capped(archive.open(member), path) as raw:
        yield raw


def read_batches(
    src: SourceFile, mapping: MappingSpec, *, chunk_rows: int, columns: Iterable[str] | None = None
) -> Generator[pl.DataFrame]:
    """Batches of at most `chunk_rows` rows; `columns=None` reads every column. A caller that stops
    early closes the generator (`contextlib.closing`), which closes the file and its reader."""
    wanted = None if columns is None else sorted(set(columns))
    try:
        if src.member is None and src.format == "parquet":
            yield from _rechunk(_parquet_slices(src, wanted, chunk_rows), chunk_rows, wanted)
            return
        with open_member(src.path, src.member) as fh:
            if src.format == "csv":
                where = (src.path, src.member)
                frames = read_csv(fh, where, src.header, mapping.delimiter, mapping.encoding, wanted)
            elif src.format == "parquet":
                frames = _parquet(fh, wanted, chunk_rows)
            elif src.format == "jsonl":
                frames = _jsonl(fh, chunk_rows, mapping.encoding)
            else:
                frames = _json(src, mapping, chunk_rows)
            yield from _rechunk(frames, chunk_rows, wanted)
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{src.path.name} cannot be read as {mapping.encoding}: {exc}; {ENCODING_HINT}", field="encoding"
        ) from exc
    except (pl.exceptions.PolarsError, pa.ArrowException) as exc:
        hint = f"; {ENCODING_HINT}" if "UTF8" in str(exc) or "UTF-8" in str(exc) else ""
        why = f"{src.path.name} cannot be read as {src.format}: {exc}{hint}"
        raise InvalidInput(why, field="file") from exc


def _parquet_slices(src: SourceFile, wanted: list[str] | None, chunk_rows: int) -> Iterator[pl.DataFrame]:
    """A Parquet file a slice at a time with Polars' own reader: several times faster than
    pyarrow's, and, unlike its streaming batches (which read ahead as far as they can), it holds
    only the row groups of one slice."""
    lf = pl.scan_parquet(src.path)
    present = lf.collect_schema()
    lf = lf.select([c for c in (wanted or present.names()) if c in present])
    keep = (pl.Datetime, pl.Date)
    lf = lf.with_columns(
        pl.col(c).cast(pl.String) for c, t in lf.collect_schema().items() if not isinstance(t, keep)
    )
    for offset in range(0, src.rows or 0, chunk_rows):
        yield lf.slice(offset, chunk_rows).collect()


def _rechunk(
    frames: Iterable[pl.DataFrame], chunk_rows: int, wanted: list[str] | None
) -> Iterator[pl.DataFrame]:
    start = 0
    for frame in frames:
        frame = frame.with_columns(pl.int_range(start, start + frame.height, dtype=pl.Int64).alias(REC))
        if REC + "_line" in frame.columns:  # JSON Lines count blank lines too
            frame = frame.with_columns(pl.col(REC + "_line").alias(REC)).drop(REC + "_line")
        start += frame.height
        if wanted is not None:
            absent = [c for c in wanted if c not in frame.columns]
            frame = frame.with_columns(pl.lit(None, pl.String).alias(c) for c in absent)
            frame = frame.select([*wanted, REC])
        frame = _without_blank_rows(frame)
        for offset in range(0, max(frame.height, 1), chunk_rows):
            piece = frame.slice(offset, chunk_rows)
            if piece.height:
                yield piece


def _without_blank_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows whose every cell read is empty are no records: spreadsheets export trailing `;;;;`
    rows, which would otherwise each be a problem (no ticket id) that blocks the import. Their
    record numbers are kept by the other rows, so row numbers still match the file."""
    cells = [c for c in frame.columns if c != REC]
    if not cells or not frame.height:
        return frame
    empty = [pl.col(c).cast(pl.String).str.strip_chars().fill_null("") == "" for c in cells]
    return frame.filter(~pl.all_horizontal(empty))


def _parquet(fh: IO[bytes], wanted: list[str] | None, chunk_rows: int) -> Iterator[pl.DataFrame]:
    pf = pq.ParquetFile(fh)
    names = pf.schema_arrow.names
    cols = None if wanted is None else [c for c in wanted if c in names]
    for batch in pf.iter_batches(batch_size=chunk_rows, columns=cols):
        frame = arrow_frame(pa.Table.from_batches([batch]))
        # Native date-times keep their type; everything else is read as text, like a CSV.
        keep = (pl.Datetime, pl.Date)
        yield frame.with_columns(
            pl.col(c).cast(pl.String) for c, t in frame.schema.items() if not isinstance(t, keep)
        )


def _flat(record: Any, prefix: str = "") -> dict[str, str | None]:
    """Nested objects become dotted columns (`via.channel`); lists stay JSON text."""
    out: dict[str, str | None] = {}
    if not isinstance(record, dict):
        return {prefix or "value": _scalar(record)}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, name + "."))
        else:
            out[name] = _scalar(value)
    return out


def _scalar(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _dicts_frame(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    names = list(dict.fromkeys(k for r in rows for k in r))
    return (
        pl.DataFrame(rows, schema=dict.fromkeys(names, pl.String), orient="row") if rows else pl.DataFrame()
    )


def _jsonl(fh: IO[bytes], chunk_rows: int, encoding: str) -> Iterator[pl.DataFrame]:
    rows: list[dict[str, str | None]] = []
    lines: list[int] = []
    for number, raw in enumerate(fh):
        if not raw.strip():
            continue
        try:
            rows.append(_flat(json.loads(raw.decode(text_encoding(encoding)))))
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"line {number + 1} is not JSON: {exc.msg}", row=number + 1) from exc
        lines.append(number)
        if len(rows) >= chunk_rows:
            yield _dicts_frame(rows).with_columns(pl.Series(REC + "_line", lines, pl.Int64))
            rows, lines = [], []
    if rows:
        yield _dicts_frame(rows).with_columns(pl.Series(REC + "_line", lines, pl.Int64))


def _top_level(src: SourceFile) -> tuple[str, dict[str, str]]:
    """The document's first event (`start_array`, `start_map`, …) and, for an object, the first
    event of each top-level key's value: a pass over the file that keeps nothing else."""
    first, kinds, pending = "", {}, None
    with open_member(src.path, src.member) as fh:
        for prefix, event, value in ijson.parse(fh):
            if not first:
                first = event
                if event != "start_map":
                    break
            elif prefix == "" and event == "map_key":
                pending = value
            elif pending is not None:
                kinds[pending], pending = event, None
    return first, kinds


def _records_prefix(src: SourceFile, mapping: MappingSpec) -> str:
    """Where the records are, as an ijson prefix: the document itself, or an API envelope's key
    (the mapping's `records`, else "tickets", else "records")."""
    if mapping.records:
        return f"{mapping.records}.item"  # checked after reading when nothing came (no second pass)
    first, kinds = _top_level(src)
    if first == "start_array":
        return "item"
    key = next((k for k in ("tickets", "records") if k in kinds), None)
    if key is None or kinds[key] != "start_array":
        raise InvalidInput("no list of records at the top or under 'tickets'", field="records")
    return f"{key}.item"


def _side_loaded(src: SourceFile, mapping: MappingSpec) -> list[tuple[str, str, dict[str, Any]]]:
    """(into, to, side records by their `match` value) for each join, read in a pass of its own."""
    out = []
    for join in mapping.join:
        with open_member(src.path, src.member) as fh:
            side = ijson.items(fh, f"{join.records}.item", use_float=True)
            by_key = {str(r.get(join.match)): r for r in side if isinstance(r, dict)}
        out.append((join.into, join.to, by_key))
    return out


def _json(src: SourceFile, mapping: MappingSpec, chunk_rows: int) -> Iterator[pl.DataFrame]:
    try:
        prefix = _records_prefix(src, mapping)
        joins = _side_loaded(src, mapping)
        count, rows = 0, []
        with open_member(src.path, src.member) as fh:
            for record in ijson.items(fh, prefix, use_float=True):
                if isinstance(record, dict):
                    for into, to, by_key in joins:
                        if str(record.get(to)) in by_key:
                            record[into] = by_key[str(record.get(to))]
                rows.append(_flat(record))
                count += 1
                if len(rows) >= chunk_rows:
                    yield _dicts_frame(rows)
                    rows = []
        if rows:
            yield _dicts_frame(rows)
        if count == 0 and mapping.records and _top_level(src)[1].get(mapping.records) != "start_array":
            raise InvalidInput(f"no list of records under '{mapping.records}'", field="records")
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"the file is not JSON: {exc}", field="file") from exc


def raw_rows(
    src: SourceFile, mapping: MappingSpec, recs: set[int], *, chunk_rows: int
) -> dict[int, dict[str, str]]:
    """The rows with these `_rec` numbers, every column as text (for rejects and previews)."""
    found: dict[int, dict[str, str]] = {}
    with closing(read_batches(src, mapping, chunk_rows=chunk_rows)) as batches:
        for batch in batches:
            hit = batch.filter(pl.col(REC).is_in(list(recs)))
            for row in hit.with_columns(pl.exclude(REC).cast(pl.String)).iter_rows(named=True):
                rec = row.pop(REC)
                found[rec] = {k: "" if v is None else v for k, v in row.items()}
            if len(found) == len(recs):
                break
    return found
