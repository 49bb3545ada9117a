"""`slaforge relationship obligations …` in a real process: list, explain (the sentence the issue
asks for), add and remove on a draft, a refused definition exiting 2, and the worth table."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from slaforge.bootstrap import system_clock
from slaforge.services.background.study import run_capability_study
from slaforge.services.unit_of_work import UnitOfWork
from tests.cli_in_process import run_cli
from tests.obligation_setup import build

# The commands' parsing and printing do not depend on the database, and the use cases behind them
# run on PostgreSQL in the service and API tests: these run once, on SQLite (CI has 20 minutes).
pytestmark = pytest.mark.sqlite_only


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SLAFORGE_DATABASE_URL": database_url}
    return run_cli("relationship", "obligations", *args, env=env)


def test_the_obligation_commands(database_url: str, uow: UnitOfWork) -> None:
    s = build(uow)
    a = str(s.a_agreement)
    listed = _cli(database_url, "list", a)
    assert listed.returncode == 0, listed.stderr
    assert "answer-information-requests: Answer the provider's information request" in listed.stdout
    assert "OVERDUE INC-2" in listed.stdout

    explained = _cli(database_url, "explain", a, "INC-1", "--at", "2026-03-09T12:00+00:00")
    assert explained.returncode == 0, explained.stderr
    assert (
        "paused 2026-03-02 18:00 → 2026-03-04 11:00 Europe/Berlin: obligation 'Answer the provider's "
        "information request' overdue; 10 h of business time excused"
    ) in explained.stdout
    data = json.loads(
        _cli(database_url, "explain", a, "INC-1", "--at", "2026-03-09T12:00+00:00", "--json").stdout
    )
    assert {c["metric"] for c in data["clocks"]} == {"first_response", "resolution"}

    added = _cli(database_url, "add", a, "--key", "grant-access", "--name", "Grant remote access",
                 "--due-hours", "4", "--starts-on", "status:Awaiting Access", "--stops-on", "event:customer_reply",
                 "--excuses-provider")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "changed agreement" in added.stdout
    refused = _cli(database_url, "add", a, "--key", "bad", "--name", "Bad", "--due-hours", "4",
                   "--starts-on", "event:nonsense", "--stops-on", "event:customer_reply")  # fmt: skip
    assert refused.returncode == 2
    assert "starts_on.event" in refused.stdout + refused.stderr
    removed = _cli(database_url, "remove", a, "grant-access")
    assert removed.returncode == 0, removed.stderr

    run_capability_study(uow=uow, clock=system_clock, calendar_name="Berlin office")
    worth = _cli(database_url, "worth", a)
    assert worth.returncode == 0, worth.stderr
    assert "obligations that excuse the provider: Answer the provider's information request" in worth.stdout
    assert "all segments" in worth.stdout
