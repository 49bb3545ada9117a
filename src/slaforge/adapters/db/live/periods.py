"""Queries of compliance periods: the clocks whose outcome fell in a period, closed periods and
their adjustments, each written once by its unique key."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import (
    LiveClaim,
    LiveClock,
    LivePeriod,
    LivePeriodAdjustment,
    Satisfaction,
    Ticket,
)
from slaforge.adapters.db.rows import insert_for


def outcome_in(start: datetime, end: datetime) -> ColumnElement[bool]:
    """A clock whose outcome became known in [start, end): it breached then, or stopped within its
    target then (the compliance rule: services/live/compliance.py)."""
    breached = and_(LiveClock.breached, LiveClock.breached_at >= start, LiveClock.breached_at < end)
    met = and_(
        ~LiveClock.breached,
        LiveClock.state == "stopped",
        LiveClock.stopped_at >= start,
        LiveClock.stopped_at < end,
    )
    return or_(breached, met)


class PeriodQueries:
    """Mixed into the live repository (`uow.live`)."""

    _session: Session

    def outcome_clocks(
        self, agreement_id: int, objective_index: int, start: datetime, end: datetime
    ) -> list[tuple[LiveClock, str]]:
        """The objective's clocks whose outcome became known in [start, end): breached then, or
        stopped within target then; with their tickets' external ids."""
        stmt = (
            select(LiveClock, Ticket.external_id)
            .join(Ticket, Ticket.id == LiveClock.ticket_id)
            .where(
                LiveClock.agreement_id == agreement_id,
                LiveClock.objective_index == objective_index,
                outcome_in(start, end),
            )
            .order_by(LiveClock.id)
        )
        return [(c, str(x)) for c, x in self._session.execute(stmt)]

    def period(self, agreement_id: int, objective_index: int, start: datetime) -> LivePeriod | None:
        return self._session.scalar(
            select(LivePeriod).where(
                LivePeriod.agreement_id == agreement_id,
                LivePeriod.objective_index == objective_index,
                LivePeriod.period_start == start,
            )
        )

    def periods_of(self, agreement_id: int) -> list[LivePeriod]:
        stmt = (
            select(LivePeriod)
            .where(LivePeriod.agreement_id == agreement_id)
            .order_by(LivePeriod.period_start, LivePeriod.objective_index)
        )
        return list(self._session.scalars(stmt))

    def add_period_once(self, values: Mapping[str, Any]) -> bool:
        """Close a period unless it is closed (two schedulers at once: one closes it)."""
        stmt = (
            insert_for(self._session, LivePeriod)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["agreement_id", "objective_index", "period_start"])
            .returning(LivePeriod.id)
        )
        return self._session.scalar(stmt) is not None

    def adjustments(self, period_id: int) -> list[LivePeriodAdjustment]:
        stmt = (
            select(LivePeriodAdjustment)
            .where(LivePeriodAdjustment.period_id == period_id)
            .order_by(LivePeriodAdjustment.made_at, LivePeriodAdjustment.id)
        )
        return list(self._session.scalars(stmt))

    def add_adjustment_once(self, values: Mapping[str, Any]) -> bool:
        """Record an adjustment unless one leading to the same figures is recorded."""
        stmt = (
            insert_for(self._session, LivePeriodAdjustment)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["period_id", "sha256"])
            .returning(LivePeriodAdjustment.id)
        )
        return self._session.scalar(stmt) is not None

    def add_claim_once(self, values: Mapping[str, Any]) -> LiveClaim | None:
        """File a claim unless one is filed for the objective and period; None when it was."""
        stmt = (
            insert_for(self._session, LiveClaim)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["agreement_id", "objective_index", "period_start"])
            .returning(LiveClaim.id)
        )
        new_id = self._session.scalar(stmt)
        return None if new_id is None else self._session.get(LiveClaim, new_id)

    def claim(self, claim_id: int, *, lock: bool = False) -> LiveClaim | None:
        stmt = select(LiveClaim).where(LiveClaim.id == claim_id)
        if lock and self._session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        return self._session.scalar(stmt.execution_options(populate_existing=True))

    def claims_of(self, agreement_id: int) -> list[LiveClaim]:
        stmt = select(LiveClaim).where(LiveClaim.agreement_id == agreement_id).order_by(LiveClaim.filed_at)
        return list(self._session.scalars(stmt))

    def add_satisfaction_once(self, values: Mapping[str, Any]) -> bool:
        stmt = (
            insert_for(self._session, Satisfaction)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["ticket_id", "dedupe_key"])
            .returning(Satisfaction.id)
        )
        return self._session.scalar(stmt) is not None

    def satisfaction_between(self, customer_id: int, start: datetime, end: datetime) -> list[Satisfaction]:
        stmt = (
            select(Satisfaction)
            .where(Satisfaction.customer_id == customer_id, Satisfaction.at >= start, Satisfaction.at < end)
            .order_by(Satisfaction.at)
        )
        return list(self._session.scalars(stmt))
