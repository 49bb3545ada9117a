"""Importing a ServiceNow incident log into the database: counts, idempotence, rejections, the CLI."""

from __future__ import annotations

import csv
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from slaforge.adapters.background.importers.common import ImportRejected, file_sha256
from slaforge.adapters.background.importers.servicenow_synthetic import COLUMNS, write_synthetic_incident_log
from slaforge.adapters.db.models import ImportBatch, ImportRejection, Ticket, TicketEvent
from slaforge.bootstrap import system_clock
from slaforge.domain.errors import Conflict, InvalidInput
from slaforge.entrypoints.cli.main import app
from slaforge.services.background.history import import_servicenow_log
from slaforge.services.unit_of_work import UnitOfWork

START = datetime(2016, 3, 1, tzinfo=UTC)


@pytest.fixture
def small_log(tmp_path: Path) -> Path:
    path = tmp_path / "incidents.csv"
    write_synthetic_incident_log(path, incidents=40, seed=7, start=START, days=20)
    return path


def counts(uow: UnitOfWork) -> tuple[int, int, int]:
    with uow:
        s = uow.session
        return (
            s.scalar(select(func.count()).select_from(Ticket)) or 0,
            s.scalar(select(func.count()).select_from(TicketEvent)) or 0,
            s.scalar(select(func.count()).select_from(ImportBatch)) or 0,
        )


def spoil(path: Path, line: int, column: str, value: str) -> None:
    """Overwrite one cell; `line` counts the header as line 1."""
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[line - 2][column] = value
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def test_a_log_becomes_tickets_events_and_a_batch_with_the_file_hash(
    uow: UnitOfWork, small_log: Path
) -> None:
    summary = import_servicenow_log(uow=uow, clock=system_clock, path=small_log)
    assert (summary.tickets, summary.tickets_new, summary.status) == (40, 40, "completed")
    assert summary.events == summary.events_new > 40 * 4
    assert counts(uow) == (40, summary.events, 1)
    with uow:
        batch = uow.session.scalars(select(ImportBatch)).one()
        assert batch.file_sha256 == file_sha256(small_log) == summary.file_sha256
        assert (batch.rows_read, batch.rows_accepted, batch.rows_rejected) == (
            summary.rows_read,
            summary.rows_read,
            0,
        )
        ticket = uow.session.scalars(select(Ticket).order_by(Ticket.external_id)).first()
        assert ticket is not None
        assert ticket.created_at.tzinfo is UTC
        assert ticket.source == "servicenow"
        assert ticket.batch_id == batch.id


def test_the_same_file_twice_is_a_conflict_and_forcing_it_adds_nothing_twice(
    uow: UnitOfWork, small_log: Path
) -> None:
    first = import_servicenow_log(uow=uow, clock=system_clock, path=small_log)
    with pytest.raises(Conflict, match="already imported"):
        import_servicenow_log(uow=uow, clock=system_clock, path=small_log)
    again = import_servicenow_log(uow=uow, clock=system_clock, path=small_log, force=True)
    assert (again.tickets_new, again.events_new) == (0, 0)
    assert counts(uow) == (40, first.events, 2)


def test_a_zip_is_read_like_the_csv_inside_it(uow: UnitOfWork, small_log: Path, tmp_path: Path) -> None:
    archive = tmp_path / "log.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(small_log, "incident_event_log.csv")
    summary = import_servicenow_log(uow=uow, clock=system_clock, path=archive)
    assert (summary.tickets, summary.file_name) == (40, "log.zip")


def test_one_bad_row_writes_nothing_and_lists_every_problem(uow: UnitOfWork, small_log: Path) -> None:
    spoil(small_log, 5, "opened_at", "yesterday")
    spoil(small_log, 9, "priority", "urgent")
    with pytest.raises(ImportRejected) as caught:
        import_servicenow_log(uow=uow, clock=system_clock, path=small_log)
    problems = {(r.row, r.column) for r in caught.value.rejections}
    assert {(5, "opened_at"), (9, "priority")} <= problems
    assert "row 5, column 'opened_at'" in caught.value.message
    assert counts(uow) == (0, 0, 0)


def test_keep_good_stores_the_valid_incidents_and_records_the_rejected_rows(
    uow: UnitOfWork, small_log: Path
) -> None:
    spoil(small_log, 5, "sys_updated_at", "31/2/2016 10:00")
    summary = import_servicenow_log(uow=uow, clock=system_clock, path=small_log, keep_good=True)
    assert summary.status == "partial"
    assert summary.tickets == 39
    assert summary.rows_rejected == len(summary.rejections) > 0
    with uow:
        stored = uow.session.scalars(select(ImportRejection).order_by(ImportRejection.row)).all()
        assert [(r.row, r.column) for r in stored if r.column != "number"] == [(5, "sys_updated_at")]
        assert len(stored) == summary.rows_rejected


def test_keep_good_with_no_good_row_is_still_rejected(uow: UnitOfWork, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    write_synthetic_incident_log(path, incidents=1, seed=1, start=START)
    spoil(path, 2, "opened_at", "?")
    with pytest.raises(ImportRejected, match="row 2, column 'opened_at'"):
        import_servicenow_log(uow=uow, clock=system_clock, path=path, keep_good=True)
    assert counts(uow) == (0, 0, 0)


def test_a_missing_column_is_named(uow: UnitOfWork, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("number,incident_state\nINC1,New\n")
    with pytest.raises(InvalidInput, match="sys_mod_count"):
        import_servicenow_log(uow=uow, clock=system_clock, path=path)


def test_the_cli_migrates_imports_and_reports(database_url: str, small_log: Path) -> None:
    runner = CliRunner()
    up = runner.invoke(app, ["db", "upgrade", "--database-url", database_url])
    assert up.exit_code == 0, up.output
    current = runner.invoke(app, ["db", "current", "--database-url", database_url])
    assert "up to date" in current.output
    result = runner.invoke(app, ["import", "servicenow", str(small_log), "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert "40 tickets (40 new)" in result.output


@pytest.mark.slow
def test_the_real_incident_log_imports_whole_and_quickly(uow: UnitOfWork, shared_data_dir: Path) -> None:
    path = shared_data_dir / "uci_incident_event_log.zip"
    if not path.is_file():
        pytest.skip(f"the ServiceNow incident log is not at {path} (see ../shared/data/README.md)")
    started = time.perf_counter()
    summary = import_servicenow_log(uow=uow, clock=system_clock, path=path)
    elapsed = time.perf_counter() - started
    assert (summary.rows_read, summary.rows_rejected, summary.tickets) == (141_712, 0, 24_918)
    assert counts(uow)[0] == 24_918
    assert elapsed < 60
