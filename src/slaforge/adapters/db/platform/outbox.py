"""Queries of the notification outbox: queued rows, claiming a due one, and listing them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from slaforge.adapters.db.models.agreement.acceptance import Notification


class OutboxQueries:
    _session: Session

    def notification_queued(self, dedupe_key: str) -> bool:
        stmt = select(Notification.id).where(Notification.dedupe_key == dedupe_key)
        return self._session.scalar(stmt) is not None

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

    def notifications(
        self, *, version_id: int | None = None, status: str | None = None
    ) -> list[Notification]:
        stmt = select(Notification).order_by(Notification.id)
        if version_id is not None:
            stmt = stmt.where(Notification.version_id == version_id)
        if status is not None:
            stmt = stmt.where(Notification.status == status)
        return list(self._session.scalars(stmt))
