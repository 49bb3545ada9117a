"""`slaforge analyze`, run in process against a generated ServiceNow-style history."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine
from typer.testing import CliRunner

from slaforge.adapters.background.importers.servicenow_synthetic import write_synthetic_incident_log
from slaforge.bootstrap import system_clock
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.entrypoints.cli.main import app
from slaforge.services.background.calendars import save_calendar
from slaforge.services.background.history import import_servicenow_log
from slaforge.services.background.study import list_studies
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


def test_analyze_prints_the_recommendations_and_writes_both_reports(
    history: UnitOfWork, database_url: str, tmp_path: Path
) -> None:
    objectives = tmp_path / "objectives.yaml"
    objectives.write_text(
        yaml.safe_dump(
            {
                "objectives": [
                    {
                        "name": "Today's contract",
                        "metric": "first_response",
                        "threshold": 0.9,
                        "targets": {"critical": "1h", "high": "4h", "moderate": "1d", "low": "2d"},
                    }
                ]
            }
        )
    )
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        app,
        ["analyze", "--database-url", database_url, "--segment", "priority,category", "--level", "0.9",
         "--month-share", "0.75", "--objectives", str(objectives), "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("study #1: 400 tickets")
    assert "calendar 'Weekdays'" in lines[0]
    assert lines[1] == "recommended targets (90% of tickets in 75% of months):"
    assert [line.split()[0] for line in lines[2:6]] == ["critical", "high", "moderate", "low"]
    assert any("back-test  Today's contract: achieved in" in line for line in lines)
    html, pdf = out / "capability-study-1.html", out / "capability-study-1.pdf"
    assert f"report     {html}" in lines
    assert html.read_text(encoding="utf-8").count('<section id="') >= 7
    assert pdf.read_bytes().startswith(b"%PDF-")
    (stored,) = list_studies(uow=history)
    assert stored.parameters["segment_by"] == ["priority", "category"]
    assert stored.parameters["candidates"][0]["name"] == "Today's contract"


def test_a_calendar_file_can_stand_in_for_a_stored_one(
    history: UnitOfWork, database_url: str, tmp_path: Path
) -> None:
    cal = tmp_path / "round-the-clock.yaml"
    cal.write_text(
        yaml.safe_dump({"timezone": "UTC", "hours": {d: ["00:00-24:00"] for d in WEEKDAYS["hours"]}})
    )
    objectives = tmp_path / "o.json"
    objectives.write_text(
        json.dumps({"objectives": [{"metric": "resolution", "threshold": 0.8, "targets": {"low": "1d"}}]})
    )
    result = CliRunner().invoke(
        app,
        ["analyze", "--database-url", database_url, "--calendar", str(cal), "--objectives", str(objectives),
         "--since", "2016-03-01", "--until", "2016-05-01", "--out", str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "calendar 'round-the-clock'" in result.output
    (stored,) = list_studies(uow=history)
    assert stored.parameters["calendar"]["hours"]["mon"] == ["00:00-24:00"]
    assert stored.parameters["period"] == ["2016-03-01T00:00:00+00:00", "2016-05-01T00:00:00+00:00"]
    # A business day of this calendar is 24 h, so "1d" is 86,400 seconds.
    assert stored.parameters["candidates"][0]["targets"] == {"low": 86_400.0}


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (["--calendar", "Nope"], NotFound, "no calendar named 'Nope'"),
        (
            ["--segment", "priority,team"],
            InvalidInput,
            "segment by any of priority, category, service, customer",
        ),
        (["--since", "2016-03-01"], InvalidInput, "give both --since and --until"),
        (["--objectives", "missing.yaml"], InvalidInput, "cannot read missing.yaml"),
        (["--level", "1.5"], InvalidInput, "a share in"),
        (
            ["--source", "jira"],
            InvalidInput,
            "no history is stored under source 'jira' (sources: servicenow)",
        ),
    ],
)
def test_bad_arguments_are_named_and_nothing_is_stored(
    history: UnitOfWork,
    database_url: str,
    tmp_path: Path,
    args: list[str],
    error: type[Exception],
    match: str,
) -> None:
    result = CliRunner().invoke(
        app, ["analyze", "--database-url", database_url, "--out", str(tmp_path), *args]
    )
    assert isinstance(result.exception, error)
    assert match in str(result.exception)
    assert list_studies(uow=history) == []


def test_analyze_can_keep_only_some_sources(history: UnitOfWork, database_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["analyze", "--database-url", database_url, "--source", "servicenow", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert list_studies(uow=history)[0].parameters["sources"] == ["servicenow"]
