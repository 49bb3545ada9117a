"""`slaforge relationship tasks …` in a real process: template, list, add, depend (a cycle refused
with exit 2, naming it), update, remind."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.agreement_setup import draft
from tests.cli_in_process import run_cli

# The commands' parsing and printing do not depend on the database, and the use cases behind them
# run on PostgreSQL in the service and API tests: these run once, on SQLite (CI has 20 minutes).
pytestmark = pytest.mark.sqlite_only


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SLAFORGE_DATABASE_URL": database_url}
    return run_cli("relationship", "tasks", *args, env=env)


def test_the_task_commands(database_url, uow):
    d = draft(uow)
    a = str(d.agreement_id)
    listed = _cli(database_url, "template")
    assert "onboarding: 6 tasks" in listed.stdout
    made = _cli(database_url, "template", "--agreement", a, "--start", "2026-11-02")
    assert made.returncode == 0, made.stderr
    assert "added 6 task(s) from template 'onboarding': 1, 2, 3, 4, 5, 6" in made.stdout
    added = _cli(database_url, "add", "--agreement", a, "--title", "Sign off the runbook", "--party", "customer",
                 "--due", "2026-11-30")  # fmt: skip
    assert "added task 7: Sign off the runbook" in added.stdout
    assert _cli(database_url, "depend", "--agreement", a, "--task", "7", "--on", "6").returncode == 0
    cycle = _cli(database_url, "depend", "--agreement", a, "--task", "1", "--on", "7")
    assert cycle.returncode == 2
    assert "'Kick-off meeting' → 'Sign off the runbook' → 'First service review'" in cycle.stderr
    assert "would form a cycle" in cycle.stderr
    bad = _cli(database_url, "update", "--agreement", a, "--task", "2", "--status", "finished")
    assert bad.returncode == 2
    assert "field 'status'" in bad.stderr
    updated = _cli(
        database_url, "update", "--agreement", a, "--task", "1", "--status", "done", "--note", "held"
    )
    assert "done" in updated.stdout
    out = _cli(database_url, "list", "--agreement", a, "--party", "customer", "--sort", "-due_date")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "Sign off the runbook" in lines[0]
    assert "3 of 3 task(s)" in lines[-1]
    assert "overdue once its due date has ended" in lines[-1]
    reminded = _cli(database_url, "remind")
    assert reminded.returncode == 0, reminded.stderr
    assert "reminder(s) queued" in reminded.stdout
