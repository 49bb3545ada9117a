"""The rules every import follows: all or nothing, keep-good with a rejects file, a file imported
twice, chunked reading, and the preview; on SQLite and (with --database) PostgreSQL."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from slaforge.adapters.background.importers.servicenow_synthetic import COLUMNS, write_synthetic_incident_log
from slaforge.adapters.db.models import (
    Customer,
    ImportBatch,
    ImportRejection,
    Outage,
    Service,
    Ticket,
    TicketEvent,
)
from slaforge.bootstrap import system_clock
from slaforge.domain.errors import ImportRejected
from slaforge.services.background.imports import AlreadyImported, import_tickets, preview_import
from slaforge.services.unit_of_work import UnitOfWork

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
TABLES = (Ticket, TicketEvent, ImportBatch, ImportRejection, Customer, Service, Outage)


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "incidents.csv"
    write_synthetic_incident_log(path, incidents=60, seed=11, start=datetime(2016, 3, 1, tzinfo=UTC), days=30)
    return path


def spoil(path: Path, line: int, column: str, value: str) -> None:
    """Overwrite one cell; `line` counts the header as line 1."""
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[line - 2][column] = value
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def counts(uow: UnitOfWork) -> dict[str, int]:
    with uow:
        return {m.__name__: uow.session.scalar(select(func.count()).select_from(m)) or 0 for m in TABLES}


def stored(uow: UnitOfWork, source: str) -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
    with uow:
        s = uow.session
        tickets = s.execute(
            select(Ticket.external_id, Ticket.priority, Ticket.category, Ticket.status, Ticket.created_at,
                   Ticket.first_response_at, Ticket.resolved_at, Ticket.closed_at).where(Ticket.source == source)
        )  # fmt: skip
        events = s.execute(
            select(Ticket.external_id, TicketEvent.kind, TicketEvent.at, TicketEvent.status, TicketEvent.priority,
                   TicketEvent.dedupe_key).join(Ticket).where(Ticket.source == source)
        )  # fmt: skip
        return {tuple(r) for r in tickets}, {tuple(r) for r in events}


def test_one_bad_row_writes_nothing_and_every_problem_is_listed(uow: UnitOfWork, log: Path) -> None:
    import_tickets(
        uow=uow, clock=system_clock, path=FIXTURES / "jira_export.csv", mapping="jira-service-management"
    )
    before = counts(uow)
    spoil(log, 7, "opened_at", "yesterday")
    spoil(log, 30, "priority", "urgent")
    spoil(log, 31, "sys_mod_count", "x")
    with pytest.raises(ImportRejected) as caught:
        import_tickets(uow=uow, clock=system_clock, path=log, mapping="servicenow")
    assert [(p.row, p.column) for p in caught.value.problems] == [(7, "opened_at"), (30, "priority"),
                                                                   (31, "sys_mod_count")]  # fmt: skip
    assert all(p.file == "incidents.csv" for p in caught.value.problems)
    assert "row 30, column 'priority': 'urgent' is not one of" in caught.value.message
    assert counts(uow) == before
    assert not (log.parent / "incidents.csv.rejects.csv").exists()


def test_keep_good_stores_the_good_tickets_and_saves_the_rejects_in_the_data_folder(
    uow: UnitOfWork, log: Path, tmp_path: Path
) -> None:
    spoil(log, 7, "opened_at", "yesterday")
    data = tmp_path / "data" / "rejects"
    s = import_tickets(uow=uow, clock=system_clock, path=log, mapping="servicenow", keep_good=True,
                       fallback_dir=data)  # fmt: skip
    assert (s.status, s.tickets) == ("partial", 59)
    assert s.rows_rejected == len(s.rejections) > 1  # the bad row and the other rows of its incident
    assert s.rows_accepted == s.rows_read - s.rows_rejected
    with uow:
        stored_rejects = uow.session.scalars(select(ImportRejection).order_by(ImportRejection.row)).all()
        batch = uow.session.scalars(select(ImportBatch)).one()
    assert [(r.row, r.column) for r in stored_rejects if r.column != "number"] == [(7, "opened_at")]
    assert (batch.status, batch.rows_rejected) == ("partial", s.rows_rejected)
    assert s.rejects_file is not None
    assert s.rejects_file.parent == data  # never beside the input, the user's folder
    assert s.rejects_file.name.endswith("-incidents.csv.rejects.csv")
    assert not (log.parent / "incidents.csv.rejects.csv").exists()
    with s.rejects_file.open(newline="") as fh:
        rejects = list(csv.DictReader(fh))
    assert [r["row"] for r in rejects] == [str(r.row) for r in stored_rejects]
    bad = next(r for r in rejects if r["row"] == "7")
    assert (bad["column"], bad["opened_at"]) == ("opened_at", "yesterday")
    assert "is not a day-first date-time" in bad["reason"]
    assert set(COLUMNS) <= set(rejects[0])


def test_keep_good_with_nothing_good_still_writes_nothing(uow: UnitOfWork, tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    write_synthetic_incident_log(path, incidents=1, seed=1, start=datetime(2016, 3, 1, tzinfo=UTC))
    spoil(path, 2, "opened_at", "?")
    with pytest.raises(ImportRejected, match="row 2, column 'opened_at'"):
        import_tickets(uow=uow, clock=system_clock, path=path, mapping="servicenow", keep_good=True)
    assert counts(uow)["ImportBatch"] == 0


def test_the_same_file_again_is_refused_and_allowed_it_adds_nothing_twice(uow: UnitOfWork, log: Path) -> None:
    first = import_tickets(uow=uow, clock=system_clock, path=log, mapping="servicenow")
    with pytest.raises(AlreadyImported, match=f"already imported \\(batch {first.batch_id}"):
        import_tickets(uow=uow, clock=system_clock, path=log, mapping="servicenow")
    renamed = log.with_name("copy.csv")
    renamed.write_bytes(log.read_bytes())
    with pytest.raises(AlreadyImported):  # the content counts, not the name
        import_tickets(uow=uow, clock=system_clock, path=renamed, mapping="servicenow")
    again = import_tickets(
        uow=uow, clock=system_clock, path=log, mapping="servicenow", allow_duplicate_file=True
    )
    assert (again.tickets, again.tickets_new, again.events, again.events_new) == (60, 0, first.events, 0)
    assert counts(uow)["Ticket"] == 60
    assert counts(uow)["TicketEvent"] == first.events
    assert counts(uow)["ImportBatch"] == 2


def test_a_file_read_in_small_chunks_stores_exactly_what_one_chunk_stores(uow: UnitOfWork, log: Path) -> None:
    import_tickets(uow=uow, clock=system_clock, path=log, mapping="servicenow", source="whole")
    import_tickets(uow=uow, clock=system_clock, path=log, mapping="servicenow", source="chunked", chunk_rows=13,
                   allow_duplicate_file=True)  # fmt: skip
    assert stored(uow, "chunked") == stored(uow, "whole")
    assert len(stored(uow, "whole")[0]) == 60


def test_a_users_own_mapping_file_imports_its_export(uow: UnitOfWork) -> None:
    s = import_tickets(
        uow=uow,
        clock=system_clock,
        path=FIXTURES / "long_events.csv",
        mapping=str(FIXTURES / "long_events.yaml"),
    )
    assert (s.mapping, s.source, s.tickets, s.events) == ("my-helpdesk", "my-helpdesk", 2, 16)
    with uow:
        t = uow.session.scalars(select(Ticket).where(Ticket.external_id == "T-1")).one()
        service = uow.session.get(Service, t.service_id)
    assert (t.priority, t.attributes, service.name if service else None) == (
        "critical",
        {"channel": "email", "sla_met": True},
        "Payments",
    )


def test_the_preview_shows_rows_as_read_with_their_events_and_problems(log: Path) -> None:
    spoil(log, 3, "priority", "urgent")
    p = preview_import(path=log, mapping="servicenow", rows=5)
    assert (p.mapping_name, p.kind, p.format, len(p.rows)) == ("servicenow", "tickets", "csv", 5)
    assert p.mapping["statuses"]["pause"][0] == "Awaiting User Info"
    first = p.rows[0]
    assert first.row == 2
    assert first.values["number"] == "INC9000000"
    assert first.parsed["ticket"] == "INC9000000"
    assert first.parsed["status"] == "New"
    assert first.events[0] == "created → New"
    assert [(q.row, q.column) for q in p.problems] == [(3, "priority")]
    assert "status_changed → Active" in p.rows[3].events or "status_changed → Active" in p.rows[2].events
