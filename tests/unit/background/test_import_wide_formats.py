"""The wide layout (one row per ticket) reads the same tickets and events from CSV, a JSON
document, JSON Lines and Parquet, with times as text or as typed date-times; the files are made
in the test from one table."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from slaforge.adapters.background.importers.pipeline import TicketFile
from slaforge.adapters.background.importers.registry import parse_mapping
from slaforge.adapters.background.importers.spec import TicketMapping

MAPPING = """
name: wide-desk
source: wide-desk
layout: wide
timezone: Europe/Berlin
columns:
  ticket: key
  created: {column: created, required: true}
  first_response: responded
  resolved: resolved
  status: status
  priority: {column: priority, values: {Highest: P1, High: P2, Low: P4}}
  category: type
statuses:
  resolved: [Done]
"""
TIMES = ("created", "responded", "resolved")
TABLE = pl.DataFrame(
    {
        "key": ["W-1", "W-2", "W-3", "W-4"],
        "type": ["Incident", "Request", "Incident", "Request"],
        "status": ["Done", "Done", "Open", "Done"],
        "priority": ["Highest", "High", "Low", "High"],
        # March 31st crosses into summer time in Berlin: the offsets differ between rows.
        "created": [datetime(2024, 3, 4, 9, 15), datetime(2024, 3, 30, 23, 0), datetime(2024, 4, 2, 8, 0),
                    datetime(2024, 10, 27, 1, 30)],
        "responded": [datetime(2024, 3, 4, 9, 40), datetime(2024, 3, 31, 9, 0), None, datetime(2024, 10, 27, 4, 0)],
        "resolved": [datetime(2024, 3, 4, 11, 0), datetime(2024, 4, 1, 12, 0), None, datetime(2024, 10, 28, 9, 0)],
    }
)  # fmt: skip


def mapping() -> TicketMapping:
    m = parse_mapping(MAPPING)
    assert isinstance(m, TicketMapping)
    return m


def as_text(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(c).dt.strftime("%Y-%m-%dT%H:%M:%S") for c in TIMES)


def write(fmt: str, folder: Path) -> Path:
    text = as_text(TABLE)
    if fmt == "csv":
        text.write_csv(path := folder / "wide.csv")
    elif fmt == "json":
        (path := folder / "wide.json").write_text(json.dumps({"tickets": text.to_dicts()}))
    elif fmt == "jsonl":
        text.write_ndjson(path := folder / "wide.jsonl")
    elif fmt == "parquet-text":
        text.write_parquet(path := folder / "wide.parquet")
    else:  # parquet with typed, naive date-times: read in the mapping's zone, like the text
        TABLE.write_parquet(path := folder / "wide.parquet")
    return path


def read(path: Path, chunk_rows: int = 1000) -> tuple[pl.DataFrame, pl.DataFrame]:
    with TicketFile(path, mapping(), chunk_rows=chunk_rows) as tf:
        assert tf.check() == TABLE.height
        chunks = list(tf.chunks())
        assert tf.problems() == []
    tickets = pl.concat([c.tickets for c in chunks]).drop("_rec").sort("external_id")
    events = pl.concat([c.events for c in chunks]).drop("_rec").sort("ticket", "dedupe_key")
    return tickets, events


@pytest.fixture(scope="module")
def from_csv(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, pl.DataFrame]:
    return read(write("csv", tmp_path_factory.mktemp("csv")))


def test_the_wide_csv_reads_as_the_table_says(from_csv: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    tickets, events = from_csv
    assert tickets["external_id"].to_list() == ["W-1", "W-2", "W-3", "W-4"]
    assert tickets["priority"].to_list() == ["P1", "P2", "P4", "P2"]
    first = tickets.row(0, named=True)
    assert first["created_at"] == datetime.fromisoformat("2024-03-04T08:15:00+00:00")  # Berlin, winter
    third = tickets.row(2, named=True)
    assert third["created_at"] == datetime.fromisoformat("2024-04-02T06:00:00+00:00")  # Berlin, summer
    assert events.height > tickets.height


@pytest.mark.parametrize("fmt", ["json", "jsonl", "parquet-text", "parquet-typed"])
@pytest.mark.parametrize("chunk_rows", [1, 1000])
def test_every_format_gives_the_tickets_of_the_csv(
    fmt: str, chunk_rows: int, from_csv: tuple[pl.DataFrame, pl.DataFrame], tmp_path: Path
) -> None:
    tickets, events = read(write(fmt, tmp_path), chunk_rows)
    assert tickets.equals(from_csv[0]), f"{fmt}: {tickets} != {from_csv[0]}"
    assert events.equals(from_csv[1])
