"""`slaforge relationship meetings …` in a real process: add to the draft, list, .ics, refusal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import icalendar

from slaforge.services.unit_of_work import UnitOfWork
from tests.integration.relationship.test_meetings_series import _draft


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SLAFORGE_DATABASE_URL": database_url}
    code = "from slaforge.entrypoints.cli.main import run; run()"
    return subprocess.run(
        [sys.executable, "-c", code, "relationship", "meetings", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


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
    out = tmp_path / "a.ics"
    written = _cli(database_url, "ics", agreement_id, "--out", str(out))
    assert written.returncode == 0, written.stderr
    event = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    bad = _cli(
        database_url, "add", agreement_id, "--key", "x", "--name", "X", "--rrule", "FREQ=SOMETIMES",
        "--start", "2027-01-05T10:00", "--timezone", "Europe/Berlin",
    )  # fmt: skip
    assert bad.returncode == 2
    assert "rrule" in bad.stderr + bad.stdout
