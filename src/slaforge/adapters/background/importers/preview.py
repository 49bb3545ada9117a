"""The first rows of a file as the importer will read them: raw values, parsed values, the events
each row gives, and its problems, so a user can check a mapping before importing anything."""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from slaforge.adapters.background.importers.long_layout import map_long
from slaforge.adapters.background.importers.normalize import ctx_of, normalize_tickets, source_columns
from slaforge.adapters.background.importers.outages import normalize_outages, outage_columns
from slaforge.adapters.background.importers.rejects import locate
from slaforge.adapters.background.importers.sources import REC, SourceFile, open_source, read_batches
from slaforge.adapters.background.importers.spec import MappingSpec, TicketMapping
from slaforge.adapters.background.importers.wide_layout import map_wide
from slaforge.domain.errors import RowProblem

TICKET_FIELDS = {
    "ticket": "ticket",
    "t": "time",
    "created": "created",
    "status": "status",
    "kind": "activity",
    "priority": "priority",
    "category": "category",
    "customer": "customer",
    "service": "service",
    "first_response": "first_response",
    "resolved": "resolved",
    "closed": "closed",
}


@dataclass(frozen=True, slots=True)
class PreviewRow:
    row: int  # the line in the file (CSV header: 1), or the record's number
    values: dict[str, str]  # as written in the file
    parsed: dict[str, Any]  # as the importer reads them (times in UTC); only what the mapping reads
    events: tuple[str, ...]  # what this row becomes, e.g. "status_changed → Active"
    problems: tuple[RowProblem, ...]


@dataclass(frozen=True, slots=True)
class FilePreview:
    file_name: str
    format: str
    columns: tuple[str, ...]
    rows: list[PreviewRow]


def preview_file(
    path: Path, mapping: MappingSpec, *, rows: int = 20, timezone: str | None = None
) -> FilePreview:
    src = open_source(path, mapping)
    # Only the first batch is wanted; the reader is closed now, not left for the collector.
    with closing(read_batches(src, mapping, chunk_rows=max(rows, 1))) as batches:
        raw = next(batches, pl.DataFrame({REC: []}, schema={REC: pl.Int64}))
    raw = raw.head(rows)
    lines, _ = locate(src, mapping, set(raw[REC].to_list()), with_values=False, chunk_rows=max(rows, 1))
    used = source_columns(mapping)[0] if isinstance(mapping, TicketMapping) else outage_columns(mapping)[0]
    readable = raw.with_columns(pl.lit(None, pl.String).alias(c) for c in used if c not in raw.columns)
    if isinstance(mapping, TicketMapping):
        parsed, problems, events = _tickets(readable, mapping, timezone)
    else:
        parsed, problems = normalize_outages(readable, mapping, timezone)
        parsed = parsed.rename({"started_at": "start", "ended_at": "end", "external_id": "id"})
        events = {}
    by_rec = {r[REC]: r for r in parsed.iter_rows(named=True)} if parsed.height else {}
    out = []
    for values in raw.with_columns(pl.exclude(REC).cast(pl.String)).iter_rows(named=True):
        rec = values.pop(REC)
        found = tuple(
            RowProblem(lines[rec], col, why, path.name)
            for r, _t, col, why in problems.iter_rows()
            if r == rec
        )
        fields = {k: v for k, v in by_rec.get(rec, {}).items() if k != REC and v is not None}
        out.append(
            PreviewRow(
                lines[rec], {k: v or "" for k, v in values.items()}, fields, events.get(rec, ()), found
            )
        )
    return FilePreview(path.name, src.format, _columns(src, raw), out)


def _columns(src: SourceFile, raw: pl.DataFrame) -> tuple[str, ...]:
    return src.header or tuple(c for c in raw.columns if c != REC)


def _tickets(
    raw: pl.DataFrame, mapping: TicketMapping, timezone: str | None
) -> tuple[pl.DataFrame, pl.DataFrame, dict[int, tuple[str, ...]]]:
    normal, problems = normalize_tickets(raw, mapping, ctx_of(mapping, timezone))
    good = normal.filter(~pl.col(REC).is_in(problems[REC].implode()))
    layout = map_long if mapping.layout == "long" else map_wide
    _tickets_frame, events = layout(good, mapping)
    described: dict[int, list[str]] = {}
    for rec, kind, status, prio in events.select(REC, "kind", "status", "priority").iter_rows():
        label = kind + (f" → {status or prio}" if (status or prio) else "")
        described.setdefault(rec, []).append(label)
    keep = [c for c in normal.columns if c in TICKET_FIELDS or c.startswith("@") or c == REC]
    parsed = normal.select(keep).rename({k: v for k, v in TICKET_FIELDS.items() if k in keep})
    return parsed, problems, {rec: tuple(v) for rec, v in described.items()}
