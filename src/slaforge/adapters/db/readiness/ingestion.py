"""Ingestion tokens and what they deliver. A ticket, its event and the arrival are each written
with INSERT … ON CONFLICT DO NOTHING on their unique keys (source and external id; ticket and
dedupe key; event), so the same delivery sent twice, or by 25 requests at once, stores one of
each and every request learns the stored row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from slaforge.adapters.db.models import IngestionArrival, IngestionToken, Ticket, TicketEvent


class IngestionQueries:
    _session: Session

    def _insert(self, model: Any) -> Any:
        dialect = self._session.get_bind().dialect.name
        return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)

    def add_ingestion_token(self, row: IngestionToken) -> IngestionToken:
        self._session.add(row)
        self._session.flush()
        return row

    def ingestion_token(self, token_id: int) -> IngestionToken | None:
        return self._session.get(IngestionToken, token_id)

    def ingestion_token_by_digest(self, digest: str) -> IngestionToken | None:
        return self._session.scalar(select(IngestionToken).where(IngestionToken.digest == digest))

    def ingestion_tokens(self, agreement_id: int) -> list[IngestionToken]:
        stmt = (
            select(IngestionToken)
            .where(IngestionToken.agreement_id == agreement_id)
            .order_by(IngestionToken.id)
        )
        return list(self._session.scalars(stmt))

    def revoke_ingestion_token(self, token_id: int, at: datetime) -> bool:
        stmt = (
            update(IngestionToken)
            .where(IngestionToken.id == token_id, IngestionToken.revoked_at.is_(None))
            .values(revoked_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(self._session.execute(stmt).rowcount == 1)  # type: ignore[attr-defined]

    def ticket_once(self, values: dict[str, Any]) -> tuple[Ticket, bool]:
        """The ticket (source, external_id), stored now unless it was; whether this stored it."""
        stmt = (
            self._insert(Ticket)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["source", "external_id"])
        )
        new_id = self._session.scalar(stmt.returning(Ticket.id))
        found = self._session.scalar(
            select(Ticket).where(
                Ticket.source == values["source"], Ticket.external_id == values["external_id"]
            )
        )
        assert found is not None
        return found, new_id is not None

    def ticket_by_external_id(self, source: str, external_id: str) -> Ticket | None:
        return self._session.scalar(
            select(Ticket).where(Ticket.source == source, Ticket.external_id == external_id)
        )

    def event_once(self, values: dict[str, Any]) -> tuple[TicketEvent, bool]:
        stmt = (
            self._insert(TicketEvent)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["ticket_id", "dedupe_key"])
        )
        new_id = self._session.scalar(stmt.returning(TicketEvent.id))
        found = self._session.scalar(
            select(TicketEvent).where(
                TicketEvent.ticket_id == values["ticket_id"], TicketEvent.dedupe_key == values["dedupe_key"]
            )
        )
        assert found is not None
        return found, new_id is not None

    def arrival_once(self, values: dict[str, Any]) -> None:
        stmt = (
            self._insert(IngestionArrival)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["event_id"])
        )
        self._session.execute(stmt)
