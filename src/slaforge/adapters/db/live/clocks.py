"""Queries of the live clocks: which agreements are live for a customer, a ticket locked while its
clocks are recomputed, clocks written by upsert, firings written once, and due clocks claimed
(`FOR UPDATE SKIP LOCKED` on PostgreSQL, so any number of workers share them)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from slaforge.adapters.db.live.availability import AvailabilityQueries
from slaforge.adapters.db.live.periods import PeriodQueries
from slaforge.adapters.db.live.reports import ReportQueries
from slaforge.adapters.db.models import (
    Agreement,
    AgreementVersion,
    LiveClock,
    LiveFiring,
    ReadinessConfig,
    Ticket,
    TicketEvent,
)
from slaforge.adapters.db.rows import insert_for
from slaforge.domain.time.clocks.model import EventKind
from slaforge.domain.time.clocks.model import TicketEvent as DomainEvent

LiveAgreement = tuple[Agreement, AgreementVersion, ReadinessConfig]


class LiveRepository(AvailabilityQueries, PeriodQueries, ReportQueries):
    def __init__(self, session: Session) -> None:
        self._session = session

    def _insert(self, model: Any) -> Any:
        return insert_for(self._session, model)

    def _postgres(self) -> bool:
        return self._session.get_bind().dialect.name == "postgresql"

    # ------------------------------------------------------------------ what is live

    def live_agreements(self, customer_id: int | None = None) -> list[LiveAgreement]:
        """Active versions that went through the readiness gate (of one customer, or all)."""
        stmt = (
            select(Agreement, AgreementVersion, ReadinessConfig)
            .join(AgreementVersion, AgreementVersion.agreement_id == Agreement.id)
            .join(ReadinessConfig, ReadinessConfig.version_id == AgreementVersion.id)
            .where(
                AgreementVersion.state == "active",
                ReadinessConfig.went_live_at.is_not(None),
                ReadinessConfig.frozen_json.is_not(None),
            )
            .order_by(Agreement.id)
        )
        if customer_id is not None:
            stmt = stmt.where(Agreement.customer_id == customer_id)
        return [(a, v, c) for a, v, c in self._session.execute(stmt)]

    def lock_ticket(self, ticket_id: int, *, skip_locked: bool = False) -> Ticket | None:
        """The ticket, locked until the transaction ends on PostgreSQL: two events of one ticket
        arriving at once recompute its clocks one after the other, the second from a history that
        holds the first (under read committed, a statement after the lock sees the first's commit).
        SQLite has one writer at a time. FOR NO KEY UPDATE: the event just inserted holds a KEY SHARE
        lock on the ticket (its foreign key), which a plain FOR UPDATE would wait on — a deadlock
        between two such writers. `skip_locked`: None, not a wait, when another transaction holds it
        (the scheduler, holding claimed clock rows, must never wait on a delivery that may be
        waiting on those rows)."""
        stmt = select(Ticket).where(Ticket.id == ticket_id)
        if self._postgres():
            stmt = stmt.with_for_update(key_share=True, skip_locked=skip_locked)
        return self._session.scalar(stmt.execution_options(populate_existing=True))

    def history(self, ticket_id: int) -> list[DomainEvent]:
        """The ticket's events in time order; events of the same instant in the order of their
        dedupe keys, so the history — and the clocks — never depend on the order they arrived in."""
        stmt = (
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket_id)
            .order_by(TicketEvent.at, TicketEvent.dedupe_key)
        )
        return [
            DomainEvent(at=e.at, kind=EventKind(e.kind), status=e.status, priority=e.priority)
            for e in self._session.scalars(stmt)
        ]

    def ticket_ids_of_batch(self, batch_id: int) -> list[int]:
        """The tickets an import batch wrote last."""
        stmt = select(Ticket.id).where(Ticket.batch_id == batch_id).order_by(Ticket.id)
        return list(self._session.scalars(stmt))

    # ------------------------------------------------------------------ clocks

    def upsert_clock(self, values: dict[str, Any]) -> LiveClock:
        """Write the clock of (ticket, agreement, objective) in one statement, new or not."""
        keys = ["ticket_id", "agreement_id", "objective_index"]
        stmt = self._insert(LiveClock).values(**values)
        changed = {k: stmt.excluded[k] for k in values if k not in keys}
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=changed).returning(LiveClock.id)
        clock_id = self._session.scalar(stmt)
        row = self._session.get(LiveClock, clock_id, populate_existing=True)
        assert row is not None
        return row

    def clocks_of_ticket(self, ticket_id: int) -> list[LiveClock]:
        stmt = (
            select(LiveClock)
            .where(LiveClock.ticket_id == ticket_id)
            .order_by(LiveClock.agreement_id, LiveClock.objective_index)
        )
        return list(self._session.scalars(stmt))

    def open_clocks(self, agreement_id: int) -> list[LiveClock]:
        """The agreement's clocks that can still change: running or paused."""
        stmt = (
            select(LiveClock)
            .where(LiveClock.agreement_id == agreement_id, LiveClock.state.in_(("running", "paused")))
            .order_by(LiveClock.id)
        )
        return list(self._session.scalars(stmt))

    def page_clocks(
        self,
        *,
        agreement_id: int | None,
        now: datetime,
        which: str,
        limit: int,
        offset: int = 0,
    ) -> tuple[list[tuple[LiveClock, Ticket]], int]:
        """Clocks with their tickets, and how many match: `which` is all, open (running or paused),
        at_risk (running, past three quarters of the target, not breached) or breached; open and
        at-risk ones by due instant (what breaches next first), the others newest first."""
        stmt = select(LiveClock, Ticket).join(Ticket, Ticket.id == LiveClock.ticket_id)
        if agreement_id is not None:
            stmt = stmt.where(LiveClock.agreement_id == agreement_id)
        if which == "open":
            stmt = stmt.where(LiveClock.state.in_(("running", "paused")))
        elif which == "at_risk":
            stmt = stmt.where(
                LiveClock.state == "running",
                LiveClock.breached.is_(False),
                LiveClock.risk_at.is_not(None),
                LiveClock.risk_at <= now,
            )
        elif which == "breached":
            stmt = stmt.where(LiveClock.breached.is_(True))
        total = self._session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        if which in ("open", "at_risk"):
            stmt = stmt.order_by(LiveClock.due_at.is_(None), LiveClock.due_at, LiveClock.id)
        else:
            stmt = stmt.order_by(LiveClock.id.desc())
        rows = [(c, t) for c, t in self._session.execute(stmt.limit(limit).offset(offset))]
        return rows, int(total)

    def claim_due_clocks(self, now: datetime, limit: int, skip: Collection[int] = ()) -> list[LiveClock]:
        """Clocks with something to fire by `now`, soonest first, locked for this transaction;
        on PostgreSQL rows another worker holds are skipped, not waited for."""
        stmt = (
            select(LiveClock)
            .where(LiveClock.next_fire_at.is_not(None), LiveClock.next_fire_at <= now)
            .order_by(LiveClock.next_fire_at, LiveClock.id)
            .limit(limit)
        )
        if skip:
            stmt = stmt.where(LiveClock.id.not_in(list(skip)))
        if self._postgres():
            stmt = stmt.with_for_update(skip_locked=True)
        return list(self._session.scalars(stmt.execution_options(populate_existing=True)))

    # ------------------------------------------------------------------ firings

    def firings(self, clock_ids: Sequence[int]) -> list[LiveFiring]:
        if not clock_ids:
            return []
        stmt = (
            select(LiveFiring)
            .where(LiveFiring.clock_id.in_(list(clock_ids)))
            .order_by(LiveFiring.clock_id, LiveFiring.due_at, LiveFiring.step)
        )
        return list(self._session.scalars(stmt))

    def add_firing_once(self, values: dict[str, Any]) -> LiveFiring | None:
        """Record a firing unless its (clock, cycle, step) is recorded; None when it was."""
        stmt = (
            self._insert(LiveFiring)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["clock_id", "cycle_started_at", "step"])
            .returning(LiveFiring.id)
        )
        new_id = self._session.scalar(stmt)
        return None if new_id is None else self._session.get(LiveFiring, new_id)

    def clock_counts(
        self, now: datetime, month_start: datetime
    ) -> list[tuple[int, int, str, int, int, int, int, int]]:
        """Per (agreement, objective, metric): clocks open (running or paused), at risk (running,
        not breached, past three quarters), open and over their deadline, stopped since
        `month_start`, and of those the breached ones — one grouped scan, for the metrics."""
        open_ = LiveClock.state.in_(("running", "paused"))
        stopped = (LiveClock.state == "stopped") & (LiveClock.stopped_at >= month_start)

        def count(cond: Any) -> Any:
            return func.sum(case((cond, 1), else_=0))

        stmt = select(
            LiveClock.agreement_id,
            LiveClock.objective_index,
            LiveClock.metric,
            count(open_),
            count(
                (LiveClock.state == "running")
                & ~LiveClock.breached
                & (LiveClock.risk_at <= now)
                & ((LiveClock.due_at.is_(None)) | (LiveClock.due_at > now))
            ),
            count(open_ & (LiveClock.breached | (LiveClock.due_at <= now))),
            count(stopped),
            count(stopped & LiveClock.breached),
        ).group_by(LiveClock.agreement_id, LiveClock.objective_index, LiveClock.metric)
        return [
            (int(a), int(o), str(m), int(n1 or 0), int(n2 or 0), int(n3 or 0), int(n4 or 0), int(n5 or 0))
            for a, o, m, n1, n2, n3, n4, n5 in self._session.execute(stmt)
        ]

    def unrouted_tickets(self, limit: int) -> list[Ticket]:
        """Delivered tickets without any clock: of a customer with no live agreement, or outside
        every live objective's scope (newest first)."""
        has_clock = select(LiveClock.id).where(LiveClock.ticket_id == Ticket.id).exists()
        stmt = (
            select(Ticket)
            .where(Ticket.batch_id.is_(None), ~has_clock)
            .order_by(Ticket.id.desc())
            .limit(limit)
        )
        return list(self._session.scalars(stmt))
