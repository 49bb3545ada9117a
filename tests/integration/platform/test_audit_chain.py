"""The audit chain verifies, and names the entry that was edited behind slaforge's back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from typer.testing import CliRunner

from slaforge.entrypoints.cli.main import app
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def write_entries(uow: UnitOfWork, n: int) -> None:
    with uow:
        for i in range(n):
            audit.record(
                uow,
                actor="manager@example.test",
                action="agreement.offered" if i % 2 else "agreement.drafted",
                subject_type="agreement",
                subject_id=7,
                at=T0 + timedelta(minutes=i, microseconds=123),
                data={"version": i + 1, "hash": "ab" * 32},
            )
        uow.commit()


def test_an_untouched_chain_verifies(uow):
    write_entries(uow, 5)
    report = audit.verify(uow=uow)
    assert report.ok
    assert report.entries == 5
    assert [e.seq for e in audit.entries_for(uow=uow, subject_type="agreement", subject_id=7)] == [
        1,
        2,
        3,
        4,
        5,
    ]


def test_an_entry_changed_in_the_database_is_named(uow, engine):
    write_entries(uow, 5)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET actor = 'intruder@example.test' WHERE seq = 3"))
    report = audit.verify(uow=uow)
    assert report.problem is not None
    assert report.problem.seq == 3
    assert "changed" in report.problem.reason


def test_a_deleted_entry_is_named(uow, engine):
    write_entries(uow, 5)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE seq = 2"))
    report = audit.verify(uow=uow)
    assert report.problem is not None
    assert report.problem.seq == 3
    assert "entry 2 is missing" in report.problem.reason


def test_an_entry_rolled_back_with_its_change_leaves_no_trace(uow):
    with uow:
        audit.record(uow, actor="a", action="x", subject_type="s", subject_id=1, at=T0)
        # no commit: the change and its record go together
    assert audit.verify(uow=uow).entries == 0


def test_the_cli_reports_tampering_with_exit_1(uow, engine, database_url):
    write_entries(uow, 3)
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify", "--database-url", database_url])
    assert ok.exit_code == 0, ok.output
    assert "3 entries" in ok.output
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET action = 'agreement.accepted' WHERE seq = 2"))
    bad = runner.invoke(app, ["audit", "verify", "--database-url", database_url])
    assert bad.exit_code == 1
    assert "entry 2" in bad.output


def test_entries_deleted_from_the_end_are_named_by_the_head(uow, engine, database_url):
    write_entries(uow, 20)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE seq > 17"))
    report = audit.verify(uow=uow)
    assert report.problem is not None
    assert (
        report.problem.reason == "entries after #17 were removed: the head records 20 entries ending in #20"
    )
    bad = CliRunner().invoke(app, ["audit", "verify", "--database-url", database_url])
    assert bad.exit_code == 1
    assert "entries after #17 were removed: the head records 20 entries ending in #20" in bad.output


def test_an_emptied_log_and_a_removed_head_are_detected(uow, engine):
    write_entries(uow, 3)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries"))
    report = audit.verify(uow=uow)
    assert report.problem is not None
    assert report.problem.reason == "all entries were removed: the head records 3 entries ending in #3"
    write_entries(uow, 0)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_head"))
    assert audit.verify(uow=uow).ok  # nothing left to vouch for: an empty log with no head


def test_the_console_script_exits_1_on_tampering(uow, engine, database_url):
    # Through the installed `slaforge` script, as cron or CI runs it: the status must survive the
    # entry point (it exited 0 while the app itself said 1, issue 10).
    import subprocess
    import sys
    from pathlib import Path

    script = str(Path(sys.executable).with_name("slaforge"))
    write_entries(uow, 3)
    ok = subprocess.run(
        [script, "audit", "verify", "--database-url", database_url], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET action = 'agreement.accepted' WHERE seq = 2"))
    bad = subprocess.run(
        [script, "audit", "verify", "--database-url", database_url], capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert "entry 2" in bad.stdout + bad.stderr
