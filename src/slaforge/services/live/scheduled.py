"""Scheduled imports feeding the live clocks: each live agreement's clauses tracked by a scheduled
import of a file or folder on the server (step 4's configuration, frozen at go-live) are imported
again — only files not imported before (same SHA-256) — and the clocks of the tickets each new
file wrote are recomputed from their histories. The scheduler runs it every
SLAFORGE_LIVE_IMPORT_INTERVAL seconds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from slaforge.domain.platform.accounts import Principal, Role
from slaforge.services.live.clocks import refresh_ticket
from slaforge.services.live.context import live_contexts
from slaforge.services.readiness.scheduled import run_scheduled_import
from slaforge.services.unit_of_work import UnitOfWork

SCHEDULER = Principal(user_id=0, email="slaforge scheduler", role=Role.ADMIN)
CHUNK = 200


@dataclass(frozen=True, slots=True)
class LiveImport:
    agreement_id: int
    objective: int
    files: int  # new files imported
    tickets: int  # tickets they wrote
    clocks: int  # clocks recomputed


def import_scheduled(*, units: Callable[[], UnitOfWork], clock: Callable[[], datetime]) -> list[LiveImport]:
    uow = units()
    with uow:
        sources = [(ctx.agreement_id, i) for ctx in live_contexts(uow) for i in ctx.scheduled_imports]
    out = []
    for agreement_id, objective in sources:
        done = run_scheduled_import(
            uow=units(), agreement_id=agreement_id, objective=objective, actor=SCHEDULER, clock=clock
        )
        new = [f for f in done if f.batch_id is not None]
        tickets = clocks = 0
        for f in new:
            assert f.batch_id is not None
            uow = units()
            with uow:
                ids = uow.live.ticket_ids_of_batch(f.batch_id)
            for start in range(0, len(ids), CHUNK):
                uow = units()
                with uow:
                    now = clock()
                    clocks += sum(refresh_ticket(uow, tid, now).clocks for tid in ids[start : start + CHUNK])
                    uow.commit()
            tickets += len(ids)
        out.append(LiveImport(agreement_id, objective, len(new), tickets, clocks))
    return out
