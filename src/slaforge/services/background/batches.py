"""Reading the import history: the batches imported so far, and one batch with its rejected rows.

Import batches are the provider's (see adapters/db/scoping.py); a customer user is told they do
not exist, the list included.
"""

from __future__ import annotations

from dataclasses import dataclass

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
        return uow.background.page_import_batches(query or ListQuery(limit=limit, offset=offset))


def get_batch(
    *, uow: UnitOfWork, actor: Principal | None, batch_id: int, rejects: int = MAX_REJECTS
) -> BatchDetail:
    _provider(actor)
    with uow:
        repo = uow.background
        batch = repo.import_batch(batch_id)
        if batch is None:
            raise NotFound(f"no import batch {batch_id}")
        count = repo.count_rejections(batch_id)
        return BatchDetail(batch, repo.rejections(batch_id, limit=rejects), count)
