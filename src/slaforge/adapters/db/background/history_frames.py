"""Service history read from the database into NumPy columns, for studies over whole histories.

Rows are fetched in chunks (`yield_per`) as plain tuples, never as ORM objects, and instants come
back as integer microseconds computed by the database (PostgreSQL) or parsed in bulk from the
stored text (SQLite): a Python `datetime` per row would cost more than the whole study.
Statements select ORM attributes, so a tenant-scoped session still filters them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import BigInteger, String, cast, extract, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from slaforge.adapters.db.models import Customer, ImportBatch, Outage, Service, Ticket, TicketEvent
from slaforge.domain.background.study.availability import OutageSet
from slaforge.domain.background.study.frames import SEGMENT_FIELDS, HistoryFrame, OutageColumns, TicketColumns
from slaforge.domain.time.calendar.business import to_us
from slaforge.domain.time.clocks.columns import CodeBook, EventColumns, encode_kinds

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
CHUNK = 50_000


def _instant(session: Session, column: Any) -> ColumnElement[Any]:
    """An expression yielding the instant as µs (PostgreSQL) or as its stored text (SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(extract("epoch", column) * 1_000_000, BigInteger)
    return type_coerce(column, String)


def _to_us(values: Sequence[Any]) -> I64:
    """µs since the epoch from what `_instant` returned: ints, or naive-UTC ISO text."""
    if not values:
        return np.zeros(0, dtype=np.int64)
    first = next((v for v in values if v is not None), None)
    if isinstance(first, str):
        parsed = np.array(values, dtype="datetime64[us]")  # 'YYYY-MM-DD HH:MM:SS.ffffff'
        return parsed.astype(np.int64)
    if isinstance(first, datetime):  # another dialect, through the type decorator
        return np.array([to_us(v) for v in values], dtype=np.int64)
    return np.array(values, dtype=np.int64)


def _flag(value: Any) -> float:
    """The provider's made_sla, tolerating how JSON and drivers spell a boolean."""
    if isinstance(value, bool | int):
        return 1.0 if value else 0.0
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0", "yes", "no"):
        return 1.0 if value.strip().lower() in ("true", "1", "yes") else 0.0
    return float("nan")


def _period_filter(
    stmt: Any, period: tuple[datetime, datetime] | None, sources: Sequence[str] | None = None
) -> Any:
    if sources is not None:  # the import source keys ("servicenow") tickets are stored under
        stmt = stmt.where(Ticket.source.in_(sorted(sources)))
    if period is None:
        return stmt
    return stmt.where(Ticket.created_at >= period[0], Ticket.created_at < period[1])


def _chunks(session: Session, stmt: Any, size: int) -> Iterator[list[Any]]:
    result = session.execute(stmt.execution_options(yield_per=size))
    for part in result.partitions(size):
        yield list(part)


def load_tickets(
    session: Session,
    *,
    period: tuple[datetime, datetime] | None = None,
    sources: Sequence[str] | None = None,
    chunk: int = CHUNK,
) -> TicketColumns:
    stmt = (
        select(
            Ticket.id,
            _instant(session, Ticket.created_at),
            Ticket.priority,
            Ticket.category,
            Service.name,
            Customer.name,
            Ticket.attributes["made_sla"],
            Ticket.batch_id,
        )
        .outerjoin(Service, Service.id == Ticket.service_id)
        .outerjoin(Customer, Customer.id == Ticket.customer_id)
        .order_by(Ticket.id)
    )
    cols: list[list[Any]] = [[] for _ in range(8)]
    books = {name: CodeBook() for name in SEGMENT_FIELDS}
    codes: dict[str, list[I32]] = {name: [] for name in SEGMENT_FIELDS}
    for rows in _chunks(session, _period_filter(stmt, period, sources), chunk):
        for i, values in enumerate(zip(*rows, strict=True)):
            cols[i].extend(values)
            if 2 <= i <= 5:
                name = SEGMENT_FIELDS[i - 2]
                codes[name].append(books[name].encode(values))
    flags = {v: _flag(v) for v in set(cols[6]) if v is None or isinstance(v, bool | int | str)}
    return TicketColumns(
        id=np.array(cols[0], dtype=np.int64),
        created_us=_to_us(cols[1]),
        priority=np.array(cols[2], dtype=object),
        category=np.array(cols[3], dtype=object),
        service=np.array(cols[4], dtype=object),
        customer=np.array(cols[5], dtype=object),
        made_sla=np.array([flags.get(v, np.nan) for v in cols[6]], dtype=np.float64),
        batch_id=np.array([-1 if b is None else b for b in cols[7]], dtype=np.int64),
        codebook={name: (_joined(codes[name]), books[name].values) for name in SEGMENT_FIELDS},
    )


def _joined(parts: list[I32]) -> I32:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)


def load_events(
    session: Session,
    ticket_ids: I64,
    *,
    period: tuple[datetime, datetime] | None = None,
    sources: Sequence[str] | None = None,
    chunk: int = CHUNK,
) -> EventColumns:
    """Events of the tickets in `period`, with `ticket` as the index into `ticket_ids` (sorted)."""
    stmt = (
        select(
            TicketEvent.ticket_id,
            _instant(session, TicketEvent.at),
            TicketEvent.kind,
            TicketEvent.status,
            TicketEvent.priority,
        )
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .order_by(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.id)
    )
    ticket: list[I64] = []
    at: list[I64] = []
    kinds: list[npt.NDArray[np.int8]] = []
    books = (CodeBook(), CodeBook())
    codes: tuple[list[I32], list[I32]] = ([], [])
    # Kinds, statuses and priorities become integer codes chunk by chunk, as the clocks read them.
    for rows in _chunks(session, _period_filter(stmt, period, sources), chunk):
        ids, times, kind, statuses, prios = zip(*rows, strict=True)
        ticket.append(np.searchsorted(ticket_ids, np.array(ids, dtype=np.int64)))
        at.append(_to_us(times))
        kinds.append(encode_kinds(kind))
        for book, out, values in zip(books, codes, (statuses, prios), strict=True):
            out.append(book.encode(values))
    return EventColumns(
        ticket=np.concatenate(ticket) if ticket else np.zeros(0, dtype=np.int64),
        at=(np.concatenate(at) if at else np.zeros(0, dtype=np.int64)).astype("datetime64[us]"),
        kind=np.concatenate(kinds) if kinds else np.zeros(0, dtype=np.int8),
        status=_joined(codes[0]),
        priority=_joined(codes[1]),
        status_values=books[0].values,
        priority_values=books[1].values,
    )


def load_history(
    session: Session,
    *,
    period: tuple[datetime, datetime] | None = None,
    sources: Sequence[str] | None = None,
    chunk: int = CHUNK,
) -> HistoryFrame:
    """Tickets opened in `period` (all when None) from `sources` (all when None), with their events."""
    tickets = load_tickets(session, period=period, sources=sources, chunk=chunk)
    events = load_events(session, tickets.id, period=period, sources=sources, chunk=chunk)
    return HistoryFrame(tickets, events)


def load_outages(session: Session, *, now_us: int, chunk: int = CHUNK) -> OutageColumns:
    stmt = (
        select(
            Service.name,
            _instant(session, Outage.started_at),
            _instant(session, Outage.ended_at),
            Outage.planned,
        )
        .join(Service, Service.id == Outage.service_id)
        .order_by(Outage.service_id, Outage.started_at)
    )
    rows = [r for part in _chunks(session, stmt, chunk) for r in part]
    names, starts, ends, planned = (list(c) for c in zip(*rows, strict=True)) if rows else ([], [], [], [])
    ended = [e for e in ends if e is not None]
    end_us = np.full(len(ends), now_us, dtype=np.int64)
    end_us[[i for i, e in enumerate(ends) if e is not None]] = _to_us(ended)
    return OutageColumns(
        service=np.array(names, dtype=object),
        start_us=_to_us(starts),
        end_us=end_us,
        planned=np.array(planned, dtype=bool),
    )


def load_outage_set(session: Session, *, sources: Collection[str] | None = None) -> OutageSet:
    """Every stored outage (of `sources` when given), with its source key and whether it is still
    open. Outages are few, so plain rows are fine."""
    stmt = (
        select(Service.name, Outage.source, Outage.started_at, Outage.ended_at, Outage.planned)
        .join(Service, Service.id == Outage.service_id)
        .order_by(Outage.source, Outage.service_id, Outage.started_at)
    )
    if sources is not None:
        stmt = stmt.where(Outage.source.in_(sorted(sources)))
    rows = session.execute(stmt).all()
    return OutageSet(
        service=np.array([r[0] for r in rows], dtype=object),
        source=np.array([r[1] for r in rows], dtype=object),
        start_us=np.array([to_us(r[2]) for r in rows], dtype=np.int64),
        end_us=np.array([to_us(r[2] if r[3] is None else r[3]) for r in rows], dtype=np.int64),
        planned=np.array([bool(r[4]) for r in rows], dtype=bool),
        open=np.array([r[3] is None for r in rows], dtype=bool),
    )


def load_provenance(session: Session, batch_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The import batches behind the tickets: what file, its hash, rows read and rejected."""
    if not batch_ids:
        return []
    stmt = select(ImportBatch).where(ImportBatch.id.in_(sorted(set(batch_ids)))).order_by(ImportBatch.id)
    return [
        {
            "batch_id": b.id,
            "source": b.source,
            "file": b.file_name,
            "sha256": b.file_sha256,
            "mapping": b.mapping,
            "rows_read": b.rows_read,
            "rows_accepted": b.rows_accepted,
            "rows_rejected": b.rows_rejected,
            "status": b.status,
            "imported_at": b.started_at.isoformat(),
            "pause_statuses": b.pause_statuses,
        }
        for b in session.scalars(stmt)
    ]


class HistoryColumnQueries:
    """The history a study reads, as columns, and the imports it came from."""

    _session: Session

    def load_history(
        self, *, period: tuple[datetime, datetime] | None = None, sources: Sequence[str] | None = None
    ) -> HistoryFrame:
        return load_history(self._session, period=period, sources=sources)

    def outage_set(self, *, sources: Collection[str] | None = None) -> OutageSet:
        return load_outage_set(self._session, sources=sources)

    def provenance(self, batch_ids: Sequence[int]) -> list[dict[str, Any]]:
        return load_provenance(self._session, batch_ids)
