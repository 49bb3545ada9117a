"""Shadow runs: add, read, list, and the state changes of their execution — claimed by one
conditional UPDATE (queued → running), so that of several executors exactly one runs it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import ShadowRun


class ShadowRunQueries:
    _session: Session

    def add_shadow_run(self, row: ShadowRun) -> ShadowRun:
        self._session.add(row)
        self._session.flush()
        return row

    def shadow_run(self, run_id: int) -> ShadowRun | None:
        return self._session.get(ShadowRun, run_id)

    def shadow_runs(self, agreement_id: int) -> list[ShadowRun]:
        stmt = select(ShadowRun).where(ShadowRun.agreement_id == agreement_id).order_by(ShadowRun.id.desc())
        return list(self._session.scalars(stmt))

    def queued_shadow_runs(self, limit: int = 10) -> list[int]:
        stmt = select(ShadowRun.id).where(ShadowRun.state == "queued").order_by(ShadowRun.id).limit(limit)
        return list(self._session.scalars(stmt))

    def claim_shadow_run(self, run_id: int, at: datetime) -> bool:
        """queued → running for the one caller whose UPDATE matched."""
        stmt = (
            update(ShadowRun)
            .where(ShadowRun.id == run_id, ShadowRun.state == "queued")
            .values(state="running", started_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(self._session.execute(stmt).rowcount == 1)  # type: ignore[attr-defined]

    def set_shadow_progress(self, run_id: int, done: int, total: int) -> None:
        stmt = (
            update(ShadowRun)
            .where(ShadowRun.id == run_id, ShadowRun.state == "running")
            .values(done=done, total=total)
            .execution_options(synchronize_session=False)
        )
        self._session.execute(stmt)

    def finish_shadow_run(
        self, run_id: int, at: datetime, *, result: dict[str, Any] | None, error: str
    ) -> None:
        stmt = (
            update(ShadowRun)
            .where(ShadowRun.id == run_id, ShadowRun.state == "running")
            .values(state="failed" if result is None else "done", result=result, error=error, finished_at=at)
            .execution_options(synchronize_session=False)
        )
        self._session.execute(stmt)
