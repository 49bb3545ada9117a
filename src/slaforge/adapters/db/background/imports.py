"""Import batches and what they wrote: the batch rows, their rejected rows, the counts an import
reports, and the bulk writes of mapped tickets, events and outages (importers/writer.py)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from slaforge.adapters.background.importers import writer
from slaforge.adapters.background.importers.common import Rejection
from slaforge.adapters.background.importers.pipeline import MappedChunk
from slaforge.adapters.db.listing import fetch_page
from slaforge.adapters.db.models import ImportBatch, ImportRejection
from slaforge.domain.errors import Conflict
from slaforge.domain.platform.listing import ListQuery, Page


class FileAlreadyStored(Conflict):
    """The unique key on the file's content caught a second batch of one file (a parallel
    import of it committed first); the transaction is to be rolled back by the caller."""


def _is_file_key(error: IntegrityError) -> bool:
    # PostgreSQL names the index; SQLite names the column of a unique index.
    said = str(error.orig)
    return "uq_import_batches_file_sha256" in said or "import_batches.file_sha256" in said


class ImportQueries:
    _session: Session

    # ------------------------------------------------------------------ batches
    def page_import_batches(self, query: ListQuery) -> Page[ImportBatch]:
        return fetch_page(
            self._session,
            ImportBatch,
            query,
            sortable={
                "id": ImportBatch.id,
                "started_at": ImportBatch.started_at,
                "finished_at": ImportBatch.finished_at,
                "source": ImportBatch.source,
                "status": ImportBatch.status,
                "rows_read": ImportBatch.rows_read,
                "rows_accepted": ImportBatch.rows_accepted,
                "rows_rejected": ImportBatch.rows_rejected,
            },
            filterable={"source": ImportBatch.source, "status": ImportBatch.status},
            searchable=(ImportBatch.file_name, ImportBatch.source, ImportBatch.mapping),
            default_sort="-id",
        )

    def import_batch(self, batch_id: int) -> ImportBatch | None:
        return self._session.get(ImportBatch, batch_id)

    def count_rejections(self, batch_id: int) -> int:
        stmt = select(func.count()).select_from(ImportRejection).where(ImportRejection.batch_id == batch_id)
        return self._session.scalar(stmt) or 0

    def rejections(self, batch_id: int, *, limit: int) -> list[ImportRejection]:
        """The batch's first rejected rows, by row (file-level problems first)."""
        stmt = (
            select(ImportRejection)
            .where(ImportRejection.batch_id == batch_id)
            .order_by(ImportRejection.row.nulls_first(), ImportRejection.id)
            .limit(limit)
        )
        return list(self._session.scalars(stmt))

    def import_batches_of(self, sources: Collection[str]) -> list[int]:
        """The ids of the batches imported under these source keys, in order."""
        if not sources:
            return []
        stmt = select(ImportBatch.id).where(ImportBatch.source.in_(sorted(sources))).order_by(ImportBatch.id)
        return list(self._session.scalars(stmt))

    def find_batch_by_hash(self, sha256: str) -> ImportBatch | None:
        """The first completed import of a file with this content, under any source."""
        return writer.find_batch_by_hash(self._session, sha256)

    def add_import_batch(self, **fields: Any) -> ImportBatch:
        """A new batch, flushed so that its id is known to the rows it writes. FileAlreadyStored
        when the file (`file_sha256`, unless `again`) has a batch: the database's unique key
        decides, so of parallel imports of one file exactly one gets here. On PostgreSQL the
        others wait at this insert until that one commits (or rolls back: then one goes on)."""
        batch = ImportBatch(**fields)
        self._session.add(batch)
        try:
            self._session.flush()
        except IntegrityError as exc:
            if not _is_file_key(exc):
                raise
            raise FileAlreadyStored(f"{fields.get('file_name')} was already imported") from exc
        return batch

    def add_rejections(self, *, batch_id: int, rejections: Sequence[Rejection]) -> None:
        writer.add_rejections(self._session, batch_id=batch_id, rejections=rejections)

    # ------------------------------------------------------------------ what an import wrote
    def count_tickets(self, source: str) -> int:
        return writer.count_tickets(self._session, source)

    def count_events(self, source: str) -> int:
        return writer.count_events(self._session, source)

    def count_outages(self, source: str) -> int:
        return writer.count_outages(self._session, source)

    def write_ticket_chunks(
        self, chunks: Iterable[MappedChunk], *, source: str, batch_id: int, create_customers: bool,
        create_services: bool,
    ) -> tuple[int, int]:  # fmt: skip
        """Tickets (upserted) and their events, chunk by chunk; (tickets, events) written."""
        return writer.write_ticket_chunks(
            self._session, chunks, source=source, batch_id=batch_id, create_customers=create_customers,
            create_services=create_services,
        )  # fmt: skip

    def write_outage_chunks(self, chunks: Iterable[pl.DataFrame], *, source: str) -> int:
        """Outages (upserted), creating the services they name; outages written."""
        return writer.write_outage_chunks(self._session, chunks, source=source)
