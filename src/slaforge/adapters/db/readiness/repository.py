"""Readiness rows of a version: its configuration, proofs and waivers. Writers that two requests
can reach at once insert inside a savepoint and, losing at the unique constraint, return the
winner's row; going live claims the configuration with one conditional UPDATE."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import (
    ImportBatch,
    IngestionArrival,
    IngestionToken,
    ReadinessConfig,
    ReadinessProof,
    ReadinessWaiver,
    Service,
    Ticket,
    TicketEvent,
)
from slaforge.adapters.db.readiness.holidays import HolidayQueries
from slaforge.adapters.db.readiness.ingestion import IngestionQueries
from slaforge.adapters.db.readiness.shadow_runs import ShadowRunQueries

Row = TypeVar("Row", ReadinessConfig, ReadinessProof, ReadinessWaiver)
Itemised = TypeVar("Itemised", ReadinessProof, ReadinessWaiver)


class ReadinessRepository(HolidayQueries, IngestionQueries, ShadowRunQueries):
    def __init__(self, session: Session) -> None:
        self._session = session

    def config(self, version_id: int) -> ReadinessConfig | None:
        return self._session.scalar(select(ReadinessConfig).where(ReadinessConfig.version_id == version_id))

    def proofs(self, version_id: int) -> list[ReadinessProof]:
        stmt = (
            select(ReadinessProof).where(ReadinessProof.version_id == version_id).order_by(ReadinessProof.id)
        )
        return list(self._session.scalars(stmt))

    def waivers(self, version_id: int) -> list[ReadinessWaiver]:
        stmt = (
            select(ReadinessWaiver)
            .where(ReadinessWaiver.version_id == version_id)
            .order_by(ReadinessWaiver.id)
        )
        return list(self._session.scalars(stmt))

    def _one(self, cls: type[Itemised], version_id: int, item: str) -> Itemised | None:
        stmt = select(cls).where(cls.version_id == version_id, cls.item == item)
        return self._session.scalar(stmt)

    def add_once(self, row: Row) -> tuple[Row, bool]:
        """Store `row` unless its (version, item) — or, for a configuration, its version — has one;
        (the stored row, whether it is this one)."""
        try:
            with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError:
            if isinstance(row, ReadinessConfig):
                found: object = self.config(row.version_id)
            else:
                found = self._one(type(row), row.version_id, row.item)
            if found is None:
                raise
            return found, False  # type: ignore[return-value]
        return row, True

    def claim_go_live(self, config_id: int, at: datetime, by: str) -> bool:
        """Mark the configuration live unless it is already: True for the one caller that did it
        (a concurrent claim waits on the row and then matches nothing)."""
        stmt = (
            update(ReadinessConfig)
            .where(ReadinessConfig.id == config_id, ReadinessConfig.went_live_at.is_(None))
            .values(went_live_at=at, went_live_by=by)
            .execution_options(synchronize_session=False)
        )
        done = self._session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]
        return bool(done)

    def last_ticket_id(self) -> int:
        return int(self._session.scalar(select(func.max(Ticket.id))) or 0)

    def last_event_id(self) -> int:
        return int(self._session.scalar(select(func.max(TicketEvent.id))) or 0)

    def arrived_tickets(
        self,
        *,
        customer_id: int,
        after_ticket_id: int,
        after_event_id: int | None,
        source: str | None,
        mapping: str | None,
        priorities: list[str] | None = None,
        delivered_for: int | None = None,
        limit: int = 100,
    ) -> list[tuple[Ticket, str]]:
        """The customer's tickets stored after `after_ticket_id`, or given an event after
        `after_event_id` (ids grow with arrival), by `source` (the ticket's source key, not by an
        import) or by an import batch whose mapping is `mapping`, of one of `priorities` when
        given, delivered with an ingestion token of agreement `delivered_for` when given; each
        with the name of its service ("" when none)."""
        arrived = Ticket.id > after_ticket_id
        if after_event_id is not None:
            fresh = select(TicketEvent.ticket_id).where(TicketEvent.id > after_event_id)
            arrived = arrived | Ticket.id.in_(fresh)
        stmt = (
            select(Ticket, func.coalesce(Service.name, ""))
            .outerjoin(Service, Service.id == Ticket.service_id)
            .where(Ticket.customer_id == customer_id, arrived)
            .order_by(Ticket.id)
            .limit(limit)
        )
        if priorities:
            stmt = stmt.where(Ticket.priority.in_(priorities))
        if mapping is not None:
            names = select(ImportBatch.id).where(
                (ImportBatch.mapping == mapping) | ImportBatch.mapping.startswith(mapping + " (")
            )
            stmt = stmt.where(Ticket.batch_id.in_(names))
        if source is not None:
            stmt = stmt.where(Ticket.source == source, Ticket.batch_id.is_(None))
        if delivered_for is not None:
            tokens = select(IngestionToken.id).where(IngestionToken.agreement_id == delivered_for)
            stmt = stmt.where(
                Ticket.id.in_(select(IngestionArrival.ticket_id).where(IngestionArrival.token_id.in_(tokens)))
            )
        return [(t, str(name)) for t, name in self._session.execute(stmt)]

    def drop_proof(self, version_id: int, item: str) -> None:
        found = self._one(ReadinessProof, version_id, item)
        if found is not None:
            self._session.delete(found)
            self._session.flush()

    def ticket_names(self, ids: list[int]) -> dict[int, str]:
        """The external id of each ticket id (what a report names a ticket by)."""
        if not ids:
            return {}
        stmt = select(Ticket.id, Ticket.external_id).where(Ticket.id.in_(ids))
        return {int(i): str(e) for i, e in self._session.execute(stmt)}

    def service_id_named(self, name: str) -> int | None:
        return self._session.scalar(select(Service.id).where(func.lower(Service.name) == name.casefold()))
