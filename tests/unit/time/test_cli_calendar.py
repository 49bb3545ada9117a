"""`slaforge calendar …` in process: output, and clean errors with exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slaforge.entrypoints.cli.main import app

CAL = """\
timezone: Europe/Berlin
hours:
  mon: ["09:00-17:00"]
  tue: ["09:00-17:00"]
  wed: ["09:00-17:00"]
  thu: ["09:00-17:00"]
  fri: ["09:00-17:00"]
holidays: {dates: ["2024-12-25"]}
"""


@pytest.fixture
def calendar_file(tmp_path: Path) -> Path:
    path = tmp_path / "cal.yaml"
    path.write_text(CAL)
    return path


def test_deadline_prints_the_local_result(calendar_file):
    result = CliRunner().invoke(app, ["calendar", "deadline", str(calendar_file), "2024-12-24T16:00", "2h"])
    assert result.exit_code == 0, result.output
    assert "Thu 2024-12-26 10:00:00 CET" in result.output


def test_elapsed_explains_the_intervals(calendar_file):
    args = ["calendar", "elapsed", str(calendar_file), "2024-12-24T16:00", "2024-12-26T10:00", "--explain"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "2h (7200 s)" in result.output
    assert "counted Tue 2024-12-24 16:00:00 CET → Tue 2024-12-24 17:00:00 CET" in result.output


def test_check_lists_the_next_open_periods(calendar_file):
    args = ["calendar", "check", str(calendar_file), "--after", "2024-12-24T12:00", "--count", "2"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Tue 2024-12-24 12:00:00 CET  →  Tue 2024-12-24 17:00:00 CET" in result.output
    assert "Thu 2024-12-26 09:00:00 CET  →  Thu 2024-12-26 17:00:00 CET" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "timezone: Europe/Berlin\nhours: {mon: ['9-17']}\n",
            "field 'hours.mon[0]': '9-17' is not an interval",
        ),
        ("timezone: Nowhere/City\n", "unknown time zone 'Nowhere/City'"),
        ("timezone: [unclosed\n", "not valid YAML at line 2"),
    ],
)
def test_bad_calendar_file_prints_one_line_and_exits_2(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    proc = subprocess.run(
        [sys.executable, "-m", "slaforge", "calendar", "check", str(path)], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_version_and_help():
    runner = CliRunner()
    assert runner.invoke(app, ["--version"]).output.startswith("slaforge ")
    for group in ("calendar",):
        result = runner.invoke(app, [group, "--help"])
        assert result.exit_code == 0
        assert "Usage" in result.output
