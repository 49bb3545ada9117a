"""`slaforge relationship meetings topics …` in a real process: raise (twice: one topic), list,
refuse a past meeting naming the field, withdraw; the agenda lists the topics raised."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from slaforge.services.relationship import meetings, topics
from slaforge.services.unit_of_work import UnitOfWork
from tests.integration.relationship.test_meetings_cli import _cli
from tests.integration.relationship.test_meetings_series import _draft

# The commands' parsing and printing do not depend on the database, and the use cases behind them
# run on PostgreSQL in the service and API tests: these run once, on SQLite (CI has 20 minutes).
pytestmark = pytest.mark.sqlite_only

T0 = datetime(2026, 1, 1, tzinfo=UTC)
COMING = "2099-03-03T10:00"


def test_topics_from_the_command_line(database_url: str, uow: UnitOfWork) -> None:
    agreement_id = _draft(uow)
    series = {**meetings.DEMO_SERIES, "start": "2026-01-06T10:00"}
    meetings.put_series(uow=uow, agreement_id=agreement_id, series=series, actor="m", now=T0)
    args = ["topics", str(agreement_id), "monthly-review", "--original", COMING]
    first = _cli(database_url, *args, "--raise", "Renewal terms")
    assert first.returncode == 0, first.stderr
    assert "raised" in first.stdout
    assert "1 topic(s)" in first.stdout
    again = _cli(database_url, *args, "--raise", "Renewal terms")
    assert "was raised before" in again.stdout
    assert "1 topic(s)" in again.stdout
    past = _cli(database_url, "topics", str(agreement_id), "monthly-review", "--original", "2026-03-03T10:00",
                "--raise", "Too late")  # fmt: skip
    assert past.returncode != 0
    assert "original_start" in past.stderr
    agenda = _cli(database_url, "agenda", str(agreement_id), "monthly-review", "--original", COMING)
    assert "5. Topics raised (1)" in agenda.stdout
    assert "[provider] Renewal terms" in agenda.stdout
    (topic,) = topics.topics_of(
        uow=uow, agreement_id=agreement_id, series_key="monthly-review", original_start=COMING
    )
    gone = _cli(database_url, *args, "--withdraw", str(topic.id))
    assert gone.returncode == 0, gone.stderr
    assert f"topic {topic.id} withdrawn" in gone.stdout
    assert "0 topic(s)" in gone.stdout
