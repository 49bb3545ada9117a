"""Shadow runs kept and executed in the background, for the console page and the API: a manager
starts one (audited), an executor claims it (exactly one does), writes its progress in short
transactions of their own while it replays, and stores the result or the reason it failed.
Provider only: the history behind a run holds every customer's tickets."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.adapters.db.models import ShadowRun
from slaforge.domain.errors import InvalidInput, NotFound, SlaforgeError
from slaforge.domain.platform.accounts import Principal
from slaforge.domain.platform.listing import ListQuery, Page, page_of
from slaforge.services.agreement.core import require_provider
from slaforge.services.platform import audit
from slaforge.services.readiness.common import readiness_version, require_manager
from slaforge.services.readiness.shadow import check_period, compute_shadow
from slaforge.services.unit_of_work import UnitOfWork

log = logging.getLogger("slaforge.shadow")
PROGRESS_EVERY = 0.5  # seconds between progress writes


@dataclass(frozen=True, slots=True)
class ShadowRunView:
    id: int
    agreement_id: int
    version_id: int
    period_start: datetime
    period_end: datetime
    source: str | None
    state: str
    done: int
    total: int
    result: dict[str, Any] | None
    error: str
    created_at: datetime
    created_by: str
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def share_done(self) -> float:
        return self.done / self.total if self.total else 0.0


def _view(row: ShadowRun) -> ShadowRunView:
    return ShadowRunView(
        *(row.id, row.agreement_id, row.version_id, row.period_start, row.period_end, row.source),
        *(row.state, row.done, row.total, row.result, row.error),
        *(row.created_at, row.created_by, row.started_at, row.finished_at),
    )


def start_shadow_run(
    *,
    uow: UnitOfWork,
    agreement_id: int,
    start: datetime,
    end: datetime,
    source: str | None,
    actor: Principal,
    now: datetime,
) -> ShadowRunView:
    """Queue a run; the caller hands its id to an executor once this has committed."""
    check_period(start, end)
    with uow:
        version = readiness_version(uow, agreement_id)
        require_provider(uow)
        require_manager(actor, "start shadow runs")
        if source is not None and source not in uow.background.history_sources():
            raise InvalidInput(f"no history source '{source[:80]}'", field="source", value=source[:80])
        row = uow.readiness.add_shadow_run(
            ShadowRun(
                agreement_id=version.agreement_id,
                version_id=version.id,
                period_start=start,
                period_end=end,
                source=source,
                state="queued",
                done=0,
                total=0,
                error="",
                created_at=now,
                created_by=actor.email,
            )
        )
        audit.record(uow, actor=actor.email, action="readiness.shadow_run_started", subject_type="agreement",
                     subject_id=version.agreement_id, at=now,
                     data={"run_id": row.id, "version_id": version.id, "start": start.isoformat(),
                           "end": end.isoformat(), "source": source})  # fmt: skip
        out = _view(row)
        uow.commit()
        return out


def execute_shadow_run(
    *, units: Callable[[], UnitOfWork], run_id: int, clock: Callable[[], datetime]
) -> bool:
    """Claim and run one queued run; False when another executor has it (or had it)."""
    with units() as uow:
        if not uow.readiness.claim_shadow_run(run_id, clock()):
            return False
        row = uow.readiness.shadow_run(run_id)
        assert row is not None
        agreement_id, start, end, source = row.agreement_id, row.period_start, row.period_end, row.source
        uow.commit()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if done < total and time.monotonic() - last[0] < PROGRESS_EVERY:
            return
        last[0] = time.monotonic()
        with units() as own:
            own.readiness.set_shadow_progress(run_id, done, total)
            own.commit()

    result: dict[str, Any] | None = None
    try:
        result = compute_shadow(uow=units(), agreement_id=agreement_id, start=start, end=end, source=source,
                                progress=progress).as_dict()  # fmt: skip
        error = ""
    except SlaforgeError as exc:
        error = str(exc)
    except Exception:  # a bug must not leave the run "running" forever: it fails, and is logged
        log.exception("shadow run %s failed", run_id)
        error = "the shadow run failed unexpectedly; the server's log has the details"
    with units() as uow:
        uow.readiness.finish_shadow_run(run_id, clock(), result=result, error=error)
        uow.commit()
    return True


def run_queued(*, units: Callable[[], UnitOfWork], clock: Callable[[], datetime], limit: int = 5) -> int:
    """Execute runs left queued (a server stopped before its thread ran them); how many ran here."""
    with units() as uow:
        queued = uow.readiness.queued_shadow_runs(limit)
    return sum(execute_shadow_run(units=units, run_id=run_id, clock=clock) for run_id in queued)


def shadow_run(*, uow: UnitOfWork, agreement_id: int, run_id: int) -> ShadowRunView:
    with uow:
        readiness_version(uow, agreement_id)  # another customer's agreement: 404
        require_provider(uow)
        row = uow.readiness.shadow_run(run_id)
        if row is None or row.agreement_id != agreement_id:
            raise NotFound(f"no shadow run {run_id} of agreement {agreement_id}")
        return _view(row)


def shadow_runs(*, uow: UnitOfWork, agreement_id: int) -> list[ShadowRunView]:
    with uow:
        readiness_version(uow, agreement_id)
        require_provider(uow)
        return [_view(r) for r in uow.readiness.shadow_runs(agreement_id)]


SORTABLE = ("id", "created_at", "period_start")


def page_runs(runs: list[ShadowRunView], query: ListQuery) -> Page[ShadowRunView]:
    """The runs like every list: newest first by default; filter by state; search the source."""
    return page_of(
        runs,
        query,
        sortable={
            "id": lambda r: r.id,
            "created_at": lambda r: (r.created_at, r.id),
            "period_start": lambda r: (r.period_start, r.id),
        },
        filterable={"state": lambda r: r.state, "source": lambda r: r.source},
        searchable=(lambda r: r.source, lambda r: r.created_by),
        default_sort="-id",
    )
