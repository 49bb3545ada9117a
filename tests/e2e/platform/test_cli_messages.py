"""Errors through the installed console script speak to people (issue 9): limits in the user's
unit, durations only in a documented form, and a wrong version id answered with the ids there are.

Before: 'must lie in (0, 3.16224e+07]', '4hours' silently read as 4 h, and 'no agreement
version 9 (version_id)' with no word of which versions exist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

SCRIPT = str(Path(sys.executable).with_name("slaforge"))

pytestmark = pytest.mark.sqlite_only  # the console script runs on its own SQLite file


def _run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "SLAFORGE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    if "PYTHONPATH" in os.environ:  # a checkout's own code, when the tests run it that way
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)


def _ok(*args: str, tmp_path: Path) -> str:
    result = _run(*args, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _refused(*args: str, tmp_path: Path) -> str:
    result = _run(*args, tmp_path=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return " ".join(result.stderr.split())


@pytest.fixture
def customer(tmp_path: Path) -> str:
    _ok("db", "upgrade", tmp_path=tmp_path)
    _ok("customer", "create", "Acme Logistics", tmp_path=tmp_path)
    return "acme-logistics"


def test_a_target_beyond_the_limit_is_refused_in_days_not_in_scientific_notation(
    tmp_path: Path, customer: str
) -> None:
    terms = yaml.safe_load(_ok("agreement", "example", tmp_path=tmp_path))
    terms["objectives"][0]["target_seconds"] = 40_000_000
    (tmp_path / "terms.yaml").write_text(yaml.safe_dump(terms))
    said = _refused(
        "agreement", "draft", "--customer", customer, "--title", "SLA", "--terms", "terms.yaml", tmp_path=tmp_path
    )
    assert "objectives[0].target_seconds" in said
    assert "at most 366 days" in said
    assert "e+07" not in said


@pytest.mark.parametrize("text", ["4hours", "4hr", "1d2h"])
def test_a_duration_not_in_a_documented_form_is_refused_naming_the_forms(tmp_path: Path, text: str) -> None:
    calendar = {"name": "Weekdays", "timezone": "UTC", "hours": {"mon": ["08:00-17:00"]}}
    (tmp_path / "cal.yaml").write_text(yaml.safe_dump(calendar))
    said = _refused("calendar", "deadline", "cal.yaml", "2026-01-05T08:00", text, tmp_path=tmp_path)
    assert f"'{text}' is not a duration" in said
    for form in ("'4h'", "'4 hours'", "'1 business day'"):
        assert form in said


@pytest.mark.parametrize(("text", "due"), [("4h", "12:00"), ("4 hours", "12:00"), ("1d 2h", "Tue 2026-01-06 10:00")])
def test_the_documented_duration_forms_are_accepted(tmp_path: Path, text: str, due: str) -> None:
    calendar = {"name": "Weekdays", "timezone": "UTC", "hours": {d: ["08:00-16:00"] for d in ("mon", "tue")}}
    (tmp_path / "cal.yaml").write_text(yaml.safe_dump(calendar))
    assert due in _ok("calendar", "deadline", "cal.yaml", "2026-01-05T08:00", text, tmp_path=tmp_path)


def test_attaching_an_order_to_a_version_id_that_does_not_exist_names_the_ids_there_are(
    tmp_path: Path, customer: str
) -> None:
    (tmp_path / "terms.yaml").write_text(_ok("agreement", "example", tmp_path=tmp_path))
    _ok("agreement", "draft", "--customer", customer, "--title", "Support", "--terms", "terms.yaml", tmp_path=tmp_path)
    said = _refused("order", "attach", "ORD-1", "--customer", customer, "--version", "9", tmp_path=tmp_path)
    assert "no agreement version with id 9" in said
    assert "id 1 (Support, version 1, draft)" in said
