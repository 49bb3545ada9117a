"""A new user with imported history and no calendar: `slaforge analyze` says how to get one, and
`slaforge calendar suggest` derives one from the history, printed as YAML and optionally stored."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from slaforge.adapters.background.importers.servicenow_synthetic import write_synthetic_incident_log
from slaforge.bootstrap import system_clock
from slaforge.domain.errors import InvalidInput
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.entrypoints.cli.main import app
from slaforge.services.background.calendars import load_calendar
from slaforge.services.background.history import import_servicenow_log
from slaforge.services.background.study import list_studies
from slaforge.services.unit_of_work import UnitOfWork

# The commands' parsing and printing do not depend on the database, and the use cases behind them
# run on PostgreSQL in the service and API tests: these run once, on SQLite (CI has 20 minutes).
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def history(uow: UnitOfWork, tmp_path: Path) -> UnitOfWork:
    log = tmp_path / "log.csv"
    write_synthetic_incident_log(log, incidents=300, seed=5, start=datetime(2016, 3, 1, tzinfo=UTC))
    import_servicenow_log(uow=uow, clock=system_clock, path=log)
    return uow


def test_analyze_without_any_calendar_says_exactly_what_to_do(
    history: UnitOfWork, database_url: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(app, ["analyze", "--database-url", database_url, "--out", str(tmp_path)])
    assert isinstance(result.exception, InvalidInput)
    message = str(result.exception)
    assert "field 'calendar'" in message
    assert "--calendar FILE.yaml" in message
    assert "slaforge calendar check FILE.yaml" in message
    assert "slaforge calendar suggest --timezone ZONE --save NAME" in message
    assert list_studies(uow=history) == []


def test_calendar_suggest_prints_a_calendar_ready_to_save_and_can_store_it(
    history: UnitOfWork, database_url: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        app, ["calendar", "suggest", "--database-url", database_url, "--timezone", "UTC"]
    )
    assert result.exit_code == 0, result.output
    definition = yaml.safe_load(result.output)  # the comment lines are YAML comments
    calendar = BusinessCalendar.from_dict(definition)
    assert calendar.timezone == "UTC"
    assert definition["hours"]
    assert "--save NAME" in result.output
    saved = CliRunner().invoke(
        app,
        ["calendar", "suggest", "--database-url", database_url, "--timezone", "UTC", "--save", "Observed"],
    )
    assert saved.exit_code == 0, saved.output
    assert "saved as calendar 'Observed'" in saved.output
    assert load_calendar(uow=history, name="Observed").to_dict() == calendar.to_dict()
    # And with it stored, the study runs without --calendar.
    ran = CliRunner().invoke(app, ["analyze", "--database-url", database_url, "--out", str(tmp_path)])
    assert ran.exit_code == 0, ran.output
    assert "calendar 'Observed'" in ran.output


@pytest.mark.parametrize(
    ("args", "field"),
    [(["--timezone", "Mars/Olympus"], "timezone"), (["--source", "jira"], "source")],
)
def test_calendar_suggest_names_a_bad_option(
    history: UnitOfWork, database_url: str, args: list[str], field: str
) -> None:
    result = CliRunner().invoke(app, ["calendar", "suggest", "--database-url", database_url, *args])
    assert isinstance(result.exception, InvalidInput)
    assert result.exception.field == field


def test_calendar_suggest_without_history_says_to_import_first(uow: UnitOfWork, database_url: str) -> None:
    result = CliRunner().invoke(app, ["calendar", "suggest", "--database-url", database_url])
    assert isinstance(result.exception, InvalidInput)
    assert "import history first" in str(result.exception)


def test_a_hand_written_calendar_file_is_stored_under_a_name(
    uow: UnitOfWork, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "office.yaml"
    path.write_text(
        "timezone: Europe/Berlin\n"
        "hours:\n  mon: ['09:00-17:00']\n  tue: ['09:00-12:00', '13:00-17:00']\n"
        "holidays: {dates: ['2026-12-25']}\n"
    )
    result = CliRunner().invoke(app, ["calendar", "save", str(path), "--name", "office",
                                      "--database-url", database_url])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "saved" in result.output
    assert "calendar 'office'" in result.output
    stored = load_calendar(uow=uow, name="office")
    assert stored.to_dict() == BusinessCalendar.from_dict(yaml.safe_load(path.read_text())).to_dict()

    path.write_text("timezone: Mars/Olympus\nhours: {}\n")
    bad = CliRunner().invoke(app, ["calendar", "save", str(path), "--name", "office",
                                   "--database-url", database_url])  # fmt: skip
    assert bad.exit_code != 0
    assert load_calendar(uow=uow, name="office").timezone == "Europe/Berlin"  # a bad file stores nothing
