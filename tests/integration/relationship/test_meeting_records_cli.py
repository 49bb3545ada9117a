"""`slaforge relationship meetings minutes|actions|agenda|feed …` in a real process."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from slaforge.domain.platform.accounts import Role
from slaforge.services.platform import accounts
from slaforge.services.relationship import feeds, meetings
from slaforge.services.unit_of_work import UnitOfWork
from tests.integration.relationship.test_meetings_cli import _cli
from tests.integration.relationship.test_meetings_series import _draft

# The commands' parsing and printing do not depend on the database, and the use cases behind them
# run on PostgreSQL in the service and API tests: these run once, on SQLite (CI has 20 minutes).
pytestmark = pytest.mark.sqlite_only

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_minutes_actions_agenda_and_feed_from_the_command_line(
    database_url: str, uow: UnitOfWork, tmp_path: Path
) -> None:
    agreement_id = _draft(uow)
    series = {**meetings.DEMO_SERIES, "start": "2026-01-06T10:00"}
    meetings.put_series(uow=uow, agreement_id=agreement_id, series=series, actor="m", now=T0)
    actions = tmp_path / "actions.json"
    actions.write_text(json.dumps([{"title": "Send the report", "party": "provider", "due": "2026-03-20"}]))
    args = ["minutes", str(agreement_id), "monthly-review", "--original", "2026-03-03T10:00",
            "--text", "Reviewed.", "--attended", "Ann", "--actions", str(actions)]  # fmt: skip
    first = _cli(database_url, *args)
    assert first.returncode == 0, first.stderr
    assert "(revision 1)" in first.stdout
    assert "(new task)" in first.stdout
    again = _cli(database_url, *args)
    assert "(revision 2)" in again.stdout
    assert "(new task)" not in again.stdout
    future = _cli(database_url, *args[:4], "2099-03-03T10:00", *args[5:])
    assert future.returncode != 0
    assert "original_start" in future.stderr

    listed = _cli(database_url, "actions", str(agreement_id), "--open")
    assert listed.returncode == 0, listed.stderr
    assert "1 action(s)" in listed.stdout
    assert "[open] Send the report" in listed.stdout
    agenda = _cli(
        database_url, "agenda", str(agreement_id), "monthly-review", "--original", "2026-04-07T10:00"
    )
    assert agenda.returncode == 0, agenda.stderr
    assert "1. Objectives — study figures" in agenda.stdout
    assert "4. Open actions of earlier meetings (1)" in agenda.stdout

    accounts.create_user(uow=uow, actor=None, email="ann@provider.test", password="correct horse battery",
                         role=Role.MANAGER)  # fmt: skip
    assert "no feed yet" in _cli(database_url, "feed", "show", "ann@provider.test").stdout
    reset = _cli(database_url, "feed", "reset", "ann@provider.test")
    assert reset.returncode == 0, reset.stderr
    token = reset.stdout.strip().rsplit("/", 1)[1].removesuffix(".ics")
    assert feeds.feed_owner(uow=uow, token=token) is not None
    assert "has a feed" in _cli(database_url, "feed", "show", "ann@provider.test").stdout
