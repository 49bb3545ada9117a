"""Queries of the notification outbox: queued rows, claiming a due one, and listing them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from slaforge.adapters.db.models.agreement.acceptance import Notification


class OutboxQueries:
    _session: Session

    def add_notification_once(self, row: Notification) -> Notification | None:
        """Store `row` unless one with its dedupe key is queued already, in one statement (ON
        CONFLICT DO NOTHING on the unique key): a lookup first would let parallel requests both
        insert, and the loser fail on the constraint. None when it was queued before."""
        values = {c.key: getattr(row, c.key) for c in Notification.__table__.columns if c.key != "id"}
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(Notification).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
        # RETURNING says whether this statement stored it (rowcount is not reliable through the ORM).
        new_id = self._session.scalar(stmt.returning(Notification.id))
        return None if new_id is None else self._session.get(Notification, new_id)

    def claim_due_notification(self, now: datetime, skip: Collection[int]) -> Notification | None:
        """The next pending row due at `now`, oldest first; on PostgreSQL locked with SKIP LOCKED
        so that several workers never claim the same row (SQLite has one writer at a time)."""
        stmt = (
            select(Notification)
            .where(Notification.status == "pending", Notification.next_attempt_at <= now)
            .order_by(Notification.next_attempt_at, Notification.id)
            .limit(1)
        )
        if skip:
            stmt = stmt.where(Notification.id.not_in(skip))
        if self._session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        return self._session.scalars(stmt).first()

    def notification_counts(self) -> dict[tuple[str, str], int]:
        """Notifications by (channel, status: pending, sent, failed), for the metrics endpoint."""
        stmt = select(Notification.channel, Notification.status, func.count()).group_by(
            Notification.channel, Notification.status
        )
        return {(str(c), str(s)): int(n) for c, s, n in self._session.execute(stmt)}

    def notifications(
        self, *, version_id: int | None = None, status: str | None = None
    ) -> list[Notification]:
        stmt = select(Notification).order_by(Notification.id)
        if version_id is not None:
            stmt = stmt.where(Notification.version_id == version_id)
        if status is not None:
            stmt = stmt.where(Notification.status == status)
        return list(self._session.scalars(stmt))
