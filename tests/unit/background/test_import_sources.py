"""File formats and chunking: the same history reads the same from CSV, JSON, JSON Lines, Parquet
and a zip, in one chunk or many; rejected rows are numbered by their line in the file."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import polars as pl
import pytest

from slaforge.adapters.background.importers.pipeline import TicketFile
from slaforge.adapters.background.importers.registry import load_mapping, parse_mapping
from slaforge.adapters.background.importers.sources import unique_names
from slaforge.adapters.background.importers.spec import TicketMapping
from slaforge.adapters.background.importers.staging import TicketStage
from slaforge.domain.errors import InvalidInput

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
CSV = FIXTURES / "long_events.csv"


def mapping() -> TicketMapping:
    m = load_mapping(str(FIXTURES / "long_events.yaml"))
    assert isinstance(m, TicketMapping)
    return m


def read_all(path: Path, m: TicketMapping, chunk_rows: int = 1000) -> tuple[pl.DataFrame, pl.DataFrame]:
    with TicketFile(path, m, chunk_rows=chunk_rows) as tf:
        tf.check()
        chunks = list(tf.chunks())
    tickets = pl.concat([c.tickets for c in chunks]).drop("_rec").sort("external_id")
    events = pl.concat([c.events for c in chunks]).drop("_rec").sort("ticket", "dedupe_key")
    return tickets, events


def records() -> list[dict[str, str]]:
    return pl.read_csv(CSV, infer_schema=False).to_dicts()


def write_as(fmt: str, tmp_path: Path) -> Path:
    if fmt == "jsonl":
        path = tmp_path / "h.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in records()) + "\n")
    elif fmt == "json":
        path = tmp_path / "h.json"
        path.write_text(json.dumps({"tickets": records(), "count": 9}))
    elif fmt == "parquet":
        path = tmp_path / "h.parquet"
        pl.read_csv(CSV, infer_schema=False).write_parquet(path)
    else:
        path = tmp_path / "h.zip"
        with zipfile.ZipFile(path, "w") as zf:
            zf.write(CSV, "export/long_events.csv")
    return path


@pytest.mark.parametrize("fmt", ["jsonl", "json", "parquet", "zip"])
def test_every_format_reads_like_the_csv(fmt: str, tmp_path: Path) -> None:
    m = mapping().model_copy(update={"format": None})
    expected = read_all(CSV, m)
    got = read_all(write_as(fmt, tmp_path), m)
    assert got[0].equals(expected[0])
    assert got[1].equals(expected[1])


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 4])
def test_small_chunks_give_the_same_tickets_and_events_as_one(chunk_rows: int) -> None:
    one = read_all(CSV, mapping())
    many = read_all(CSV, mapping(), chunk_rows=chunk_rows)
    assert many[0].equals(one[0])
    assert many[1].equals(one[1])


def test_rows_of_a_ticket_found_far_apart_still_make_one_ticket(tmp_path: Path) -> None:
    rows = records()
    shuffled = rows[::2] + rows[1::2]  # every ticket's rows split across the file
    path = tmp_path / "shuffled.csv"
    pl.DataFrame(shuffled).write_csv(path)
    assert read_all(path, mapping(), chunk_rows=2)[1].equals(read_all(CSV, mapping())[1])


def test_a_rejected_row_is_numbered_by_its_line_even_after_values_that_span_lines(tmp_path: Path) -> None:
    text = (FIXTURES / "jira_export.csv").read_text()
    path = tmp_path / "jira.csv"
    path.write_text(text.replace("07/Mar/24 7:55 AM", "yesterday"))  # SUP-105: the last record
    m = load_mapping("jira-service-management")
    assert isinstance(m, TicketMapping)
    with TicketFile(path, m) as tf:
        tf.check()
        (problem,) = tf.problems()
    assert (problem.row, problem.column, problem.file) == (
        8,
        "Created",
        "jira.csv",
    )  # 5 records, 7 lines before
    assert "'yesterday' is not a date-time such as 12/Mar/24 10:15 AM" in problem.reason


def test_a_missing_column_is_named_before_any_row_is_read(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("ticket,when\nT-1,2024-03-04 09:00\n")
    with pytest.raises(InvalidInput, match=r"lacks the column.*prio"):
        TicketFile(path, mapping())


def test_a_zip_with_several_data_files_asks_which_one(tmp_path: Path) -> None:
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.write(CSV, "a.csv")
        zf.write(CSV, "b.csv")
    with pytest.raises(InvalidInput, match="zip_member"):
        TicketFile(path, mapping())
    m = mapping().model_copy(update={"zip_member": "b.csv"})
    assert read_all(path, m)[0].height == 2


def test_repeated_header_names_are_kept_apart() -> None:
    assert unique_names(["Labels", "Variant", "Labels", " Labels "]) == ("Labels", "Variant", "Labels (2)",
                                                                         "Labels (3)")  # fmt: skip


def test_a_json_file_without_a_list_of_records_says_where_it_looked(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"items": []}')
    m = parse_mapping("name: j\nsource: j\nlayout: wide\ncolumns: {ticket: id, created: c}\n")
    assert isinstance(m, TicketMapping)
    with TicketFile(path, m) as tf, pytest.raises(InvalidInput, match="no list of records"):
        tf.check()


def test_staging_splits_an_oversized_partition_again_and_keeps_each_ticket_whole() -> None:
    rows = pl.DataFrame({"ticket": [f"T{i % 10}" for i in range(200)], "_rec": list(range(200))})
    # A wrong guess of the file's size (one row) makes two partitions of ~100 rows for chunks of 5.
    with TicketStage(chunk_rows=5, expected_rows=1) as stage:
        for start in range(0, 200, 7):
            stage.add(rows.slice(start, 7))
        groups = list(stage.groups())
    assert stage.spilled
    assert sum(g.height for g in groups) == 200
    tickets = [set(g["ticket"].to_list()) for g in groups]
    assert len(groups) > 2  # split again
    assert sum(len(t) for t in tickets) == 10  # no ticket in two groups
