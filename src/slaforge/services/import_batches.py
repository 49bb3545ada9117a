"""Reading the import history: the batches imported so far, and one batch with its rejected rows.

Import batches are the provider's (see adapters/db/scoping.py); a customer user is told they do
not exist, the list included.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from slaforge.adapters.db.models import ImportBatch, ImportRejection
from slaforge.domain.accounts import Principal
from slaforge.domain.errors import NotFound
from slaforge.domain.listing import Page
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
    *, uow: UnitOfWork, actor: Principal | None, limit: int = 50, offset: int = 0
) -> Page[ImportBatch]:
    """The newest batches first, with their row counts."""
    _provider(actor)
    with uow:
        s = uow.session
        count = s.scalar(select(func.count()).select_from(ImportBatch)) or 0
        stmt = select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit).offset(offset)
        return Page(list(s.scalars(stmt)), count)


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
