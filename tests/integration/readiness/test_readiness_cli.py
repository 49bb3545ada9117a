"""`slaforge readiness …` as a process: check (exit 1 until ready, a line per item, JSON),
configure from a YAML file, test-channel, waive with a reason, go-live."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from slaforge.services.unit_of_work import UnitOfWork
from tests.cli_in_process import run_cli
from tests.integration.readiness.test_readiness import _deliver_queued
from tests.readiness_setup import accepted, config, delivered

# The commands' parsing and printing do not depend on the database, and the use cases behind them
# run on PostgreSQL in the service and API tests: these run once, on SQLite (CI has 20 minutes).
pytestmark = pytest.mark.sqlite_only


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SLAFORGE_DATABASE_URL": database_url}
    return run_cli("readiness", *args, env=env)


def test_the_readiness_commands_walk_an_agreement_from_red_to_live(
    uow: UnitOfWork, database_url: str, tmp_path: Path
) -> None:
    a = accepted(uow)
    aid = str(a.agreement_id)
    red = _cli(database_url, "check", aid)
    assert red.returncode == 1, red.stderr
    assert (
        "missing  objectives[0].tracking First response (P1): no tracking source is configured" in red.stdout
    )
    assert "not ready: 12 item(s) open" in red.stdout
    bad = config()
    bad["objectives"][0]["procedure"]["ladder"][1]["at"] = 0.2
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(bad))
    refused = _cli(database_url, "configure", aid, str(tmp_path / "bad.yaml"))
    assert refused.returncode == 2
    assert "objectives[0].procedure.ladder[1].at" in refused.stderr
    (tmp_path / "readiness.yaml").write_text(yaml.safe_dump(config()))
    done = _cli(database_url, "configure", aid, str(tmp_path / "readiness.yaml"))
    assert done.returncode == 0, done.stderr
    assert "3 of 3 objective(s), 1 report definition(s)" in done.stdout
    shown = _cli(database_url, "show", aid)
    assert shown.returncode == 0, shown.stderr
    assert yaml.safe_load(shown.stdout)["reports"][0]["rrule"] == "FREQ=MONTHLY;BYMONTHDAY=2"
    failed = _cli(database_url, "check", aid)
    assert (
        "failed   objectives[0].tracking First response (P1): configured (the event API), no data has arrived yet"
        in failed.stdout
    )
    queued = _cli(database_url, "test-channel", aid, "email")
    assert queued.returncode == 0, queued.stderr
    assert "queued a test email notification to desk@provider.test, lead@provider.test" in queued.stdout
    # The commands ran on the real clock: deliver what is due a minute from now.
    assert _deliver_queued(uow, datetime.now(UTC) + timedelta(minutes=1)) == 2
    delivered(uow, a.agreement_id, "INC-7")
    no_reason = _cli(database_url, "waive", aid, "objectives[1].remedy")
    assert no_reason.returncode == 2
    assert "field 'reason': a waiver needs a written reason" in no_reason.stderr
    for item in ("objectives[1].remedy", "objectives[2].remedy"):
        waived = _cli(database_url, "waive", aid, item, "--reason", "no credit agreed for this clause")
        assert waived.returncode == 0, waived.stderr
    gate = _cli(database_url, "go-live", aid)
    assert gate.returncode == 2
    assert "objectives[2].tracking (Availability (Managed e-mail), tracking) is failed" in gate.stderr
    as_json = json.loads(_cli(database_url, "check", aid, "--format", "json").stdout)
    open_items = [i["key"] for i in as_json["items"] if i["state"] not in ("ok", "waived")]
    assert open_items == ["objectives[2].tracking"]
    _cli(
        database_url,
        "waive",
        aid,
        "objectives[2].tracking",
        "--reason",
        "the status page import starts next week",
    )
    ready = _cli(database_url, "check", aid)
    assert ready.returncode == 0, ready.stdout
    assert "ready to go live" in ready.stdout
    live = _cli(database_url, "go-live", aid)
    assert live.returncode == 0, live.stderr
    assert f"agreement {aid} version 1 went live" in live.stdout
    frozen = _cli(database_url, "configure", aid, str(tmp_path / "readiness.yaml"))
    assert frozen.returncode == 2
    assert "needs a new agreement version" in frozen.stderr


def test_holidays_are_listed_and_added_to_a_live_agreement_from_the_command_line(
    uow: UnitOfWork, database_url: str
) -> None:
    from tests.integration.readiness.test_readiness_calendars import _live
    from tests.readiness_setup import CALENDAR

    aid = str(_live(uow))
    empty = _cli(database_url, "holidays", aid)
    assert empty.returncode == 0, empty.stderr
    assert f"frozen calendars '{CALENDAR}'" in empty.stdout
    assert "no holidays added since going live" in empty.stdout
    added = _cli(database_url, "holidays", aid, "--add", "2099-12-24=Christmas Eve", "--add", "2099-12-31")
    assert added.returncode == 0, added.stderr
    assert f"added to '{CALENDAR}': 2099-12-24, 2099-12-31" in added.stdout
    assert "2099-12-24  Office hours (UTC)  Christmas Eve" in added.stdout
    bad = _cli(database_url, "holidays", aid, "--add", "24.12.2099")
    assert bad.returncode == 2
    assert "add[0]" in bad.stderr
    past = _cli(database_url, "holidays", aid, "--add", "2001-01-02")
    assert (past.returncode, "days[0]" in past.stderr) == (2, True)
