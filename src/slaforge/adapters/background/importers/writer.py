"""Writing mapped history: tickets, events, outages, the customers and services they name, and
the rows an import rejected.

Core `INSERT … ON CONFLICT` over lists of rows, one statement per chunk: tickets are keyed by
(source, external_id) and updated in place, events by (ticket, dedupe key) and never stored
twice, outages by (source, external_id). Customers and services are looked up by name and, when
the mapping allows it, created on first sight. Reached by the services through the background
repository (adapters/db/background/imports.py), never directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import polars as pl
from sqlalchemy import Table, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from slaforge.adapters.background.importers import bulk
from slaforge.adapters.background.importers.common import Rejection
from slaforge.adapters.background.importers.pipeline import MappedChunk
from slaforge.adapters.background.importers.sources import REC
from slaforge.adapters.db.models import (
    Customer,
    ImportBatch,
    ImportRejection,
    Outage,
    Service,
    Ticket,
    TicketEvent,
)

STATEMENT_ROWS = 5_000  # rows per INSERT: large enough to be fast, small enough for every driver
_TICKETS: Table = Ticket.__table__  # type: ignore[assignment]
_EVENTS: Table = TicketEvent.__table__  # type: ignore[assignment]
_OUTAGES: Table = Outage.__table__  # type: ignore[assignment]
_REJECTIONS: Table = ImportRejection.__table__  # type: ignore[assignment]
TICKET_UPDATED = (
    "batch_id",
    "customer_id",
    "service_id",
    "priority",
    "category",
    "status",
    "created_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "attributes",
)
OUTAGE_UPDATED = ("service_id", "started_at", "ended_at", "planned", "description")


def _insert(session: Session, table: Table) -> Any:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"bulk import is not written for {dialect}")


def _pieces(rows: Sequence[Mapping[str, Any]]) -> Iterable[list[Mapping[str, Any]]]:
    for i in range(0, len(rows), STATEMENT_ROWS):
        yield list(rows[i : i + STATEMENT_ROWS])


def find_batch_by_hash(session: Session, sha256: str) -> ImportBatch | None:
    """The first completed import of a file with this content, under any source."""
    stmt = (
        select(ImportBatch)
        .where(ImportBatch.file_sha256 == sha256, ImportBatch.status.in_(("completed", "partial")))
        .order_by(ImportBatch.id)
        .limit(1)
    )
    return session.scalars(stmt).first()


def count_tickets(session: Session, source: str) -> int:
    return session.scalar(select(func.count()).select_from(Ticket).where(Ticket.source == source)) or 0


def count_events(session: Session, source: str) -> int:
    stmt = select(func.count()).select_from(TicketEvent).join(Ticket).where(Ticket.source == source)
    return session.scalar(stmt) or 0


def count_outages(session: Session, source: str) -> int:
    return session.scalar(select(func.count()).select_from(Outage).where(Outage.source == source)) or 0


class Names:
    """Name → id for customers or services, creating missing ones when allowed (cached per import)."""

    def __init__(self, session: Session, model: type[Customer] | type[Service], *, create: bool) -> None:
        self.session, self.model, self.create = session, model, create
        self._ids: dict[str, int | None] = {}

    def ids(self, names: Iterable[str | None]) -> dict[str, int | None]:
        todo = sorted({n for n in names if n is not None and n not in self._ids})
        if todo:
            found = self.session.execute(
                select(self.model.name, self.model.id).where(self.model.name.in_(todo))
            )
            self._ids.update({name: ident for name, ident in found})  # noqa: C416 (Row objects)
            for name in (n for n in todo if n not in self._ids):
                self._ids[name] = self._add(name) if self.create else None
        return self._ids

    def _add(self, name: str) -> int:
        row: Customer | Service
        if self.model is Customer:
            row = Customer(name=name[:200], slug=self._free_slug(name))
        else:
            row = Service(name=name[:200])
        self.session.add(row)
        self.session.flush()
        return row.id

    def _free_slug(self, name: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:90] or "customer"
        taken = set(self.session.scalars(select(Customer.slug).where(Customer.slug.like(f"{base}%"))))
        n, slug = 1, base
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        return slug


TICKET_TIMES = ("created_at", "first_response_at", "resolved_at", "closed_at")
TICKET_INSERTED = ("source", "external_id", *TICKET_UPDATED)
EVENT_INSERTED = ("ticket_id", "at", "kind", "status", "priority", "dedupe_key")


def write_ticket_chunks(
    session: Session, chunks: Iterable[MappedChunk], *, source: str, batch_id: int, create_customers: bool,
    create_services: bool,
) -> tuple[int, int]:  # fmt: skip
    """Write every chunk in the caller's transaction; (tickets, events) written."""
    customers = Names(session, Customer, create=create_customers)
    services = Names(session, Service, create=create_services)
    tickets = events = 0
    with bulk.roomy_cache(session):
        for chunk in chunks:
            write_tickets(session, chunk.tickets, chunk.events, source=source, batch_id=batch_id,
                          customers=customers, services=services)  # fmt: skip
            tickets, events = tickets + chunk.tickets.height, events + chunk.events.height
    return tickets, events


def write_tickets(
    session: Session,
    tickets: pl.DataFrame,
    events: pl.DataFrame,
    *,
    source: str,
    batch_id: int,
    customers: Names,
    services: Names,
) -> None:
    """Upsert one chunk of tickets, then insert their events (already stored ones are skipped)."""
    name = bulk.dialect(session)
    customer_ids = customers.ids(tickets["customer"].to_list())
    service_ids = services.ids(tickets["service"].to_list())
    frame = bulk.times_as_text(tickets, TICKET_TIMES, name).with_columns(
        pl.lit(source).alias("source"),
        pl.lit(batch_id).alias("batch_id"),
        pl.col("customer")
        .replace_strict(customer_ids, default=None, return_dtype=pl.Int64)
        .alias("customer_id"),
        pl.col("service")
        .replace_strict(service_ids, default=None, return_dtype=pl.Int64)
        .alias("service_id"),
        _attributes(tickets, customer_ids),
    )
    bulk.upsert(
        session, "tickets", TICKET_INSERTED, frame, conflict=("source", "external_id"), update=TICKET_UPDATED
    )
    ids = bulk.ids_of(session, "tickets", source, tickets["external_id"].to_list())
    id_frame = pl.DataFrame(ids, schema={"ticket": pl.String, "ticket_id": pl.Int64}, orient="row")
    stored = events.join(id_frame, on="ticket", how="inner", maintain_order="left")
    stored = bulk.times_as_text(stored, ("at",), name)
    bulk.insert_ignoring(
        session, "ticket_events", EVENT_INSERTED, stored, conflict=("ticket_id", "dedupe_key")
    )


def _attributes(tickets: pl.DataFrame, customer_ids: dict[str, int | None]) -> pl.Series:
    """Each ticket's attributes as JSON text, without missing values (null when none is left).

    A customer the mapping may not create, and so unknown, is kept here rather than lost. Built
    column-wise: one `json.dumps` per ticket would cost more than the rest of the write.
    """
    names = [c for c in tickets.columns if c.startswith("@")]

    def member(value: pl.Expr, key: str) -> pl.Expr:  # '"key": value', JSON-escaped by Polars
        return pl.struct(value.alias(key)).struct.json_encode().str.strip_prefix("{").str.strip_suffix("}")

    members = [pl.when(pl.col(n).is_not_null()).then(member(pl.col(n), n[1:])) for n in names]
    if "@customer" not in names:
        known = pl.col("customer").replace_strict(customer_ids, default=None, return_dtype=pl.Int64)
        unknown = pl.col("customer").is_not_null() & known.is_null()
        members.append(pl.when(unknown).then(member(pl.col("customer"), "customer")))
    joined = pl.concat_list(members).list.drop_nulls().list.join(",")
    return tickets.select(pl.when(joined != "").then("{" + joined + "}")).to_series().alias("attributes")


def write_outage_chunks(session: Session, chunks: Iterable[pl.DataFrame], *, source: str) -> int:
    """Write every chunk in the caller's transaction, creating the services they name; outages written."""
    services = Names(session, Service, create=True)
    outages = 0
    for chunk in chunks:
        write_outages(session, chunk, source=source, services=services)
        outages += chunk.height
    return outages


def write_outages(session: Session, outages: pl.DataFrame, *, source: str, services: Names) -> None:
    service_ids = services.ids(outages["service"].to_list())
    rows = [
        {
            **{k: v for k, v in o.items() if k not in ("service", REC)},
            "source": source,
            "service_id": service_ids[o["service"]],
        }
        for o in outages.unique("external_id", keep="last", maintain_order=True).to_dicts()
    ]
    stmt = _insert(session, _OUTAGES)
    stmt = stmt.on_conflict_do_update(
        index_elements=["source", "external_id"], set_={c: stmt.excluded[c] for c in OUTAGE_UPDATED}
    )
    for piece in _pieces(rows):
        session.execute(stmt, piece)


def add_rejections(session: Session, *, batch_id: int, rejections: Sequence[Rejection]) -> None:
    """The rows an import left out, kept with its batch."""
    rows = [{"batch_id": batch_id, "row": r.row, "column": r.column, "reason": r.reason} for r in rejections]
    for piece in _pieces(rows):
        session.execute(_REJECTIONS.insert(), piece)
