"""`slaforge relationship meetings …` in a real process: add to the draft, list, .ics, refusal."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import icalendar
import pytest

from slaforge.services.unit_of_work import UnitOfWork
from tests.cli_in_process import run_cli
from tests.integration.relationship.test_meetings_series import _draft

# The commands' parsing and printing do not depend on the database, and the use cases behind them
# run on PostgreSQL in the service and API tests: these run once, on SQLite (CI has 20 minutes).
pytestmark = pytest.mark.sqlite_only


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SLAFORGE_DATABASE_URL": database_url}
    return run_cli("relationship", "meetings", *args, env=env)


def test_add_list_ics_and_a_refused_rule(database_url: str, uow: UnitOfWork, tmp_path: Path) -> None:
    agreement_id = str(_draft(uow))
    added = _cli(
        database_url, "add", agreement_id, "--key", "monthly-review", "--name", "Monthly service review",
        "--rrule", "FREQ=MONTHLY;BYDAY=1TU", "--start", "2027-01-05T10:00", "--timezone", "Europe/Berlin",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "series monthly-review on the draft" in added.stdout
    listed = _cli(database_url, "list", agreement_id)
    assert listed.returncode == 0, listed.stderr
    assert "monthly-review: Monthly service review — FREQ=MONTHLY;BYDAY=1TU" in listed.stdout
    moved = _cli(
        database_url,
        "move",
        agreement_id,
        "monthly-review",
        "--original",
        "2027-03-02T10:00",
        "--to",
        "2027-03-04T14:00",
    )
    assert moved.returncode == 0, moved.stderr
    assert "monthly-review 2027-03-02 10:00 moved to 2027-03-04 14:00" in moved.stdout
    cancelled = _cli(database_url, "cancel", agreement_id, "monthly-review", "--original", "2027-04-06T10:00")
    assert cancelled.returncode == 0, cancelled.stderr
    out = tmp_path / "a.ics"
    written = _cli(database_url, "ics", agreement_id, "--out", str(out))
    assert written.returncode == 0, written.stderr
    event = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20270302T100000" in out.read_text()
    assert "EXDATE;TZID=Europe/Berlin:20270406T100000" in out.read_text()
    bad = _cli(
        database_url, "add", agreement_id, "--key", "x", "--name", "X", "--rrule", "FREQ=SOMETIMES",
        "--start", "2027-01-05T10:00", "--timezone", "Europe/Berlin",
    )  # fmt: skip
    assert bad.returncode == 2
    assert "rrule" in bad.stderr + bad.stdout
