"""Queries and bulk writes over the core tables, so services never build SQL themselves.

Bulk writes use Core `INSERT … ON CONFLICT` with lists of dicts (one executemany per chunk):
an ORM object per row would cost minutes on a 150,000-event history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from slaforge.adapters.background.importers.common import Rejection
from slaforge.adapters.db.models import Calendar, ImportBatch, ImportRejection, Ticket, TicketEvent
from slaforge.domain.time.clocks.model import EventKind
from slaforge.domain.time.clocks.model import TicketEvent as DomainEvent

CHUNK = 5_000
TICKET_UPDATABLE = (
    "batch_id", "priority", "category", "status", "created_at", "first_response_at", "resolved_at",
    "closed_at",
)  # fmt: skip
_TICKETS: Table = Ticket.__table__  # type: ignore[assignment]
_EVENTS: Table = TicketEvent.__table__  # type: ignore[assignment]
_REJECTIONS: Table = ImportRejection.__table__  # type: ignore[assignment]


def _insert(session: Session, table: Table) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite ≥ 3.24 and PostgreSQL)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"bulk upsert is not written for {dialect}")


def _chunks(rows: Sequence[Mapping[str, Any]]) -> Iterable[list[Mapping[str, Any]]]:
    for i in range(0, len(rows), CHUNK):
        yield list(rows[i : i + CHUNK])


# ------------------------------------------------------------------------------ import batches
def find_import_by_hash(session: Session, *, source: str, sha256: str) -> ImportBatch | None:
    stmt = (
        select(ImportBatch)
        .where(ImportBatch.source == source, ImportBatch.file_sha256 == sha256)
        .where(ImportBatch.status.in_(("completed", "partial")))
        .order_by(ImportBatch.id)
        .limit(1)
    )
    return session.scalars(stmt).first()


def add_import_batch(session: Session, **fields: Any) -> ImportBatch:
    batch = ImportBatch(**fields)
    session.add(batch)
    session.flush()
    return batch


def add_rejections(session: Session, *, batch_id: int, rejections: Sequence[Rejection]) -> None:
    rows = [{"batch_id": batch_id, "row": r.row, "column": r.column, "reason": r.reason} for r in rejections]
    for chunk in _chunks(rows):
        session.execute(_REJECTIONS.insert(), chunk)


# ------------------------------------------------------------------------------ tickets, events
def upsert_tickets(session: Session, *, source: str, rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Insert or update tickets by (source, external_id); returns external_id → id for the source."""
    stmt = _insert(session, _TICKETS)
    stmt = stmt.on_conflict_do_update(
        index_elements=["source", "external_id"],
        set_={col: stmt.excluded[col] for col in TICKET_UPDATABLE},
    )
    for chunk in _chunks(rows):
        session.execute(stmt, chunk)
    found = session.execute(select(Ticket.external_id, Ticket.id).where(Ticket.source == source))
    return {external_id: ticket_id for external_id, ticket_id in found}  # noqa: C416 (Row objects)


def insert_events(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Events whose (ticket_id, dedupe_key) is already stored are skipped: delivered twice, kept once."""
    stmt = _insert(session, _EVENTS).on_conflict_do_nothing(index_elements=["ticket_id", "dedupe_key"])
    for chunk in _chunks(rows):
        session.execute(stmt, chunk)


def count_tickets(session: Session, *, source: str) -> int:
    return session.scalar(select(func.count()).select_from(Ticket).where(Ticket.source == source)) or 0


def count_events(session: Session, *, source: str) -> int:
    stmt = select(func.count()).select_from(TicketEvent).join(Ticket).where(Ticket.source == source)
    return session.scalar(stmt) or 0


def events_by_ticket(session: Session, ticket_ids: Sequence[int]) -> dict[int, list[DomainEvent]]:
    """Each ticket's events in the order they happened (ties in the order they were stored)."""
    out: dict[int, list[DomainEvent]] = {tid: [] for tid in ticket_ids}
    stmt = (
        select(TicketEvent)
        .where(TicketEvent.ticket_id.in_(ticket_ids))
        .order_by(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.id)
    )
    for e in session.scalars(stmt):
        event = DomainEvent(at=e.at, kind=EventKind(e.kind), status=e.status, priority=e.priority)
        out[e.ticket_id].append(event)
    return out


def first_ticket(
    session: Session,
    *,
    source: str,
    priority: str | None = None,
    with_status_in: Iterable[str] = (),
    with_kind: EventKind | None = None,
    without_status_in: Iterable[str] = (),
    exclude: Iterable[int] = (),
) -> Ticket | None:
    """The ticket with the lowest external id that matches; a deterministic pick for samples."""
    stmt = select(Ticket).where(Ticket.source == source)
    if priority is not None:
        stmt = stmt.where(Ticket.priority == priority)
    if statuses := list(with_status_in):
        stmt = stmt.where(_has_event(TicketEvent.status.in_(statuses)))
    if without := list(without_status_in):
        stmt = stmt.where(~_has_event(TicketEvent.status.in_(without)))
    if with_kind is not None:
        stmt = stmt.where(_has_event(TicketEvent.kind == with_kind.value))
    if excluded := list(exclude):
        stmt = stmt.where(Ticket.id.not_in(excluded))
    return session.scalars(stmt.order_by(Ticket.external_id).limit(1)).first()


def _has_event(condition: Any) -> Any:
    return exists().where(TicketEvent.ticket_id == Ticket.id, condition)


def latest_event_at(session: Session, *, source: str) -> datetime | None:
    stmt = select(func.max(TicketEvent.at)).join(Ticket).where(Ticket.source == source)
    return session.scalar(stmt)


# ------------------------------------------------------------------------------ calendars
def get_calendar(session: Session, name: str) -> Calendar | None:
    return session.scalars(select(Calendar).where(Calendar.name == name)).first()


def put_calendar(session: Session, *, name: str, definition: dict[str, Any]) -> Calendar:
    row = get_calendar(session, name)
    if row is None:
        row = Calendar(name=name, definition=definition)
        session.add(row)
    else:
        row.definition = definition
    session.flush()
    return row
