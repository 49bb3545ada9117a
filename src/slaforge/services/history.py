"""Use cases for service history: import a ServiceNow incident log as tickets and events."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from slaforge.adapters.db import repositories as repo
from slaforge.adapters.importers.common import ImportRejected, Rejection, file_sha256
from slaforge.adapters.importers.csv_source import csv_rows
from slaforge.adapters.importers.servicenow import MAPPING_NAME, REQUIRED_COLUMNS, MappedLog, map_incident_log
from slaforge.domain.errors import Conflict, InvalidInput
from slaforge.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class ImportSummary:
    batch_id: int
    source: str
    file_name: str
    file_sha256: str
    status: str  # completed, or partial when rejected rows were left out on request
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    tickets: int  # tickets in the file
    tickets_new: int  # of which were not stored before
    events: int
    events_new: int
    rejections: tuple[Rejection, ...]
    seconds: float


def _utcnow() -> datetime:
    return datetime.now(UTC)


def import_servicenow_log(
    *,
    uow: UnitOfWork,
    path: Path,
    source: str = "servicenow",
    timezone: str = "UTC",
    force: bool = False,
    keep_good: bool = False,
    clock: Callable[[], datetime] = _utcnow,
) -> ImportSummary:
    """Import a ServiceNow incident event log (.csv, or a .zip holding one) in one transaction.

    By default one bad row means nothing is written and every problem is listed
    (ImportRejected); `keep_good` stores the valid incidents and records the rejected rows.
    The same file (by SHA-256) imported again under the same source is refused unless `force`;
    forced, tickets are updated in place and events already stored are not added twice.
    """
    started = time.perf_counter()
    sha = file_sha256(path) if path.is_file() else ""
    if not sha:
        raise InvalidInput(f"no such file: {path}", field="file", value=str(path))
    with uow:
        earlier = repo.find_import_by_hash(uow.session, source=source, sha256=sha)
        if earlier is not None and not force:
            raise Conflict(
                f"{path.name} was already imported into '{source}' (batch {earlier.id}, "
                f"{earlier.started_at:%Y-%m-%d %H:%M} UTC); use --force to import it again"
            )
    with csv_rows(path, required=REQUIRED_COLUMNS) as rows:
        log = map_incident_log(rows, timezone=timezone)
    if log.rows_read == 0:
        raise InvalidInput(f"{path.name} holds no rows", field="file", value=str(path))
    if log.rejections and (not keep_good or not log.tickets):
        raise ImportRejected(path.name, log.rejections, log.rows_read)  # nothing good to keep
    with uow:
        summary = _write(uow, log, path=path, sha=sha, source=source, timezone=timezone, clock=clock)
        uow.commit()
    return replace(summary, seconds=time.perf_counter() - started)


def _write(
    uow: UnitOfWork,
    log: MappedLog,
    *,
    path: Path,
    sha: str,
    source: str,
    timezone: str,
    clock: Callable[[], datetime],
) -> ImportSummary:
    s = uow.session
    batch = repo.add_import_batch(
        s,
        source=source,
        file_name=path.name,
        file_sha256=sha,
        mapping=f"{MAPPING_NAME} (timezone={timezone})",
        rows_read=log.rows_read,
        rows_accepted=log.rows_accepted,
        rows_rejected=log.rows_read - log.rows_accepted,
        started_at=clock(),
        status="running",
    )
    tickets_before = repo.count_tickets(s, source=source)
    events_before = repo.count_events(s, source=source)
    ticket_rows: list[dict[str, Any]] = [
        {
            "source": source,
            "external_id": t.external_id,
            "batch_id": batch.id,
            "priority": t.priority,
            "category": t.category,
            "status": t.status,
            "created_at": t.created_at,
            "first_response_at": t.first_response_at,
            "resolved_at": t.resolved_at,
            "closed_at": t.closed_at,
        }
        for t in log.tickets
    ]
    ids = repo.upsert_tickets(s, source=source, rows=ticket_rows)
    event_rows = [
        {
            "ticket_id": ids[t.external_id],
            "at": e.at,
            "kind": e.kind.value,
            "status": e.status,
            "priority": e.priority,
            "dedupe_key": e.dedupe_key,
        }
        for t in log.tickets
        for e in t.events
    ]
    repo.insert_events(s, event_rows)
    repo.add_rejections(s, batch_id=batch.id, rejections=log.rejections)
    batch.status = "partial" if log.rejections else "completed"
    batch.finished_at = clock()
    s.flush()
    return ImportSummary(
        batch_id=batch.id,
        source=source,
        file_name=path.name,
        file_sha256=sha,
        status=batch.status,
        rows_read=log.rows_read,
        rows_accepted=log.rows_accepted,
        rows_rejected=batch.rows_rejected,
        tickets=len(ticket_rows),
        tickets_new=repo.count_tickets(s, source=source) - tickets_before,
        events=len(event_rows),
        events_new=repo.count_events(s, source=source) - events_before,
        rejections=tuple(log.rejections),
        seconds=0.0,
    )

