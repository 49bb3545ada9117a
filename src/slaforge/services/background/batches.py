"""Reading the import history: the batches imported so far, and one batch with its rejected rows.

Import batches are the provider's (see adapters/db/scoping.py); a customer user is told they do
not exist, the list included.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from slaforge.adapters.db.listing import fetch_page
from slaforge.adapters.db.models import ImportBatch, ImportRejection
from slaforge.domain.errors import NotFound
from slaforge.domain.platform.accounts import Principal
from slaforge.domain.platform.listing import ListQuery, Page
from slaforge.services.unit_of_work import UnitOfWork

MAX_REJECTS = 1000  # rejected rows shown with a batch; all of them are kept


@dataclass(frozen=True, slots=True)
class BatchDetail:
    batch: ImportBatch
    rejects: list[ImportRejection]  # the first MAX_REJECTS, by row
    rejects_count: int


def _provider(actor: Principal | None) -> None:
    if actor is not None and not actor.is_provider:
        raise NotFound("no such import")


def list_batches(
    *,
    uow: UnitOfWork,
    actor: Principal | None,
    limit: int = 50,
    offset: int = 0,
    query: ListQuery | None = None,
) -> Page[ImportBatch]:
    """The newest batches first, with their row counts; `query` (instead of limit and offset) also
    sorts, filters by source or status, and searches the file name, source and mapping."""
    _provider(actor)
    with uow:
        return fetch_page(
            uow.session,
            ImportBatch,
            query or ListQuery(limit=limit, offset=offset),
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


def get_batch(
    *, uow: UnitOfWork, actor: Principal | None, batch_id: int, rejects: int = MAX_REJECTS
) -> BatchDetail:
    _provider(actor)
    with uow:
        s = uow.session
        batch = s.get(ImportBatch, batch_id)
        if batch is None:
            raise NotFound(f"no import batch {batch_id}")
        where = ImportRejection.batch_id == batch_id
        count = s.scalar(select(func.count()).select_from(ImportRejection).where(where)) or 0
        stmt = (
            select(ImportRejection)
            .where(where)
            .order_by(ImportRejection.row.nulls_first(), ImportRejection.id)
            .limit(rejects)
        )
        return BatchDetail(batch, list(s.scalars(stmt)), count)
