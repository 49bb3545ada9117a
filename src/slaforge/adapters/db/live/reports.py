"""Queries of live reports: the clocks whose outcome fell in a period (every objective, with the
ticket's category and priority), and reports written once by their unique key."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from slaforge.adapters.db.live.periods import outcome_in
from slaforge.adapters.db.models import LiveClock, LiveReport, Ticket
from slaforge.adapters.db.rows import insert_for


class ReportQueries:
    """Mixed into the live repository (`uow.live`)."""

    _session: Session

    def period_outcomes(
        self, agreement_id: int, start: datetime, end: datetime
    ) -> list[tuple[LiveClock, str, str | None, str]]:
        """Every objective's clocks whose outcome became known in [start, end) — breached then, or
        stopped within target then — with the ticket's external id, category and priority."""
        stmt = (
            select(LiveClock, Ticket.external_id, Ticket.category, Ticket.priority)
            .join(Ticket, Ticket.id == LiveClock.ticket_id)
            .where(LiveClock.agreement_id == agreement_id, outcome_in(start, end))
            .order_by(LiveClock.id)
        )
        return [(c, str(x), cat, str(p)) for c, x, cat, p in self._session.execute(stmt)]

    def has_report(self, agreement_id: int, definition_index: int, period: str) -> bool:
        stmt = select(LiveReport.id).where(
            LiveReport.agreement_id == agreement_id,
            LiveReport.definition_index == definition_index,
            LiveReport.period == period,
        )
        return self._session.scalar(stmt) is not None

    def add_report_once(self, values: Mapping[str, Any]) -> int | None:
        """Keep a report unless this definition's report of the period is kept (two schedulers at
        once: one writes it); its id, or None."""
        stmt = (
            insert_for(self._session, LiveReport)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["agreement_id", "definition_index", "period"])
            .returning(LiveReport.id)
        )
        new_id = self._session.scalar(stmt)
        return None if new_id is None else int(new_id)

    def reports_of(self, agreement_id: int) -> list[LiveReport]:
        """The agreement's reports, newest period first (without loading their files)."""
        stmt = (
            select(LiveReport)
            .where(LiveReport.agreement_id == agreement_id)
            .order_by(LiveReport.period_start.desc(), LiveReport.definition_index)
        )
        return list(self._session.scalars(stmt.options(defer(LiveReport.content))))

    def report(self, agreement_id: int, report_id: int) -> LiveReport | None:
        stmt = select(LiveReport).where(LiveReport.id == report_id, LiveReport.agreement_id == agreement_id)
        return self._session.scalar(stmt)
