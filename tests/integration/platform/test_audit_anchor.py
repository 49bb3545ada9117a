"""Checkpoints kept outside the database: POSTed to a real local HTTP receiver, written by the
scheduler when the log has grown, and refused loudly when the receiver refuses them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from slaforge.bootstrap import bootstrap
from slaforge.config import Settings
from slaforge.domain.platform.audit_checkpoint import Checkpoint
from slaforge.entrypoints.cli.main import app
from slaforge.entrypoints.worker import Scheduler
from slaforge.services.platform import audit
from tests.fakes import TEST_AUDIT_KEYS
from tests.integration.platform.test_audit_attacks import write_entries
from tests.notify_receivers import http_receiver


def test_a_checkpoint_is_posted_to_the_receiver_and_appended_to_the_file(
    uow, database_url: str, tmp_path: Path
) -> None:
    write_entries(uow, 4)
    file = tmp_path / "cp.jsonl"
    with http_receiver([204]) as receiver:
        done = CliRunner().invoke(
            app, ["audit", "checkpoint", "--database-url", database_url, "--file", str(file), "--url", receiver.url]
        )
    assert done.exit_code == 0, done.output
    assert len(receiver.requests) == 1
    posted = json.loads(receiver.requests[0].body)
    assert receiver.requests[0].headers["Content-Type"] == "application/json"
    assert posted == json.loads(file.read_text())
    cp = Checkpoint.from_json(posted)
    assert (cp.seq, cp.entries, cp.key_id) == (4, 4, "test-k1")
    assert cp.signed_by(TEST_AUDIT_KEYS.current)
    assert audit.verify(uow=uow, checkpoints=[("posted", cp)]).ok


def test_a_refusing_receiver_makes_the_command_exit_1_naming_the_status(
    uow, database_url: str, tmp_path: Path
) -> None:
    write_entries(uow, 2)
    with http_receiver([503]) as receiver:
        done = CliRunner().invoke(
            app, ["audit", "checkpoint", "--database-url", database_url,
                  "--file", str(tmp_path / "cp.jsonl"), "--url", receiver.url],
        )  # fmt: skip
    assert done.exit_code == 1
    assert f"{receiver.url} answered 503 to the checkpoint" in done.output
    assert (tmp_path / "cp.jsonl").exists()  # the file still has it


def test_the_scheduler_writes_a_checkpoint_when_the_log_has_grown(
    uow, database_url: str, engine, session_factory, tmp_path: Path
) -> None:
    file = tmp_path / "cp.jsonl"
    settings = Settings(database_url=database_url, environment="test", secret_key="s" * 40,
                        audit_checkpoint_file=str(file), audit_checkpoint_interval=1)  # fmt: skip
    container = bootstrap(settings, engine=engine, session_factory=session_factory)
    write_entries(uow, 3)
    scheduler = Scheduler(container, interval=60)
    scheduler.run_once()
    assert [json.loads(line)["seq"] for line in file.read_text().splitlines()] == [3]
    scheduler._next_checkpoint = 0.0  # the interval has passed, the log has not grown: nothing new
    scheduler.run_once()
    assert len(file.read_text().splitlines()) == 1
    write_entries(uow, 2, start=3)
    scheduler._next_checkpoint = 0.0
    scheduler.run_once()
    assert [json.loads(line)["seq"] for line in file.read_text().splitlines()] == [3, 5]
