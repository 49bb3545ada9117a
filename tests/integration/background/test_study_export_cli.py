"""Exact figures on request: `slaforge analyze` prints the per-segment table and exports the study
as CSV or JSON with business seconds equal to the stored values; `slaforge study show|export`."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from slaforge.adapters.background.importers.servicenow_synthetic import write_synthetic_incident_log
from slaforge.bootstrap import system_clock
from slaforge.domain.background.study.export import QUANTILES
from slaforge.domain.errors import NotFound
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.domain.time.durations import format_duration
from slaforge.entrypoints.cli.main import app
from slaforge.services.background.calendars import save_calendar
from slaforge.services.background.history import import_servicenow_log
from slaforge.services.background.imports import import_tickets
from slaforge.services.background.study import get_study
from slaforge.services.unit_of_work import UnitOfWork

# The commands' parsing and printing do not depend on the database, and the use cases behind them
# run on PostgreSQL in the service and API tests: these run once, on SQLite (CI has 20 minutes).
pytestmark = pytest.mark.sqlite_only

WEEKDAYS = {"timezone": "UTC", "hours": {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}}


@pytest.fixture
def history(engine: Engine, uow: UnitOfWork, tmp_path: Path) -> UnitOfWork:
    log = tmp_path / "log.csv"
    write_synthetic_incident_log(log, incidents=400, seed=3, start=datetime(2016, 3, 1, tzinfo=UTC))
    import_servicenow_log(uow=uow, clock=system_clock, path=log)
    save_calendar(uow=uow, name="Weekdays", calendar=BusinessCalendar.from_dict(WEEKDAYS))
    return uow


def analyze(database_url: str, out: Path, *extra: str) -> list[str]:
    result = CliRunner().invoke(app, ["analyze", "--database-url", database_url, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def stored_blocks(study: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (s["label"], m): s[m] for s in study["results"]["segments"] for m in ("first_response", "resolution")
    }


def test_analyze_prints_each_segments_percentiles_and_target_in_business_hours(
    history: UnitOfWork, database_url: str, tmp_path: Path
) -> None:
    lines = analyze(database_url, tmp_path)
    study = get_study(uow=history, study_id=1)
    at = lines.index("resolution (business time; percentiles of completed clocks, method inverted_cdf):")
    header = lines[at + 1].split()
    assert header == ["segment", "n", "p50", "p75", "p90", "p95", "target"]
    for seg, line in zip(study["results"]["segments"], lines[at + 2 : at + 6], strict=True):
        block = seg["resolution"]
        expected = [format_duration(block["percentiles"][q]) for q in ("50", "75", "90", "95")]
        assert line.split()[0] == seg["label"]
        assert line.split()[1] == f"{seg['tickets']:,}"
        assert all(cell in line for cell in expected), (line, expected)
        label = block["recommendation"]["target_label"]
        assert line.rstrip().endswith(label) if label else "  none (" in line


def test_analyze_exports_csv_whose_seconds_equal_the_stored_values_and_its_definitions_beside(
    history: UnitOfWork, database_url: str, tmp_path: Path
) -> None:
    lines = analyze(database_url, tmp_path, "--format", "csv")
    figures, said = tmp_path / "capability-study-1.csv", tmp_path / "capability-study-1.definitions.csv"
    assert f"export     {figures}" in lines
    assert f"export     {said}" in lines
    blocks = stored_blocks(get_study(uow=history, study_id=1))
    with figures.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(blocks)
    for row in rows:
        block = blocks[(row["segment"], row["metric"])]
        for q in QUANTILES:
            value = block["percentiles"][q]
            assert (float(row[f"p{q}_seconds"]) if row[f"p{q}_seconds"] else None) == value  # exact
        target = block["recommendation"]["target_seconds"]
        assert (float(row["target_seconds"]) if row["target_seconds"] else None) == target
        assert int(row["tickets"]) > 0
        assert row["segment_priority"] == row["segment"]
    with said.open(newline="", encoding="utf-8") as fh:
        definitions = {r["definition"]: r["text"] for r in csv.DictReader(fh)}
    assert {"start", "stop_first_response", "stop_resolution", "pauses", "reopens", "unresolved",
            "percentiles"} <= set(definitions)  # fmt: skip
    assert "inverted_cdf" in definitions["percentiles"]
    assert "Awaiting User Info" in definitions["pauses"]  # the servicenow mapping's own list
    pauses = next(line for line in lines if line.startswith("pauses     "))
    assert "pause statuses listed by the mapping (import #1): Awaiting Evidence" in pauses


def test_linear_percentiles_are_stored_with_the_study_and_exported_as_json(
    history: UnitOfWork, database_url: str, tmp_path: Path
) -> None:
    lines = analyze(database_url, tmp_path, "--percentiles", "linear", "--format", "json")
    assert "resolution (business time; percentiles of completed clocks, method linear):" in lines
    study = get_study(uow=history, study_id=1)
    assert study["parameters"]["percentile_method"] == "linear"
    doc = json.loads((tmp_path / "capability-study-1.json").read_text(encoding="utf-8"))
    assert doc["parameters"]["percentile_method"] == "linear"
    assert "linear" in doc["definitions"]["percentiles"]
    assert "PERCENTILE.INC" in doc["definitions"]["percentiles"]
    blocks = stored_blocks(study)
    for rec in doc["segments"]:
        block = blocks[(rec["segment"], rec["metric"])]
        assert [rec[f"p{q}_seconds"] for q in QUANTILES] == [block["percentiles"][q] for q in QUANTILES]
    # Interpolated: some percentile of this history is a time no ticket took (an observed one otherwise).
    analyze(database_url, tmp_path / "observed")
    observed = stored_blocks(get_study(uow=history, study_id=2))
    assert any(
        block["percentiles"] != observed[key]["percentiles"]
        for key, block in blocks.items()
        if block["completed"]
    )


def test_study_show_and_export_read_a_stored_study(
    history: UnitOfWork, database_url: str, tmp_path: Path
) -> None:
    analyze(database_url, tmp_path)
    shown = CliRunner().invoke(app, ["study", "show", "1", "--database-url", database_url])
    assert shown.exit_code == 0, shown.output
    assert "how this was measured:" in shown.output
    assert "  pauses: clocks stand still" in shown.output
    out = tmp_path / "export"
    done = CliRunner().invoke(app, ["study", "export", "1", "--format", "json", "--out", str(out),
                                    "--database-url", database_url])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert json.loads((out / "capability-study-1.json").read_text(encoding="utf-8"))["study_id"] == 1
    missing = CliRunner().invoke(app, ["study", "export", "9", "--database-url", database_url])
    assert isinstance(missing.exception, NotFound)
    assert "no capability study 9" in str(missing.exception)


def test_a_wide_export_without_a_first_response_column_gets_no_first_response_figures(
    engine: Engine, uow: UnitOfWork, database_url: str, tmp_path: Path
) -> None:
    """The issue's case: a `;`-separated, day-first, one-row-per-incident export, no first response."""
    export = tmp_path / "incidents.csv"
    lines = ["Incident;Opened;Resolved;Priority"]
    for i in range(40):
        day = 1 + i % 28
        lines.append(
            f"INC{i:03d};{day:02d}/0{1 + i % 4}/2024 09:00;{day:02d}/0{1 + i % 4}/2024 {10 + i % 6}:30;P{1 + i % 2}"
        )
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = tmp_path / "bank.yaml"
    mapping.write_text(
        "name: bank\nsource: bank\nlayout: wide\ndelimiter: ';'\ntime_formats: ['%d/%m/%Y %H:%M']\n"
        "columns: {ticket: Incident, created: Opened, resolved: Resolved, priority: Priority}\n",
        encoding="utf-8",
    )
    import_tickets(uow=uow, clock=system_clock, path=export, mapping=mapping)
    save_calendar(uow=uow, name="Weekdays", calendar=BusinessCalendar.from_dict(WEEKDAYS))
    out = analyze(database_url, tmp_path, "--format", "json")
    at = out.index("first response (business time; percentiles of completed clocks, method inverted_cdf):")
    assert out[at + 1] == "  no first-response data in this history"
    assert all(line.split()[1:5] == ["first", "response", "no", "data"] for line in out[2:4])  # P1, P2
    doc = json.loads((tmp_path / "capability-study-1.json").read_text(encoding="utf-8"))
    fr = [s for s in doc["segments"] if s["metric"] == "first_response"]
    assert [s["no_data"] for s in fr] == [True, True]
    assert all(s["p50_seconds"] is None and s["target_seconds"] is None for s in fr)
    res = [s for s in doc["segments"] if s["metric"] == "resolution"]
    assert all(s["p50_seconds"] is not None for s in res)  # resolution is still measured
    assert "no first-response data in this history" in doc["definitions"]["stop_first_response"]
